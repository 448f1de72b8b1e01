//! What the tests of both boards share — the virtual board (`tests/board`) and the firmware in
//! QEMU (`tests/qemu`) — and the golden harness (`tests/golden.rs`): a client connection to a
//! board's serial port, the real `mpremote`, and the golden tests' `.py`/`.exp` pairs.
//!
//! Each test crate uses part of it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// One client connection to a board's serial port over TCP.
pub struct Conn {
    s: TcpStream,
    /// How long [`Conn::until`] waits before failing the test.
    timeout: Duration,
}

impl Conn {
    /// Connects to `127.0.0.1:port`; `None` while nothing listens there.
    pub fn connect(port: u16, timeout: Duration) -> Option<Conn> {
        let s = TcpStream::connect(("127.0.0.1", port)).ok()?;
        s.set_nodelay(true).ok()?;
        Some(Conn { s, timeout })
    }

    pub fn send(&mut self, data: &[u8]) {
        self.s.write_all(data).expect("the board takes input");
    }

    /// Reads until `end` has arrived and returns all of it, failing the test after the
    /// connection's timeout.
    pub fn until(&mut self, end: &[u8]) -> Vec<u8> {
        let deadline = Instant::now() + self.timeout;
        let mut got = Vec::new();
        let mut b = [0u8; 1];
        while !got.ends_with(end) {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "timed out waiting for {:?}; got {:?}",
                String::from_utf8_lossy(end),
                String::from_utf8_lossy(&got)
            );
            self.s.set_read_timeout(Some(left)).expect("timeout");
            match self.s.read(&mut b) {
                Ok(1) => got.push(b[0]),
                Ok(_) => panic!(
                    "the board closed the connection after {:?}",
                    String::from_utf8_lossy(&got)
                ),
                Err(_) => {}
            }
        }
        got
    }

    /// Everything that arrives within `ms` milliseconds of quiet.
    pub fn drain(&mut self, ms: u64) -> Vec<u8> {
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        self.s
            .set_read_timeout(Some(Duration::from_millis(ms)))
            .expect("timeout");
        while let Ok(n) = self.s.read(&mut buf) {
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        got
    }

    /// Sends `data` and returns the reply up to `end`.
    pub fn ask(&mut self, data: &[u8], end: &[u8]) -> String {
        self.send(data);
        String::from_utf8_lossy(&self.until(end)).into_owned()
    }

    /// Types `line` at the friendly prompt and returns what follows its echo, up to the next
    /// prompt.
    pub fn eval(&mut self, line: &str) -> String {
        let reply = self.ask(format!("{line}\r").as_bytes(), b">>> ");
        let echo = format!("{line}\r\n");
        assert!(reply.starts_with(&echo), "no echo of {line:?}: {reply:?}");
        reply[echo.len()..reply.len() - 4].to_string()
    }

    /// Enters the raw REPL as mpremote does (Ctrl-C first, then Ctrl-A).
    pub fn raw(&mut self) {
        self.send(b"\r\x03");
        self.drain(100);
        self.ask(b"\r\x01", b"raw REPL; CTRL-B to exit\r\n>");
    }

    /// Runs `code` in the raw REPL: (stdout, stderr), line ends as sent.
    pub fn exec(&mut self, code: &str) -> (String, String) {
        self.send(code.as_bytes());
        let reply = self.ask(b"\x04", b"\x04>");
        let body = reply.strip_prefix("OK").expect("OK");
        let mut parts = body.splitn(3, '\x04');
        let out = parts.next().unwrap_or("").to_string();
        let err = parts.next().unwrap_or("").to_string();
        (out, err)
    }
}

/// Checks the raw REPL's framing on any board, in the raw REPL already: output in the first
/// section, a traceback (the line of `<stdin>` that raised) in the second.
pub fn check_raw_repl_frames(c: &mut Conn) {
    assert_eq!(c.exec("print(123)"), ("123\r\n".into(), String::new()));
    let (out, err) = c.exec("print('a')\n1/0");
    assert_eq!(out, "a\r\n");
    assert_eq!(
        err,
        "Traceback (most recent call last):\r\n  File \"<stdin>\", line 2, in <module>\r\n\
         ZeroDivisionError: divide by zero\r\n"
    );
}

/// The `mpremote` command (PyPI, installed by `setup.sh`): on `PATH`, or where
/// `pip install --user` puts it.
pub fn mpremote_command() -> PathBuf {
    let user = PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".local/bin/mpremote");
    if user.exists() {
        return user;
    }
    let found = std::env::var("PATH")
        .unwrap_or_default()
        .split(':')
        .map(|d| PathBuf::from(d).join("mpremote"))
        .find(|p| p.exists());
    found.expect("mpremote is not installed: run ./setup.sh")
}

/// Runs `mpremote connect DEVICE ARGS`: (success, stdout with `\n` line ends, stderr).
pub fn mpremote(device: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(mpremote_command())
        .arg("connect")
        .arg(device)
        .args(args)
        .output()
        .expect("run mpremote");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs mpremote and expects success; its standard output.
pub fn mpremote_ok(device: &str, args: &[&str]) -> String {
    let (success, out, err) = mpremote(device, args);
    assert!(success, "mpremote {args:?} failed:\n{out}\n{err}");
    out
}

/// A fresh, empty folder in the temporary directory, named after `name` and this process.
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("pyrite-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("a temporary folder");
    d
}

/// One golden test: the `.py` file and its expected output.
pub struct Golden {
    /// The path relative to `tests/`, for reports and the filter.
    pub name: String,
    /// The program.
    pub py: PathBuf,
    /// Its expected output.
    pub exp: PathBuf,
}

/// The golden tests: every `.py` under the project's `tests/` with a sibling `.py.exp`, in a
/// stable order, narrowed to the names containing `PYRITE_GOLDEN` when that is set.
pub fn golden_tests() -> Vec<Golden> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests");
    let mut tests = Vec::new();
    collect(&root, &root, &mut tests);
    if let Ok(filter) = std::env::var("PYRITE_GOLDEN") {
        tests.retain(|t| t.name.contains(&filter));
    }
    tests
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<Golden>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "py") {
            let mut exp = path.clone().into_os_string();
            exp.push(".exp");
            let exp = PathBuf::from(exp);
            if exp.is_file() {
                let name = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .into_owned();
                out.push(Golden {
                    name,
                    py: path,
                    exp,
                });
            }
        }
    }
}

/// Describes the first line where `got` and `want` differ.
pub fn first_difference(want: &[u8], got: &[u8]) -> String {
    let want_lines: Vec<&[u8]> = want.split(|&b| b == b'\n').collect();
    let got_lines: Vec<&[u8]> = got.split(|&b| b == b'\n').collect();
    let show = |line: Option<&&[u8]>| match line {
        Some(l) => format!("{:?}", String::from_utf8_lossy(&l[..l.len().min(200)])),
        None => "(end of output)".to_string(),
    };
    for i in 0..want_lines.len().max(got_lines.len()) {
        let (w, g) = (want_lines.get(i), got_lines.get(i));
        if w != g {
            return format!(
                "line {}:\n    expected {}\n    got      {}",
                i + 1,
                show(w),
                show(g)
            );
        }
    }
    "outputs differ".to_string()
}
