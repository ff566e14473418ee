//! [`ListenerDecl`]: a listener the attribute declares besides `main`'s own
//! (`listeners(admin = 9091)`), with the variable that moves it (`ADMIN_PORT`) and its default
//! port. The expansion builds the list; `config/runtime_vars.rs` reads and checks the variables,
//! and `App::listener_named` binds them.

/// One declared listener: `admin = 9091` in `#[twelve_factor::main(listeners(admin = 9091))]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListenerDecl {
    /// The name, as `app.listener_named(…)` and systemd's `FileDescriptorName=` spell it.
    pub name: &'static str,
    /// The variable that sets its port: the name in upper case, then `_PORT`.
    pub env: &'static str,
    /// The port used when the variable is unset.
    pub default_port: u16,
}

/// The name the main listener (`app.listener()`, on `PORT`) goes by in logs and reports.
pub(crate) const MAIN: &str = "main";
