//! End-to-end tests of the `pyrite` command's REPL (driven through a pipe, as when stdin is
//! not a terminal) and of Ctrl-C (SIGINT) while a program runs or the REPL waits.

use std::io::Write;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

fn pyrite(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pyrite"));
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs the REPL with `input` on its standard input.
fn repl(args: &[&str], input: &str) -> Output {
    let mut child = pyrite(args).spawn().expect("pyrite starts");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    stdin.write_all(input.as_bytes()).expect("input is written");
    drop(stdin);
    child.wait_with_output().expect("pyrite ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// What the REPL printed after its two banner lines.
fn session(out: &Output) -> String {
    text(&out.stdout)
        .splitn(3, '\n')
        .nth(2)
        .unwrap_or("")
        .to_string()
}

fn send_sigint(child: &Child) {
    let pid = libc::pid_t::try_from(child.id()).expect("pid fits");
    // SAFETY: `kill` only sends a signal to our own child process.
    let rc = unsafe { libc::kill(pid, libc::SIGINT) };
    assert_eq!(rc, 0, "SIGINT sent");
}

#[test]
fn banner_names_pyrite() {
    let out = repl(&[], "");
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("MicroPython v"), "{stdout}");
    assert!(stdout.contains("Pyrite"), "{stdout}");
    assert!(stdout.contains("Use Ctrl-D to exit, Ctrl-E for paste mode"));
    assert!(out.status.success());
}

#[test]
fn expression_value_is_printed() {
    let out = repl(&[], "1+2\n");
    assert_eq!(session(&out), ">>> 3\n>>> \n");
}

#[test]
fn compound_statement_ends_at_an_empty_line() {
    let out = repl(&[], "def f(x):\n    return x * 2\n\nf(21)\n");
    assert_eq!(session(&out), ">>> ... ... >>> 42\n>>> \n");
}

#[test]
fn blank_line_inside_brackets_does_not_end_the_statement() {
    let out = repl(&[], "x = [1,\n\n2]\nx\n");
    assert_eq!(session(&out), ">>> ... ... >>> [1, 2]\n>>> \n");
}

#[test]
fn exception_prints_traceback_and_the_repl_goes_on() {
    let out = repl(&[], "1/0\nprint('after')\n");
    assert_eq!(session(&out), ">>> >>> after\n>>> \n");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("Traceback (most recent call last):"),
        "{stderr}"
    );
    assert!(
        stderr.contains("ZeroDivisionError: divide by zero"),
        "{stderr}"
    );
    assert!(out.status.success());
}

#[test]
fn small_heap_list_comprehension() {
    let out = repl(&["-X", "heapsize=16384"], "[i * i for i in range(50)]\n");
    let squares: Vec<String> = (0..50).map(|i| (i * i).to_string()).collect();
    let expected = format!(">>> [{}]\n>>> \n", squares.join(", "));
    assert_eq!(session(&out), expected, "stderr: {}", text(&out.stderr));
}

#[test]
fn paste_mode_runs_the_text_as_a_file() {
    let out = repl(
        &[],
        "\x05\nfor i in range(2):\n    print(i)\n1 + 1\n\x04\n'done'\n",
    );
    assert_eq!(
        session(&out),
        ">>> \npaste mode; Ctrl-C to cancel, Ctrl-D to finish\n=== === === === \n0\n1\n>>> 'done'\n>>> \n"
    );
}

#[test]
fn ctrl_d_on_an_empty_line_exits() {
    let out = repl(&[], "\x04\nprint('not run')\n");
    assert_eq!(session(&out), ">>> \n");
    assert!(out.status.success());
}

#[test]
fn sys_exit_leaves_with_its_status() {
    let out = repl(&[], "import sys\nsys.exit(3)\nprint('not run')\n");
    assert_eq!(out.status.code(), Some(3));
    assert!(!text(&out.stdout).contains("not run"));
}

#[test]
fn sigint_interrupts_a_script() {
    let path = std::env::temp_dir().join(format!("pyrite-sigint-{}.py", std::process::id()));
    std::fs::write(&path, "while True:\n    pass\n").expect("script written");
    let child = pyrite(&[path.to_str().expect("UTF-8 path")])
        .spawn()
        .expect("pyrite starts");
    std::thread::sleep(Duration::from_millis(300));
    send_sigint(&child);
    let out = child.wait_with_output().expect("pyrite ends");
    let _ = std::fs::remove_file(&path);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("KeyboardInterrupt"), "{stderr}");
    // MicroPython's unix port exits with 128 + SIGINT after an uncaught KeyboardInterrupt.
    assert_eq!(out.status.code(), Some(130), "{stderr}");
}

#[test]
fn sigint_interrupts_a_loop_and_the_repl_goes_on() {
    let mut child = pyrite(&[]).spawn().expect("pyrite starts");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    stdin
        .write_all(b"while True:\n    pass\n\n")
        .expect("input is written");
    std::thread::sleep(Duration::from_millis(300));
    send_sigint(&child);
    std::thread::sleep(Duration::from_millis(100));
    stdin
        .write_all(b"print('after')\n")
        .expect("input is written");
    drop(stdin);
    let out = child.wait_with_output().expect("pyrite ends");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("KeyboardInterrupt"), "{stderr}");
    assert_eq!(session(&out), ">>> ... ... >>> after\n>>> \n");
    assert!(out.status.success());
}

#[test]
fn sigint_while_waiting_for_a_line_gives_a_fresh_prompt() {
    let mut child = pyrite(&[]).spawn().expect("pyrite starts");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    std::thread::sleep(Duration::from_millis(300));
    send_sigint(&child);
    std::thread::sleep(Duration::from_millis(100));
    stdin.write_all(b"6 * 7\n").expect("input is written");
    drop(stdin);
    let out = child.wait_with_output().expect("pyrite ends");
    assert_eq!(session(&out), ">>> \n>>> 42\n>>> \n");
    assert!(out.status.success());
}

// ---- on a terminal: the line editor, through a pseudo-terminal ----

/// A `pyrite` REPL whose standard streams are a pseudo-terminal; `master` is the keyboard and
/// the screen.
struct Tty {
    child: Child,
    master: std::fs::File,
}

impl Tty {
    fn start() -> Tty {
        use std::os::fd::FromRawFd;
        let (mut master, mut slave) = (0, 0);
        // SAFETY: `openpty` fills the two descriptors; the name, termios and size are optional.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(rc, 0, "openpty");
        // SAFETY: both descriptors are fresh and owned by nothing else.
        let (master, slave) = unsafe {
            (
                std::fs::File::from_raw_fd(master),
                std::fs::File::from_raw_fd(slave),
            )
        };
        let child = Command::new(env!("CARGO_BIN_EXE_pyrite"))
            .stdin(slave.try_clone().expect("dup"))
            .stdout(slave.try_clone().expect("dup"))
            .stderr(slave)
            .spawn()
            .expect("pyrite starts");
        Tty { child, master }
    }

    /// Types `keys`, then returns the screen output up to and including `until`.
    fn type_until(&mut self, keys: &[u8], until: &str) -> String {
        use std::io::Read;
        use std::os::fd::AsRawFd;
        self.master.write_all(keys).expect("keys typed");
        let mut seen = Vec::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !text(&seen).contains(until) {
            let mut poll = libc::pollfd {
                fd: self.master.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd.
            let ready = unsafe { libc::poll(&mut poll, 1, 100) };
            if ready > 0 {
                let mut buf = [0; 4096];
                match self.master.read(&mut buf) {
                    Ok(n) if n > 0 => seen.extend_from_slice(&buf[..n]),
                    _ => break,
                }
            }
            assert!(
                std::time::Instant::now() < deadline,
                "waited for {until:?}, saw {:?}",
                text(&seen)
            );
        }
        text(&seen)
    }
}

impl Drop for Tty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn terminal_auto_indent_history_and_exit() {
    let mut tty = Tty::start();
    tty.type_until(b"", ">>> ");
    // After a `:` the continuation line starts one level in; Enter on it ends the block.
    let screen = tty.type_until(b"def f(x):\r", "...     ");
    assert!(screen.ends_with("def f(x):\r\n...     "), "{screen:?}");
    tty.type_until(b"return x + 1\r", "...     ");
    tty.type_until(b"\r", ">>> ");
    let screen = tty.type_until(b"f(41)\r", ">>> ");
    assert!(screen.contains("42\r\n"), "{screen:?}");
    // Up recalls `f(41)`; Left twice, Backspace and `5` edit it into `f(51)`.
    let screen = tty.type_until(b"\x1b[A\x1b[D\x1b[D\x7f5\r", ">>> ");
    assert!(screen.contains("52\r\n"), "{screen:?}");
    // Ctrl-C abandons a line; Ctrl-E and Ctrl-D run a paste; Ctrl-D leaves.
    tty.type_until(b"1/0\x03", ">>> ");
    tty.type_until(b"\x05", "=== ");
    let screen = tty.type_until(b"for i in (1, 2):\r    print(i * 10)\r\x04", ">>> ");
    assert!(screen.contains("10\r\n20\r\n"), "{screen:?}");
    tty.type_until(b"\x04", "\r\n");
    let status = tty.child.wait().expect("pyrite ends");
    assert!(status.success());
}
