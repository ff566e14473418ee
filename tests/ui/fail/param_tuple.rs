// A tuple: one error on its type.
#[twelve_factor::main]
async fn main(parts: (twelve_factor::App, u8)) {
    let _ = parts;
}
