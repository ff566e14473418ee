#[twelve_factor::main]
#[test]
async fn serves() {}

fn main() {}
