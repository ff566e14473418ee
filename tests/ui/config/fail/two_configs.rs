// Two configuration structs: one error, on the second one's type.
#[derive(twelve_factor::Config)]
struct Settings {
    #[config(default = "1")]
    level: u8,
}

#[derive(twelve_factor::Config)]
struct More {
    #[config(default = "2")]
    depth: u8,
}

#[twelve_factor::main]
async fn main(settings: Settings, more: More) {
    let _ = (settings.level, more.depth);
}
