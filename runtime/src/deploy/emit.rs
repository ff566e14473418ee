//! [`Kind`] and [`emit`]: the manifests of one kind, from a contract and the flags.

use crate::deploy::contract::Contract;
use crate::deploy::flags::Flags;

/// A kind of manifest the binary can emit and check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Kubernetes: Deployments, Jobs, a Service.
    Kubernetes,
    /// systemd: service, template and socket units.
    Systemd,
    /// A Procfile (Heroku, honcho, foreman).
    Procfile,
}

impl Kind {
    /// Every kind, in the order `TWELVE_FACTOR_MANIFEST` lists them.
    pub const ALL: [Kind; 3] = [Kind::Kubernetes, Kind::Systemd, Kind::Procfile];

    /// The kind named `name` (`kubernetes`, `systemd`, `procfile`).
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// Its name, as `TWELVE_FACTOR_MANIFEST` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Kubernetes => "kubernetes",
            Kind::Systemd => "systemd",
            Kind::Procfile => "procfile",
        }
    }
}

/// The manifests of `kind` for `contract`: several files as one stream, each starting with a
/// line `# file: NAME` (YAML documents also separated by `---`).
pub fn emit(kind: Kind, contract: &Contract, flags: &Flags) -> String {
    match kind {
        Kind::Kubernetes => crate::deploy::kubernetes::emit(contract, flags),
        Kind::Systemd => crate::deploy::systemd::emit(contract, flags),
        Kind::Procfile => crate::deploy::procfile::emit(contract, flags),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(Kind::from_name("helm"), None);
    }
}
