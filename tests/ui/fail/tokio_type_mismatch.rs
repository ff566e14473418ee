// tokio's tests-build `macros_type_mismatch.rs`: type errors are reported in the user's code,
// as without the attribute.
// Each case is the `main` of a module of its own, which nothing calls.
#[allow(dead_code)]
mod missing_semicolon_or_return_type {
    #[twelve_factor::main]
    pub async fn main() {
        Ok(())
    }
}

#[allow(dead_code)]
mod missing_return_type {
    #[twelve_factor::main]
    pub async fn main() {
        return Ok(());
    }
}

#[allow(dead_code)]
mod extra_semicolon {
    #[twelve_factor::main]
    pub async fn main() -> Result<(), ()> {
        Ok(());
    }
}

fn main() {}
