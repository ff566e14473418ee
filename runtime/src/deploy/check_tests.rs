//! The check on emitted manifests (clean), then with each drift introduced one at a time.

use crate::deploy::check::check_files;
use crate::deploy::contract::tests::{bare, shop};
use crate::deploy::contract::Contract;
use crate::deploy::emit::{emit, Kind};
use crate::deploy::flags::Flags;
use crate::deploy::output::split_files;

fn files(kind: Kind, contract: &Contract) -> Vec<(String, String)> {
    split_files(&emit(kind, contract, &Flags::default()))
}

/// The drift lines after `edit` on the emitted files of `kind` for the shop.
fn drifts_after(kind: Kind, edit: impl FnOnce(&mut Vec<(String, String)>)) -> Vec<String> {
    let contract = shop();
    let mut files = files(kind, &contract);
    edit(&mut files);
    check_files(&contract, &files)
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Replaces `from` (which must be there) by `to` in the file named `name`.
fn replace(files: &mut [(String, String)], name: &str, from: &str, to: &str) {
    let (_, text) = files.iter_mut().find(|(file, _)| file == name).expect(name);
    assert!(text.contains(from), "{name} lacks {from:?}");
    *text = text.replacen(from, to, 1);
}

fn remove(files: &mut Vec<(String, String)>, name: &str) {
    let before = files.len();
    files.retain(|(file, _)| file != name);
    assert_eq!(files.len(), before - 1, "{name}");
}

/// Exactly one drift, naming `file` and containing `needle`.
fn assert_one(drifts: &[String], file: &str, needle: &str) {
    assert_eq!(drifts.len(), 1, "{drifts:#?}");
    assert!(drifts[0].starts_with(&format!("{file}: ")), "{drifts:#?}");
    assert!(drifts[0].contains(needle), "{needle:?} not in {drifts:#?}");
}

#[test]
fn emitted_manifests_are_clean() {
    for contract in [shop(), bare()] {
        for kind in Kind::ALL {
            if kind == Kind::Kubernetes && !cfg!(feature = "manifest") {
                continue;
            }
            let drifts = check_files(&contract, &files(kind, &contract));
            assert!(drifts.is_empty(), "{kind:?}: {drifts:#?}");
        }
    }
}

#[test]
fn systemd_drifts() {
    let unit = "shop-svc@.service";
    let drifts = drifts_after(Kind::Systemd, |files| {
        replace(files, unit, "RestartPreventExitStatus=78 64", "RestartPreventExitStatus=64")
    });
    assert_one(&drifts, unit, "RestartPreventExitStatus lacks 78");
    let drifts = drifts_after(Kind::Systemd, |files| {
        replace(files, unit, "TimeoutStopSec=30s", "TimeoutStopSec=10s")
    });
    assert_one(&drifts, unit, "TimeoutStopSec (10s) is shorter than SHUTDOWN_DELAY + SHUTDOWN_TIMEOUT (25s)");
    let drifts = drifts_after(Kind::Systemd, |files| {
        replace(files, unit, "[Service]\n", "[Service]\nEnvironment=SHOP_API_TOKEN=hunter2\n")
    });
    assert_one(&drifts, unit, "secret SHOP_API_TOKEN is set as a plain value");
    let drifts = drifts_after(Kind::Systemd, |files| {
        replace(files, unit, "Environment=\"SHOP_DATABASE_URL=<fill in>\"\n", "")
    });
    assert_one(&drifts, unit, "required variable SHOP_DATABASE_URL is not set");
    let drifts = drifts_after(Kind::Systemd, |files| remove(files, "shop-svc-admin.socket"));
    assert_one(&drifts, "shop-svc-http.socket", "no socket unit for listener `admin`");
    let drifts = drifts_after(Kind::Systemd, |files| {
        replace(files, "shop-svc-admin.socket", "ListenStream=9091", "ListenStream=9092")
    });
    assert_one(&drifts, "shop-svc-admin.socket", "set `ListenStream=9091`");
    // A longer drain set in the unit itself needs a longer stop timeout.
    let drifts = drifts_after(Kind::Systemd, |files| {
        replace(files, unit, "SHUTDOWN_TIMEOUT=20s", "SHUTDOWN_TIMEOUT=60s")
    });
    assert_one(&drifts, unit, "(65s); set `TimeoutStopSec=70s`");
}

#[test]
fn procfile_drifts() {
    let drifts = drifts_after(Kind::Procfile, |files| {
        replace(files, "Procfile", "worker: shop-svc worker\n", "")
    });
    assert_one(&drifts, "Procfile", "no line runs process type `worker`");
    let drifts = drifts_after(Kind::Procfile, |files| {
        replace(files, "Procfile", "release: shop-svc release\n", "")
    });
    assert_one(&drifts, "Procfile", "no `release:` line runs the one-off type `release`");
}

#[cfg(feature = "manifest")]
#[test]
fn kubernetes_drifts() {
    let web = "shop-svc-web.deployment.yaml";
    let drifts = drifts_after(Kind::Kubernetes, |files| {
        replace(
            files,
            web,
            "            - name: \"SHOP_DATABASE_URL\"\n              value: \"<fill in>\"\n",
            "",
        )
    });
    assert_one(&drifts, web, "required variable SHOP_DATABASE_URL is not set");
    let drifts = drifts_after(Kind::Kubernetes, |files| {
        replace(
            files,
            web,
            "valueFrom:\n                secretKeyRef:\n                  name: \"shop-svc\"\n                  \
             key: \"SHOP_API_TOKEN\"\n                  optional: false\n",
            "value: hunter2\n",
        )
    });
    assert_one(&drifts, web, "secret SHOP_API_TOKEN is set as a plain value");
    let drifts = drifts_after(Kind::Kubernetes, |files| {
        replace(files, web, "terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: 10")
    });
    assert_one(&drifts, web, "terminationGracePeriodSeconds 10 is shorter");
    let drifts = drifts_after(Kind::Kubernetes, |files| replace(files, web, "path: /readyz", "path: /healthz"));
    assert_one(&drifts, web, "readinessProbe is on path /healthz");
    let drifts = drifts_after(Kind::Kubernetes, |files| replace(files, web, "port: health", "port: http"));
    assert_one(&drifts, web, "livenessProbe is on port 8080; set `livenessProbe.httpGet` to path /livez, port 9000");
    let drifts = drifts_after(Kind::Kubernetes, |files| remove(files, "shop-svc-worker.deployment.yaml"));
    assert_one(&drifts, web, "no Deployment runs process type `worker`");
    let drifts = drifts_after(Kind::Kubernetes, |files| remove(files, "shop-svc-release.job.yaml"));
    assert_one(&drifts, web, "no Job runs process type `release`");
    let service = "shop-svc.service.yaml";
    let drifts = drifts_after(Kind::Kubernetes, |files| {
        replace(files, service, "- name: \"admin\"", "- name: \"adm\"")
    });
    assert_one(&drifts, service, "no Service port named `admin`");
}

#[test]
fn systemd_units_without_a_type_argument_run_the_default_type() {
    let contract = shop();
    let web = "[Service]\nType=notify\nExecStart=/usr/local/bin/shop-svc\nRestartPreventExitStatus=78 64\nTimeoutStopSec=30s\nEnvironment=\"SHOP_DATABASE_URL=postgres://db\"\n";
    let worker = web.replace("shop-svc\n", "shop-svc worker\n");
    let units = [
        ("shop-svc.service".to_owned(), web.to_owned()),
        ("shop-svc-worker.service".to_owned(), worker),
    ];
    let drifts = crate::deploy::check_systemd::check(&contract, &units);
    assert!(
        !drifts.iter().any(|drift| drift.to_string().contains("no unit runs process type")),
        "{drifts:?}"
    );
    // Without the worker's unit, the worker is missing; the one-off release never is.
    let drifts = crate::deploy::check_systemd::check(&contract, &units[..1]);
    let missing: Vec<String> = drifts
        .iter()
        .map(ToString::to_string)
        .filter(|line| line.contains("no unit runs process type"))
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing[0].contains("`worker`"), "{missing:?}");
}
