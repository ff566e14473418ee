//! [`Flags`]: what the emitted manifests take from the environment at emit time besides the
//! contract: the image, the replicas, the binary's path, the Secret's name.

use crate::deploy::contract::Contract;

/// The emit-time settings, each from a `TWELVE_FACTOR_*` variable.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    /// `TWELVE_FACTOR_IMAGE`: the container image (default: the contract's, `NAME:latest`).
    pub image: Option<String>,
    /// `TWELVE_FACTOR_REPLICAS`: the replicas of each long-running Deployment (default 1).
    pub replicas: Option<u32>,
    /// `TWELVE_FACTOR_EXEC`: the command that starts the binary, in systemd's `ExecStart=`
    /// (default `/usr/local/bin/NAME`) and in the Procfile (default `NAME`).
    pub exec: Option<String>,
    /// `TWELVE_FACTOR_SECRET`: the Kubernetes Secret holding the secret variables, and the
    /// folder under `/etc/credstore/` holding systemd's credentials (default `NAME`).
    pub secret: Option<String>,
}

/// The flag variables, with what each sets, for the docs and the error lines.
pub const FLAG_VARIABLES: [(&str, &str); 4] = [
    ("TWELVE_FACTOR_IMAGE", "container image (Kubernetes)"),
    ("TWELVE_FACTOR_REPLICAS", "replicas of each long-running Deployment"),
    ("TWELVE_FACTOR_EXEC", "command that starts the binary (systemd, Procfile)"),
    ("TWELVE_FACTOR_SECRET", "Secret name (Kubernetes), credential folder (systemd)"),
];

impl Flags {
    /// Reads the flags through `var`; a bad value is a line in the second list (and the
    /// default is used).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> (Flags, Vec<String>) {
        let mut problems = Vec::new();
        let non_empty = |name: &str| var(name).filter(|value| !value.trim().is_empty());
        let replicas = non_empty("TWELVE_FACTOR_REPLICAS").and_then(|text| {
            let parsed = text.trim().parse::<u32>().ok();
            if parsed.is_none() {
                problems.push(format!(
                    "invalid TWELVE_FACTOR_REPLICAS={text:?}: expected a whole number; using 1"
                ));
            }
            parsed
        });
        let flags = Flags {
            image: non_empty("TWELVE_FACTOR_IMAGE"),
            replicas,
            exec: non_empty("TWELVE_FACTOR_EXEC"),
            secret: non_empty("TWELVE_FACTOR_SECRET"),
        };
        (flags, problems)
    }

    /// The container image.
    pub fn image(&self, contract: &Contract) -> String {
        self.image.clone().unwrap_or_else(|| contract.image.clone())
    }

    /// The replicas of each long-running Deployment.
    pub fn replicas(&self) -> u32 {
        self.replicas.unwrap_or(1)
    }

    /// The command in systemd's `ExecStart=`.
    pub fn systemd_exec(&self, contract: &Contract) -> String {
        self.exec
            .clone()
            .unwrap_or_else(|| format!("/usr/local/bin/{}", contract.name))
    }

    /// The command in the Procfile.
    pub fn procfile_exec(&self, contract: &Contract) -> String {
        self.exec.clone().unwrap_or_else(|| contract.name.clone())
    }

    /// The Kubernetes Secret / credential folder name.
    pub fn secret(&self, contract: &Contract) -> String {
        self.secret.clone().unwrap_or_else(|| contract.name.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_reports() {
        let (flags, problems) = Flags::from_vars(|name| match name {
            "TWELVE_FACTOR_IMAGE" => Some("registry/shop:1.2".into()),
            "TWELVE_FACTOR_REPLICAS" => Some("three".into()),
            "TWELVE_FACTOR_EXEC" => Some(" ".into()),
            _ => None,
        });
        assert_eq!(flags.image.as_deref(), Some("registry/shop:1.2"));
        assert_eq!(flags.replicas(), 1);
        assert_eq!(flags.exec, None);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("TWELVE_FACTOR_REPLICAS"));
    }
}
