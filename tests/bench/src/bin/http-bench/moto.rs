//! The DynamoDB emulator for the cold-start runs: a given endpoint, or a moto server started
//! from the test virtualenv (`tests/run.sh` installs it into `.venv-tests/`) and stopped on drop.

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::BoxError;

/// A DynamoDB endpoint, possibly owned (then the emulator process is killed on drop).
pub struct Emulator {
    /// `http://127.0.0.1:<port>`.
    pub endpoint: String,
    child: Option<Child>,
}

impl Emulator {
    /// Uses `endpoint` when given, otherwise starts moto on a free port.
    pub fn start(endpoint: Option<String>) -> Result<Emulator, BoxError> {
        if let Some(endpoint) = endpoint {
            return Ok(Emulator { endpoint, child: None });
        }
        let root = crate::workspace_root();
        let python = root.join(".venv-tests/bin/python");
        if !python.exists() {
            return Err(format!(
                "{} is missing: run tests/run.sh once (it installs moto), or pass --dynamodb-endpoint",
                python.display()
            )
            .into());
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new(python)
            .arg(root.join("tests/moto/serve.py"))
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let emulator = Emulator { endpoint: format!("http://127.0.0.1:{port}"), child: Some(child) };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("moto did not start listening within 60 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        println!("started moto (pid {}) on {}", emulator.pid().unwrap_or(0), emulator.endpoint);
        Ok(emulator)
    }

    fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
