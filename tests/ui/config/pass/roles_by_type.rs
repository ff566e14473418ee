// `main`'s parameters are told apart by their types, in any order; a configuration alone is
// fine, and the `App` may be imported under another name. Each module's `main` is compiled
// here, not run.
#![allow(dead_code)]

use twelve_factor::App as Handle;

#[derive(twelve_factor::Config)]
struct Settings {
    #[config(default = "1")]
    level: u8,
}

mod app_then_settings {
    use super::Settings;

    #[twelve_factor::main]
    pub async fn main(app: twelve_factor::App, settings: Settings) {
        let _ = (app.port(), settings.level);
    }
}

mod settings_then_app {
    use super::Settings;
    use twelve_factor::App;

    #[twelve_factor::main]
    pub async fn main(settings: Settings, app: App) {
        let _ = (app.port(), settings.level);
    }
}

mod settings_only {
    use super::Settings;

    #[twelve_factor::main]
    pub async fn main(settings: Settings) {
        let _ = settings.level;
    }
}

mod app_alias {
    use super::Handle;

    #[twelve_factor::main]
    pub async fn main(app: Handle) {
        let _ = app.port();
    }
}

mod sync_settings_then_app {
    use super::Settings;

    #[twelve_factor::main]
    pub fn main(settings: Settings, app: twelve_factor::App) {
        let _ = (app.port(), settings.level);
    }
}

mod sync_settings_only {
    use super::Settings;

    #[twelve_factor::main]
    pub fn main(settings: Settings) -> Result<(), String> {
        let _ = settings.level;
        Ok(())
    }
}

mod sync_alias_and_settings {
    use super::{Handle, Settings};

    #[twelve_factor::main]
    pub fn main(app: Handle, settings: Settings) {
        let _ = (app.port(), settings.level);
    }
}

fn main() {
    let mains: [fn(); 7] = [
        app_then_settings::main,
        settings_then_app::main,
        settings_only::main,
        app_alias::main,
        sync_settings_then_app::main,
        sync_settings_only::main,
        sync_alias_and_settings::main,
    ];
    let _ = mains;
}
