//! `RUST_LOG` as a filter. With the `env-filter` feature it is tracing-subscriber's `EnvFilter`,
//! the whole directive syntax. Without it (the default) the common syntax — comma-separated
//! `target=level`, bare `level` and bare `target` directives — is parsed here into a `Targets`
//! filter, which filters those directives exactly as `EnvFilter` does; span and field
//! directives (`[span{field=value}]=level`) are refused, naming the feature. This keeps the
//! regular-expression engine that `EnvFilter` links for field values (≈ 800 KiB of code and
//! Unicode tables) out of every binary that does not ask for it.
//!
//! No imports from the rest of the crate: `config/runtime_vars.rs` parses `RUST_LOG` here to
//! refuse a bad one up front, and `log/mod.rs` builds the filter it installs.

/// The filter `RUST_LOG` builds.
#[cfg(feature = "env-filter")]
pub(crate) type Filter = tracing_subscriber::EnvFilter;
/// The filter `RUST_LOG` builds.
#[cfg(not(feature = "env-filter"))]
pub(crate) type Filter = tracing_subscriber::filter::Targets;

/// Parses a `RUST_LOG` value; the error says what is wrong with it.
#[cfg(feature = "env-filter")]
pub(crate) fn parse(text: &str) -> Result<Filter, String> {
    // Field values are matched as literal text, not compiled as regular expressions: a value
    // such as `(a|b)*a(a|b)…` would otherwise build a matcher that grows exponentially.
    tracing_subscriber::EnvFilter::builder()
        .with_regex(false)
        .parse(text)
        .map_err(|error| error.to_string())
}

/// Parses a `RUST_LOG` value; the error says what is wrong with it. Accepts and refuses what
/// `EnvFilter` does for directives without spans or fields: empty directives between commas
/// are skipped, each directive starts with a letter, digit, `-`, `:` or `_`, and an
/// empty level after `=` means `trace`. Spaces around a directive are trimmed (`EnvFilter`
/// misreads them).
#[cfg(not(feature = "env-filter"))]
pub(crate) fn parse(text: &str) -> Result<Filter, String> {
    use tracing_subscriber::filter::LevelFilter;
    let mut filter = Filter::new();
    for directive in text.split(',').filter(|directive| !directive.is_empty()) {
        let directive = directive.trim();
        if directive.contains(['[', ']', '{', '}']) {
            return Err(format!(
                "span and field directives need twelvefactor's `env-filter` feature: `{directive}`"
            ));
        }
        let valid_start = directive
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '-' | ':' | '_'));
        if !valid_start {
            return Err(format!("`{directive}`: invalid filter directive"));
        }
        let level = |text: &str| match text {
            "" => Ok(LevelFilter::TRACE),
            text => text
                .parse::<LevelFilter>()
                .map_err(|error| format!("`{directive}`: {error}")),
        };
        filter = match directive.split_once('=') {
            Some((target, text)) => filter.with_target(target, level(text)?),
            None => match directive.parse::<LevelFilter>() {
                Ok(level) => filter.with_default(level),
                Err(_) => filter.with_target(directive, LevelFilter::TRACE),
            },
        };
    }
    Ok(filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_env_filter_accepts_without_spans() {
        for text in [
            "info",
            "info,http=debug",
            "my_crate=warn,info",
            "my_crate",
            "a::b=trace",
            "a=",
            "info,,warn",
            "3",
        ] {
            assert!(parse(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn refuses_what_env_filter_refuses() {
        for text in ["info,[[[", "[[[", "my_crate=loud", "=info", "info, ", "a=b=c"] {
            assert!(parse(text).is_err(), "{text}");
        }
    }

    #[cfg(not(feature = "env-filter"))]
    #[test]
    fn filters_targets_by_prefix_with_a_default_level() {
        use tracing_subscriber::filter::LevelFilter;
        let filter = parse("warn, http=debug ,http::noisy=error").unwrap();
        assert_eq!(filter.default_level(), Some(LevelFilter::WARN));
        assert!(filter.would_enable("http::server", &tracing::Level::DEBUG));
        assert!(!filter.would_enable("http::noisy", &tracing::Level::WARN));
        assert!(!filter.would_enable("db", &tracing::Level::INFO));
        assert!(filter.would_enable("db", &tracing::Level::WARN));
    }

    #[cfg(not(feature = "env-filter"))]
    #[test]
    fn span_and_field_directives_name_the_feature() {
        for text in ["[request]=debug", "http[{id}]=trace", "info,[span{user=1}]"] {
            let error = parse(text).unwrap_err();
            assert!(error.contains("`env-filter` feature"), "{text}: {error}");
        }
    }
}
