//! The virtual board: `pyrite --board tcp:HOST:PORT` or `pyrite --board pty`.
//!
//! A simulated pyboard whose serial port is a TCP socket or a pseudo-terminal. Behind it is the
//! board's REPL state machine (`pyrite-repl`), exactly as on the firmware: every received byte
//! goes to `Repl::feed`, and everything the board says goes back out, so mpremote, Thonny and
//! the IDE's link drive it as they drive a MicroPython board. Its file system is a host folder
//! mounted at `/`.
//!
//! Threads: one reads the serial side and queues bytes (turning the interrupt character into
//! the interrupt flag while code runs, as a board's UART interrupt does); the main thread runs
//! the REPL. A client may disconnect and another connect: the board keeps running, and what it
//! prints while nobody listens is dropped, as on a USB serial port with no host.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use pyrite_core::hardware::{Hardware, ResetKind};
use pyrite_core::port::{FileStat, FsResult, Input, OpenMode, Port};
use pyrite_core::Vm;
use pyrite_repl::editor::{Editor, Event};
use pyrite_repl::{Action, BoardInfo, Repl};

use crate::port::HostPort;

/// The virtual board's heap when `-X heapsize` is not given.
pub const DEFAULT_HEAP: usize = 256 * 1024;

/// The most bytes the board keeps of a raw-REPL program.
const MAX_SOURCE: usize = 1 << 20;

/// How long output may wait in the buffer while a program runs.
const FLUSH_EVERY: Duration = Duration::from_millis(10);

/// Where the board's serial port is.
pub enum Serial {
    Tcp(String),
    Pty,
}

/// How the board is set up (`--board`, `--fs`, `-X heapsize`).
pub struct BoardOptions {
    pub serial: Serial,
    /// A folder, or an image file (a name ending in `.img`).
    pub fs: std::path::PathBuf,
    pub heap: usize,
    pub gc_stress: bool,
}

/// State shared by the reader thread, the port and the main loop.
struct Shared {
    input: Mutex<VecDeque<u8>>,
    arrived: Condvar,
    /// The byte that interrupts running code, or -1.
    interrupt_char: AtomicI32,
    interrupted: AtomicBool,
    /// Where output goes: the connected client, if any.
    writer: Mutex<Option<Box<dyn Write + Send>>>,
    /// Output not yet written.
    out: Mutex<Vec<u8>>,
}

impl Shared {
    /// Queues a received byte, or flags an interrupt.
    fn receive(&self, data: &[u8]) {
        let ichar = self.interrupt_char.load(Ordering::SeqCst);
        let mut q = self.input.lock().unwrap_or_else(|e| e.into_inner());
        for &b in data {
            if i32::from(b) == ichar {
                self.interrupted.store(true, Ordering::SeqCst);
            } else {
                q.push_back(b);
            }
        }
        self.arrived.notify_all();
    }

    /// The next received byte, waiting up to `timeout` (forever with `None`).
    fn next_byte(&self, timeout: Option<Duration>) -> Option<u8> {
        self.flush();
        let deadline = timeout.map(|t| Instant::now() + t);
        let mut q = self.input.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(b) = q.pop_front() {
                return Some(b);
            }
            let wait = match deadline {
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return None;
                    }
                    d - now
                }
                None => Duration::from_secs(3600),
            };
            q = self
                .arrived
                .wait_timeout(q, wait)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Writes buffered output to the client (dropped if none is connected).
    fn flush(&self) {
        let data = std::mem::take(&mut *self.out.lock().unwrap_or_else(|e| e.into_inner()));
        if data.is_empty() {
            return;
        }
        let mut w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(writer) = w.as_mut() {
            if writer
                .write_all(&data)
                .and_then(|_| writer.flush())
                .is_err()
            {
                *w = None;
            }
        }
    }
}

/// The board's port: the serial link for the console, the host for files and time, the
/// simulated pyboard for `machine` and `pyb`.
struct BoardPort {
    shared: Arc<Shared>,
    host: HostPort,
    editor: Editor,
    /// The last byte written was `\r` (so a following `\n` is not doubled).
    last_cr: bool,
    last_flush: Instant,
    /// The simulated pyboard: LEDs, pins, switch, I2C devices.
    board: Box<pyrite_sim::SimBoard>,
}

impl BoardPort {
    fn take_interrupt(&self) -> bool {
        self.shared.interrupted.swap(false, Ordering::SeqCst)
    }

    /// Prints what the program visibly changed on the board (`led 1 255`, `pin X1 1`) on
    /// standard error, one line each, for whoever watches the board (and for tests).
    fn log_hardware(&mut self) {
        for event in self.board.take_events() {
            eprintln!("{event}");
        }
    }
}

impl Port for BoardPort {
    /// Output is "cooked" as on a MicroPython board: `\n` goes out as `\r\n`.
    fn stdout(&mut self, data: &[u8]) {
        let mut out = self.shared.out.lock().unwrap_or_else(|e| e.into_inner());
        for &b in data {
            if b == b'\n' && !self.last_cr {
                out.push(b'\r');
            }
            out.push(b);
            self.last_cr = b == b'\r';
        }
        let big = out.len() >= 4096;
        drop(out);
        if big {
            self.shared.flush();
            self.last_flush = Instant::now();
        }
    }

    fn read_line(&mut self) -> Input {
        let mut echo = Vec::new();
        self.editor.begin(0, &mut echo);
        loop {
            self.stdout(&echo);
            echo.clear();
            if self.take_interrupt() {
                self.stdout(b"\r\n");
                return Input::Interrupted;
            }
            let Some(b) = self.shared.next_byte(Some(Duration::from_millis(20))) else {
                continue;
            };
            match self.editor.feed(b, &mut echo) {
                Some(Event::Line(line)) => {
                    self.stdout(&echo);
                    return Input::Line(line);
                }
                Some(Event::Cancel) => {
                    self.stdout(b"\r\n");
                    return Input::Interrupted;
                }
                Some(Event::Eof) => return Input::Eof,
                _ => {}
            }
        }
    }

    fn interrupted(&mut self) -> bool {
        if self.last_flush.elapsed() >= FLUSH_EVERY {
            self.shared.flush();
            self.last_flush = Instant::now();
            self.log_hardware();
        }
        self.take_interrupt()
    }

    fn set_interrupt_char(&mut self, c: Option<u8>) {
        self.log_hardware();
        let v = c.map_or(-1, i32::from);
        self.shared.interrupt_char.store(v, Ordering::SeqCst);
        if c.is_none() {
            // A Ctrl-C that came after the program's last poll is not for the next one.
            self.shared.interrupted.store(false, Ordering::SeqCst);
        }
    }

    fn stdin_ready(&mut self) -> bool {
        !self
            .shared
            .input
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_empty()
    }

    fn platform(&self) -> &'static str {
        "pyboard"
    }

    fn ticks_us(&mut self) -> u64 {
        self.host.ticks_us()
    }

    fn time_ns(&mut self) -> u64 {
        self.host.time_ns()
    }

    fn sleep_us(&mut self, us: u64) {
        self.shared.flush();
        self.log_hardware();
        let end = Instant::now() + Duration::from_micros(us);
        loop {
            let now = Instant::now();
            if now >= end || self.shared.interrupted.load(Ordering::SeqCst) {
                return;
            }
            std::thread::sleep((end - now).min(Duration::from_millis(5)));
        }
    }

    fn has_fs(&self) -> bool {
        true
    }

    fn fs_open(&mut self, path: Option<&str>, fd: i32, mode: OpenMode) -> FsResult<i32> {
        match path {
            // The console's descriptors are the serial link.
            None if (0..=2).contains(&fd) => Ok(fd),
            _ => self.host.fs_open(path, fd, mode),
        }
    }

    fn fs_read(&mut self, fd: i32, buf: &mut [u8]) -> FsResult<usize> {
        if fd != 0 {
            return self.host.fs_read(fd, buf);
        }
        // `sys.stdin.read`: waits for the first byte, then takes what has arrived.
        let mut n = 0;
        while n < buf.len() {
            let wait = if n == 0 { 20 } else { 0 };
            match self.shared.next_byte(Some(Duration::from_millis(wait))) {
                Some(b) => {
                    buf[n] = b;
                    n += 1;
                }
                None if n > 0 => break,
                None if self.take_interrupt() => return Err(4),
                None => {}
            }
        }
        Ok(n)
    }

    fn fs_write(&mut self, fd: i32, data: &[u8]) -> FsResult<usize> {
        if fd == 1 || fd == 2 {
            self.stdout(data);
            return Ok(data.len());
        }
        self.host.fs_write(fd, data)
    }

    fn fs_seek(&mut self, fd: i32, offset: i64, whence: u8) -> FsResult<u64> {
        self.host.fs_seek(fd, offset, whence)
    }

    fn fs_flush(&mut self, fd: i32) -> FsResult<()> {
        if (0..=2).contains(&fd) {
            self.shared.flush();
            return Ok(());
        }
        self.host.fs_flush(fd)
    }

    fn fs_close(&mut self, fd: i32) -> FsResult<()> {
        if (0..=2).contains(&fd) {
            return Ok(());
        }
        self.host.fs_close(fd)
    }

    fn fs_stat(&mut self, path: &str) -> FsResult<FileStat> {
        self.host.fs_stat(path)
    }

    fn fs_listdir(&mut self, path: &str) -> FsResult<Vec<(String, bool, u64)>> {
        self.host.fs_listdir(path)
    }

    fn fs_mkdir(&mut self, path: &str) -> FsResult<()> {
        self.host.fs_mkdir(path)
    }

    fn fs_rmdir(&mut self, path: &str) -> FsResult<()> {
        self.host.fs_rmdir(path)
    }

    fn fs_remove(&mut self, path: &str) -> FsResult<()> {
        self.host.fs_remove(path)
    }

    fn fs_rename(&mut self, from: &str, to: &str) -> FsResult<()> {
        self.host.fs_rename(from, to)
    }

    fn fs_getcwd(&mut self) -> FsResult<String> {
        self.host.fs_getcwd()
    }

    fn fs_chdir(&mut self, path: &str) -> FsResult<()> {
        self.host.fs_chdir(path)
    }

    fn fs_statvfs(&mut self, path: &str) -> FsResult<[u64; 10]> {
        self.host.fs_statvfs(path)
    }

    fn urandom(&mut self, buf: &mut [u8]) -> bool {
        self.host.urandom(buf)
    }

    fn hardware(&mut self) -> Option<&mut dyn Hardware> {
        Some(self.board.as_mut())
    }
}

/// The size of a new file-system image (`--fs board.img` when the file does not exist).
const IMAGE_BYTES: u64 = 1024 * 1024;

/// Mounts a file-system image: the image is opened through a `VfsPosix` on its folder, which
/// is then unmounted, and Pyrite's block file system (`vfs.VfsLfs2`) is mounted at `/` on a
/// block device reading and writing the open image. Runs in a namespace of its own.
const MOUNT_IMAGE: &str = "\
import vfs
class ImageDevice:
    def __init__(self, f, blocks):
        self.f = f
        self.blocks = blocks
    def readblocks(self, n, buf, off=0):
        self.f.seek(n * 512 + off)
        self.f.readinto(buf)
    def writeblocks(self, n, buf, off=0):
        self.f.seek(n * 512 + off)
        self.f.write(buf)
    def ioctl(self, op, arg):
        if op == 4:
            return self.blocks
        if op == 5:
            return 512
        if op == 3:
            self.f.flush()
        return 0
vfs.mount(vfs.VfsPosix(FOLDER), '/')
f = open(NAME, 'r+b')
size = f.seek(0, 2)
vfs.umount('/')
dev = ImageDevice(f, size // 512)
try:
    fs = vfs.VfsLfs2(dev)
except OSError:
    vfs.VfsLfs2.mkfs(dev)
    fs = vfs.VfsLfs2(dev)
vfs.mount(fs, '/')
";

/// Where the board's files live: a host folder, or an image file holding a block file system.
pub enum Storage {
    Folder(String),
    Image { folder: String, name: String },
}

/// A Python string literal of `s`.
fn py_str(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// Mounts the board's storage at `/` and makes `/` the current directory.
fn mount_fs(vm: &mut Vm, storage: &Storage) {
    let no = pyrite_core::Obj::FALSE;
    let mounted = match storage {
        Storage::Folder(root) => {
            pyrite_core::vfs::fs::new_posix(vm, format!("{root}/")).and_then(|fs| {
                let slash = vm.new_str("/")?;
                pyrite_core::vfs::mount(vm, fs, slash, no, no)?;
                pyrite_core::vfs::chdir(vm, slash)
            })
        }
        Storage::Image { folder, name } => {
            let source = MOUNT_IMAGE
                .replace("FOLDER", &py_str(folder))
                .replace("NAME", &py_str(name));
            vm.new_dict().and_then(|ns| {
                vm.heap.keep(ns);
                let code = vm.compile_source(&source, "<board>", pyrite_core::Mode::Exec)?;
                vm.run_code(code, ns, ns)?;
                let slash = vm.new_str("/")?;
                pyrite_core::vfs::chdir(vm, slash)
            })
        }
    };
    if let Err(e) = mounted {
        eprintln!("pyrite board: could not mount the file system:");
        let text = vm.format_exception(e);
        eprint!("{text}");
    }
    // As a board with its file system at the root: the current folder, then `/lib`.
    let _ = vm.push_path("");
    let _ = vm.push_path("/lib");
    vm.safepoint();
}

/// Prepares `--fs`: creates the folder, or the image file (`*.img`, 1 MiB of zeros, formatted
/// at the first mount).
fn storage(path: &std::path::Path) -> std::io::Result<Storage> {
    let is_image = path.extension().is_some_and(|e| e == "img") || path.is_file();
    if !is_image {
        std::fs::create_dir_all(path)?;
        let root = std::fs::canonicalize(path)?;
        return Ok(Storage::Folder(root.to_string_lossy().into_owned()));
    }
    if !path.exists() {
        std::fs::File::create(path)?.set_len(IMAGE_BYTES)?;
    }
    let full = std::fs::canonicalize(path)?;
    let folder = full
        .parent()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = full
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Storage::Image { folder, name })
}

/// Reads from the serial side until it closes, queueing what arrives.
fn pump(shared: &Shared, mut reader: impl Read) {
    let mut buf = [0u8; 4096];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => shared.receive(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

/// Accepts clients one after another on `addr`.
fn serve_tcp(shared: Arc<Shared>, addr: &str) -> Result<(), String> {
    let listener =
        std::net::TcpListener::bind(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    eprintln!("pyrite board: listening on tcp:{local}");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let _ = stream.set_nodelay(true);
            let Ok(writer) = stream.try_clone() else {
                continue;
            };
            *shared.writer.lock().unwrap_or_else(|e| e.into_inner()) = Some(Box::new(writer));
            pump(&shared, stream);
            *shared.writer.lock().unwrap_or_else(|e| e.into_inner()) = None;
        }
    });
    Ok(())
}

/// Opens a pseudo-terminal, prints its name, and serves whoever opens it.
fn serve_pty(shared: Arc<Shared>) -> Result<(), String> {
    // SAFETY: plain libc calls on a descriptor this function owns; `ptsname_r` writes into the
    // buffer it is given, within its length.
    let (master, name) = unsafe {
        let fd = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
        if fd < 0 || libc::grantpt(fd) != 0 || libc::unlockpt(fd) != 0 {
            return Err("cannot open a pseudo-terminal".into());
        }
        let mut buf = [0 as libc::c_char; 128];
        if libc::ptsname_r(fd, buf.as_mut_ptr(), buf.len()) != 0 {
            return Err("cannot name the pseudo-terminal".into());
        }
        let name = std::ffi::CStr::from_ptr(buf.as_ptr())
            .to_string_lossy()
            .into_owned();
        (OwnedFd::from_raw_fd(fd), name)
    };
    // Hold the terminal side open in raw mode, so the board's side never sees a hang-up
    // between clients and nothing is echoed or translated before a client sets its own mode.
    let slave = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&name)
        .map_err(|e| format!("cannot open {name}: {e}"))?;
    // SAFETY: `tcgetattr`/`tcsetattr` on an open terminal descriptor, into a zeroed struct.
    unsafe {
        use std::os::fd::AsRawFd;
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(slave.as_raw_fd(), &mut t) == 0 {
            libc::cfmakeraw(&mut t);
            libc::tcsetattr(slave.as_raw_fd(), libc::TCSANOW, &t);
        }
    }
    eprintln!("pyrite board: listening on pty:{name}");
    let master = std::fs::File::from(master);
    let writer = master.try_clone().map_err(|e| e.to_string())?;
    *shared.writer.lock().unwrap_or_else(|e| e.into_inner()) = Some(Box::new(writer));
    std::thread::spawn(move || {
        let _slave = slave;
        pump(&shared, master);
    });
    Ok(())
}

/// Runs the virtual board until the process is killed.
pub fn run(opts: BoardOptions) -> u8 {
    let storage = match storage(&opts.fs) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("pyrite board: {}: {e}", opts.fs.display());
            return 1;
        }
    };
    let shared = Arc::new(Shared {
        input: Mutex::new(VecDeque::new()),
        arrived: Condvar::new(),
        interrupt_char: AtomicI32::new(-1),
        interrupted: AtomicBool::new(false),
        writer: Mutex::new(None),
        out: Mutex::new(Vec::new()),
    });
    let served = match &opts.serial {
        Serial::Tcp(addr) => serve_tcp(shared.clone(), addr),
        Serial::Pty => serve_pty(shared.clone()),
    };
    if let Err(e) = served {
        eprintln!("pyrite board: {e}");
        return 1;
    }
    let port = BoardPort {
        shared: shared.clone(),
        host: HostPort::new(),
        editor: Editor::new(),
        last_cr: false,
        last_flush: Instant::now(),
        board: Box::new(pyrite_sim::SimBoard::new()),
    };
    let mut vm = Vm::new(opts.heap, Box::new(port));
    vm.heap.stress = opts.gc_stress;
    mount_fs(&mut vm, &storage);
    let mut repl = Repl::new(BoardInfo {
        board: "Pyrite virtual pyboard",
        mcu: "STM32F405RG",
        max_source: MAX_SOURCE,
    });
    let mut action = repl.start(&mut vm, None);
    loop {
        if let Action::Reset(kind) = action {
            if kind == ResetKind::Bootloader {
                eprintln!("pyrite board: bootloader requested; restarting instead");
            }
            vm.soft_reset();
            mount_fs(&mut vm, &storage);
            action = repl.start(&mut vm, Some(kind));
            continue;
        }
        // While waiting at the prompt, `machine.Timer` callbacks and pin handlers still run,
        // as on a board.
        let Some(b) = shared.next_byte(Some(Duration::from_millis(10))) else {
            if let Err(e) = vm.service_events() {
                vm.print_exception(e);
            }
            vm.safepoint();
            continue;
        };
        action = repl.feed(&mut vm, b);
    }
}
