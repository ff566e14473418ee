// Every unknown key is reported, each on its own span, with what is accepted there.
#[derive(twelve_factor::Config)]
#[config(prefx = "SHOP_")]
struct Settings {
    #[config(defualt = "4")]
    workers: u16,
    #[config(secret, name = "TOKEN")]
    token: twelve_factor::Secret<String>,
    #[config(prefix = "X_")]
    url: String,
}

fn main() {}
