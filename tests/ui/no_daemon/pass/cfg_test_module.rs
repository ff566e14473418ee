// A test module that forks is compiled only under `cfg(test)`; the error carries that `cfg`,
// so the service binary builds.

#[twelve_factor::main]
async fn main() {}

#[cfg(test)]
mod tests {
    #[test]
    fn forks_in_a_test() {
        let _ = unsafe { libc::fork() };
    }
}
