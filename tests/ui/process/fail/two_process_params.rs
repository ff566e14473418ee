// Two sets of process types as parameters of main: one error, on the second one's type.
#[derive(twelve_factor::Process)]
enum Kind {
    #[process(default)]
    Web,
}

#[derive(twelve_factor::Process)]
enum Admin {
    #[process(one_off)]
    Migrate,
}

#[twelve_factor::main]
async fn main(app: twelve_factor::App, kind: Kind, admin: Admin) {
    let _ = (app, kind, admin);
}
