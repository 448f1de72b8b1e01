//! File objects: what `open()` returns, `io.TextIOWrapper` in text mode and `io.FileIO` in
//! binary mode, as MicroPython names them.
//!
//! A file of the host reads and writes through the `Port` by descriptor. A file of the block
//! file system holds its contents in memory while open and commits them whole at `flush()` and
//! `close()`: the file system replaces the file atomically, so a power cut never leaves it half
//! old, half new.
//!
//! As MicroPython's file objects, a block file left open is closed for the program: when it
//! becomes garbage (its finaliser) and at a soft reset. The VM keeps a list of the open block
//! files ([`OpenFiles`]) that does not keep them alive. A collection that finds an unreachable
//! file with uncommitted changes keeps it one cycle longer, queued; the queue is closed from
//! the dispatch loop's periodic check (as scheduled callbacks are) or by `gc.collect()`,
//! never inside an allocation, because committing runs the block device's methods, which may
//! be Python.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use super::errno::{EBADF, EINVAL};
use super::os_error;
use crate::heap::Heap;
use crate::native::{self, table, Kw, PyResult};
use crate::object::{HeapObj, IterObj};
use crate::port::OpenMode;
use crate::qstr::q;
use crate::value::Obj;
use crate::vm::Vm;

/// An open (or closed) file.
pub struct FileObj {
    /// Text mode: reads give `str`, writes take `str`.
    pub text: bool,
    /// `close()` was called.
    pub closed: bool,
    /// Where the bytes are.
    pub backend: FileBackend,
}

/// Where a file's bytes are.
pub enum FileBackend {
    /// A descriptor of the host's port.
    Host {
        /// The descriptor (`fileno()`).
        fd: i32,
    },
    /// A file of a block file system, held in memory while open.
    Block {
        /// The file system object.
        vfs: Obj,
        /// The path inside it.
        path: String,
        /// The contents.
        data: Vec<u8>,
        /// The position.
        pos: usize,
        /// Changed since the last commit.
        dirty: bool,
        /// How it was opened.
        mode: OpenMode,
        /// On a `VfsFat` (whose files print as `<io.TextIOWrapper >`).
        fat: bool,
    },
}

/// A parsed `open()` mode.
#[derive(Clone, Copy)]
pub struct Mode {
    /// Text (else binary).
    pub text: bool,
    kind: u8,
    plus: bool,
}

impl Mode {
    /// Parses `"r"`, `"wb"`, `"a+"`...; `None` if it is not a mode.
    pub fn parse(s: &str) -> Option<Mode> {
        let mut m = Mode {
            text: true,
            kind: 0,
            plus: false,
        };
        for c in s.bytes() {
            match c {
                b'r' | b'w' | b'a' | b'x' if m.kind == 0 => m.kind = c,
                b'b' => m.text = false,
                b't' => m.text = true,
                b'+' => m.plus = true,
                _ => return None,
            }
        }
        if m.kind == 0 {
            m.kind = b'r';
        }
        Some(m)
    }

    /// The port's view of the mode.
    pub fn open_mode(&self) -> OpenMode {
        let r = self.kind == b'r';
        OpenMode {
            read: r || self.plus,
            write: !r || self.plus,
            create: !r,
            truncate: self.kind == b'w',
            append: self.kind == b'a',
            exclusive: self.kind == b'x',
        }
    }
}

/// A new file object.
pub fn new_file(vm: &mut Vm, text: bool, backend: FileBackend) -> PyResult<Obj> {
    let block = matches!(backend, FileBackend::Block { .. });
    let o = vm.alloc(HeapObj::File(Box::new(FileObj {
        text,
        closed: false,
        backend,
    })))?;
    if block {
        vm.vfs.files.open.push(o);
    }
    Ok(o)
}

/// The open block files, for closing them when the program does not.
#[derive(Default)]
pub struct OpenFiles {
    /// Every open block file. Not roots: the collector drops the ones that become garbage
    /// before it sweeps, so none of these ever names a freed slot.
    open: Vec<Obj>,
    /// Garbage block files with uncommitted changes, kept alive until they are closed.
    closing: Vec<Obj>,
}

impl OpenFiles {
    /// Calls `f` with every object the list keeps alive (for the collector).
    pub fn trace(&self, f: &mut dyn FnMut(Obj)) {
        self.closing.iter().for_each(|&o| f(o));
    }

    /// The collector's step between marking and sweeping: unreachable files with changes to
    /// commit are kept (marked, with what they refer to) and queued for closing; the other
    /// unreachable ones are forgotten. Whether any file was queued.
    pub fn sweep(&mut self, heap: &mut Heap) -> bool {
        let mut queued = false;
        for i in 0..self.open.len() {
            let o = self.open[i];
            if heap.is_marked(o) || !needs_commit(heap, o) {
                continue;
            }
            heap.mark(o);
            self.closing.push(o);
            queued = true;
        }
        // Queued files are marked now, and so is anything they keep alive, so this keeps
        // exactly the files that survive the sweep, less those queued.
        let closing = &self.closing;
        self.open
            .retain(|&o| heap.is_marked(o) && !closing.contains(&o));
        queued
    }

    /// Whether files wait to be closed.
    #[inline]
    pub fn has_queued(&self) -> bool {
        !self.closing.is_empty()
    }
}

/// Whether `o` is an open block file with changes not yet committed.
fn needs_commit(heap: &Heap, o: Obj) -> bool {
    match heap.get(o) {
        Some(HeapObj::File(f)) => {
            !f.closed && matches!(f.backend, FileBackend::Block { dirty: true, .. })
        }
        _ => false,
    }
}

/// The file system object of block file `o`, if it is one.
fn block_vfs(vm: &Vm, o: Obj) -> Option<Obj> {
    match vm.heap.get(o) {
        Some(HeapObj::File(f)) => match f.backend {
            FileBackend::Block { vfs, .. } => Some(vfs),
            FileBackend::Host { .. } => None,
        },
        _ => None,
    }
}

/// Closes the garbage files the collector queued (their finalisers), as far as it can now:
/// a file whose file system is in the middle of an operation (this runs between bytecodes,
/// perhaps inside a block device method) waits, and so does everything while the heap is
/// locked. As MicroPython, an error is printed and the program goes on.
pub fn run_finalisers(vm: &mut Vm) {
    while let Some(&o) = vm.vfs.files.closing.first() {
        if vm.mp.heap_locked() || block_vfs(vm, o).is_some_and(|v| super::fs::block_busy(vm, v)) {
            return;
        }
        // Rooted while it closes, then free at the next collection.
        vm.roots.push(o);
        vm.vfs.files.closing.remove(0);
        let young = vm.heap.young_mark();
        if let Err(e) = file_close(vm, &[o], &[]) {
            // To stdout, as MicroPython prints an exception a finaliser raises.
            let text = vm.format_exception(e);
            vm.port.stdout(text.as_bytes());
        }
        // What closing allocated is garbage now; many files must not add up.
        vm.heap.safepoint(young);
        vm.roots.pop();
    }
}

/// Closes every open block file, committing its changes, errors ignored: what a soft reset
/// does before it discards the heap, as MicroPython's `gc_sweep_all()` runs the finalisers
/// of all files, reachable or not.
pub fn close_all(vm: &mut Vm) {
    let files = &mut vm.vfs.files;
    let mut all = core::mem::take(&mut files.closing);
    all.append(&mut files.open);
    // Rooted while block device methods (perhaps Python) run.
    let base = vm.roots.len();
    vm.roots.extend_from_slice(&all);
    for o in all {
        let young = vm.heap.young_mark();
        let _ = file_close(vm, &[o], &[]);
        vm.heap.safepoint(young);
    }
    vm.roots.truncate(base);
}

fn file_mut(vm: &mut Vm, o: Obj) -> PyResult<&mut FileObj> {
    let (closed, host, fat) = match vm.heap.get(o) {
        Some(HeapObj::File(f)) => (
            f.closed,
            matches!(f.backend, FileBackend::Host { .. }),
            matches!(f.backend, FileBackend::Block { fat: true, .. }),
        ),
        _ => raise!(vm, TYPE_ERROR, "expected a file"),
    };
    // As MicroPython: a closed host file is a ValueError with a message, a closed littlefs
    // file a bare ValueError, a closed FAT file `OSError(EINVAL)`.
    if closed && host {
        raise!(vm, VALUE_ERROR, "I/O operation on closed file");
    }
    if closed && fat {
        return Err(os_error(vm, EINVAL));
    }
    if closed {
        raise!(vm, VALUE_ERROR, "");
    }
    match vm.heap.get_mut(o) {
        Some(HeapObj::File(f)) => Ok(f),
        _ => Err(Obj::NONE),
    }
}

fn self_arg(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    match args.first() {
        Some(&o) => Ok(o),
        None => raise!(vm, TYPE_ERROR, "missing self"),
    }
}

/// Reads up to `n` bytes (all the rest for `None`).
fn read_bytes(vm: &mut Vm, o: Obj, n: Option<usize>) -> PyResult<Vec<u8>> {
    let f = file_mut(vm, o)?;
    match &mut f.backend {
        FileBackend::Block {
            data, pos, mode, ..
        } => {
            if !mode.read {
                return Err(os_error(vm, EBADF));
            }
            let start = (*pos).min(data.len());
            let end = n.map_or(data.len(), |n| start.saturating_add(n).min(data.len()));
            let out = data[start..end].to_vec();
            *pos = end.max(*pos);
            Ok(out)
        }
        &mut FileBackend::Host { fd } => {
            let mut out = Vec::new();
            let mut chunk = [0u8; 512];
            loop {
                let want = n.map_or(chunk.len(), |n| (n - out.len()).min(chunk.len()));
                if want == 0 {
                    break;
                }
                let r = vm.port.fs_read(fd, &mut chunk[..want]);
                let got = r.map_err(|e| os_error(vm, e))?;
                if got == 0 {
                    break;
                }
                vm.charge(got)?;
                out.extend_from_slice(&chunk[..got]);
            }
            Ok(out)
        }
    }
}

/// A `str` or `bytes` of `b`, as the file's mode says.
fn result(vm: &mut Vm, text: bool, b: Vec<u8>) -> PyResult<Obj> {
    if !text {
        return crate::obj::bytes::new_bytes(vm, b);
    }
    match String::from_utf8(b) {
        Ok(s) => vm.new_string(s),
        Err(e) => {
            let s = String::from_utf8_lossy(e.as_bytes()).into_owned();
            vm.new_string(s)
        }
    }
}

fn is_text(vm: &mut Vm, o: Obj) -> PyResult<bool> {
    Ok(file_mut(vm, o)?.text)
}

fn size_arg(vm: &mut Vm, args: &[Obj]) -> PyResult<Option<usize>> {
    match args.get(1) {
        Some(&n) if n != Obj::NONE => {
            let n = vm.index_value(n)?;
            Ok(usize::try_from(n).ok())
        }
        _ => Ok(None),
    }
}

fn file_read(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = self_arg(vm, args)?;
    let n = size_arg(vm, args)?;
    let text = is_text(vm, o)?;
    let mut b = read_bytes(vm, o, n)?;
    if let (true, Some(n)) = (text, n) {
        // `n` counts characters: read on until that many are whole.
        loop {
            let chars = b.iter().filter(|&&c| c & 0xc0 != 0x80).count();
            let partial = match core::str::from_utf8(&b) {
                Ok(_) => false,
                Err(e) => e.error_len().is_none(),
            };
            if chars >= n && !partial {
                break;
            }
            let more = read_bytes(vm, o, Some(if partial { 1 } else { n - chars }))?;
            if more.is_empty() {
                break;
            }
            b.extend_from_slice(&more);
        }
    }
    result(vm, text, b)
}

fn file_readline(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = self_arg(vm, args)?;
    let limit = size_arg(vm, args)?;
    let text = is_text(vm, o)?;
    let f = file_mut(vm, o)?;
    let line = match &mut f.backend {
        FileBackend::Block { data, pos, .. } => {
            let start = (*pos).min(data.len());
            let mut end = data[start..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(data.len(), |i| start + i + 1);
            if let Some(l) = limit {
                end = end.min(start.saturating_add(l));
            }
            let out = data[start..end].to_vec();
            *pos = end.max(*pos);
            out
        }
        FileBackend::Host { .. } => {
            let mut out = Vec::new();
            while limit.is_none_or(|l| out.len() < l) {
                let b = read_bytes(vm, o, Some(1))?;
                let Some(&c) = b.first() else { break };
                out.push(c);
                if c == b'\n' {
                    break;
                }
            }
            out
        }
    };
    result(vm, text, line)
}

fn file_readlines(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let o = self_arg(vm, args)?;
    let list = vm.new_list(Vec::new())?;
    loop {
        let line = file_readline(vm, &[o], kw)?;
        let empty = match vm.heap.get(line) {
            Some(HeapObj::Bytes(b)) => b.is_empty(),
            _ => vm.str_of(line).is_some_and(str::is_empty),
        };
        if empty {
            return Ok(list);
        }
        vm.list_append(list, line)?;
    }
}

fn file_readinto(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [o, buf, rest @ ..] = args else {
        raise!(vm, TYPE_ERROR, "readinto() takes a buffer");
    };
    let mut room = crate::obj::memoryview::typed_buffer(vm, *buf).map_or(0, |(_, b)| b.len());
    if let Some(&n) = rest.first() {
        room = room.min(usize::try_from(vm.index_value(n)?).unwrap_or(0));
    }
    let chunk = read_bytes(vm, *o, Some(room))?;
    let Some(n) = crate::obj::memoryview::fill_buffer(vm, *buf, &chunk) else {
        raise!(vm, TYPE_ERROR, "object with buffer protocol required");
    };
    vm.new_int(n as i64)
}

fn file_write(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [o, v, ..] = args else {
        raise!(vm, TYPE_ERROR, "write() takes a buffer");
    };
    let text = is_text(vm, *o)?;
    let bytes = match vm.str_of(*v) {
        Some(s) if text => s.as_bytes().to_vec(),
        _ if text => {
            let t = String::from(vm.type_name(*v));
            raise!(
                vm,
                TYPE_ERROR,
                "can't convert '{}' object to str implicitly",
                t
            )
        }
        Some(s) => s.as_bytes().to_vec(),
        None => crate::obj::bytes::buffer_of(vm, *v)?,
    };
    let (grow, end, vfs) = match &file_mut(vm, *o)?.backend {
        FileBackend::Block {
            data,
            pos,
            mode,
            vfs,
            ..
        } => {
            let at = if mode.append { data.len() } else { *pos };
            let end = at.saturating_add(bytes.len());
            (end.saturating_sub(data.len()), end, Some(*vfs))
        }
        FileBackend::Host { .. } => (0, 0, None),
    };
    if let Some(vfs) = vfs {
        if grow > 0 && !super::fs::block_fits(vm, vfs, end)? {
            return Err(os_error(vm, super::errno::ENOSPC));
        }
    }
    vm.charge(grow)?;
    let f = file_mut(vm, *o)?;
    match &mut f.backend {
        FileBackend::Block {
            data,
            pos,
            dirty,
            mode,
            ..
        } => {
            if !mode.write {
                return Err(os_error(vm, EBADF));
            }
            if mode.append {
                *pos = data.len();
            }
            let end = *pos + bytes.len();
            if data.len() < end {
                data.resize(end, 0);
            }
            data[*pos..end].copy_from_slice(&bytes);
            *pos = end;
            *dirty = true;
        }
        &mut FileBackend::Host { fd } => {
            let r = vm.port.fs_write(fd, &bytes);
            r.map_err(|e| os_error(vm, e))?;
        }
    }
    vm.new_int(bytes.len() as i64)
}

fn file_seek(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let (o, off, whence) = crate::modules::io::seek_args(vm, args)?;
    let f = file_mut(vm, o)?;
    let new = match &mut f.backend {
        FileBackend::Block { data, pos, .. } => {
            let Some(new) = crate::modules::io::seek_position(*pos, data.len(), off, whence) else {
                return Err(os_error(vm, EINVAL));
            };
            *pos = new;
            new as i64
        }
        &mut FileBackend::Host { fd } => {
            let r = vm.port.fs_seek(fd, off, whence.clamp(0, 2) as u8);
            r.map_err(|e| os_error(vm, e))? as i64
        }
    };
    vm.new_int(new)
}

fn file_tell(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let o = self_arg(vm, args)?;
    file_seek(
        vm,
        &[o, Obj::small_int_unchecked(0), Obj::small_int_unchecked(1)],
        kw,
    )
}

/// Writes a block file's changes through to its file system.
fn commit(vm: &mut Vm, o: Obj) -> PyResult<()> {
    let f = file_mut(vm, o)?;
    match &mut f.backend {
        FileBackend::Block {
            vfs,
            path,
            data,
            dirty: dirty @ true,
            ..
        } => {
            *dirty = false;
            let (vfs, path, data) = (*vfs, path.clone(), data.clone());
            super::fs::block_commit(vm, vfs, &path, &data)
        }
        &mut FileBackend::Host { fd } => {
            let r = vm.port.fs_flush(fd);
            r.map_err(|e| os_error(vm, e))
        }
        _ => Ok(()),
    }
}

fn file_flush(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = self_arg(vm, args)?;
    commit(vm, o)?;
    Ok(Obj::NONE)
}

fn file_close(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = self_arg(vm, args)?;
    if matches!(vm.heap.get(o), Some(HeapObj::File(f)) if f.closed) {
        return Ok(Obj::NONE);
    }
    let r = commit(vm, o);
    if let Some(HeapObj::File(f)) = vm.heap.get_mut(o) {
        f.closed = true;
        match &mut f.backend {
            FileBackend::Block { data, .. } => {
                *data = Vec::new();
                vm.vfs.files.open.retain(|&x| x != o);
            }
            &mut FileBackend::Host { fd } => {
                let _ = vm.port.fs_close(fd);
            }
        }
    }
    r?;
    Ok(Obj::NONE)
}

fn file_fileno(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let o = self_arg(vm, args)?;
    match file_mut(vm, o)?.backend {
        FileBackend::Host { fd } => Ok(Obj::small_int_unchecked(fd)),
        FileBackend::Block { .. } => Err(os_error(vm, EINVAL)),
    }
}

fn file_enter(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    self_arg(vm, args)
}

fn file_exit(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let o = self_arg(vm, args)?;
    file_close(vm, &[o], kw)
}

/// `iter(file)`: its lines.
pub fn file_iter(vm: &mut Vm, o: Obj) -> PyResult<Obj> {
    let text = is_text(vm, o)?;
    let Some((readline, _)) = native::lookup(table::FILE, "readline") else {
        raise!(vm, RUNTIME_ERROR, "readline missing");
    };
    let sentinel = if text {
        Obj::qstr(q::EMPTY)
    } else {
        crate::obj::bytes::new_bytes(vm, Vec::new())?
    };
    let func = vm.alloc(HeapObj::NativeBound(o, readline))?;
    vm.new_iter(IterObj::Callable { func, sentinel })
}

/// `repr(file)`: `<io.TextIOWrapper 3>` for a descriptor, as MicroPython's unix port.
pub fn file_repr(f: &FileObj) -> String {
    let name = if f.text { "TextIOWrapper" } else { "FileIO" };
    match f.backend {
        FileBackend::Host { fd } => alloc::format!("<io.{} {}>", name, fd),
        FileBackend::Block { fat: true, .. } => alloc::format!("<io.{} >", name),
        FileBackend::Block { .. } => alloc::format!("<io.{}>", name),
    }
}

/// The file's type: `ty::TEXT_FILE` or `ty::FILE_IO`.
pub fn file_type(f: &FileObj) -> u16 {
    if f.text {
        crate::types::ty::TEXT_FILE
    } else {
        crate::types::ty::FILE_IO
    }
}

crate::native_table!(pub METHODS = [
    ("__enter__", file_enter),
    ("__exit__", file_exit),
    ("close", file_close),
    ("fileno", file_fileno),
    ("flush", file_flush),
    ("read", file_read),
    ("readinto", file_readinto),
    ("readline", file_readline),
    ("readlines", file_readlines),
    ("seek", file_seek),
    ("tell", file_tell),
    ("write", file_write),
]);
