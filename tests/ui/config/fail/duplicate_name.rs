#[derive(twelve_factor::Config)]
#[config(prefix = "SHOP_")]
struct Settings {
    database_url: String,
    #[config(env = "SHOP_DATABASE_URL")]
    replica_url: String,
}

fn main() {}
