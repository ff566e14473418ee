/// Prints how the service is meant to run now.
pub fn explain() {
    println!("running in the foreground; use systemd (Type=notify) or a container to supervise");
}
