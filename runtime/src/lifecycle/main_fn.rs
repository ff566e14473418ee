//! [`Async`] and [`Sync`]: the two kinds of `main` the expansion hands to
//! [`run`](crate::lifecycle::run), behind the one [`MainFn`] trait.

use crate::app::App;
use crate::lifecycle::outcome::Outcome;
use crate::lifecycle::spec::{Flavor, MainSpec};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::task::JoinHandle;

/// A `main` the runtime can run: called once with the process's [`App`] and its configuration
/// `C`, it becomes a future of its [`Outcome`].
pub trait MainFn<C> {
    /// What `main` runs as.
    type Future: Future<Output = Outcome>;

    /// The spec this kind of `main` needs (a synchronous `main` runs beside a current-thread
    /// runtime).
    fn adjust(spec: MainSpec) -> MainSpec {
        spec
    }

    /// Starts `main`; called inside the runtime.
    fn call(self, app: App, config: C) -> Self::Future;
}

/// An `async fn main`, as a closure returning its future.
pub struct Async<F>(pub F);

impl<C, F, Fut> MainFn<C> for Async<F>
where
    F: FnOnce(App, C) -> Fut,
    Fut: Future<Output = Outcome>,
{
    type Future = Fut;

    fn call(self, app: App, config: C) -> Fut {
        (self.0)(app, config)
    }
}

/// A synchronous `fn main`: it runs on a blocking thread while a current-thread runtime handles
/// signals, the deadline and `App::spawn`ed tasks.
pub struct Sync<F>(pub F);

impl<C, F> MainFn<C> for Sync<F>
where
    C: Send + 'static,
    F: FnOnce(App, C) -> Outcome + Send + 'static,
{
    type Future = Blocking;

    fn adjust(spec: MainSpec) -> MainSpec {
        MainSpec {
            flavor: Flavor::CurrentThread,
            ..spec
        }
    }

    fn call(self, app: App, config: C) -> Blocking {
        let main = self.0;
        Blocking(tokio::task::spawn_blocking(move || main(app, config)))
    }
}

/// A synchronous `main` running on its blocking thread.
pub struct Blocking(JoinHandle<Outcome>);

impl Future for Blocking {
    type Output = Outcome;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Outcome> {
        Pin::new(&mut self.0).poll(cx).map(|joined| match joined {
            Ok(outcome) => outcome,
            // Already logged by the panic hook; re-raise it so it counts as main's panic.
            Err(error) => match error.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(error) => Outcome::Failure(error.to_string()),
            },
        })
    }
}
