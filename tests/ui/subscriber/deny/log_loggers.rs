// `log` loggers. The attribute routes `log` records into its own subscriber, so installing a
// `log` logger conflicts too. These crates are not dependencies of the ui tests: the calls stand
// in a `macro_rules!` body that is never invoked, which the detector reads like any code.

#[allow(unused_macros)]
macro_rules! setups {
    () => {
        env_logger::init();
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
        pretty_env_logger::init();
        simple_logger::SimpleLogger::new().with_level(log::LevelFilter::Info).init().unwrap();
        tracing_log::LogTracer::init().expect("log tracer");
        log::set_logger(&LOGGER).map(|()| log::set_max_level(log::LevelFilter::Info));
        console_subscriber::init();
    };
}

#[twelve_factor::main]
async fn main() {}
