//! [`App`]: the handle `main` receives, a thin public view of the process's [`Shared`] state.
//! A new method for services (a worker, another listener) goes here, over state in
//! `shared.rs`.

use crate::lifecycle::reload::Reloads;
use crate::listen::readiness::Readiness;
use crate::listen::spec::MAIN;
use crate::platform::activation;
use crate::shared::Shared;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// The running process, as `main` sees it: its configuration, its listener, its shutdown signal
/// and the tasks the shutdown waits for.
///
/// `App` is cheap to clone (one `Arc`) and `Send + Sync + 'static`, so it can be moved into
/// tasks and request handlers.
///
/// ```no_run
/// use tokio::io::AsyncWriteExt;
///
/// #[twelve_factor::main]
/// async fn main(app: twelve_factor::App) -> Result<(), Box<dyn std::error::Error>> {
///     let listener = app.listener().await?; // HOST:PORT, or the socket systemd passed
///     loop {
///         tokio::select! {
///             accepted = listener.accept() => {
///                 let (mut stream, _) = accepted?;
///                 app.spawn(async move {           // the drain waits for this task
///                     let _ = stream.write_all(b"hello\n").await;
///                 });
///             }
///             () = app.shutdown() => break,       // SIGTERM, SIGINT or SIGHUP
///         }
///     }
///     Ok(())
/// }
/// ```
#[derive(Clone)]
pub struct App {
    shared: Arc<Shared>,
}

impl App {
    /// The handle on the process's shared state, for `main`.
    pub(crate) fn new(shared: Arc<Shared>) -> App {
        App { shared }
    }

    /// The port to listen on: `PORT`, or the attribute's `port`, or 8080.
    ///
    /// ```no_run
    /// #[twelve_factor::main(port = 3000)]
    /// async fn main(app: twelve_factor::App) {
    ///     tracing::info!(target: "twelve_factor", port = app.port(), "PORT or 3000");
    /// }
    /// ```
    pub fn port(&self) -> u16 {
        self.shared.vars.port
    }

    /// The address to bind: `HOST` (default `0.0.0.0`).
    ///
    /// ```no_run
    /// #[twelve_factor::main]
    /// async fn main(app: twelve_factor::App) {
    ///     assert!(app.host().is_unspecified() || std::env::var("HOST").is_ok());
    /// }
    /// ```
    pub fn host(&self) -> IpAddr {
        self.shared.vars.host
    }

    /// `HOST:PORT`, the address [`listener`](App::listener) binds when systemd passed no
    /// socket.
    ///
    /// ```no_run
    /// #[twelve_factor::main]
    /// async fn main(app: twelve_factor::App) {
    ///     let std_listener = std::net::TcpListener::bind(app.addr()).unwrap();
    ///     # drop(std_listener);
    /// }
    /// ```
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::new(self.host(), self.port())
    }

    /// The drain deadline: `SHUTDOWN_TIMEOUT`, or the attribute's `shutdown_timeout`, or 9 s.
    ///
    /// ```no_run
    /// #[twelve_factor::main(shutdown_timeout = "20s")]
    /// async fn main(app: twelve_factor::App) {
    ///     tracing::info!(target: "twelve_factor", timeout = ?app.shutdown_timeout());
    /// }
    /// ```
    pub fn shutdown_timeout(&self) -> Duration {
        self.shared.vars.shutdown_timeout
    }

    /// The listening socket: the one systemd passed by socket activation (`LISTEN_FDS`) if
    /// there is one left, otherwise a new socket bound on [`addr`](App::addr). Either way the
    /// process is then ready: `READY=1` goes to systemd.
    ///
    /// A failed bind is an error that names the address, e.g. `cannot listen on
    /// 0.0.0.0:8080: Address already in use (os error 98)`.
    ///
    /// A server framework takes it with its graceful shutdown wired to
    /// [`shutdown`](App::shutdown) (axum's `with_graceful_shutdown`, actix-web's
    /// `shutdown_signal` after `into_std()`). A raw accept loop must race `accept` against
    /// [`shutdown`](App::shutdown): an `accept().await` alone never returns at SIGTERM, so the
    /// process waits for the deadline and exits 1. Spawn each connection with
    /// [`spawn`](App::spawn) so the drain waits for it:
    ///
    /// ```no_run
    /// #[twelve_factor::main]
    /// async fn main(app: twelve_factor::App) -> std::io::Result<()> {
    ///     let listener = app.listener().await?;
    ///     loop {
    ///         let (stream, peer) = tokio::select! {
    ///             accepted = listener.accept() => accepted?,
    ///             () = app.shutdown() => break, // stop accepting; spawned connections drain
    ///         };
    ///         app.spawn(async move {
    ///             tracing::info!(target: "twelve_factor", %peer, "connection");
    ///             drop(stream);
    ///         });
    ///     }
    ///     Ok(())
    /// }
    /// ```
    pub async fn listener(&self) -> io::Result<TcpListener> {
        self.listener_from(None).await
    }

    /// A listener the attribute declared with `listeners(admin = 9091)`, or that systemd
    /// passed: the socket systemd passed with `FileDescriptorName=admin` (`LISTEN_FDNAMES`) if
    /// there is one, otherwise a new socket bound on `HOST:$ADMIN_PORT` (default 9091). Once
    /// `main`'s listener and every declared one are bound the process is ready.
    ///
    /// A name that is neither declared nor passed is an error that lists the declared names;
    /// so is a declared name systemd did not pass when it passed other sockets (never a bind
    /// of its own next to the passed ones).
    ///
    /// ```no_run
    /// #[twelve_factor::main(listeners(admin = 9091))]
    /// async fn main(app: twelve_factor::App) -> std::io::Result<()> {
    ///     let http = app.listener().await?; // HOST:PORT
    ///     let admin = app.listener_named("admin").await?; // HOST:ADMIN_PORT, 9091 by default
    ///     # drop((http, admin));
    ///     Ok(())
    /// }
    /// ```
    pub async fn listener_named(&self, name: &str) -> io::Result<TcpListener> {
        self.listener_from(Some(name)).await
    }

    /// [`listener`](App::listener) for a synchronous `fn main` that serves on threads or a
    /// runtime of its own: the same socket (socket activation included), and the process is
    /// ready once it returns; a blocking `std::net::TcpListener`. Call it from `main`'s thread
    /// or another plain thread, not from async code (it panics there, as `Handle::block_on`
    /// does). Stop accepting once [`is_shutting_down`](App::is_shutting_down) says so, or hand
    /// [`shutdown`](App::shutdown) (a `Send` future usable on any executor) to the server.
    ///
    /// ```no_run
    /// #[twelve_factor::main]
    /// fn main(app: twelve_factor::App) -> std::io::Result<()> {
    ///     let listener = app.std_listener()?;
    ///     listener.set_nonblocking(true)?;
    ///     while !app.is_shutting_down() {
    ///         match listener.accept() {
    ///             Ok((stream, _)) => drop(stream), // serve it on a thread of yours
    ///             Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
    ///                 std::thread::sleep(std::time::Duration::from_millis(50));
    ///             }
    ///             Err(e) => return Err(e),
    ///         }
    ///     }
    ///     Ok(())
    /// }
    /// ```
    pub fn std_listener(&self) -> io::Result<std::net::TcpListener> {
        let listener = self.shared.handle.block_on(self.listener())?.into_std()?;
        listener.set_nonblocking(false)?;
        Ok(listener)
    }

    /// The port of the declared listener `name`: `{NAME}_PORT`, or its default in the
    /// attribute. `None` for a name that was not declared.
    ///
    /// ```no_run
    /// #[twelve_factor::main(listeners(grpc = 50051))]
    /// async fn main(app: twelve_factor::App) {
    ///     assert!(app.port_of("grpc").is_some()); // GRPC_PORT, or 50051
    ///     assert_eq!(app.port_of("nothing"), None);
    /// }
    /// ```
    pub fn port_of(&self, name: &str) -> Option<u16> {
        self.shared.vars.listener(name).map(|(_, port)| port)
    }

    async fn listener_from(&self, name: Option<&str>) -> io::Result<TcpListener> {
        if let Some(process) = self.shared.invocation.name().filter(|_| self.is_one_off()) {
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                format!(
                    "the one-off process type {process:?} listens on nothing: it reads neither \
                     PORT nor HOST nor LISTEN_FDS; serve from a long-running process type"
                ),
            ));
        }
        let vars = &self.shared.vars;
        let activation = &vars.activation;
        let declared: Vec<&str> = vars.listeners.iter().map(|(decl, _)| decl.name).collect();
        let decl = name.and_then(|name| vars.listener(name));
        // What readiness waits for: a declared listener by its name, any other as `main`'s.
        let role = decl.map_or(MAIN, |(decl, _)| decl.name);
        let listener = match activation.take(name, &declared) {
            Some((fd, fd_name)) => {
                activation::check_tcp_listener(&fd, fd_name.as_deref())?;
                let listener = std::net::TcpListener::from(fd);
                listener.set_nonblocking(true)?;
                let listener = TcpListener::from_std(listener).map_err(|error| {
                    io::Error::new(
                        error.kind(),
                        format!(
                            "cannot use the socket systemd passed{}: {error}",
                            fd_name.map(|n| format!(" ({n})")).unwrap_or_default()
                        ),
                    )
                })?;
                tracing::info!(target: "twelve_factor", addr = %local(&listener), listener = role, "listening on the socket systemd passed");
                listener
            }
            None => {
                let port = match (name, decl) {
                    (None, _) => vars.port,
                    (Some(name), _) if !activation.is_empty() => {
                        return Err(io::Error::new(
                            io::ErrorKind::NotFound,
                            format!(
                                "systemd passed no socket named {name:?} (LISTEN_FDNAMES){}",
                                declared_names(&declared)
                            ),
                        ));
                    }
                    (Some(_), Some((_, port))) => port,
                    (Some(name), None) => {
                        return Err(io::Error::new(
                            io::ErrorKind::NotFound,
                            format!(
                                "no listener named {name:?}: declare it with \
                                 #[twelve_factor::main(listeners({name} = PORT))]{}",
                                declared_names(&declared)
                            ),
                        ));
                    }
                };
                let addr = SocketAddr::new(self.host(), port);
                let listener = TcpListener::bind(addr).await.map_err(|error| {
                    io::Error::new(error.kind(), format!("cannot listen on {addr}: {error}"))
                })?;
                tracing::info!(target: "twelve_factor", addr = %local(&listener), listener = role, "listening");
                listener
            }
        };
        let change = self.shared.readiness.bound(role);
        self.shared
            .announce(change, &format!("listening on {}", local(&listener)));
        Ok(listener)
    }

    /// Starts a worker: a background part of the process (an outbox poller, a queue
    /// consumer) that runs until the stop tells it to end. `work` gets a
    /// [`CancellationToken`] and returns its future.
    ///
    /// Workers keep running through `SHUTDOWN_DELAY` and the drain of the servers: only once
    /// `main` has returned and the tracked tasks are done is each worker's token cancelled, in
    /// reverse order of registration, each awaited before the next is told; each stop is logged
    /// with its name and how long it took. `SHUTDOWN_TIMEOUT` covers the whole stop.
    ///
    /// A worker that returns `Err` or panics logs one error naming it (`worker "outbox"
    /// failed: …`) and starts the stop, and the process exits with code 1. One that returns
    /// `Ok` early is logged as finished and changes nothing else. Works from a synchronous
    /// `fn main` too.
    ///
    /// ```no_run
    /// use std::time::Duration;
    ///
    /// #[twelve_factor::main]
    /// async fn main(app: twelve_factor::App) -> std::io::Result<()> {
    ///     app.worker("outbox", |stop| async move {
    ///         while !stop.is_cancelled() {
    ///             // send what the outbox holds, then wait for more
    ///             tokio::select! {
    ///                 () = stop.cancelled() => {}
    ///                 () = tokio::time::sleep(Duration::from_secs(1)) => {}
    ///             }
    ///         }
    ///         Ok::<(), std::io::Error>(())
    ///     });
    ///     let listener = app.listener().await?;
    ///     # drop(listener);
    ///     app.shutdown().await;
    ///     Ok(())
    /// }
    /// ```
    pub fn worker<F, Fut, E>(&self, name: impl Into<String>, work: F)
    where
        F: FnOnce(CancellationToken) -> Fut,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: std::fmt::Display,
    {
        let stop = CancellationToken::new();
        let future = work(stop.clone());
        self.shared.start_worker(name.into(), stop, async move {
            future.await.map_err(|error| error.to_string())
        });
    }

    /// Marks the process ready: systemd gets `READY=1` the first time, and `GET /readyz` on
    /// `HEALTH_PORT` answers 200. [`listener`](App::listener) does this by itself; call it from
    /// workers that bind nothing, once they can do their job, and after
    /// [`not_ready`](App::not_ready) once the trouble is over. A `main` without an `App`
    /// argument is ready at start. Once the shutdown has begun it does nothing: the process
    /// stays not ready until it exits.
    ///
    /// ```no_run
    /// #[twelve_factor::main]
    /// async fn main(app: twelve_factor::App) {
    ///     // connect to the queue, warm caches, …
    ///     app.ready();
    ///     app.shutdown().await;
    /// }
    /// ```
    pub fn ready(&self) {
        let change = self.shared.readiness.ready();
        self.shared.announce(change, "ready");
    }

    /// Marks the process not ready, because of `reason`: `GET /readyz` on `HEALTH_PORT` answers
    /// 503 with `not ready: REASON`, [`readiness`](App::readiness) reports it, and systemd gets
    /// `STATUS=not ready: REASON`. It holds until [`ready`](App::ready) is called, even across
    /// [`listener`](App::listener) binding (so a service can say "warming the cache" before it
    /// binds). The process keeps running and serving: this only tells load balancers to send
    /// traffic elsewhere.
    ///
    /// ```no_run
    /// # async fn ping_database() -> Result<(), std::io::Error> { Ok(()) }
    /// #[twelve_factor::main]
    /// async fn main(app: twelve_factor::App) {
    ///     app.ready();
    ///     while !app.is_shutting_down() {
    ///         match ping_database().await {
    ///             Ok(()) => app.ready(),
    ///             Err(_) => app.not_ready("database unreachable"),
    ///         }
    ///         tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    ///     }
    /// }
    /// ```
    pub fn not_ready(&self, reason: impl Into<String>) {
        let change = self.shared.readiness.not_ready(reason.into());
        self.shared.announce(change, "ready");
    }

    /// Whether the process is ready, and why not: the state `GET /readyz` on `HEALTH_PORT`
    /// answers, for services that serve their probes on their own port instead. Not ready
    /// while starting (`starting`: no listener bound and no [`ready`](App::ready) yet), after
    /// [`not_ready`](App::not_ready) (its reason), and from the first SIGTERM, SIGINT or SIGHUP
    /// on (`shutting down`, also during `SHUTDOWN_DELAY` while `main` still serves).
    ///
    /// `examples/probes.rs` serves it as `GET /readyz` from an axum route on the main port.
    ///
    /// ```no_run
    /// #[twelve_factor::main]
    /// async fn main(app: twelve_factor::App) {
    ///     let readiness = app.readiness(); // `starting`: nothing bound yet
    ///     assert_eq!((readiness.status_code(), readiness.reason()), (503, Some("starting")));
    ///     app.ready();
    ///     assert_eq!(app.readiness().to_string(), "ready");
    /// }
    /// ```
    pub fn readiness(&self) -> Readiness {
        self.shared.readiness.get()
    }

    /// Resolves when the shutdown begins: after SIGTERM, SIGINT or SIGHUP (and
    /// `SHUTDOWN_DELAY`), or when `main`'s work is cancelled through
    /// [`cancellation_token`](App::cancellation_token). `'static + Send`, so it can be passed to
    /// `axum::serve(…).with_graceful_shutdown(…)` or moved into a task.
    ///
    /// ```no_run
    /// #[twelve_factor::main]
    /// async fn main(app: twelve_factor::App) {
    ///     app.ready();
    ///     app.shutdown().await;
    ///     tracing::info!(target: "twelve_factor", "draining");
    /// }
    /// ```
    pub fn shutdown(&self) -> impl Future<Output = ()> + Send + 'static {
        self.shared.token.clone().cancelled_owned()
    }

    /// Whether the shutdown has begun.
    ///
    /// ```no_run
    /// #[twelve_factor::main]
    /// fn main(app: twelve_factor::App) {
    ///     while !app.is_shutting_down() {
    ///         std::thread::sleep(std::time::Duration::from_millis(100)); // one unit of work
    ///     }
    /// }
    /// ```
    pub fn is_shutting_down(&self) -> bool {
        self.shared.token.is_cancelled()
    }

    /// The token [`shutdown`](App::shutdown) waits on, for libraries that take a
    /// `CancellationToken`. Cancelling it starts the shutdown as a signal would (without
    /// `SHUTDOWN_DELAY`): the drain deadline starts and the process exits once `main` and the
    /// tracked tasks finish.
    ///
    /// ```no_run
    /// #[twelve_factor::main]
    /// async fn main(app: twelve_factor::App) {
    ///     let token = app.cancellation_token();
    ///     app.spawn(async move {
    ///         token.cancelled().await;
    ///     });
    /// }
    /// ```
    pub fn cancellation_token(&self) -> CancellationToken {
        self.shared.token.clone()
    }

    /// Spawns a task that the shutdown waits for (up to the deadline), unlike a bare
    /// `tokio::spawn`. Use it for connections, requests and jobs that must finish. A panic in
    /// the task is logged as an error event and does not stop the process.
    ///
    /// ```no_run
    /// #[twelve_factor::main]
    /// async fn main(app: twelve_factor::App) {
    ///     let worker = app.clone();
    ///     app.spawn(async move {
    ///         while !worker.is_shutting_down() {
    ///             // finish the current unit of work, then look again
    ///             tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    ///         }
    ///     });
    ///     app.ready();
    /// }
    /// ```
    pub fn spawn<F>(&self, task: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.shared.tracker.spawn_on(task, &self.shared.handle)
    }

    /// Takes SIGHUP as a reload request instead of a stop, for a service that reloads in place
    /// (systemd `Type=notify-reload`, `ExecReload=kill -HUP $MAINPID`). Each SIGHUP sends
    /// `RELOADING=1` with `MONOTONIC_USEC` to systemd and yields a [`Reload`](crate::Reload); once the service
    /// has reloaded, [`Reload::done`](crate::Reload::done) sends `READY=1`. [`Reloads::next`] returns `None` when the
    /// shutdown begins. Without this call, SIGHUP stops the process like SIGTERM; call it once
    /// (a later call takes the requests over).
    ///
    /// ```no_run
    /// #[twelve_factor::main]
    /// async fn main(app: twelve_factor::App) {
    ///     let mut reloads = app.reloads();
    ///     app.ready();
    ///     while let Some(reload) = reloads.next().await {
    ///         tracing::info!(target: "twelve_factor", "re-reading the configuration");
    ///         reload.done();
    ///     }
    /// }
    /// ```
    pub fn reloads(&self) -> Reloads {
        let (sender, requests) = tokio::sync::mpsc::unbounded_channel();
        let mut slot = self.shared.reload.lock().unwrap_or_else(|e| e.into_inner());
        *slot = Some(sender);
        Reloads::new(requests, self.shared.clone())
    }

    /// The name of the process type that runs (`web`, `worker`, `release`), when `main` takes
    /// a `#[derive(twelve_factor::Process)]` enum; `None` otherwise. The enum parameter itself
    /// is the typed answer; this is for code that only holds the `App`.
    ///
    /// ```no_run
    /// #[derive(twelve_factor::Process)]
    /// enum Kind {
    ///     #[process(default)]
    ///     Web,
    ///     #[process(one_off)]
    ///     Release,
    /// }
    ///
    /// #[twelve_factor::main]
    /// async fn main(app: twelve_factor::App, kind: Kind) {
    ///     assert_eq!(app.process_type(), Some(match kind { Kind::Web => "web", Kind::Release => "release" }));
    /// }
    /// ```
    pub fn process_type(&self) -> Option<&'static str> {
        self.shared.invocation.name()
    }

    /// Whether the process type that runs is a one-off admin process (`#[process(one_off)]`):
    /// it reads no `PORT`, `HOST`, `HEALTH_PORT` nor `LISTEN_FDS`, and
    /// [`listener`](App::listener) is an error.
    pub fn is_one_off(&self) -> bool {
        self.shared.invocation.one_off()
    }

    /// The program's own command-line arguments: every argument after the program's name,
    /// except the process type when the first argument named it (`svc migrate --dry-run` →
    /// `["--dry-run"]`). With `PROCESS_TYPE` or the default type, every argument is the
    /// program's. Arguments that are not UTF-8 are passed as they are.
    ///
    /// ```no_run
    /// #[derive(twelve_factor::Process)]
    /// enum Kind {
    ///     #[process(default)]
    ///     Web,
    ///     #[process(one_off)]
    ///     Export,
    /// }
    ///
    /// #[twelve_factor::main]
    /// async fn main(app: twelve_factor::App, kind: Kind) {
    ///     if let Kind::Export = kind {
    ///         let dry_run = app.args().iter().any(|arg| arg == "--dry-run");
    ///         # let _ = dry_run;
    ///     }
    /// }
    /// ```
    pub fn args(&self) -> &[std::ffi::OsString] {
        &self.shared.invocation.args
    }

    /// Blocks the calling thread until the shutdown begins: for a synchronous `fn main`. Do not
    /// call it from async code (it panics there, as `Handle::block_on` does); await
    /// [`shutdown`](App::shutdown) instead.
    ///
    /// ```no_run
    /// #[twelve_factor::main]
    /// fn main(app: twelve_factor::App) {
    ///     app.ready();
    ///     app.block_until_shutdown();
    /// }
    /// ```
    pub fn block_until_shutdown(&self) {
        self.shared.handle.block_on(self.shutdown());
    }
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("process_type", &self.process_type())
            .field("addr", &self.addr())
            .field("shutting_down", &self.is_shutting_down())
            .field("tasks", &self.shared.tracker.len())
            .finish()
    }
}

/// `; declared: admin, grpc`, or `; none declared`.
fn declared_names(declared: &[&str]) -> String {
    if declared.is_empty() {
        "; no listener is declared".to_owned()
    } else {
        format!("; declared: {}", declared.join(", "))
    }
}

fn local(listener: &TcpListener) -> String {
    listener
        .local_addr()
        .map_or_else(|_| "an unknown address".to_owned(), |addr| addr.to_string())
}
