//! The port: the only way the core touches the world.
//!
//! The host CLI, the browser worker and the firmware each implement `Port`. Everything has a
//! default so a port only supplies what its target has.

use alloc::string::String;
use alloc::vec::Vec;

/// What reading a line of input gave.
pub enum Input {
    /// A line, without its newline.
    Line(String),
    /// End of input (`EOFError`).
    Eof,
    /// Ctrl-C while waiting (`KeyboardInterrupt`).
    Interrupted,
}

/// How `Port::fs_open` opens a file.
#[derive(Clone, Copy, Debug, Default)]
pub struct OpenMode {
    /// Reading is allowed.
    pub read: bool,
    /// Writing is allowed.
    pub write: bool,
    /// Create the file if missing.
    pub create: bool,
    /// Empty the file on opening.
    pub truncate: bool,
    /// Every write goes to the end.
    pub append: bool,
    /// Fail if the file exists (`"x"`).
    pub exclusive: bool,
}

/// What `Port::fs_stat` tells about a file.
#[derive(Clone, Copy, Debug, Default)]
pub struct FileStat {
    /// A directory (else a regular file).
    pub is_dir: bool,
    /// Size in bytes.
    pub size: u64,
    /// Modification time in seconds since the Epoch.
    pub mtime: u64,
    /// The inode number, 0 if none.
    pub ino: u64,
}

/// A port's file system result: an error is an `errno` number (`vfs::errno`).
pub type FsResult<T> = Result<T, i32>;

/// `ENODEV`: what a port without a file system answers.
const NO_FS: i32 = 19;

/// The services a target gives the interpreter.
pub trait Port {
    /// Writes to standard output.
    fn stdout(&mut self, data: &[u8]);

    /// Writes to standard error (tracebacks); standard output by default, as on a board.
    fn stderr(&mut self, data: &[u8]) {
        self.stdout(data)
    }

    /// Reads one line for `input()`.
    fn read_line(&mut self) -> Input {
        Input::Eof
    }

    /// Whether Ctrl-C was pressed since the last call (the VM polls this at backward jumps and
    /// calls, and raises `KeyboardInterrupt`).
    fn interrupted(&mut self) -> bool {
        false
    }

    /// Sets the byte that interrupts running code (Ctrl-C, 3), or `None` when nothing is running
    /// or `micropython.kbd_intr(-1)` turned it off: MicroPython's `mp_hal_set_interrupt_char`.
    /// A port whose input arrives in the background (a UART interrupt, a reader thread) checks
    /// each byte against it and, on a match, flags the interrupt instead of queueing the byte.
    fn set_interrupt_char(&mut self, _c: Option<u8>) {}

    /// The contents of a file, for `import` (and `open` until the `os` module has a VFS).
    fn read_file(&mut self, _path: &str) -> Option<Vec<u8>> {
        None
    }

    /// Whether `path` is a directory (a package, for `import`).
    fn is_dir(&mut self, _path: &str) -> bool {
        false
    }

    /// Whether a read of standard input would return at once (data or end of input); ports
    /// that cannot tell say yes, and a read may then block.
    fn stdin_ready(&mut self) -> bool {
        true
    }

    /// `sys.platform`.
    fn platform(&self) -> &'static str {
        "pyrite"
    }

    /// Milliseconds since some fixed point.
    fn ticks_ms(&mut self) -> u64 {
        self.ticks_us() / 1000
    }

    /// Microseconds since some fixed point.
    fn ticks_us(&mut self) -> u64 {
        0
    }

    /// Nanoseconds since the Epoch (1970-01-01 UTC), or since start-up where there is no
    /// clock.
    fn time_ns(&mut self) -> u64 {
        self.ticks_us().saturating_mul(1000)
    }

    /// The local zone's offset from UTC in seconds (east positive) at `utc_secs` seconds
    /// after the Epoch, for `time.localtime`; UTC by default.
    fn utc_offset_s(&mut self, _utc_secs: i64) -> i64 {
        0
    }

    /// A seed for `random` when the program gives none (the clock by default; a port with a
    /// hardware generator should use it).
    fn random_seed(&mut self) -> u64 {
        self.time_ns() ^ self.ticks_us().rotate_left(32)
    }

    /// Waits `us` microseconds (a port may return early on Ctrl-C; the VM checks).
    fn sleep_us(&mut self, us: u64) {
        let end = self.ticks_us().saturating_add(us);
        while self.ticks_us() < end && !self.interrupted() {}
    }

    // ---- the host folder (`vfs.VfsPosix`); paths are the port's own ----

    /// Whether the port has a folder to mount at `/` at start-up.
    fn has_fs(&self) -> bool {
        false
    }

    /// Opens `path`, or descriptor `fd` when `path` is `None`; the handle is the file's
    /// descriptor number (`fileno()`).
    fn fs_open(&mut self, _path: Option<&str>, _fd: i32, _mode: OpenMode) -> FsResult<i32> {
        Err(NO_FS)
    }

    /// Reads into `buf`; 0 at the end of the file.
    fn fs_read(&mut self, _fd: i32, _buf: &mut [u8]) -> FsResult<usize> {
        Err(NO_FS)
    }

    /// Writes `data`, all of it.
    fn fs_write(&mut self, _fd: i32, _data: &[u8]) -> FsResult<usize> {
        Err(NO_FS)
    }

    /// Moves the position (`whence` 0 start, 1 current, 2 end); the new position.
    fn fs_seek(&mut self, _fd: i32, _offset: i64, _whence: u8) -> FsResult<u64> {
        Err(NO_FS)
    }

    /// Pushes buffered writes to the storage.
    fn fs_flush(&mut self, _fd: i32) -> FsResult<()> {
        Ok(())
    }

    /// Closes the file.
    fn fs_close(&mut self, _fd: i32) -> FsResult<()> {
        Ok(())
    }

    /// Facts about `path`.
    fn fs_stat(&mut self, _path: &str) -> FsResult<FileStat> {
        Err(NO_FS)
    }

    /// The entries of directory `path`: name, whether a directory, inode number.
    fn fs_listdir(&mut self, _path: &str) -> FsResult<Vec<(String, bool, u64)>> {
        Err(NO_FS)
    }

    /// Makes directory `path`.
    fn fs_mkdir(&mut self, _path: &str) -> FsResult<()> {
        Err(NO_FS)
    }

    /// Removes the empty directory `path`.
    fn fs_rmdir(&mut self, _path: &str) -> FsResult<()> {
        Err(NO_FS)
    }

    /// Removes file `path`.
    fn fs_remove(&mut self, _path: &str) -> FsResult<()> {
        Err(NO_FS)
    }

    /// Renames `from` to `to`, replacing `to`.
    fn fs_rename(&mut self, _from: &str, _to: &str) -> FsResult<()> {
        Err(NO_FS)
    }

    /// The process' current directory.
    fn fs_getcwd(&mut self) -> FsResult<String> {
        Err(NO_FS)
    }

    /// Changes the process' current directory.
    fn fs_chdir(&mut self, _path: &str) -> FsResult<()> {
        Err(NO_FS)
    }

    /// `statvfs` of the file system holding `path`: bsize, frsize, blocks, bfree, bavail,
    /// files, ffree, favail, flag, namemax.
    fn fs_statvfs(&mut self, _path: &str) -> FsResult<[u64; 10]> {
        Err(NO_FS)
    }

    /// Fills `buf` with random bytes (`os.urandom`); a port without a source of entropy
    /// leaves the core's generator to do it.
    fn urandom(&mut self, _buf: &mut [u8]) -> bool {
        false
    }

    /// The board's peripherals (`machine`, `pyb`); `None` where there are none.
    fn hardware(&mut self) -> Option<&mut dyn crate::hardware::Hardware> {
        None
    }

    /// The memory the heap lives in, where the port knows it (a board's allocator):
    /// `micropython.mem_info()` prints it.
    fn memory(&self) -> Option<MemoryUse> {
        None
    }
}

/// A board's memory for the VM: the allocator's arena, which holds the heap and what lives
/// beside it (the compiler's working memory, frames, buffers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryUse {
    /// The arena's size in bytes.
    pub total: usize,
    /// The bytes allocated now.
    pub used: usize,
    /// The most bytes ever allocated at once.
    pub peak: usize,
}
