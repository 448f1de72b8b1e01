//! Conformance of the host protocol with stock MicroPython: its unix port, run on a pty, is a
//! reference board (the same `pyexec.c` raw REPL and raw-paste as on hardware).
//!
//! Opt-in: set `PYRITE_MICROPYTHON` to the unix port's binary
//! (`ports/unix/build-standard/micropython`); without it the test only says it was skipped.
//! The unix port exits on a soft reset, and runs raw-paste code with the terminal still raw so
//! that Ctrl-C is not a signal there and cannot interrupt it: neither is exercised here.

#![cfg(unix)]

use std::fs::{File, OpenOptions};
use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::Instant;

use pyrite_link::native::SerialFile;
use pyrite_link::{block_on, errno, Board, Flow, LinkError, Value};
use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
use rustix::termios::{tcgetattr, tcsetattr, LocalModes, OptionalActions, OutputModes};

struct Reference {
    child: Child,
    dir: PathBuf,
}

impl Drop for Reference {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Starts MicroPython on a fresh pty, in a fresh directory.
fn spawn(binary: &str) -> (Reference, Board<SerialFile>) {
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let slave = OpenOptions::new()
        .read(true)
        .write(true)
        .open(name.to_str().unwrap())
        .unwrap();
    // The unix port restores these settings while plain raw REPL code runs: no output
    // translation (a board sends bytes as they are) and no echo.
    let mut termios = tcgetattr(&slave).unwrap();
    termios.output_modes.remove(OutputModes::OPOST);
    termios
        .local_modes
        .remove(LocalModes::ECHO | LocalModes::ECHOE | LocalModes::ECHOK | LocalModes::ECHOCTL);
    tcsetattr(&slave, OptionalActions::Now, &termios).unwrap();

    let dir = std::env::temp_dir().join(format!("pyrite-link-mp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let child = Command::new(binary)
        .current_dir(&dir)
        .stdin(slave.try_clone().unwrap())
        .stdout(slave.try_clone().unwrap())
        .stderr(slave)
        .spawn()
        .unwrap();
    let board = Board::new(SerialFile::from_file(File::from(master)));
    (Reference { child, dir }, board)
}

#[test]
fn stock_micropython_on_a_pty() {
    let Ok(binary) = std::env::var("PYRITE_MICROPYTHON") else {
        eprintln!("skipped: set PYRITE_MICROPYTHON to MicroPython's unix port to run");
        return;
    };
    let (_reference, mut b) = spawn(&binary);

    block_on(b.enter_raw(false)).unwrap();
    assert!(b.in_raw_repl());

    // exec, eval, raw-paste
    let (out, err) = block_on(b.exec(b"print(6 * 7)")).unwrap();
    assert_eq!((out.as_slice(), err.as_slice()), (&b"42\n"[..], &b""[..]));
    assert!(b.uses_raw_paste());
    assert_eq!(
        block_on(b.eval("[1, 'x', b'\\xff', None, 2.5]")).unwrap(),
        Value::List(vec![
            Value::Int(1),
            Value::Str("x".into()),
            Value::Bytes(vec![0xff]),
            Value::None,
            Value::Float(2.5),
        ])
    );
    // A long source crosses many raw-paste windows.
    let long: String = (0..400).map(|i| format!("x{i} = {i}\n")).collect();
    let long = long + "print(x399)";
    assert_eq!(block_on(b.exec_checked(long.as_bytes())).unwrap(), b"399\n");

    // Exceptions
    let err = block_on(b.exec_checked(b"1/0")).unwrap_err();
    assert_eq!(
        err.exception_line(),
        Some("ZeroDivisionError: divide by zero")
    );
    let err = block_on(b.exec_checked(b"def (")).unwrap_err();
    assert_eq!(err.exception_line(), Some("SyntaxError: invalid syntax"));
    let err = block_on(b.exec_checked(b"open('missing')")).unwrap_err();
    assert_eq!(err.errno(), Some(errno::ENOENT));

    // Streaming: output arrives while the program runs, with idle ticks in between.
    let mut events: Vec<Vec<u8>> = Vec::new();
    let tb = block_on(b.exec_stream(
        b"import time\nfor i in range(3):\n print(i)\n time.sleep_ms(250)",
        Some(5000),
        |chunk| {
            events.push(chunk.to_vec());
            Flow::Continue
        },
    ))
    .unwrap();
    assert_eq!(tb, b"");
    let printed: Vec<u8> = events.concat();
    assert_eq!(printed, b"0\n1\n2\n");
    let first_idle = events.iter().position(Vec::is_empty).unwrap();
    let last_data = events.iter().rposition(|e| !e.is_empty()).unwrap();
    assert!(first_idle < last_data, "{events:?}");

    // Files
    let all: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
    block_on(b.write_file("all.bin", &all)).unwrap();
    assert_eq!(block_on(b.read_file("all.bin")).unwrap(), all);
    assert_eq!(block_on(b.stat("all.bin")).unwrap().size, 1000);
    assert_eq!(
        block_on(b.sha256("all.bin")).unwrap(),
        pyrite_link::sha256::digest(&all)
    );
    block_on(b.mkdir("sub")).unwrap();
    block_on(b.touch("sub/empty")).unwrap();
    let mut names: Vec<(String, bool)> = block_on(b.ls(""))
        .unwrap()
        .into_iter()
        .map(|e| (e.name, e.is_dir))
        .collect();
    names.sort();
    assert_eq!(names, [("all.bin".into(), false), ("sub".into(), true)]);
    assert_eq!(
        block_on(b.mkdir("sub")).unwrap_err().errno(),
        Some(errno::EEXIST)
    );
    assert!(matches!(
        block_on(b.rmdir("sub")),
        Err(LinkError::Os {
            errno: errno::ENOTEMPTY,
            ..
        })
    ));
    block_on(b.rm("sub/empty")).unwrap();
    block_on(b.rmdir("sub")).unwrap();
    block_on(b.rm("all.bin")).unwrap();
    assert_eq!(block_on(b.ls("")).unwrap(), []);
    assert!(block_on(b.getcwd()).unwrap().starts_with('/'));

    // Throughput of the mpremote-style write (one exec per 256 bytes).
    let big: Vec<u8> = (0..32 * 1024u32).map(|i| (i * 31 % 251) as u8).collect();
    let start = Instant::now();
    block_on(b.write_file("big.bin", &big)).unwrap();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "MicroPython on a pty: write_file {} KiB in {:.2} s = {:.1} KiB/s",
        big.len() / 1024,
        secs,
        big.len() as f64 / 1024.0 / secs
    );
    assert_eq!(
        block_on(b.sha256("big.bin")).unwrap(),
        pyrite_link::sha256::digest(&big)
    );

    // The plain raw REPL (`OK`, 256-byte chunks), as with firmware without raw-paste.
    b.set_raw_paste(false);
    assert_eq!(block_on(b.exec_checked(long.as_bytes())).unwrap(), b"399\n");
    let err = block_on(b.exec_checked(b"1/0")).unwrap_err();
    assert_eq!(
        err.exception_line(),
        Some("ZeroDivisionError: divide by zero")
    );
    let start = Instant::now();
    block_on(b.write_file("big.bin", &big)).unwrap();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "MicroPython on a pty, plain raw REPL: write_file {:.1} KiB/s",
        big.len() as f64 / 1024.0 / secs
    );
    assert_eq!(block_on(b.read_file("big.bin")).unwrap(), big);

    block_on(b.exit_raw()).unwrap();
    assert!(!b.in_raw_repl());
}
