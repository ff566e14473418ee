// The facade under another name, found through `crate = "…"`.
extern crate twelve_factor as tf;

#[tf::main(crate = "tf")]
async fn main(app: tf::App) {
    let _ = app.port();
}
