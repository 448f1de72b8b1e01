//! End to end: the host protocol (`pyrite-link`) drives the virtual board
//! (`pyrite --board tcp:127.0.0.1:0 --fs FOLDER`) as it drives a MicroPython board: raw REPL,
//! raw-paste, tracebacks, and mpremote's file operations on the board's folder.
//!
//! `cargo test --release -p pyrite --test link -- --nocapture` also prints the write
//! throughput.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use pyrite_link::native::TcpTransport;
use pyrite_link::{block_on, errno, Board, Flow, LinkError, Value};

/// A running virtual board with its own folder; killed and cleaned up on drop.
struct VirtualBoard {
    child: Child,
    folder: PathBuf,
    addr: String,
}

impl Drop for VirtualBoard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

fn start() -> VirtualBoard {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, Ordering::SeqCst);
    let folder = std::env::temp_dir().join(format!("pyrite-link-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("board folder");
    let mut child = Command::new(env!("CARGO_BIN_EXE_pyrite"))
        .arg("--board")
        .arg("tcp:127.0.0.1:0")
        .arg("--fs")
        .arg(&folder)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pyrite starts");
    // The board says where it listens on stderr; keep draining it after that.
    let stderr = child.stderr.take().expect("stderr is piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { return };
            if let Some(addr) = line.strip_prefix("pyrite board: listening on tcp:") {
                let _ = tx.send(addr.trim().to_string());
            } else {
                eprintln!("board: {line}");
            }
        }
    });
    let mut board = VirtualBoard {
        child,
        folder,
        addr: String::new(),
    };
    board.addr = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the board announces its address");
    board
}

impl VirtualBoard {
    fn connect(&self) -> Board<TcpTransport> {
        let transport = TcpTransport::connect(self.addr.as_str()).expect("connects");
        let mut board = Board::new(transport);
        block_on(board.enter_raw(false)).expect("enters the raw REPL");
        board
    }
}

#[test]
fn exec_eval_and_tracebacks() {
    let vb = start();
    let mut b = vb.connect();
    let (out, err) = block_on(b.exec(b"print(6 * 7)")).unwrap();
    assert_eq!(String::from_utf8_lossy(&out).trim_end(), "42");
    assert_eq!(err, b"");
    assert!(b.uses_raw_paste(), "the board offers raw-paste");

    assert_eq!(
        block_on(b.eval("[1, 'x', b'\\xff', None, (True,)]")).unwrap(),
        Value::List(vec![
            Value::Int(1),
            Value::Str("x".into()),
            Value::Bytes(vec![0xff]),
            Value::None,
            Value::Tuple(vec![Value::Bool(true)]),
        ])
    );

    // A source longer than many raw-paste windows.
    let mut long: String = (0..400).map(|i| format!("x{i} = {i}\n")).collect();
    long.push_str("print(x399)");
    let out = block_on(b.exec_checked(long.as_bytes())).unwrap();
    assert_eq!(String::from_utf8_lossy(&out).trim_end(), "399");

    let err = block_on(b.exec_checked(b"def f():\n    return 1 // 0\nf()")).unwrap_err();
    let LinkError::Exception { traceback } = &err else {
        panic!("{err:?}")
    };
    assert!(
        traceback.starts_with("Traceback (most recent call last):"),
        "{traceback}"
    );
    assert!(traceback.contains(", in f"), "{traceback}");
    assert_eq!(
        err.exception_line(),
        Some("ZeroDivisionError: divide by zero")
    );
    let err = block_on(b.exec_checked(b"x = (")).unwrap_err();
    assert!(
        err.exception_line()
            .unwrap_or("")
            .starts_with("SyntaxError"),
        "{err}"
    );
    let err = block_on(b.exec_checked(b"open('/missing')")).unwrap_err();
    assert_eq!(err.errno(), Some(errno::ENOENT));

    // The board is still usable, also in the plain raw REPL.
    b.set_raw_paste(false);
    let out = block_on(b.exec_checked(long.as_bytes())).unwrap();
    assert_eq!(String::from_utf8_lossy(&out).trim_end(), "399");
}

#[test]
fn streaming_and_interrupt() {
    let vb = start();
    let mut b = vb.connect();
    let mut events: Vec<Vec<u8>> = Vec::new();
    let tb = block_on(b.exec_stream(
        b"import time\nfor i in range(3):\n    print(i)\n    time.sleep_ms(250)",
        Some(10_000),
        |chunk| {
            events.push(chunk.to_vec());
            Flow::Continue
        },
    ))
    .unwrap();
    assert_eq!(tb, b"");
    let printed = String::from_utf8_lossy(&events.concat()).replace("\r\n", "\n");
    assert_eq!(printed, "0\n1\n2\n");
    let first_idle = events.iter().position(Vec::is_empty).expect("idle ticks");
    let last_data = events.iter().rposition(|e| !e.is_empty()).unwrap();
    assert!(
        first_idle < last_data,
        "output arrives while the program runs"
    );

    // Ctrl-C stops a program that never ends.
    let mut ticks = 0;
    let tb = block_on(
        b.exec_stream(b"while True:\n    pass", Some(10_000), |chunk| {
            ticks += usize::from(chunk.is_empty());
            if ticks >= 2 {
                Flow::Interrupt
            } else {
                Flow::Continue
            }
        }),
    )
    .unwrap();
    assert!(
        String::from_utf8_lossy(&tb).contains("KeyboardInterrupt"),
        "{tb:?}"
    );
    let out = block_on(b.exec_checked(b"print('alive')")).unwrap();
    assert_eq!(String::from_utf8_lossy(&out).trim_end(), "alive");
}

#[test]
fn files_and_write_throughput() {
    let vb = start();
    let mut b = vb.connect();

    // Every byte value, through bytes literals both ways; the host folder holds the same.
    let all: Vec<u8> = (0..=255u8).collect();
    block_on(b.write_file("/all.bin", &all)).unwrap();
    assert_eq!(block_on(b.read_file("/all.bin")).unwrap(), all);
    assert_eq!(std::fs::read(vb.folder.join("all.bin")).unwrap(), all);
    let st = block_on(b.stat("/all.bin")).unwrap();
    assert_eq!((st.size, st.is_dir()), (256, false));
    assert_eq!(
        block_on(b.sha256("/all.bin")).unwrap(),
        pyrite_link::sha256::digest(&all)
    );

    block_on(b.mkdir("/sub")).unwrap();
    block_on(b.touch("/sub/empty")).unwrap();
    assert!(block_on(b.stat("/sub")).unwrap().is_dir());
    // Sizes are not compared: VfsPosix, like MicroPython's unix port, lists 3-tuples.
    let mut listing: Vec<(String, bool)> = block_on(b.ls("/"))
        .unwrap()
        .into_iter()
        .map(|e| (e.name, e.is_dir))
        .collect();
    listing.sort();
    assert_eq!(listing, [("all.bin".into(), false), ("sub".into(), true)]);
    assert_eq!(block_on(b.ls("/sub")).unwrap().len(), 1);
    assert_eq!(
        block_on(b.mkdir("/sub")).unwrap_err().errno(),
        Some(errno::EEXIST)
    );
    assert!(block_on(b.rmdir("/sub")).unwrap_err().errno().is_some());
    assert!(matches!(
        block_on(b.rm("/nope")),
        Err(LinkError::Os { errno: errno::ENOENT, ref path, .. }) if path == "/nope"
    ));
    block_on(b.rm("/sub/empty")).unwrap();
    block_on(b.rmdir("/sub")).unwrap();
    block_on(b.rm("/all.bin")).unwrap();
    assert_eq!(block_on(b.ls("/")).unwrap(), []);
    assert!(!vb.folder.join("sub").exists());
    assert!(block_on(b.getcwd()).unwrap().starts_with('/'));

    // Throughput of mpremote's way of writing (one exec per 256 bytes); printed, not asserted.
    let big: Vec<u8> = (0..256 * 1024u32).map(|i| (i * 31 % 251) as u8).collect();
    let start = Instant::now();
    block_on(b.write_file("/big.bin", &big)).unwrap();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "virtual board over TCP: write_file {} KiB in {secs:.2} s = {:.1} KiB/s",
        big.len() / 1024,
        big.len() as f64 / 1024.0 / secs
    );
    let start = Instant::now();
    assert_eq!(block_on(b.read_file("/big.bin")).unwrap(), big);
    let secs = start.elapsed().as_secs_f64();
    println!(
        "virtual board over TCP: read_file {:.1} KiB/s",
        big.len() as f64 / 1024.0 / secs
    );
    assert_eq!(std::fs::read(vb.folder.join("big.bin")).unwrap(), big);
}

#[test]
fn reconnect_and_soft_reset() {
    let vb = start();
    {
        let mut b = vb.connect();
        block_on(b.exec_checked(b"x = 5")).unwrap();
    }
    // One client at a time: a new one finds the board where the last one left it.
    let mut b = vb.connect();
    assert_eq!(block_on(b.eval("x")).unwrap(), Value::Int(5));
    block_on(b.soft_reset()).unwrap();
    let err = block_on(b.eval("x")).unwrap_err();
    assert_eq!(
        err.exception_line(),
        Some("NameError: name 'x' isn't defined")
    );
    block_on(b.exit_raw()).unwrap();
}
