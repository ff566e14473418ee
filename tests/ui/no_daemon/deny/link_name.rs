// `#[link_name]` gives the banned symbol another name.

extern "C" {
    #[link_name = "setsid"]
    fn start_new_group() -> i32;
}

#[twelve_factor::main]
async fn main() {
    let _ = unsafe { start_new_group() };
}
