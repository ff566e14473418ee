// Running a program with "nohup" as an argument, or a program whose name only contains it.

use std::process::Command;

#[twelve_factor::main]
async fn main() {
    let output = Command::new("echo").arg("nohup").arg("setsid").output();
    assert!(output.is_ok());
    let _ = Command::new("./nohup-report");
}
