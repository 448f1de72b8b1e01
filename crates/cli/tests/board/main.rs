//! The virtual board (`pyrite --board`) driven over TCP: the REPL protocols byte for byte,
//! Ctrl-C, soft reset with `boot.py`/`main.py`, garbage on the wire, and the real `mpremote`.

mod mpremote;
#[path = "../support/mod.rs"]
mod support;

use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use support::Conn;

/// A running virtual board; killed when dropped.
pub struct Board {
    child: Child,
    /// The TCP port (0 on a pty).
    pub port: u16,
    /// What `mpremote connect` takes: `socket://127.0.0.1:PORT` or `/dev/pts/N`.
    pub device: String,
    pub fs: PathBuf,
    /// What the board printed on standard error after its first line (hardware events).
    pub log: std::sync::Arc<std::sync::Mutex<String>>,
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

impl Board {
    /// Starts a board on TCP on a fresh folder, with `extra` arguments.
    pub fn start(extra: &[&str]) -> Board {
        Board::start_on("tcp:127.0.0.1:0", extra)
    }

    /// Starts a board on a fresh folder, serving `serial` (`tcp:...` or `pty`).
    pub fn start_on(serial: &str, extra: &[&str]) -> Board {
        let fs = std::env::temp_dir().join(format!(
            "pyrite-board-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&fs);
        std::fs::create_dir_all(&fs).unwrap();
        Board::launch(fs, serial, extra)
    }

    /// Starts a board on TCP whose storage is `fs` (a folder or an image file).
    pub fn launch(fs: PathBuf, serial: &str, extra: &[&str]) -> Board {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pyrite"))
            .args(["--board", serial, "--fs"])
            .arg(&fs)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start pyrite --board");
        let mut err = child.stderr.take().unwrap();
        // The first line names the port.
        let mut line = Vec::new();
        let mut b = [0u8; 1];
        while err.read(&mut b).unwrap_or(0) == 1 && b[0] != b'\n' {
            line.push(b[0]);
        }
        let line = String::from_utf8_lossy(&line).into_owned();
        let Some(at) = line.strip_prefix("pyrite board: listening on ") else {
            panic!("unexpected first line {line:?}");
        };
        let (port, device) = match at.strip_prefix("pty:") {
            Some(pty) => (0, pty.to_string()),
            None => {
                let port: u16 = at.rsplit(':').next().and_then(|p| p.parse().ok()).unwrap();
                (port, format!("socket://127.0.0.1:{port}"))
            }
        };
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let sink = log.clone();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(err).lines() {
                let Ok(line) = line else { break };
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        Board {
            child,
            port,
            device,
            fs,
            log,
        }
    }

    /// A new connection to the board's serial port.
    pub fn connect(&self) -> Conn {
        Conn::connect(self.port, Duration::from_secs(10)).expect("the board listens")
    }
}

impl Board {
    /// Waits until the board's log (its standard error) holds `line`.
    pub fn wait_log(&self, line: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.log.lock().unwrap().lines().any(|l| l == line) {
            assert!(
                Instant::now() < deadline,
                "no {line:?} in the board's log:\n{}",
                self.log.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Board {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if self.fs.is_dir() {
            let _ = std::fs::remove_dir_all(&self.fs);
        }
    }
}

impl Conn {
    /// Asks for the banner (Ctrl-B) and reads until the board is quiet: the boot banner may
    /// also arrive, if the client connected before the board printed it.
    pub fn greet(&mut self) -> String {
        self.send(b"\x02");
        let mut got = self.until(b">>> ");
        got.extend(self.drain(200));
        String::from_utf8_lossy(&got).into_owned()
    }
}

#[test]
fn friendly_repl_answers_the_seed_examples() {
    let board = Board::start(&[]);
    let mut c = board.connect();
    // A client arrives after the boot banner: Ctrl-B shows it again.
    let banner = c.greet();
    assert!(banner.contains("MicroPython v1.29.0 (Pyrite"), "{banner:?}");
    assert!(banner.contains("Type \"help()\" for more information.\r\n"));
    for (input, answer) in [
        ("123", "123"),
        (
            "1 << 160",
            "1461501637330902918203684832716283019655932542976",
        ),
        ("1.23e6", "1230000.0"),
        ("(1 + 2j) * 4j", "(-8+4j)"),
    ] {
        let reply = c.ask(format!("{input}\r").as_bytes(), b">>> ");
        assert_eq!(reply, format!("{input}\r\n{answer}\r\n>>> "));
    }
    // A compound statement: auto-indent, then a blank line runs it.
    assert_eq!(
        c.ask(b"for i in range(2):\r", b"...     "),
        "for i in range(2):\r\n...     "
    );
    assert_eq!(c.ask(b"print(i)\r", b"...     "), "print(i)\r\n...     ");
    assert_eq!(c.ask(b"\r", b">>> "), "\r\n0\r\n1\r\n>>> ");
    // Errors are tracebacks, and the REPL goes on.
    let reply = c.ask(b"1/0\r", b">>> ");
    assert!(
        reply.contains("ZeroDivisionError: divide by zero\r\n>>> "),
        "{reply:?}"
    );
    // Ctrl-C abandons a line.
    assert_eq!(c.ask(b"abc\x03", b">>> "), "abc\r\n>>> ");
}

#[test]
fn friendly_repl_edits_lines_and_completes_names() {
    let board = Board::start(&[]);
    let mut c = board.connect();
    c.greet();
    // Left arrow twice, then insert: "1+23" becomes "1+423".
    let reply = c.ask(b"1+23\x1b[D\x1b[D4\r", b">>> ");
    assert!(reply.ends_with("\r\n424\r\n>>> "), "{reply:?}");
    // History: Up recalls the last line.
    let reply = c.ask(b"\x1b[A\r", b">>> ");
    assert!(reply.ends_with("\r\n424\r\n>>> "), "{reply:?}");
    // Tab completes a unique name, and lists several.
    c.ask(b"my_long_variable = 7\r", b">>> ");
    assert_eq!(c.ask(b"my_lo\t", b"variable"), "my_long_variable");
    assert_eq!(c.ask(b"\r", b">>> "), "\r\n7\r\n>>> ");
    c.send(b"import sys\r");
    c.until(b">>> ");
    let reply = c.ask(b"sys.std\t", b"\r\n>>> sys.std");
    assert!(reply.contains("stderr") && reply.contains("stdin") && reply.contains("stdout"));
    let at = |name: &str| reply.find(name);
    assert!(
        at("stderr") < at("stdin") && at("stdin") < at("stdout"),
        "{reply:?}"
    );
    c.send(b"\x03");
    c.until(b">>> ");
    // A global that shadows a builtin is one name: it completes.
    c.ask(b"len = 3\r", b">>> ");
    assert_eq!(c.ask(b"le\t", b"len"), "len");
    assert_eq!(c.ask(b"\r", b">>> "), "\r\n3\r\n>>> ");
}

#[test]
fn paste_mode_runs_the_whole_text() {
    let board = Board::start(&[]);
    let mut c = board.connect();
    c.greet();
    let reply = c.ask(b"\x05", b"=== ");
    assert_eq!(
        reply,
        "\r\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== "
    );
    let reply = c.ask(b"def f():\r    return 42\r\rprint(f())\x04", b">>> ");
    assert_eq!(
        reply,
        "def f():\r\n===     return 42\r\n=== \r\n=== print(f())\r\n42\r\n>>> "
    );
    // Ctrl-C cancels it.
    c.ask(b"\x05", b"=== ");
    assert_eq!(c.ask(b"print(1)\x03", b">>> "), "print(1)\r\n>>> ");
}

#[test]
fn raw_repl_frames_output_and_errors() {
    let board = Board::start(&[]);
    let mut c = board.connect();
    c.raw();
    support::check_raw_repl_frames(&mut c);
    // A syntax error is reported the same way.
    let (_, err) = c.exec("1 +");
    assert!(err.contains("SyntaxError"), "{err:?}");
    // A file name with a NUL byte is an error, not a crash.
    let (_, err) = c.exec("open('a\\x00b', 'w')");
    assert!(err.contains("Error"), "{err:?}");
    // Ctrl-C before Ctrl-D throws the program away.
    c.send(b"print('never')\x03");
    assert_eq!(c.exec("print('kept')"), ("kept\r\n".into(), String::new()));
    // Ctrl-A again: the raw REPL restarts; Ctrl-B goes back to the friendly REPL.
    assert_eq!(c.ask(b"\x01", b">"), "raw REPL; CTRL-B to exit\r\n>");
    let reply = c.ask(b"\x02", b">>> ");
    assert!(reply.starts_with("\r\nMicroPython"), "{reply:?}");
}

#[test]
fn raw_paste_mode_grants_windows_and_runs() {
    let board = Board::start(&[]);
    let mut c = board.connect();
    c.raw();
    // The example of MicroPython's documentation, byte for byte.
    c.send(b"\x05A\x01");
    assert_eq!(c.until(b"\x01\x80\x00\x01"), b"R\x01\x80\x00\x01");
    c.send(b"print(123)\x04");
    assert_eq!(c.until(b"\x04>"), b"\x04123\r\n\x04\x04>");
    // A program longer than two windows: the board grants one window per 128 bytes taken.
    let mut program = String::new();
    for i in 0..40 {
        program.push_str(&format!("x{i} = {i}  # padding to make the line longer\n"));
    }
    program.push_str("print(x39)\n");
    c.send(b"\x05A\x01");
    c.until(b"R\x01\x80\x00\x01");
    let mut window = 256usize;
    let mut sent = 0;
    let bytes = program.as_bytes();
    let mut grants = 0;
    while sent < bytes.len() {
        if window == 0 {
            assert_eq!(c.until(b"\x01"), b"\x01");
            window += 128;
            grants += 1;
        }
        let n = window.min(bytes.len() - sent);
        c.send(&bytes[sent..sent + n]);
        sent += n;
        window -= n;
    }
    c.send(b"\x04");
    let reply = c.until(b"\x04>");
    let text = String::from_utf8_lossy(&reply);
    assert!(text.ends_with("\x0439\r\n\x04\x04>"), "{text:?}");
    assert!(grants >= 1);
    // An unknown raw-paste command is refused.
    assert_eq!(c.ask(b"\x05B\x01", b">"), "R\x00>");
}

#[test]
fn ctrl_c_interrupts_running_code_in_every_mode() {
    let board = Board::start(&[]);
    let mut c = board.connect();
    c.greet();
    // As in MicroPython, a compound statement on one line still waits for a blank line.
    c.send(b"while True: pass\r\r");
    c.until(b"... \r\n");
    std::thread::sleep(Duration::from_millis(200));
    let reply = c.ask(b"\x03", b">>> ");
    assert!(reply.contains("KeyboardInterrupt: \r\n>>> "), "{reply:?}");
    // input() reads a line typed on the serial port, echoed.
    c.send(b"s = input('? ')\r");
    c.until(b"')\r\n? ");
    assert_eq!(c.ask(b"hello\r", b">>> "), "hello\r\n>>> ");
    assert_eq!(c.ask(b"s\r", b">>> "), "s\r\n'hello'\r\n>>> ");
    // Ctrl-C ends a sleep.
    c.send(b"import time; time.sleep(30)\r");
    c.until(b"time.sleep(30)\r\n");
    let reply = c.ask(b"\x03", b">>> ");
    assert!(reply.contains("KeyboardInterrupt"), "{reply:?}");
    // The raw REPL: the traceback lands in the stderr section.
    c.raw();
    c.send(b"while True: pass\x04");
    c.until(b"OK");
    std::thread::sleep(Duration::from_millis(200));
    c.send(b"\x03");
    let reply = String::from_utf8_lossy(&c.until(b"\x04>")).into_owned();
    assert!(reply.starts_with("\x04Traceback"), "{reply:?}");
    assert!(reply.ends_with("KeyboardInterrupt: \r\n\x04>"), "{reply:?}");
    // And raw-paste.
    c.send(b"\x05A\x01");
    c.until(b"R\x01\x80\x00\x01");
    c.send(b"while True: pass\x04");
    c.until(b"\x04");
    std::thread::sleep(Duration::from_millis(200));
    c.send(b"\x03");
    let reply = String::from_utf8_lossy(&c.until(b"\x04>")).into_owned();
    assert!(reply.contains("KeyboardInterrupt"), "{reply:?}");
    assert_eq!(c.exec("print(7)").0, "7\r\n");
}

#[test]
fn soft_reset_runs_boot_and_main_and_clears_state() {
    let board = Board::start(&[]);
    std::fs::write(board.fs.join("boot.py"), "print('boot ran')\n").unwrap();
    std::fs::write(board.fs.join("main.py"), "print('main ran')\n").unwrap();
    let mut c = board.connect();
    c.greet();
    c.ask(b"x = 5\r", b">>> ");
    let reply = c.ask(b"\x04", b">>> ");
    assert!(
        reply.starts_with("\r\nMPY: soft reboot\r\nboot ran\r\nmain ran\r\nMicroPython"),
        "{reply:?}"
    );
    let reply = c.ask(b"x\r", b">>> ");
    assert!(
        reply.contains("NameError: name 'x' isn't defined"),
        "{reply:?}"
    );
    // In the raw REPL an empty Ctrl-D resets and runs boot.py only, as mpremote expects.
    c.raw();
    let reply = c.ask(b"\x04", b"raw REPL; CTRL-B to exit\r\n>");
    assert_eq!(
        reply,
        "OK\r\nMPY: soft reboot\r\nboot ran\r\nraw REPL; CTRL-B to exit\r\n>"
    );
    // sys.exit() at the REPL is a soft reset too.
    c.send(b"import sys; sys.exit()\x04");
    let reply = c.ask(b"", b"raw REPL; CTRL-B to exit\r\n>");
    assert!(
        reply.starts_with("OK\x04\x04MPY: soft reboot\r\n"),
        "{reply:?}"
    );
}

/// A small deterministic generator for the garbage test.
fn lcg(state: &mut u64) -> u8 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (*state >> 33) as u8
}

#[test]
fn garbage_on_the_wire_never_breaks_the_board() {
    let board = Board::start(&[]);
    let mut c = board.connect();
    let mut seed = 0x5eed_u64;
    for round in 0..20 {
        // Random bytes (all 256 values, escape sequences and control keys among them).
        let junk: Vec<u8> = (0..2000).map(|_| lcg(&mut seed)).collect();
        c.send(&junk);
        // A Ctrl-C storm.
        c.send(&[3u8; 50]);
        // A truncated raw-paste stream.
        c.send(b"\r\x03\r\x01\x05A\x01print(1");
        if round % 2 == 0 {
            c.send(b"\x03");
        }
        c.drain(50);
        // The next proper command gets the right answer.
        c.raw();
        let (out, err) = c.exec(&format!("print({round} * 3)"));
        assert_eq!(
            (out.as_str(), err.as_str()),
            (format!("{}\r\n", round * 3).as_str(), "")
        );
        c.send(b"\x02");
        c.until(b">>> ");
    }
    // A client that vanishes mid-program does not stop the board.
    c.raw();
    c.send(b"for i in range(100000): print(i)\x04");
    drop(c);
    let mut c = board.connect();
    c.raw();
    assert_eq!(c.exec("print('still here')").0, "still here\r\n");
}

#[test]
fn a_full_heap_is_a_memory_error_and_the_board_goes_on() {
    let board = Board::start(&["-X", "heapsize=16k"]);
    let mut c = board.connect();
    c.raw();
    let (_, err) = c.exec("x = [bytearray(1000) for i in range(100)]");
    assert!(err.contains("MemoryError"), "{err:?}");
    assert_eq!(
        c.exec("print([i * i for i in range(50)][-1])").0,
        "2401\r\n"
    );
    assert_eq!(
        c.exec("print(1 << 160)").0,
        "1461501637330902918203684832716283019655932542976\r\n"
    );
    assert_eq!(c.exec("print((1 + 2j) * 4j)").0, "(-8+4j)\r\n");
}

#[test]
fn an_image_file_keeps_the_files_across_restarts() {
    let dir = std::env::temp_dir().join(format!("pyrite-board-image-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let image = dir.join("board.img");
    let data: Vec<u8> = (0..=255u8).collect();
    {
        let board = Board::launch(image.clone(), "tcp:127.0.0.1:0", &[]);
        let mut c = board.connect();
        c.raw();
        let (out, err) = c.exec(&format!(
            "with open('all.bin', 'wb') as f:\n f.write(bytes({data:?}))\nimport os\nprint(os.listdir('/'))"
        ));
        assert_eq!((out.as_str(), err.as_str()), ("['all.bin']\r\n", ""));
    }
    // The image is Pyrite's block file system, in a file of 1 MiB.
    assert_eq!(std::fs::metadata(&image).unwrap().len(), 1024 * 1024);
    let board = Board::launch(image.clone(), "tcp:127.0.0.1:0", &[]);
    let mut c = board.connect();
    c.raw();
    let (out, _) = c.exec("print(list(open('all.bin', 'rb').read()) == list(range(256)))");
    assert_eq!(out, "True\r\n");
    let (out, _) = c.exec("import vfs; print(vfs.mount())");
    assert!(out.contains("VfsLfs2"), "{out}");
    drop(board);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_simulated_pyboard_logs_leds_and_pins_and_answers_on_i2c() {
    let board = Board::start(&[]);
    let mut c = board.connect();
    c.raw();
    let (out, err) = c.exec("import pyb, machine\npyb.LED(1).on()\nmachine.Pin('X1', machine.Pin.OUT).value(1)\nprint(machine.I2C(1).scan())");
    assert_eq!((out.as_str(), err.as_str()), ("[60, 66, 68, 80]\r\n", ""));
    board.wait_log("led 1 255");
    board.wait_log("pin X1 1");
    // The classic example of MicroPython's I2C documentation, on the memory at 0x42.
    let (out, err) = c.exec(
        "i2c = machine.I2C(1)\ni2c.writeto_mem(0x42, 2, b'\\x10')\nprint(i2c.readfrom_mem(0x42, 2, 1))",
    );
    assert_eq!((out.as_str(), err.as_str()), ("b'\\x10'\r\n", ""));
    // Nobody at 0x10.
    let (_, err) = c.exec("machine.I2C(1).readfrom(0x10, 1)");
    assert!(err.ends_with("OSError: [Errno 19] ENODEV\r\n"), "{err:?}");
    // A blinking program shows each change while it runs.
    c.send(b"import time\nfor i in range(3):\n pyb.LED(2).toggle()\n time.sleep_ms(20)\n\x04");
    c.until(b"\x04>");
    board.wait_log("led 2 0");
}
