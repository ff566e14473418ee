// A `#[cfg(test)]` on a brace macro call applies to that call only, not to the function after
// it: `detach` is compiled into the service and denied.

#[cfg(test)]
thread_local! {
    static CALLS: std::cell::Cell<u32> = std::cell::Cell::new(0);
}

fn detach() {
    unsafe {
        libc::setsid();
    }
}

#[twelve_factor::main]
async fn main() {
    let _ = detach;
}
