//! The virtual board: `pyrite --board tcp:HOST:PORT` or `pyrite --board pty`.
//!
//! A simulated pyboard whose serial port is a TCP socket or a pseudo-terminal. Behind it is the
//! board's REPL state machine (`pyrite-repl`), exactly as on the firmware: every received byte
//! goes to `Repl::feed`, and everything the board says goes back out, so mpremote, Thonny and
//! the IDE's link drive it as they drive a MicroPython board. Its file system is a host folder
//! mounted at `/`.
//!
//! Threads: one reads the serial side and queues bytes; the main thread runs the REPL, and its
//! console (`pyrite_repl::console`, the firmware's and the browser worker's too) takes them in,
//! turning the interrupt character into the interrupt flag while code runs. A client may
//! disconnect and another connect: the board keeps running, and what it prints while nobody
//! listens is dropped, as on a USB serial port with no host.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use pyrite_core::hardware::{Hardware, ResetKind};
use pyrite_core::port::{FileStat, FsResult, Port};
use pyrite_core::Vm;
use pyrite_repl::console::{self, Console, Pacing};
use pyrite_repl::{BoardInfo, Repl};

use crate::port::HostPort;

/// The virtual board's heap when `-X heapsize` is not given.
pub const DEFAULT_HEAP: usize = 256 * 1024;

/// The most bytes the board keeps of a raw-REPL program.
const MAX_SOURCE: usize = 1 << 20;

/// How the console batches output (at most 10 ms late while a program runs) and looks for
/// input (at every poll: a lock and a clock read are cheap here).
const PACING: Pacing = Pacing {
    flush_bytes: 4096,
    flush_us: 10_000,
    poll_every: 1,
};

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

/// State shared by the reader thread and the board.
struct Shared {
    /// Bytes received and not yet taken in by the console.
    input: Mutex<VecDeque<u8>>,
    arrived: Condvar,
    /// Where output goes: the connected client, if any.
    writer: Mutex<Option<Box<dyn Write + Send>>>,
}

impl Shared {
    /// Queues received bytes.
    fn receive(&self, data: &[u8]) {
        let mut q = self.input.lock().unwrap_or_else(|e| e.into_inner());
        q.extend(data);
        self.arrived.notify_all();
    }

    /// Waits until a received byte waits, or `timeout` passes.
    fn wait(&self, timeout: Duration) {
        let q = self.input.lock().unwrap_or_else(|e| e.into_inner());
        if q.is_empty() {
            let _ = self.arrived.wait_timeout(q, timeout);
        }
    }
}

/// The board's end of the serial link, and the simulated pyboard, whose visible changes are
/// logged at the console's flush points.
struct Link {
    shared: Arc<Shared>,
    start: Instant,
    /// The simulated pyboard: LEDs, pins, switch, I2C devices.
    board: Box<pyrite_sim::SimBoard>,
}

impl console::Serial for Link {
    fn receive(&mut self, buf: &mut [u8]) -> usize {
        let mut q = self.shared.input.lock().unwrap_or_else(|e| e.into_inner());
        let n = q.len().min(buf.len());
        for (slot, b) in buf.iter_mut().zip(q.drain(..n)) {
            *slot = b;
        }
        n
    }

    /// Writes to the client (dropped if none is connected), then prints what the program
    /// visibly changed on the board (`led 1 255`, `pin X1 1`) on standard error, one line
    /// each, for whoever watches the board (and for tests).
    fn send(&mut self, data: &[u8]) {
        if !data.is_empty() {
            let mut w = self.shared.writer.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(writer) = w.as_mut() {
                if writer.write_all(data).and_then(|_| writer.flush()).is_err() {
                    *w = None;
                }
            }
        }
        for event in self.board.take_events() {
            eprintln!("{event}");
        }
    }

    fn wait(&mut self, us: u64) {
        self.shared.wait(Duration::from_micros(us));
    }

    fn ticks_us(&mut self) -> u64 {
        self.start.elapsed().as_micros() as u64
    }
}

/// The board's port: the serial link for the console, the host for files and time, the
/// simulated pyboard for `machine` and `pyb`.
struct BoardPort {
    console: Console<Link>,
    host: HostPort,
}

impl Port for BoardPort {
    pyrite_repl::console_port!(console, host);

    fn platform(&self) -> &'static str {
        "pyboard"
    }

    fn ticks_us(&mut self) -> u64 {
        self.host.ticks_us()
    }

    fn time_ns(&mut self) -> u64 {
        self.host.time_ns()
    }

    fn has_fs(&self) -> bool {
        true
    }

    fn fs_seek(&mut self, fd: i32, offset: i64, whence: u8) -> FsResult<u64> {
        self.host.fs_seek(fd, offset, whence)
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
        Some(self.console.serial().board.as_mut())
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
        writer: Mutex::new(None),
    });
    let served = match &opts.serial {
        Serial::Tcp(addr) => serve_tcp(shared.clone(), addr),
        Serial::Pty => serve_pty(shared.clone()),
    };
    if let Err(e) = served {
        eprintln!("pyrite board: {e}");
        return 1;
    }
    let start = Instant::now();
    let mut board = Box::new(pyrite_sim::SimBoard::new());
    board.set_clock(move || start.elapsed().as_micros() as u64);
    let link = Link {
        shared: shared.clone(),
        start,
        board,
    };
    let port = BoardPort {
        console: Console::new(link, PACING),
        host: HostPort::new(),
    };
    let mut vm = Vm::new(opts.heap, Box::new(port));
    vm.heap.stress = opts.gc_stress;
    mount_fs(&mut vm, &storage);
    let repl = Repl::new(BoardInfo {
        board: "Pyrite virtual pyboard",
        mcu: "STM32F405RG",
        max_source: MAX_SOURCE,
    });
    pyrite_repl::board_loop::run(&mut vm, repl, &mut VirtualBoard { shared, storage })
}

/// The virtual board's part of the main loop.
struct VirtualBoard {
    shared: Arc<Shared>,
    storage: Storage,
}

impl pyrite_repl::board_loop::Board for VirtualBoard {
    /// Every reset is a soft one here (there is no chip to restart): a fresh VM, the files
    /// mounted again.
    fn reset(&mut self, vm: &mut Vm, kind: ResetKind) {
        if kind == ResetKind::Bootloader {
            eprintln!("pyrite board: bootloader requested; restarting instead");
        }
        mount_fs(vm, &self.storage);
    }

    /// Waits up to 10 ms for a byte from the serial link.
    fn idle(&mut self, _vm: &mut Vm) {
        self.shared.wait(Duration::from_millis(10));
    }
}
