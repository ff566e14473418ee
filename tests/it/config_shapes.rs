//! Shapes of configuration structs found in public services that read their settings with
//! envy or envconfig, re-written for `#[derive(twelve_factor::Config)]` (names and types kept,
//! code our own), and read from given maps: what maps directly, what the derive adds (every
//! error at once, redacted secrets), and what does not carry over (see the README).

// Fields a real service would use; here only some are asserted on.
#![allow(dead_code)]

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;
use twelve_factor::Secret;

fn lines(error: twelve_factor::ConfigErrors) -> Vec<String> {
    error.iter().map(ToString::to_string).collect()
}

/// An OAuth login service (envconfig, every variable named with `from`): a database URL, a
/// consumer key and secret, a callback URL with a default. Its `PORT` field is left to the
/// runtime (`app.port()`): the derive refuses `PORT` (tests/ui/config/fail/runtime_names.rs).
#[derive(Debug, twelve_factor::Config)]
struct OauthService {
    database_url: String,
    twitter_consumer_key: String,
    #[config(secret)]
    twitter_consumer_secret: Secret<String>,
    #[config(default = "http://localhost:8080/auth/twitter/callback")]
    twitter_callback: String,
}

#[test]
fn oauth_service_reports_every_missing_variable_and_hides_its_secret() {
    let errors = OauthService::from_map([("TWITTER_CONSUMER_SECRET", "s3cr3t")]).unwrap_err();
    assert_eq!(
        lines(errors),
        [
            "missing DATABASE_URL: required, and it has no default",
            "missing TWITTER_CONSUMER_KEY: required, and it has no default",
        ]
    );
    let service = OauthService::from_map([
        ("DATABASE_URL", "postgres://db/app"),
        ("TWITTER_CONSUMER_KEY", "key"),
        ("TWITTER_CONSUMER_SECRET", "s3cr3t"),
    ])
    .unwrap();
    assert_eq!(
        service.twitter_callback,
        "http://localhost:8080/auth/twitter/callback"
    );
    assert_eq!(service.twitter_consumer_secret.expose(), "s3cr3t");
    assert!(!format!("{service:?}").contains("s3cr3t"));
}

/// Sign-up policy of a tracker (envconfig with a custom `FromStr` enum and a URL type).
#[derive(Debug, PartialEq)]
enum OpenSignups {
    Enabled,
    Disabled,
}

impl FromStr for OpenSignups {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "true" => Ok(OpenSignups::Enabled),
            "false" => Ok(OpenSignups::Disabled),
            other => Err(format!("expected true or false, not {other}")),
        }
    }
}

/// A tracker's settings: prefixed variables, a custom enum, an address, signed factors, an
/// optional API key. (Its nested `#[envconfig(nested)]` sub-structs have no counterpart here.)
#[derive(Debug, twelve_factor::Config)]
#[config(prefix = "ARCADIA_")]
struct Tracker {
    #[config(env = "DATABASE_URL")]
    database_url: String,
    #[config(env = "JWT_SECRET")]
    jwt_secret: Secret<String>,
    open_signups: OpenSignups,
    frontend_addr: std::net::SocketAddr,
    global_upload_factor: i16,
    global_download_factor: i16,
    #[config(env = "TMDB_API_KEY")]
    tmdb_api_key: Option<Secret<String>>,
}

#[test]
fn tracker_reports_bad_values_of_every_kind_at_once() {
    let errors = Tracker::from_map([
        ("DATABASE_URL", "postgres://db/tracker"),
        ("JWT_SECRET", "jwt"),
        ("ARCADIA_OPEN_SIGNUPS", "maybe"),
        ("ARCADIA_FRONTEND_ADDR", "localhost"),
        ("ARCADIA_GLOBAL_UPLOAD_FACTOR", "40000"),
        ("ARCADIA_GLOBAL_DOWNLOAD_FACTOR", "-1"),
    ])
    .unwrap_err();
    assert_eq!(
        lines(errors),
        [
            r#"invalid ARCADIA_OPEN_SIGNUPS="maybe": expected true or false, not maybe"#,
            r#"invalid ARCADIA_FRONTEND_ADDR="localhost": invalid socket address syntax"#,
            r#"invalid ARCADIA_GLOBAL_UPLOAD_FACTOR="40000": number too large to fit in target type"#,
        ]
    );
    let tracker = Tracker::from_map([
        ("DATABASE_URL", "postgres://db/tracker"),
        ("JWT_SECRET", "jwt"),
        ("ARCADIA_OPEN_SIGNUPS", "true"),
        ("ARCADIA_FRONTEND_ADDR", "127.0.0.1:5173"),
        ("ARCADIA_GLOBAL_UPLOAD_FACTOR", "100"),
        ("ARCADIA_GLOBAL_DOWNLOAD_FACTOR", "-1"),
        ("TMDB_API_KEY", "tmdb-key"),
    ])
    .unwrap();
    assert_eq!(tracker.open_signups, OpenSignups::Enabled);
    assert_eq!(tracker.global_download_factor, -1);
    assert_eq!(tracker.tmdb_api_key.unwrap().expose(), "tmdb-key");
}

/// A social app (envconfig, all required, limits and a start-up switch).
#[derive(Debug, twelve_factor::Config)]
struct SocialApp {
    database_url: String,
    server_host: String,
    pictures_directory: std::path::PathBuf,
    handle_max_length: usize,
    name_max_length: usize,
    verification_code_length: usize,
    send_test_startup_email: bool,
}

#[test]
fn social_app_needs_no_second_run_to_find_the_next_missing_variable() {
    let errors = SocialApp::from_map(HashMap::<String, String>::new()).unwrap_err();
    assert_eq!(errors.len(), 7, "{errors}");
    let app = SocialApp::from_map([
        ("DATABASE_URL", "postgres://db/social"),
        ("SERVER_HOST", "0.0.0.0:8000"),
        ("PICTURES_DIRECTORY", "/var/pictures"),
        ("HANDLE_MAX_LENGTH", "20"),
        ("NAME_MAX_LENGTH", "50"),
        ("VERIFICATION_CODE_LENGTH", "6"),
        // envconfig's bool is Rust's `FromStr` (true/false only); here "on" works too.
        ("SEND_TEST_STARTUP_EMAIL", "on"),
    ])
    .unwrap();
    assert!(app.send_test_startup_email);
    assert_eq!(
        app.pictures_directory,
        std::path::Path::new("/var/pictures")
    );
}

/// A duration the service wrapped in its own `FromStr` newtype to accept `10s` (envconfig);
/// `Duration` fields take that grammar directly.
#[derive(Debug, twelve_factor::Config)]
struct Poller {
    database_url: String,
    #[config(default = "10s")]
    duration: Duration,
}

#[test]
fn poller_duration_needs_no_newtype() {
    let poller = Poller::from_map([("DATABASE_URL", "x")]).unwrap();
    assert_eq!(poller.duration, Duration::from_secs(10));
    let poller = Poller::from_map([("DATABASE_URL", "x"), ("DURATION", "250ms")]).unwrap();
    assert_eq!(poller.duration, Duration::from_millis(250));
}

/// An API with its own bind address and token lifetimes (envconfig): defaults for all but the
/// database and the signing secret.
#[derive(Debug, twelve_factor::Config)]
struct TokenApi {
    #[config(default = "127.0.0.1")]
    api_host: std::net::IpAddr,
    #[config(default = "3000")]
    api_port: u16,
    #[config(env = "DATABASE_URL")]
    db_url: String,
    jwt_secret: Secret<String>,
    #[config(env = "ACCESS_TOKEN_EXPIRE", default = "60")]
    acc_token_exp: i64,
    #[config(env = "REFRESH_TOKEN_EXPIRE", default = "8640000")]
    ref_token_exp: i64,
}

#[test]
fn token_api_secret_is_never_in_the_error_line() {
    let errors = TokenApi::from_map([
        ("DATABASE_URL", "postgres://db/api"),
        ("JWT_SECRET_FILE", "/nonexistent/jwt"),
        ("ACCESS_TOKEN_EXPIRE", "an hour"),
    ])
    .unwrap_err();
    assert_eq!(
        lines(errors),
        [
            r#"cannot read JWT_SECRET_FILE="/nonexistent/jwt": No such file or directory (os error 2)"#,
            r#"invalid ACCESS_TOKEN_EXPIRE="an hour": invalid digit found in string"#,
        ]
    );
    let api = TokenApi::from_map([("DATABASE_URL", "x"), ("JWT_SECRET", "k")]).unwrap();
    assert_eq!(
        (api.api_port, api.acc_token_exp, api.ref_token_exp),
        (3000, 60, 8_640_000)
    );
    assert!(api.api_host.is_loopback());
}

/// Admin credentials read with envy into `secrecy::SecretString` fields, prefix `APP_`.
#[derive(twelve_factor::Config)]
#[config(prefix = "APP_")]
struct AdminAuth {
    admin_user: Secret<String>,
    admin_password: Secret<String>,
}

impl fmt::Debug for AdminAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminAuth")
            .field("admin_user", &self.admin_user)
            .field("admin_password", &self.admin_password)
            .finish()
    }
}

#[test]
fn admin_credentials_are_secrets_end_to_end() {
    let dir = std::env::temp_dir().join(format!("tf-shapes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let password = dir.join("password");
    std::fs::write(&password, "correct horse\n").unwrap();
    let auth = AdminAuth::from_map([
        ("APP_ADMIN_USER", "admin".to_owned()),
        ("APP_ADMIN_PASSWORD_FILE", password.display().to_string()),
    ])
    .unwrap();
    assert_eq!(auth.admin_password.expose(), "correct horse");
    assert_eq!(
        format!("{auth:?}"),
        "AdminAuth { admin_user: Secret([redacted]), admin_password: Secret([redacted]) }"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A matcher service sized by a thread count (envy, prefix `APP_`, serde default functions).
#[derive(Debug, twelve_factor::Config)]
#[config(prefix = "APP_")]
struct Matcher {
    #[config(default = "localhost")]
    host: String,
    #[config(default = "8080")]
    port: u16,
    #[config(default = "4")]
    api_threads: usize,
}

#[test]
fn matcher_prefixed_port_is_its_own_variable() {
    // `APP_PORT` is not the runtime's `PORT`, so the derive accepts it.
    let matcher = Matcher::from_map([("APP_API_THREADS", "8")]).unwrap();
    assert_eq!(
        (matcher.host.as_str(), matcher.port, matcher.api_threads),
        ("localhost", 8080, 8)
    );
}
