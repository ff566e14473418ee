// tokio's tests-build `macros_invalid_input.rs`, the arguments that apply to `main`.
#[twelve_factor::main(flavor = 123)]
async fn flavor_not_string() {}

#[twelve_factor::main(flavor = "foo")]
async fn unknown_flavor() {}

#[twelve_factor::main(flavor = "multi_thread", start_paused = false)]
async fn multi_thread_with_start_paused() {}

#[twelve_factor::main(flavor = "multi_thread", worker_threads = "foo")]
async fn worker_threads_not_int() {}

#[twelve_factor::main(flavor = "current_thread", worker_threads = 4)]
async fn worker_threads_and_current_thread() {}

#[twelve_factor::main(crate = 456)]
async fn crate_not_path_int() {}

#[twelve_factor::main(crate = "456")]
async fn crate_not_path_invalid() {}

#[twelve_factor::main(unhandled_panic = "shutdown_runtime")]
async fn unhandled_panic_option() {}

fn main() {}
