#[twelve_factor::main]
async fn main() -> u8 {
    0
}
