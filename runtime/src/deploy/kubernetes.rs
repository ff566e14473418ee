//! Kubernetes manifests: a Deployment per long-running process type (one without types), a Job
//! per one-off type, a Service with a named port per listener.

use crate::cli::ProcessType;
use crate::deploy::contract::{Contract, Value};
use crate::deploy::flags::Flags;
use crate::deploy::output::{file_header, quote};
use std::fmt::Write;

/// The uid and gid the pods run as: not root, and not a uid an image is likely to give a
/// real user (the distroless `nonroot` user's).
pub const RUN_AS: u32 = 65532;

/// The files, one YAML document each, as one stream separated by `---`.
pub fn emit(contract: &Contract, flags: &Flags) -> String {
    let mut documents = Vec::new();
    for kind in contract.long_running() {
        documents.push(deployment(contract, flags, kind));
    }
    for kind in contract.one_off() {
        documents.push(job(contract, flags, kind));
    }
    if contract.serving_type().is_some() || contract.process_types.is_empty() {
        documents.push(service(contract));
    }
    documents.join("---\n")
}

/// The object's name and its component label: `NAME` without types, `NAME-TYPE` with.
fn object(contract: &Contract, kind: Option<&ProcessType>) -> (String, String) {
    match kind {
        None => (contract.name.clone(), "main".to_owned()),
        Some(kind) => (format!("{}-{}", contract.name, kind.name), kind.name.to_owned()),
    }
}

fn labels(out: &mut String, indent: &str, contract: &Contract, component: &str) {
    let _ = writeln!(out, "{indent}app.kubernetes.io/name: {}", quote(&contract.name));
    let _ = writeln!(out, "{indent}app.kubernetes.io/component: {}", quote(component));
}

fn deployment(contract: &Contract, flags: &Flags, kind: Option<&ProcessType>) -> String {
    let (name, component) = object(contract, kind);
    let mut out = file_header(&format!("{name}.deployment.yaml"));
    if let Some(kind) = kind.filter(|kind| !kind.doc.is_empty()) {
        let _ = writeln!(out, "# {}", kind.doc);
    }
    let _ = writeln!(out, "apiVersion: apps/v1\nkind: Deployment\nmetadata:");
    let _ = writeln!(out, "  name: {}\n  labels:", quote(&name));
    labels(&mut out, "    ", contract, &component);
    let _ = writeln!(out, "spec:\n  replicas: {}\n  selector:\n    matchLabels:", flags.replicas());
    labels(&mut out, "      ", contract, &component);
    let _ = writeln!(out, "  template:\n    metadata:\n      labels:");
    labels(&mut out, "        ", contract, &component);
    let _ = writeln!(out, "    spec:");
    pod_spec(&mut out, contract, flags, kind, true);
    out
}

fn job(contract: &Contract, flags: &Flags, kind: &ProcessType) -> String {
    let (name, component) = object(contract, Some(kind));
    let mut out = file_header(&format!("{name}.job.yaml"));
    if !kind.doc.is_empty() {
        let _ = writeln!(out, "# {}", kind.doc);
    }
    let _ = writeln!(out, "apiVersion: batch/v1\nkind: Job\nmetadata:");
    let _ = writeln!(out, "  name: {}\n  labels:", quote(&name));
    labels(&mut out, "    ", contract, &component);
    let _ = writeln!(out, "spec:\n  backoffLimit: 3");
    let _ = writeln!(
        out,
        "  # A bad configuration (78) or usage (64) fails at once: retrying cannot fix it.\n  \
         podFailurePolicy:\n    rules:\n      - action: FailJob\n        onExitCodes:\n          \
         containerName: {}\n          operator: In\n          values: [78, 64]",
        quote(&contract.name)
    );
    let _ = writeln!(out, "  template:\n    metadata:\n      labels:");
    labels(&mut out, "        ", contract, &component);
    let _ = writeln!(out, "    spec:\n      restartPolicy: Never");
    pod_spec(&mut out, contract, flags, Some(kind), false);
    out
}

/// The pod's spec, at the indentation of `template.spec`'s fields.
fn pod_spec(
    out: &mut String,
    contract: &Contract,
    flags: &Flags,
    kind: Option<&ProcessType>,
    long_running: bool,
) {
    let _ = writeln!(
        out,
        "      # Above SHUTDOWN_DELAY + SHUTDOWN_TIMEOUT ({}s) and a margin: the drain is never cut.",
        contract.stop_time().as_secs_f64()
    );
    let _ = writeln!(out, "      terminationGracePeriodSeconds: {}", contract.grace_seconds());
    let _ = writeln!(
        out,
        "      securityContext:\n        runAsNonRoot: true\n        runAsUser: {RUN_AS}\n        \
         runAsGroup: {RUN_AS}\n        seccompProfile:\n          type: RuntimeDefault"
    );
    let _ = writeln!(out, "      containers:");
    let _ = writeln!(out, "        - name: {}", quote(&contract.name));
    let _ = writeln!(out, "          image: {}", quote(&flags.image(contract)));
    if let Some(kind) = kind {
        let _ = writeln!(out, "          args: [{}]", quote(kind.name));
    }
    if long_running {
        let _ = writeln!(out, "          ports:");
        for listener in &contract.listeners {
            let _ = writeln!(
                out,
                "            - name: {}\n              containerPort: {}",
                quote(&listener.name),
                listener.port
            );
        }
        let _ = writeln!(
            out,
            "            - name: health\n              containerPort: {}",
            contract.health_port
        );
    }
    env(out, contract, flags);
    if long_running {
        for (probe, path) in [("livenessProbe", "/livez"), ("readinessProbe", "/readyz")] {
            let _ = writeln!(
                out,
                "          {probe}:\n            httpGet:\n              path: {path}\n              \
                 port: health\n            periodSeconds: 5"
            );
        }
    }
    let _ = writeln!(
        out,
        "          securityContext:\n            allowPrivilegeEscalation: false\n            \
         readOnlyRootFilesystem: true\n            capabilities:\n              drop: [ALL]"
    );
}

fn env(out: &mut String, contract: &Contract, flags: &Flags) {
    let _ = writeln!(out, "          env:");
    let secret = flags.secret(contract);
    for variable in &contract.variables {
        let name = quote(&variable.name);
        if variable.value == Value::Platform {
            continue;
        }
        if variable.secret {
            let optional = variable.value != Value::Required;
            let _ = writeln!(
                out,
                "            # {} (secret)\n            - name: {name}\n              valueFrom:\n                \
                 secretKeyRef:\n                  name: {}\n                  key: {name}\n                  \
                 optional: {optional}",
                variable.doc,
                quote(&secret)
            );
            continue;
        }
        match &variable.value {
            Value::Set(value) => {
                let _ = writeln!(
                    out,
                    "            # {}\n            - name: {name}\n              value: {}",
                    variable.doc,
                    quote(value)
                );
            }
            Value::Required => {
                let _ = writeln!(
                    out,
                    "            # {} (required: fill in)\n            - name: {name}\n              \
                     value: \"<fill in>\"",
                    variable.doc
                );
            }
            Value::Optional => {
                let _ = writeln!(
                    out,
                    "            # {} (optional)\n            # - name: {name}\n            #   value: \"\"",
                    variable.doc
                );
            }
            Value::Platform => {}
        }
    }
}

fn service(contract: &Contract) -> String {
    let mut out = file_header(&format!("{}.service.yaml", contract.name));
    let _ = writeln!(out, "apiVersion: v1\nkind: Service\nmetadata:");
    let _ = writeln!(out, "  name: {}\n  labels:", quote(&contract.name));
    let component = match contract.serving_type() {
        Some(kind) => kind.name.to_owned(),
        None => "main".to_owned(),
    };
    labels(&mut out, "    ", contract, &component);
    let _ = writeln!(out, "spec:\n  selector:");
    labels(&mut out, "    ", contract, &component);
    let _ = writeln!(out, "  ports:");
    for listener in &contract.listeners {
        let _ = writeln!(
            out,
            "    - name: {}\n      port: {}\n      targetPort: {}",
            quote(&listener.name),
            listener.port,
            quote(&listener.name)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::contract::tests::{bare, shop};

    #[test]
    fn one_object_per_type_and_a_service() {
        let text = emit(&shop(), &Flags::default());
        assert_eq!(text.matches("kind: Deployment").count(), 2);
        assert_eq!(text.matches("kind: Job").count(), 1);
        assert_eq!(text.matches("kind: Service").count(), 1);
        assert!(text.contains("# file: shop-svc-web.deployment.yaml\n"));
        assert!(text.contains("args: [\"release\"]"));
        assert!(text.contains("terminationGracePeriodSeconds: 30"));
        assert!(text.contains("- name: \"admin\"\n      port: 9091\n"));
        assert!(text.contains("key: \"SHOP_API_TOKEN\""));
        assert!(!text.contains("LISTEN_FDS"));
        assert!(text.contains("- name: \"SHOP_DATABASE_URL\"\n              value: \"<fill in>\""));
    }

    #[test]
    fn one_deployment_without_types() {
        let text = emit(&bare(), &Flags::default());
        assert_eq!(text.matches("kind: Deployment").count(), 1);
        assert_eq!(text.matches("kind: Job").count(), 0);
        assert!(!text.contains("args:"));
        assert!(text.contains("image: \"hello:latest\""));
    }
}
