//! The rules over effects end to end: each daemonizing shape found, and each look-alike (the
//! same calls doing something a process manager has no quarrel with) never found.

use super::e2e::findings_in;

fn findings(main: &str) -> Vec<String> {
    findings_in(&[("/c/src/main.rs", main)])
}

#[test]
fn dup2_wrappers_called_with_stdout() {
    let text = r#"
fn redirect(fd: i32, to: i32) { unsafe { libc::dup2(fd, to); } }
fn to_log(log: i32, target: i32) { redirect(log, target) }
fn main() {
    redirect(7, 1);
    redirect(7, libc::STDERR_FILENO);
    to_log(7, 2);
    redirect(7, 9);
}
"#;
    assert_eq!(
        findings(text),
        [
            "main.rs:5:5 libc::dup2 (redirect(…), which passes it to libc::dup2)",
            "main.rs:6:5 libc::dup2 (redirect(…), which passes it to libc::dup2)",
            "main.rs:7:5 libc::dup2 (to_log(…), which passes it to libc::dup2)",
        ]
    );
}

#[test]
fn a_wrapper_in_another_module_and_before_its_definition() {
    let files = [
        (
            "/c/src/main.rs",
            "mod io;\nfn main() { io::point(3, libc::STDOUT_FILENO); }",
        ),
        (
            "/c/src/io.rs",
            "pub fn point(from: i32, onto: i32) { nix::unistd::dup2(from, onto).ok(); }",
        ),
    ];
    assert_eq!(
        findings_in(&files),
        ["main.rs:2:13 nix::unistd::dup2 (io::point(…), which passes it to nix::unistd::dup2)"]
    );
}

#[test]
fn macro_assembled_paths() {
    let text = r#"
macro_rules! sys { ($f:ident) => { unsafe { libc::$f() } }; }
macro_rules! quiet { ($f:ident) => { ::nix::unistd::$f() }; }
fn main() {
    sys!(fork);
    quiet!(setsid);
    sys!(getpid);
    paste::paste! { unsafe { libc::[<fo rk>]() } };
}
"#;
    assert_eq!(
        findings(text),
        [
            "main.rs:5:10 libc::fork (sys!(fork), whose body calls libc::$…)",
            "main.rs:6:12 nix::unistd::setsid (quiet!(setsid), whose body calls nix::unistd::$…)",
            "main.rs:8:38 libc::fork (libc::[<…>] (fork))",
        ]
    );
}

#[test]
fn close_then_open_takes_the_standard_descriptor() {
    let text = r#"
fn to_file() {
    unsafe { libc::close(1) };
    let _log = std::fs::File::create("/var/log/app.log");
}
fn to_null() {
    unsafe { libc::close(libc::STDERR_FILENO); libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY); }
}
fn just_close() { unsafe { libc::close(0); } }
fn open_then_close() { let f = std::fs::File::open("x"); unsafe { libc::close(1); } }
fn close_other() { unsafe { libc::close(5); } let _ = std::fs::File::create("y"); }
fn close_and_return(done: bool) {
    if done { unsafe { libc::close(libc::STDOUT_FILENO); } return; }
    let _ = std::fs::OpenOptions::new().write(true).open("out");
}
fn main() {}
"#;
    assert_eq!(
        findings(text),
        [
            "main.rs:3:14 libc::close (libc::close(1), then an open)",
            "main.rs:7:14 libc::close (libc::close(libc::STDERR_FILENO), then an open)",
        ]
    );
}

#[test]
fn clone_flags_decide() {
    let text = r#"
use nix::sched::{clone, CloneFlags};
fn process() { unsafe { libc::syscall(libc::SYS_clone, libc::SIGCHLD, 0, 0, 0, 0); } }
fn new_pid() { unsafe { libc::clone(cb, stack, libc::CLONE_NEWPID | libc::SIGCHLD, std::ptr::null_mut()); } }
fn nix_process() { unsafe { clone(Box::new(|| 0), &mut stack, CloneFlags::empty(), None) }; }
fn thread() { unsafe { libc::syscall(libc::SYS_clone, libc::CLONE_VM | libc::CLONE_THREAD | libc::CLONE_SIGHAND, s, 0, 0, 0); } }
fn unread(flags: i64) { unsafe { libc::syscall(libc::SYS_clone, flags, 0, 0, 0, 0); } }
fn clone3_process() {
    let args = libc::clone_args { flags: 0, exit_signal: libc::SIGCHLD as u64, ..zeroed() };
    unsafe { libc::syscall(libc::SYS_clone3, &args, size) };
}
fn clone3_thread() {
    let args = clone_args { flags: (libc::CLONE_VM | libc::CLONE_THREAD) as u64, ..zeroed() };
    unsafe { libc::syscall(libc::SYS_clone3, &args, size) };
}
const DENY: &[i64] = &[libc::SYS_clone, libc::SYS_clone3];
fn main() { let v = vec![1]; let _ = v.clone(); let _ = std::sync::Arc::clone(&a); }
"#;
    assert_eq!(
        findings(text),
        [
            "main.rs:3:39 libc::SYS_clone",
            "main.rs:4:25 libc::clone",
            "main.rs:5:29 nix::sched::clone (clone)",
            "warn main.rs:7:48 libc::SYS_clone",
            "main.rs:10:28 libc::SYS_clone3",
        ]
    );
}

#[test]
fn the_program_respawned_detached() {
    let text = r#"
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
fn background() -> std::io::Result<()> {
    let exe = std::env::current_exe()?;
    Command::new(exe).arg("--serve").process_group(0).spawn()?;
    Ok(())
}
fn background_exit() {
    let me = std::env::args().next().unwrap();
    let _child = Command::new(me).stdout(Stdio::null()).spawn().unwrap();
    std::process::exit(0);
}
fn kept() -> std::io::Result<std::process::Child> {
    let mut cmd = Command::new(std::env::current_exe()?);
    cmd.process_group(0);
    cmd.spawn()
}
fn waited() -> std::io::Result<()> {
    let status = Command::new(std::env::current_exe()?).process_group(0).status()?;
    let mut child = Command::new(std::env::current_exe()?).stdout(Stdio::null()).spawn()?;
    child.wait()?;
    Ok(())
}
fn attached() -> std::io::Result<()> {
    Command::new(std::env::current_exe()?).arg("--migrate").spawn()?;
    Ok(())
}
fn main() {}
"#;
    assert_eq!(
        findings(text),
        [
            "main.rs:6:55 Command::new(std::env::current_exe…) (spawn() of the program itself with process_group, not waited for, the child dropped)",
            "main.rs:11:57 Command::new(std::env::args…) (spawn() of the program itself with Stdio::null(), not waited for, then the parent exits)",
            "warn main.rs:17:9 Command::new(std::env::current_exe…) (spawn() of the program itself with process_group, not waited for)",
        ]
    );
}

#[test]
fn setsid_and_dup2_in_pre_exec_of_another_program() {
    let text = r#"
use std::os::unix::process::CommandExt;
use std::process::Command;
use nix::unistd::setsid;
fn run() -> std::io::Result<()> {
    let mut cmd = Command::new("/usr/bin/worker");
    unsafe {
        cmd.pre_exec(|| {
            setsid()?;
            libc::dup2(3, 1);
            Ok(())
        });
    }
    cmd.status()?;
    Ok(())
}
fn detach_self() -> std::io::Result<u32> {
    let mut cmd = Command::new(std::env::current_exe()?);
    unsafe { cmd.pre_exec(|| { libc::setsid(); Ok(()) }); }
    Ok(cmd.spawn()?.id())
}
fn main() {}
"#;
    assert_eq!(
        findings(text),
        ["main.rs:20:12 Command::new(std::env::current_exe…) (spawn() of the program itself with setsid or dup2 in pre_exec, not waited for, the child dropped)"]
    );
}

#[test]
fn daemonizing_crates_by_api_shape() {
    let text = r#"
use daemonise::Daemonize;
fn main() {
    Daemonize::new().pid_file("/run/x").start().unwrap();
    fork_daemon::daemonize().unwrap();
    daemonize::Daemonize::new().start().ok();
    systemd::daemon::notify(false, [(systemd::daemon::STATE_READY, "1")].iter()).ok();
}
fn daemonize() {}
fn other() { daemonize(); }
"#;
    assert_eq!(
        findings(text),
        [
            "main.rs:4:5 daemonise::Daemonize (Daemonize::new)",
            "main.rs:5:5 fork_daemon::daemonize",
            "main.rs:6:5 daemonize (daemonize::Daemonize::new)",
        ]
    );
}

/// The look-alikes: each must give no finding at all.
#[test]
fn look_alikes_are_never_found() {
    let cases = [
        // A supervisor: fork, exec a program, wait for it.
        "fn main() { match unsafe { libc::fork() } { 0 => unsafe { libc::execvp(p, a); }, pid => { let mut s = 0; unsafe { libc::waitpid(pid, &mut s, 0) }; } } }",
        "use nix::unistd::{execvp, fork, ForkResult};\nuse nix::sys::wait::waitpid;\nfn run() { match unsafe { fork() } { Ok(ForkResult::Child) => { execvp(&p, &a).ok(); } Ok(ForkResult::Parent { child }) => { waitpid(child, None).ok(); } Err(_) => {} } }\nfn main() {}",
        // A re-exec that is waited on.
        "fn main() { let s = std::process::Command::new(std::env::current_exe().unwrap()).arg(\"--check\").status(); }",
        // A thread through clone.
        "fn main() { unsafe { libc::clone(cb, stack, libc::CLONE_VM | libc::CLONE_FS | libc::CLONE_FILES | libc::CLONE_SIGHAND | libc::CLONE_THREAD, arg) }; }",
        // close(1) with no open after it.
        "fn main() { println!(\"bye\"); unsafe { libc::close(1) }; }",
        // A dup2 wrapper called with descriptors other than 1 and 2.
        "fn pass(fd: i32, to: i32) { unsafe { libc::dup2(fd, to); } }\nfn main() { pass(5, 3); pass(6, 4); }",
        // setsid in pre_exec of another program.
        "use std::os::unix::process::CommandExt;\nfn main() { let mut c = std::process::Command::new(\"sh\"); unsafe { c.pre_exec(|| { libc::setsid(); Ok(()) }); } c.status().ok(); }",
        // Our own `Daemonize` type and `daemonize` function.
        "struct Daemonize;\nimpl Daemonize { fn new() -> Self { Daemonize } }\nfn daemonize() {}\nfn main() { Daemonize::new(); daemonize(); }",
        // A current_exe in a log line, and a child of another program in its own group.
        "use std::os::unix::process::CommandExt;\nfn main() { let me = std::env::current_exe(); let c = std::process::Command::new(\"ls\").process_group(0).spawn(); }",
    ];
    for case in cases {
        assert_eq!(findings(case), Vec::<String>::new(), "{case}");
    }
}

#[test]
fn respawn_through_a_std_process_glob() {
    let text = "use std::process::*;\nfn f() { let me = std::env::current_exe().unwrap(); Command::new(me).stdin(Stdio::null()).spawn().expect(\"x\"); exit(0); }\nfn main() {}";
    assert_eq!(
        findings(text),
        ["main.rs:2:91 Command::new(std::env::current_exe…) (spawn() of the program itself with Stdio::null(), not waited for, then the parent exits)"]
    );
}

/// Deeply nested calls (each argument a call) are read in linear time: long arguments are not
/// searched for stdout, and statement starts are looked for a bounded way back.
#[test]
fn nested_calls_stay_linear() {
    let depth = 40_000;
    let text = format!(
        "fn main() {{ unsafe {{ libc::dup2(3, 4); }} f({}1{}); }}",
        "f(".repeat(depth),
        ")".repeat(depth)
    );
    let started = std::time::Instant::now();
    assert_eq!(findings(&text), Vec::<String>::new());
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}
