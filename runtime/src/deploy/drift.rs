//! [`Drift`]: one way a manifest departs from the contract; and [`Effective`], the contract's
//! values as one manifest overrides them through its own environment.

use crate::deploy::contract::Contract;
use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

/// One drift: the file, and what to change in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drift {
    /// The file (or folder) it is in.
    pub file: String,
    /// What is wrong and what to change.
    pub message: String,
}

impl Drift {
    /// A drift in `file`.
    pub fn new(file: &str, message: impl Into<String>) -> Drift {
        Drift {
            file: file.to_owned(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

/// The values a process started from one manifest would run with: the manifest's own
/// `HEALTH_PORT`, ports and stop timing where it sets them, else the contract's.
pub struct Effective {
    /// `HEALTH_PORT`.
    #[cfg_attr(not(feature = "manifest"), allow(dead_code))] // probes are Kubernetes'
    pub health_port: u16,
    /// `SHUTDOWN_DELAY + SHUTDOWN_TIMEOUT`.
    pub stop_time: Duration,
    ports: HashMap<String, u16>,
}

impl Effective {
    /// The values under `env`, the variables the manifest sets to plain values.
    pub fn new(contract: &Contract, env: &HashMap<String, String>) -> Effective {
        let port = |name: &str| env.get(name).and_then(|text| text.trim().parse::<u16>().ok());
        let duration = |name: &str, default: Duration| {
            env.get(name)
                .and_then(|text| crate::config::duration::parse(text.trim()))
                .unwrap_or(default)
        };
        let ports = contract
            .listeners
            .iter()
            .map(|listener| {
                (
                    listener.name.clone(),
                    port(&listener.env).unwrap_or(listener.port),
                )
            })
            .collect();
        Effective {
            health_port: port("HEALTH_PORT").unwrap_or(contract.health_port),
            stop_time: duration("SHUTDOWN_DELAY", contract.shutdown_delay)
                .saturating_add(duration("SHUTDOWN_TIMEOUT", contract.shutdown_timeout)),
            ports,
        }
    }

    /// The port of listener `name`.
    pub fn port(&self, name: &str) -> u16 {
        self.ports.get(name).copied().unwrap_or(0)
    }

    /// The stop time in whole seconds, rounded up.
    pub fn stop_seconds(&self) -> u64 {
        self.stop_time.as_secs() + u64::from(self.stop_time.subsec_nanos() > 0)
    }
}
