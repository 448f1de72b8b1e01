//! The pyboard firmware (`crates/stm32`, built with `--features qemu`) booted in QEMU's
//! netduinoplus2, an STM32F405, and driven over its USART1 on a TCP port: the friendly and raw
//! REPL byte for byte, Ctrl-C in running code, `pyrite-link`, the real `mpremote`, resets and
//! the RAM disk, the 16 KiB-heap build, the golden tests run on the board (`golden.rs`), and
//! the pyboard's pins, LEDs, switch, buses and ADC as far as QEMU models them (`hardware.rs`).
//!
//! The images come from `crates/stm32/images.sh`, which `test.sh` runs before pointing
//! `PYRITE_QEMU_IMAGE` (and `PYRITE_QEMU_IMAGE_16K` for the small build) at them. Without
//! those variables each test says it was skipped; with them, a QEMU that does not boot the
//! image is a failure.
//!
//! `cargo test --release -p pyrite --test qemu -- --nocapture` prints the golden count.

#[path = "../support/arena_programs.rs"]
mod arena_programs;
mod golden;
mod hardware;
mod mpremote;
#[path = "../support/mod.rs"]
mod support;

use std::io::Read;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pyrite_link::native::TcpTransport;
use pyrite_link::{block_on, Flow, Value};
use support::Conn;

/// What the banner says on the QEMU build.
const BANNER: &str =
    "; QEMU netduinoplus2 with STM32F405RG\r\nType \"help()\" for more information.\r\n>>> ";

/// The image `var` names, or `None` (after saying so) when the variable is unset.
pub fn image(var: &str) -> Option<PathBuf> {
    let Some(path) = std::env::var_os(var) else {
        println!("skipped: {var} is not set (test.sh builds the QEMU firmware and sets it)");
        return None;
    };
    let path = PathBuf::from(path);
    assert!(
        path.is_file(),
        "{var}={} is not a file: run crates/stm32/images.sh",
        path.display()
    );
    Some(path)
}

/// A QEMU running the firmware, its USART1 on a TCP port; killed when dropped.
pub struct Qemu {
    child: Child,
    /// The serial port's TCP port.
    pub port: u16,
}

impl Qemu {
    /// Boots `image` and returns it with the first connection, which has read the banner (with
    /// `wait=on` QEMU starts the board only once a client is connected, and the USART drops
    /// what arrives before the firmware enabled it: nothing is sent before the banner).
    pub fn boot(image: &std::path::Path) -> (Qemu, Conn) {
        Qemu::boot_with(image, &[], BANNER)
    }

    /// Boots `image` with `extra` QEMU arguments, reading up to `greeting`.
    pub fn boot_with(image: &std::path::Path, extra: &[&str], greeting: &str) -> (Qemu, Conn) {
        let mut last = String::new();
        // A port picked free may be taken by the time QEMU binds it: try a few.
        for _ in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .map(|a| a.port())
                .expect("a free TCP port");
            let child = Command::new("qemu-system-arm")
                .args([
                    "-M",
                    "netduinoplus2",
                    "-display",
                    "none",
                    "-monitor",
                    "none",
                ])
                .arg("-serial")
                .arg(format!("tcp:127.0.0.1:{port},server=on,wait=on,nodelay=on"))
                .arg("-kernel")
                .arg(image)
                .args(extra)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("qemu-system-arm runs (setup.sh installs it)");
            let mut qemu = Qemu { child, port };
            match qemu.connect() {
                Ok(mut c) => {
                    let banner = c.until(b">>> ");
                    assert!(
                        banner.ends_with(greeting.as_bytes()),
                        "unexpected banner {:?}",
                        String::from_utf8_lossy(&banner)
                    );
                    return (qemu, c);
                }
                Err(e) => last = e,
            }
        }
        panic!("QEMU did not start: {last}");
    }

    /// A new connection to the board's serial port (QEMU serves one client at a time).
    pub fn connect(&mut self) -> Result<Conn, String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(c) = Conn::connect(self.port, Duration::from_secs(20)) {
                return Ok(c);
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                let mut err = String::new();
                if let Some(mut e) = self.child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                return Err(format!("QEMU exited ({status}): {err}"));
            }
            if Instant::now() > deadline {
                return Err(format!("nothing listens on port {}", self.port));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The board as `pyrite-link` sees it, in the raw REPL.
    pub fn link(&mut self) -> pyrite_link::Board<TcpTransport> {
        let transport = TcpTransport::connect(("127.0.0.1", self.port)).expect("connects");
        let mut board = pyrite_link::Board::new(transport);
        block_on(board.enter_raw(false)).expect("enters the raw REPL");
        board
    }
}

impl Drop for Qemu {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The three expressions every build must evaluate, with their answers.
const SEED: [(&str, &str); 3] = [
    (
        "1 << 160",
        "1461501637330902918203684832716283019655932542976",
    ),
    ("(1 + 2j) * 4j", "(-8+4j)"),
    (
        "[i * i for i in range(50)]",
        "[0, 1, 4, 9, 16, 25, 36, 49, 64, 81, 100, 121, 144, 169, 196, 225, 256, 289, 324, 361, \
         400, 441, 484, 529, 576, 625, 676, 729, 784, 841, 900, 961, 1024, 1089, 1156, 1225, \
         1296, 1369, 1444, 1521, 1600, 1681, 1764, 1849, 1936, 2025, 2116, 2209, 2304, 2401]",
    ),
];

#[test]
fn friendly_repl_evaluates_the_seed_expressions() {
    let Some(image) = image("PYRITE_QEMU_IMAGE") else {
        return;
    };
    let (_qemu, mut c) = Qemu::boot(&image);
    for (input, answer) in SEED {
        assert_eq!(c.eval(input), format!("{answer}\r\n"));
    }
    assert_eq!(c.eval("import sys; sys.platform"), "'pyboard'\r\n");
    probe_asyncio(&mut c);
    // A compound statement: auto-indent, then a blank line runs it.
    assert_eq!(
        c.ask(b"for i in range(2):\r", b"...     "),
        "for i in range(2):\r\n...     "
    );
    assert_eq!(c.ask(b"print(i)\r", b"...     "), "print(i)\r\n...     ");
    assert_eq!(c.ask(b"\r", b">>> "), "\r\n0\r\n1\r\n>>> ");
    // Errors are tracebacks, and the REPL goes on.
    let reply = c.eval("1/0");
    assert!(
        reply.ends_with("ZeroDivisionError: divide by zero\r\n"),
        "{reply:?}"
    );
    // SysTick keeps time: a sleep of 300 ms takes that long on the board and on the host.
    let start = Instant::now();
    let ms = c.eval(
        "import time; t = time.ticks_ms(); time.sleep_ms(300); time.ticks_diff(time.ticks_ms(), t)",
    );
    let ms: u64 = ms.trim().parse().expect("a number");
    assert!((300..1000).contains(&ms), "{ms} ms");
    assert!(start.elapsed() >= Duration::from_millis(300));
    // input() reads a line typed on the serial port.
    c.send(b"s = input('? ')\r");
    c.until(b"')\r\n? ");
    assert_eq!(c.ask(b"hello\r", b">>> "), "hello\r\n>>> ");
    assert_eq!(c.eval("s"), "'hello'\r\n");
}

#[test]
fn small_heap_build_evaluates_the_seed_expressions() {
    let Some(image) = image("PYRITE_QEMU_IMAGE_16K") else {
        return;
    };
    let (_qemu, mut c) = Qemu::boot(&image);
    for (input, answer) in SEED {
        assert_eq!(c.eval(input), format!("{answer}\r\n"));
    }
    assert_eq!(
        c.eval("import gc; gc.collect(); gc.mem_free() <= 16384"),
        "True\r\n"
    );
    // A full heap is a MemoryError, and the board goes on.
    let reply = c.eval("x = [bytearray(1000) for i in range(100)]");
    assert!(reply.ends_with("MemoryError: \r\n"), "{reply:?}");
    assert_eq!(
        c.eval("x = None; [i * i for i in range(50)][-1]"),
        "2401\r\n"
    );
}

/// Prints what `import asyncio` does to the board's heap (the frozen module's code stays in
/// flash), then runs two tasks with it.
fn probe_asyncio(c: &mut Conn) {
    let reply = c.eval(
        "import gc; gc.collect(); a = gc.mem_alloc(); import asyncio; gc.collect(); gc.mem_alloc() - a",
    );
    println!("import asyncio: {} bytes of heap", reply.trim());
    c.send(b"async def t(n):\rawait asyncio.sleep_ms(10 * n)\rprint(n)\r\r");
    c.until(b">>> ");
    let reply = c.eval("asyncio.run(asyncio.gather(t(2), t(1)))");
    assert_eq!(reply, "1\r\n2\r\n[None, None]\r\n");
}

#[test]
fn raw_repl_and_pyrite_link() {
    let Some(image) = image("PYRITE_QEMU_IMAGE") else {
        return;
    };
    let (mut qemu, mut c) = Qemu::boot(&image);
    // The raw REPL by hand: output and traceback in their sections.
    c.raw();
    support::check_raw_repl_frames(&mut c);
    drop(c);

    // pyrite-link: raw-paste, eval, files on the RAM disk.
    let mut b = qemu.link();
    let out = block_on(b.exec_checked(b"print(6 * 7)")).unwrap();
    assert_eq!(String::from_utf8_lossy(&out), "42\r\n");
    assert!(b.uses_raw_paste(), "the board offers raw-paste");
    assert_eq!(block_on(b.eval("1 << 40")).unwrap(), Value::Int(1 << 40));
    // A program of several raw-paste windows.
    let mut long: String = (0..60).map(|i| format!("x{i} = {i}\n")).collect();
    long.push_str("print(x59)");
    let out = block_on(b.exec_checked(long.as_bytes())).unwrap();
    assert_eq!(String::from_utf8_lossy(&out), "59\r\n");
    let err = block_on(b.exec_checked(b"def f():\n    return 1 // 0\nf()")).unwrap_err();
    assert_eq!(
        err.exception_line(),
        Some("ZeroDivisionError: divide by zero")
    );

    let all: Vec<u8> = (0..=255u8).collect();
    block_on(b.write_file("/all.bin", &all)).unwrap();
    assert_eq!(block_on(b.read_file("/all.bin")).unwrap(), all);
    assert_eq!(
        block_on(b.sha256("/all.bin")).unwrap(),
        pyrite_link::sha256::digest(&all)
    );
    let mut names: Vec<String> = block_on(b.ls("/"))
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    names.sort();
    assert_eq!(names, ["all.bin", "boot.py", "main.py"]);
    let fs = block_on(b.exec_checked(b"import vfs; print(vfs.mount())")).unwrap();
    assert!(String::from_utf8_lossy(&fs).contains("VfsLfs2"), "{fs:?}");

    // Soft reset: a fresh interpreter, boot.py then (in the friendly REPL) main.py.
    block_on(b.write_file("/boot.py", b"print('boot ran')\n")).unwrap();
    block_on(b.write_file("/main.py", b"print('main ran')\n")).unwrap();
    block_on(b.exec_checked(b"x = 5")).unwrap();
    block_on(b.soft_reset()).unwrap();
    let err = block_on(b.eval("x")).unwrap_err();
    assert_eq!(
        err.exception_line(),
        Some("NameError: name 'x' isn't defined")
    );
    drop(b);
    let mut c = qemu.connect().unwrap();
    let reply = c.ask(b"\r\x02", b">>> ");
    assert!(reply.contains("MicroPython v"), "{reply:?}");
    let reply = c.ask(b"\x04", b">>> ");
    assert!(
        reply.starts_with("\r\nMPY: soft reboot\r\nboot ran\r\nmain ran\r\nMicroPython v"),
        "{reply:?}"
    );
}

#[test]
fn ctrl_c_interrupts_running_code() {
    let Some(image) = image("PYRITE_QEMU_IMAGE") else {
        return;
    };
    let (mut qemu, mut c) = Qemu::boot(&image);
    // The friendly REPL: a busy loop, then a sleep.
    c.send(b"while True: pass\r\r");
    c.until(b"... \r\n");
    std::thread::sleep(Duration::from_millis(300));
    let reply = c.ask(b"\x03", b">>> ");
    assert!(reply.contains("KeyboardInterrupt: \r\n>>> "), "{reply:?}");
    c.send(b"import time; time.sleep(30)\r");
    c.until(b"time.sleep(30)\r\n");
    let start = Instant::now();
    let reply = c.ask(b"\x03", b">>> ");
    assert!(reply.contains("KeyboardInterrupt"), "{reply:?}");
    assert!(start.elapsed() < Duration::from_secs(5));
    // The raw REPL: the traceback lands in the stderr section.
    c.raw();
    c.send(b"while True: pass\x04");
    c.until(b"OK");
    std::thread::sleep(Duration::from_millis(300));
    let reply = c.ask(b"\x03", b"\x04>");
    assert!(reply.starts_with("\x04Traceback"), "{reply:?}");
    assert!(reply.ends_with("KeyboardInterrupt: \r\n\x04>"), "{reply:?}");
    drop(c);
    // pyrite-link's streaming exec interrupts a program that prints and never ends.
    let mut b = qemu.link();
    let mut ticks = 0;
    let mut printed = Vec::new();
    let tb = block_on(b.exec_stream(
        b"i = 0\nwhile True:\n    i += 1\n    if i % 20000 == 0:\n        print(i)",
        Some(10_000),
        |chunk| {
            printed.extend_from_slice(chunk);
            ticks += 1;
            // Some output, or a few 100 ms ticks: long enough to be sure it runs.
            if ticks >= 3 && printed.ends_with(b"\r\n") {
                Flow::Interrupt
            } else {
                Flow::Continue
            }
        },
    ))
    .unwrap();
    assert!(
        String::from_utf8_lossy(&tb).contains("KeyboardInterrupt"),
        "{tb:?}"
    );
    assert!(String::from_utf8_lossy(&printed).contains("20000\r\n"));
    let out = block_on(b.exec_checked(b"print('alive')")).unwrap();
    assert_eq!(String::from_utf8_lossy(&out), "alive\r\n");
}

/// The programs that ask for more memory than a board has (`tests/arena.rs` runs them on the
/// host under an arena's cap) on the board itself, each after a soft reset as a test suite
/// runs on a board: each ends in an exception inside Python, none resets the board. The
/// arena's peak is printed.
#[test]
fn big_requests_are_memory_errors_on_the_board() {
    let Some(image) = image("PYRITE_QEMU_IMAGE") else {
        return;
    };
    let (mut qemu, c) = Qemu::boot(&image);
    drop(c);
    let mut board = qemu.link();
    let mut failures = Vec::new();
    for program in arena_programs::PROGRAMS {
        let code = arena_programs::wrapped(program);
        let ran = block_on(board.soft_reset()).and_then(|_| block_on(board.exec(code.as_bytes())));
        match ran {
            Ok((out, err)) if out.ends_with(b"end\r\n") && err.is_empty() => {}
            Ok((out, err)) => failures.push(format!(
                "{program}: {}{}",
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(&err)
            )),
            Err(e) => {
                failures.push(format!("{program}: the board did not answer: {e}"));
                drop(board);
                board = qemu.link();
            }
        }
    }
    let info = block_on(board.exec(b"import micropython\nmicropython.mem_info()"));
    if let Ok((out, _)) = info {
        let out = String::from_utf8_lossy(&out).into_owned();
        println!(
            "{} programs on the board; {}",
            arena_programs::PROGRAMS.len(),
            out.lines().last().unwrap_or_default()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn limits_resets_and_faults() {
    let Some(image) = image("PYRITE_QEMU_IMAGE") else {
        return;
    };
    let (mut qemu, mut c) = Qemu::boot(&image);
    // Deep recursion is a RuntimeError, not a stack overflow.
    c.raw();
    let (_, err) = c.exec("def f(n):\n    return f(n + 1)\nf(0)");
    assert!(
        err.ends_with("RuntimeError: maximum recursion depth exceeded\r\n"),
        "{err:?}"
    );
    let (_, err) =
        c.exec("class R:\n    def __repr__(self):\n        return repr(self)\nrepr(R())");
    assert!(
        err.ends_with("RuntimeError: maximum recursion depth exceeded\r\n"),
        "{err:?}"
    );
    // A full heap is a MemoryError, and the board goes on.
    let (_, err) = c.exec("x = [bytearray(1000) for i in range(100)]");
    assert!(err.ends_with("MemoryError: \r\n"), "{err:?}");
    assert_eq!(
        c.exec("x = None\nprint([i * i for i in range(50)][-1])").0,
        "2401\r\n"
    );
    // A raw-REPL program longer than the compiler could hold is refused, not run.
    let long = format!("refused = 1  # {}\nprint(refused)", "#".repeat(9000));
    let (out, err) = c.exec(&long);
    assert_eq!(out, "");
    assert_eq!(err, "MemoryError: program too long for the raw REPL\r\n");
    assert_eq!(
        c.exec("print(refused)").1.lines().last(),
        Some("NameError: name 'refused' isn't defined")
    );
    // Programs within the raw REPL's 8 KiB whose compile would outgrow the arena (one class
    // of many methods, one long literal) are a MemoryError, not an allocation the arena
    // cannot serve; many small definitions compile one at a time into the heap.
    let methods: String = (0..76)
        .map(|i| format!("    def m{i}(self, a, b=2):\n        x = [a * k for k in range(b)]\n        return {{'k{i}': x}}\n"))
        .collect();
    let literal: String = (0..240)
        .map(|i| format!("    'key{i}': [{i}, {}, 'v{i}'],\n", i * 2))
        .collect();
    let functions: String = (0..40)
        .map(|i| format!("def f{i}(a, b=2):\n    return [a * k for k in range(b + {i})]\n"))
        .collect();
    for program in [
        format!("class Big:\n{methods}"),
        format!("d = {{\n{literal}}}"),
    ] {
        assert!(program.len() < 8 * 1024);
        let (_, err) = c.exec(&program);
        assert!(err.ends_with("MemoryError: \r\n"), "{err:?}");
    }
    assert_eq!(
        c.exec(&format!("{functions}print(len(f39(2)))")),
        ("41\r\n".to_string(), String::new())
    );
    assert_eq!(c.exec("print(f39(2)[-1])").0, "80\r\n");
    // mem_info() shows the arena, and how near its end the programs above came.
    let (out, _) = c.exec("import micropython\nmicropython.mem_info()");
    let arena = out
        .lines()
        .find_map(|l| l.strip_prefix("arena: "))
        .unwrap_or_default();
    let figures: Vec<usize> = arena
        .split(", ")
        .filter_map(|f| f.rsplit(": ").next()?.parse().ok())
        .collect();
    println!("arena after the long programs: {arena}");
    assert!(
        matches!(figures[..], [total, used, peak] if used <= peak && peak < total),
        "{out:?}"
    );
    // machine.reset() restarts the chip; the RAM disk keeps its files.
    c.exec("with open('kept.txt', 'w') as f:\n    f.write('kept')");
    c.send(b"import machine\nmachine.reset()\x04");
    c.until(BANNER.as_bytes());
    assert_eq!(c.eval("open('kept.txt').read()"), "'kept'\r\n");
    // Nesting deeper than the compiler's recursion fits in the stack is a SyntaxError (the
    // board's parser depth limit), not a stack overflow; 20 levels compile.
    for (depth, reply) in [(40, "SyntaxError: too complex\r\n"), (20, "1\r\n")] {
        let deep = format!("{}1{}", "(".repeat(depth), ")".repeat(depth));
        let out = c.eval(&deep);
        assert!(out.ends_with(reply), "{out:?}");
    }
    assert_eq!(c.eval("open('kept.txt').read()"), "'kept'\r\n");
    drop(c);
    let mut b = qemu.link();
    assert_eq!(block_on(b.eval("2 + 2")).unwrap(), Value::Int(4));
}

/// Makes a RAM-disk image with the host's `pyrite`: Pyrite's block file system on 32 blocks
/// of 512 bytes, holding `main.py`.
const MAKE_DISK: &str = "\
import sys, vfs
class Dev:
    def __init__(self):
        self.data = bytearray(32 * 512)
    def readblocks(self, b, buf, off=0):
        buf[:] = self.data[b * 512 + off:b * 512 + off + len(buf)]
    def writeblocks(self, b, buf, off=0):
        self.data[b * 512 + off:b * 512 + off + len(buf)] = buf
    def ioctl(self, op, arg):
        return {4: 32, 5: 512}.get(op, 0)
d = Dev()
vfs.VfsLfs2.mkfs(d)
vfs.mount(vfs.VfsLfs2(d), '/disk')
with open('/disk/main.py', 'w') as f:
    f.write('print(\\'main.py from the host\\')\\n')
vfs.umount('/disk')
with open(sys.argv[1], 'wb') as f:
    f.write(d.data)
";

#[test]
fn a_disk_image_made_on_the_host_is_mounted() {
    let Some(image) = image("PYRITE_QEMU_IMAGE") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("pyrite-qemu-disk-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("make_disk.py");
    std::fs::write(&script, MAKE_DISK).unwrap();
    let disk = dir.join("disk.img");
    let made = Command::new(env!("CARGO_BIN_EXE_pyrite"))
        .arg(&script)
        .arg(&disk)
        .current_dir(&dir)
        .output()
        .expect("run pyrite");
    assert!(made.status.success(), "{made:?}");
    // The RAM disk's address in `crates/stm32/memory/qemu.x`.
    let loader = format!("loader,file={},addr=0x2002C000", disk.display());
    let (_qemu, mut c) = Qemu::boot_with(&image, &["-device", &loader], BANNER);
    assert_eq!(c.eval("import os; os.listdir()"), "['main.py']\r\n");
    let reply = c.ask(b"\x04", b">>> ");
    assert!(
        reply.starts_with("\r\nMPY: soft reboot\r\nmain.py from the host\r\nMicroPython v"),
        "{reply:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
