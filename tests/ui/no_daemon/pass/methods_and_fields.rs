// Methods and fields named fork, daemon, setsid.

struct Job {
    fork: bool,
    daemon: Option<String>,
    setsid: u8,
}

impl Job {
    fn fork(&self) -> Job {
        Job { fork: !self.fork, daemon: self.daemon.clone(), setsid: self.setsid }
    }
    fn setsid(&mut self) {
        self.setsid += 1;
    }
    fn daemon(&self) -> Option<&str> {
        self.daemon.as_deref()
    }
}

#[twelve_factor::main]
async fn main() {
    let job = Job { fork: false, daemon: None, setsid: 0 };
    let mut copy = job.fork();
    copy.setsid();
    assert!(copy.fork && copy.daemon().is_none() && copy.setsid == 1);
}
