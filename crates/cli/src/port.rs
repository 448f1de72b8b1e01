//! The host port: console on stdin/stdout/stderr, files from the file system, Ctrl-C from
//! SIGINT (see `terminal`).

use std::io::Write;

use std::collections::HashMap;
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd};

use pyrite_core::port::{FileStat, FsResult, Input, MemoryUse, OpenMode, Port};

use crate::terminal;
use pyrite_repl::editor::{Completion, Editor, Event};

/// Flushes standard output.
pub fn flush() {
    let _ = std::io::stdout().flush();
}

/// The host's services.
pub struct HostPort {
    out: std::io::BufWriter<std::io::Stdout>,
    /// The line editor of `input()` on a terminal (its history is `input()`'s own).
    editor: Editor,
    /// Standard output is a terminal: flush at every newline, so output appears as printed.
    out_is_tty: bool,
    start: std::time::Instant,
    /// Open files by descriptor; `false` marks a descriptor the process already had
    /// (`open(2)`), which closing the file object must not close.
    files: HashMap<i32, (std::fs::File, bool)>,
    /// The simulated pyboard behind `machine` and `pyb` (as on the virtual board, without
    /// its event log).
    board: pyrite_sim::SimBoard,
    /// The capped memory's use, under `-X arena` (`micropython.mem_info()` prints it).
    pub arena: Option<fn() -> MemoryUse>,
}

/// The `errno` of an I/O error (`EIO` when the OS gave none).
fn errno(e: std::io::Error) -> i32 {
    e.raw_os_error().unwrap_or(5)
}

fn file_stat(m: &std::fs::Metadata) -> FileStat {
    use std::os::unix::fs::MetadataExt;
    FileStat {
        is_dir: m.is_dir(),
        size: m.len(),
        mtime: m.mtime().max(0) as u64,
        ino: m.ino(),
    }
}

impl HostPort {
    /// A port on the process' standard streams.
    pub fn new() -> HostPort {
        let start = std::time::Instant::now();
        let mut board = pyrite_sim::SimBoard::new();
        // The board's timers count on the port's clock.
        board.set_clock(move || start.elapsed().as_micros() as u64);
        HostPort {
            out: std::io::BufWriter::with_capacity(8192, std::io::stdout()),
            editor: Editor::new(),
            // SAFETY: `isatty` only inspects the descriptor.
            out_is_tty: unsafe { libc::isatty(libc::STDOUT_FILENO) == 1 },
            start,
            files: HashMap::new(),
            board,
            arena: None,
        }
    }
}

impl Port for HostPort {
    fn memory(&self) -> Option<MemoryUse> {
        self.arena.map(|usage| usage())
    }

    fn stdout(&mut self, data: &[u8]) {
        let _ = self.out.write_all(data);
        let newline = data.contains(&b'\n');
        if data.is_empty() || newline && (self.out_is_tty || self.out.buffer().len() > 4096) {
            let _ = self.out.flush();
        }
    }

    fn stderr(&mut self, data: &[u8]) {
        let _ = self.out.flush();
        let _ = std::io::stderr().write_all(data);
    }

    fn read_line(&mut self) -> Input {
        let _ = self.out.flush();
        let event = if terminal::stdin_is_tty() {
            terminal::edit_line(&mut self.editor, "", 0, &mut |_| Completion::None)
        } else {
            terminal::read_plain_line()
        };
        match event {
            Event::Line(line) => Input::Line(line),
            Event::Cancel => Input::Interrupted,
            Event::Eof => Input::Eof,
            // Ctrl-E means nothing to `input()`: an empty line.
            Event::Paste | Event::Raw | Event::Banner | Event::Complete(_) => {
                Input::Line(String::new())
            }
        }
    }

    fn interrupted(&mut self) -> bool {
        terminal::take_interrupt()
    }

    fn read_file(&mut self, path: &str) -> Option<Vec<u8>> {
        std::fs::read(path).ok()
    }

    fn is_dir(&mut self, path: &str) -> bool {
        std::path::Path::new(path).is_dir()
    }

    fn stdin_ready(&mut self) -> bool {
        let mut fds = libc::pollfd {
            fd: libc::STDIN_FILENO,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: `poll` reads and writes only the one `pollfd` passed, with a zero timeout.
        let n = unsafe { libc::poll(&mut fds, 1, 0) };
        // An error means the state is unknown: let the read find out.
        n != 0
    }

    fn platform(&self) -> &'static str {
        "linux"
    }

    fn has_fs(&self) -> bool {
        true
    }

    fn fs_open(&mut self, path: Option<&str>, fd: i32, mode: OpenMode) -> FsResult<i32> {
        let Some(path) = path else {
            if fd < 0 {
                return Err(9);
            }
            // SAFETY: `fcntl(F_GETFD)` only queries the descriptor.
            if unsafe { libc::fcntl(fd, libc::F_GETFD) } < 0 {
                return Err(9);
            }
            // SAFETY: the descriptor is open (checked above) and is never closed through this
            // `File`: `fs_close` releases it with `into_raw_fd`.
            let f = unsafe { std::fs::File::from_raw_fd(fd) };
            if let Some((old, false)) = self.files.insert(fd, (f, false)) {
                let _ = old.into_raw_fd();
            }
            return Ok(fd);
        };
        let f = std::fs::OpenOptions::new()
            .read(mode.read)
            .write(mode.write && !mode.append)
            .append(mode.append)
            .create(mode.create && !mode.exclusive)
            .create_new(mode.exclusive)
            .truncate(mode.truncate)
            .open(path)
            .map_err(errno)?;
        if f.metadata().map_err(errno)?.is_dir() {
            return Err(21);
        }
        let fd = f.as_raw_fd();
        self.files.insert(fd, (f, true));
        Ok(fd)
    }

    fn fs_read(&mut self, fd: i32, buf: &mut [u8]) -> FsResult<usize> {
        use std::io::Read;
        let (f, _) = self.files.get_mut(&fd).ok_or(9)?;
        f.read(buf).map_err(errno)
    }

    fn fs_write(&mut self, fd: i32, data: &[u8]) -> FsResult<usize> {
        if fd == 1 || fd == 2 {
            let _ = self.out.flush();
        }
        let (f, _) = self.files.get_mut(&fd).ok_or(9)?;
        f.write_all(data).map_err(errno)?;
        Ok(data.len())
    }

    fn fs_seek(&mut self, fd: i32, offset: i64, whence: u8) -> FsResult<u64> {
        use std::io::{Seek, SeekFrom};
        let (f, _) = self.files.get_mut(&fd).ok_or(9)?;
        let to = match whence {
            0 => SeekFrom::Start(u64::try_from(offset).map_err(|_| 22)?),
            1 => SeekFrom::Current(offset),
            _ => SeekFrom::End(offset),
        };
        f.seek(to).map_err(errno)
    }

    fn fs_flush(&mut self, fd: i32) -> FsResult<()> {
        let (f, _) = self.files.get_mut(&fd).ok_or(9)?;
        f.flush().map_err(errno)
    }

    fn fs_close(&mut self, fd: i32) -> FsResult<()> {
        match self.files.remove(&fd) {
            Some((f, false)) => {
                let _ = f.into_raw_fd();
            }
            Some((f, true)) => drop(f),
            None => {}
        }
        Ok(())
    }

    fn fs_stat(&mut self, path: &str) -> FsResult<FileStat> {
        std::fs::metadata(path)
            .map(|m| file_stat(&m))
            .map_err(errno)
    }

    fn fs_listdir(&mut self, path: &str) -> FsResult<Vec<(String, bool, u64)>> {
        use std::os::unix::fs::DirEntryExt;
        let path = if path.is_empty() { "." } else { path };
        let mut out = Vec::new();
        for e in std::fs::read_dir(path).map_err(errno)? {
            let e = e.map_err(errno)?;
            let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
            out.push((
                e.file_name().to_string_lossy().into_owned(),
                is_dir,
                e.ino(),
            ));
        }
        Ok(out)
    }

    fn fs_mkdir(&mut self, path: &str) -> FsResult<()> {
        std::fs::create_dir(path).map_err(errno)
    }

    fn fs_rmdir(&mut self, path: &str) -> FsResult<()> {
        std::fs::remove_dir(path).map_err(errno)
    }

    fn fs_remove(&mut self, path: &str) -> FsResult<()> {
        std::fs::remove_file(path).map_err(errno)
    }

    fn fs_rename(&mut self, from: &str, to: &str) -> FsResult<()> {
        std::fs::rename(from, to).map_err(errno)
    }

    fn fs_getcwd(&mut self) -> FsResult<String> {
        let d = std::env::current_dir().map_err(errno)?;
        Ok(d.to_string_lossy().into_owned())
    }

    fn fs_chdir(&mut self, path: &str) -> FsResult<()> {
        std::env::set_current_dir(path).map_err(errno)
    }

    fn fs_statvfs(&mut self, path: &str) -> FsResult<[u64; 10]> {
        let c = std::ffi::CString::new(if path.is_empty() { "." } else { path }).map_err(|_| 22)?;
        // SAFETY: `statvfs` writes only into the zeroed struct it is given; `c` is a valid C
        // string for the call.
        let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
        // SAFETY: as above.
        if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
            return Err(errno(std::io::Error::last_os_error()));
        }
        Ok([
            st.f_bsize as u64,
            st.f_frsize as u64,
            st.f_blocks as u64,
            st.f_bfree as u64,
            st.f_bavail as u64,
            st.f_files as u64,
            st.f_ffree as u64,
            st.f_favail as u64,
            st.f_flag as u64,
            st.f_namemax as u64,
        ])
    }

    fn hardware(&mut self) -> Option<&mut dyn pyrite_core::hardware::Hardware> {
        // Nobody reads the board's event log here; it keeps only its newest events.
        Some(&mut self.board)
    }

    fn urandom(&mut self, buf: &mut [u8]) -> bool {
        use std::io::Read;
        std::fs::File::open("/dev/urandom")
            .and_then(|mut f| f.read_exact(buf))
            .is_ok()
    }

    fn ticks_us(&mut self) -> u64 {
        self.start.elapsed().as_micros() as u64
    }

    fn time_ns(&mut self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    }

    fn utc_offset_s(&mut self, utc_secs: i64) -> i64 {
        // `time_t` is 32 bits on some hosts.
        #[allow(irrefutable_let_patterns)]
        let Ok(t) = libc::time_t::try_from(utc_secs) else {
            return 0;
        };
        // SAFETY: `localtime_r` writes only into the zeroed struct it is given.
        let mut tm: libc::tm = unsafe { std::mem::zeroed() };
        // SAFETY: as above; `t` lives for the call.
        if unsafe { libc::localtime_r(&t, &mut tm) }.is_null() {
            return 0;
        }
        tm.tm_gmtoff as i64
    }

    fn sleep_us(&mut self, us: u64) {
        // Sleep in slices so Ctrl-C (which sets the flag) ends the wait promptly.
        let end = std::time::Instant::now() + std::time::Duration::from_micros(us);
        loop {
            let now = std::time::Instant::now();
            if now >= end || terminal::interrupt_pending() {
                return;
            }
            std::thread::sleep((end - now).min(std::time::Duration::from_millis(10)));
        }
    }
}

impl Drop for HostPort {
    fn drop(&mut self) {
        let _ = self.out.flush();
    }
}
