//! systemd units: a service (a template `NAME@.service` when there are process types, plus a
//! `NAME-TYPE.service` per one-off type) and a socket unit per listener.

use crate::cli::ProcessType;
use crate::deploy::contract::{Contract, Value, NO_RESTART_EXIT_CODES};
use crate::deploy::flags::Flags;
use crate::deploy::output::{file_header, quote};
use std::fmt::Write;

/// The units, one after another.
pub fn emit(contract: &Contract, flags: &Flags) -> String {
    let mut out = String::new();
    if contract.process_types.is_empty() {
        out.push_str(&service(contract, flags, None));
    } else {
        if contract.serving_type().is_some() {
            out.push_str(&service(contract, flags, Some("%i")));
        }
        for kind in contract.one_off() {
            out.push_str(&one_off(contract, flags, kind));
        }
    }
    if let Some(unit) = serving_unit(contract) {
        for listener in &contract.listeners {
            let _ = write!(
                out,
                "{}[Unit]\nDescription={} {} socket\n\n[Socket]\nListenStream={}\n\
                 FileDescriptorName={}\nService={unit}\n\n[Install]\nWantedBy=sockets.target\n",
                file_header(&socket_unit(contract, &listener.name)),
                contract.name,
                listener.name,
                listener.port,
                listener.name,
            );
        }
    }
    out
}

/// The unit a listener's socket starts: `NAME.service`, or the serving type's instance.
pub fn serving_unit(contract: &Contract) -> Option<String> {
    if contract.process_types.is_empty() {
        return Some(format!("{}.service", contract.name));
    }
    contract
        .serving_type()
        .map(|kind| format!("{}@{}.service", contract.name, kind.name))
}

/// The socket unit of listener `name`.
pub fn socket_unit(contract: &Contract, name: &str) -> String {
    format!("{}-{name}.socket", contract.name)
}

/// The long-running service; `instance` is `%i` in the template unit.
fn service(contract: &Contract, flags: &Flags, instance: Option<&str>) -> String {
    let (file, description, args) = match instance {
        None => (format!("{}.service", contract.name), contract.name.clone(), String::new()),
        Some(instance) => (
            format!("{}@.service", contract.name),
            format!("{} {instance}", contract.name),
            format!(" {instance}"),
        ),
    };
    let mut out = file_header(&file);
    let codes: Vec<String> = NO_RESTART_EXIT_CODES.iter().map(i32::to_string).collect();
    let sockets: Vec<String> = contract
        .listeners
        .iter()
        .map(|listener| socket_unit(contract, &listener.name))
        .collect();
    let _ = write!(
        out,
        "[Unit]\nDescription={description}\nAfter=network-online.target\n\
         Wants=network-online.target\n\n[Service]\n\
         # READY=1 once the listener is bound; STOPPING=1 when the stop begins.\n\
         Type=notify\nExecStart={}{args}\n\
         # The sockets of the socket units, when they are started; without them the service binds.\n\
         Sockets={}\n\
         # Not after a bad configuration (78) or usage (64): a restart cannot fix them.\n\
         Restart=always\nRestartSec=1s\nRestartPreventExitStatus={}\n\
         # Above SHUTDOWN_DELAY + SHUTDOWN_TIMEOUT ({}s) and a margin.\nTimeoutStopSec={}s\n",
        flags.systemd_exec(contract),
        sockets.join(" "),
        codes.join(" "),
        contract.stop_time().as_secs_f64(),
        contract.grace_seconds(),
    );
    environment(&mut out, contract, flags);
    hardening(&mut out);
    out
}

fn one_off(contract: &Contract, flags: &Flags, kind: &ProcessType) -> String {
    let mut out = file_header(&format!("{}-{}.service", contract.name, kind.name));
    let codes: Vec<String> = NO_RESTART_EXIT_CODES.iter().map(i32::to_string).collect();
    let _ = write!(
        out,
        "[Unit]\nDescription={} {}{}\nAfter=network-online.target\n\
         Wants=network-online.target\n\n[Service]\n# A one-off process: it runs to completion.\n\
         Type=oneshot\nExecStart={} {}\nRestartPreventExitStatus={}\nTimeoutStopSec={}s\n",
        contract.name,
        kind.name,
        if kind.doc.is_empty() {
            String::new()
        } else {
            format!(": {}", kind.doc)
        },
        flags.systemd_exec(contract),
        kind.name,
        codes.join(" "),
        contract.grace_seconds(),
    );
    environment(&mut out, contract, flags);
    hardening(&mut out);
    out
}

fn environment(out: &mut String, contract: &Contract, flags: &Flags) {
    let folder = flags.secret(contract);
    for variable in &contract.variables {
        let name = &variable.name;
        if variable.value == Value::Platform {
            continue;
        }
        if variable.secret {
            // A missing credential fails the start: an optional secret is left to uncomment.
            let (note, off) = if variable.value == Value::Required {
                ("", "")
            } else {
                (", optional", "#")
            };
            let _ = write!(
                out,
                "# {} (secret{note}, read from the credential)\n\
                 {off}LoadCredential={name}:/etc/credstore/{folder}/{name}\n\
                 {off}Environment={name}_FILE=%d/{name}\n",
                variable.doc
            );
            continue;
        }
        match &variable.value {
            Value::Set(value) => {
                let _ = write!(
                    out,
                    "# {}\nEnvironment={}\n",
                    variable.doc,
                    quote(&format!("{name}={}", value.replace('%', "%%")))
                );
            }
            Value::Required => {
                let _ = write!(
                    out,
                    "# {} (required: fill in)\nEnvironment=\"{name}=<fill in>\"\n",
                    variable.doc
                );
            }
            Value::Optional => {
                let _ = write!(out, "# {} (optional)\n#Environment={name}=\n", variable.doc);
            }
            Value::Platform => {}
        }
    }
}

fn hardening(out: &mut String) {
    out.push_str(
        "DynamicUser=yes\nNoNewPrivileges=yes\nProtectSystem=strict\nProtectHome=yes\n\
         PrivateTmp=yes\n\n[Install]\nWantedBy=multi-user.target\n",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::contract::tests::{bare, shop};

    #[test]
    fn template_one_offs_and_sockets() {
        let text = emit(&shop(), &Flags::default());
        assert!(text.contains("# file: shop-svc@.service\n"));
        assert!(text.contains("ExecStart=/usr/local/bin/shop-svc %i\n"));
        assert!(text.contains("# file: shop-svc-release.service\n"));
        assert!(text.contains("Type=oneshot\nExecStart=/usr/local/bin/shop-svc release\n"));
        assert!(text.contains("ListenStream=9091\nFileDescriptorName=admin\nService=shop-svc@web.service\n"));
        assert!(text.contains("RestartPreventExitStatus=78 64\n"));
        assert!(text.contains("TimeoutStopSec=30s\n"));
        assert!(text.contains("LoadCredential=SHOP_API_TOKEN:/etc/credstore/shop-svc/SHOP_API_TOKEN\n"));
        assert!(text.contains("Environment=SHOP_API_TOKEN_FILE=%d/SHOP_API_TOKEN\n"));
        assert!(text.contains("Environment=\"SHOP_WORKERS=4\"\n"));
    }

    #[test]
    fn one_unit_without_types() {
        let text = emit(&bare(), &Flags::default());
        assert_eq!(text.matches("# file: ").count(), 2);
        assert!(text.contains("# file: hello.service\n"));
        assert!(text.contains("# file: hello-http.socket\n"));
    }
}
