// `CERT_FILE` is how `CERT` is given as a file, so no field may be called that.
#[derive(twelve_factor::Config)]
struct Settings {
    cert: String,
    cert_file: String,
}

fn main() {}
