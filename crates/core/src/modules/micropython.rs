//! `micropython`: MicroPython's own module: `const`, the optimisation level, memory
//! statistics, the heap lock, and the scheduler.

use alloc::string::String;
use alloc::vec::Vec;

use crate::native::{Kw, PyResult};
use crate::value::Obj;
use crate::vm::Vm;

/// How many callbacks `micropython.schedule` may queue (MicroPython's
/// `MICROPY_SCHEDULER_DEPTH`).
const SCHEDULER_DEPTH: usize = 4;

/// The largest single object an exception may allocate with the heap locked or full (the
/// size of MicroPython's emergency exception buffer).
pub const EMERGENCY_MAX_OBJECT: usize = 256;
/// How many bytes past the heap's limit exceptions may overdraw when it is full.
pub const EMERGENCY_RESERVE: usize = 1024;

/// The module's state, held by the VM.
#[derive(Default)]
pub struct MpState {
    /// How many `heap_lock()` calls are not yet undone; while nonzero, allocation fails.
    lock_depth: u32,
    /// `heap.stress` before the lock (the lock forces the allocator's slow path).
    stress_before: bool,
    /// `micropython.opt_level()`: what `compile()`, `exec()` and imports compile with.
    pub(crate) opt_level: u8,
    /// Scheduled callbacks and their arguments, in pairs, oldest first.
    queue: Vec<Obj>,
    /// A scheduled callback is running (the scheduler is locked).
    running: bool,
    /// Bytes freed by collections so far (`mem_total` is this plus what is in use).
    freed: usize,
    /// The most bytes in use seen (sampled before each collection).
    peak: usize,
    /// An exception is being built: allocation ignores the heap lock (see
    /// `Vm::with_emergency`).
    pub(crate) emergency: bool,
}

impl MpState {
    /// Whether `micropython.heap_lock()` is in force.
    #[inline]
    pub fn heap_locked(&self) -> bool {
        self.lock_depth != 0
    }

    /// The objects the module keeps alive (queued callbacks and arguments).
    pub fn roots(&self) -> core::slice::Iter<'_, Obj> {
        self.queue.iter()
    }

    /// Records a collection that took the heap from `before` to `after` bytes in use.
    pub fn note_sweep(&mut self, before: usize, after: usize) {
        self.peak = self.peak.max(before);
        self.freed = self.freed.saturating_add(before.saturating_sub(after));
    }
}

/// Undoes this module's state for a soft reset, before files are closed (which allocates and
/// may run Python): the heap lock is lifted and scheduled callbacks are dropped.
pub(crate) fn release(vm: &mut Vm) {
    if vm.mp.lock_depth != 0 {
        vm.heap.stress = vm.mp.stress_before;
    }
    vm.mp = MpState::default();
}

/// Whether `obj` may be allocated while the heap is locked: the objects MicroPython keeps
/// on the C stack or never makes (the iterator and range of a `for` loop, slices of a
/// subscript, bound methods and `super()` of a method call), and the exception object
/// that its emergency exception buffer provides.
pub fn lock_exempt(obj: &crate::object::HeapObj) -> bool {
    use crate::object::HeapObj as H;
    matches!(
        obj,
        H::Iter(_)
            | H::Range(_)
            | H::Slice(..)
            | H::BoundMethod(..)
            | H::NativeBound(..)
            | H::Super(..)
            | H::Exception(_)
    )
}

/// Runs the oldest scheduled callback, unless one is already running: called by the
/// dispatch loop where it polls for Ctrl-C. An exception from the callback is printed, as
/// MicroPython's scheduler does, and execution goes on.
pub(crate) fn run_scheduled(vm: &mut Vm) {
    if vm.mp.running || vm.mp.queue.len() < 2 {
        return;
    }
    let f = vm.mp.queue.remove(0);
    let arg = vm.mp.queue.remove(0);
    let base = vm.roots.len();
    vm.roots.push(f);
    vm.roots.push(arg);
    vm.mp.running = true;
    let r = vm.call(f, &[arg], &[]);
    vm.mp.running = false;
    vm.roots.truncate(base);
    if !vm.mp.queue.is_empty() {
        vm.poll_countdown = 1;
    }
    if let Err(e) = r {
        vm.print_exception(e);
    }
}

/// The module's attributes that are not functions: the `RingIO` type.
pub fn mp_attr(_vm: &mut Vm, name: &str) -> PyResult<Option<Obj>> {
    Ok((name == "RingIO").then(|| Obj::builtin_type(crate::types::ty::RING_IO)))
}

fn mp_const(_vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(args.first().copied().unwrap_or(Obj::NONE))
}

/// `opt_level([level])`: gets or sets the optimisation level of code compiled from now on.
fn mp_opt_level(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let Some(&level) = args.first() else {
        return vm.new_int(i64::from(vm.mp.opt_level));
    };
    let level = vm.index_value(level)?;
    vm.mp.opt_level = u8::try_from(level.clamp(0, 3)).unwrap_or(0);
    Ok(Obj::NONE)
}

/// `mem_total()`: bytes allocated since start (freed ones included).
fn mp_mem_total(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let total = vm.mp.freed.saturating_add(vm.heap.used());
    vm.new_int(i64::try_from(total).unwrap_or(i64::MAX))
}

/// `mem_current()`: bytes allocated now.
fn mp_mem_current(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let used = vm.heap.used();
    vm.new_int(i64::try_from(used).unwrap_or(i64::MAX))
}

/// `mem_peak()`: the most bytes allocated at once.
fn mp_mem_peak(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let peak = vm.mp.peak.max(vm.heap.used());
    vm.new_int(i64::try_from(peak).unwrap_or(i64::MAX))
}

/// `mem_info()`: the heap's budget and use, and the board's arena where the port reports it.
fn mp_mem_info(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let s = alloc::format!(
        "mem: total={}, current={}, peak={}\nGC: total: {}, used: {}, free: {}\n",
        vm.heap.limit(),
        vm.heap.used(),
        vm.heap.used(),
        vm.heap.limit(),
        vm.heap.used(),
        vm.heap.limit().saturating_sub(vm.heap.used())
    );
    vm.port.stdout(s.as_bytes());
    if let Some(m) = vm.port.memory() {
        let s = alloc::format!(
            "arena: total: {}, used: {}, peak: {}\n",
            m.total,
            m.used,
            m.peak
        );
        vm.port.stdout(s.as_bytes());
    }
    Ok(Obj::NONE)
}

fn mp_qstr_info(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let s = alloc::format!(
        "qstr pool: n_total={}, n_str_data_bytes={}\n",
        crate::qstr::static_count(),
        vm.qstrs.bytes_used()
    );
    vm.port.stdout(s.as_bytes());
    Ok(Obj::NONE)
}

/// `heap_lock()`: from now until the matching `heap_unlock()`, every allocation raises
/// `MemoryError`. Locks nest.
fn mp_heap_lock(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if vm.mp.lock_depth == 0 {
        vm.mp.stress_before = vm.heap.stress;
        // Every allocation then takes the slow path, which checks the lock.
        vm.heap.stress = true;
    }
    vm.mp.lock_depth = vm.mp.lock_depth.saturating_add(1);
    Ok(Obj::NONE)
}

/// `heap_unlock()`: undoes one `heap_lock()`; returns how many are still in force.
fn mp_heap_unlock(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    if vm.mp.lock_depth > 0 {
        vm.mp.lock_depth -= 1;
        if vm.mp.lock_depth == 0 {
            vm.heap.stress = vm.mp.stress_before;
            if vm.vfs.files.has_queued() {
                // Garbage files waited for the lock to end: close them now.
                vm.poll_countdown = 1;
            }
        }
    }
    Ok(Obj::small_int_unchecked(vm.mp.lock_depth as i32))
}

/// `heap_locked()`: how many `heap_lock()` calls are in force.
fn mp_heap_locked(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(Obj::small_int_unchecked(vm.mp.lock_depth as i32))
}

/// `schedule(f, arg)`: calls `f(arg)` soon, from the main loop, one callback at a time.
fn mp_schedule(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [f, arg] = args else {
        raise!(vm, TYPE_ERROR, "function takes 2 positional arguments");
    };
    if vm.mp.queue.len() >= 2 * SCHEDULER_DEPTH {
        raise!(vm, RUNTIME_ERROR, "schedule queue full");
    }
    vm.mp.queue.push(*f);
    vm.mp.queue.push(*arg);
    vm.poll_countdown = 1;
    Ok(Obj::NONE)
}

fn mp_kbd_intr(_vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(Obj::NONE)
}

fn mp_stack_use(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let n = vm.frames.len() as i64;
    vm.new_int(n)
}

fn mp_alloc_emergency_exception_buf(_vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(Obj::NONE)
}

/// `micropython.dis(f)`: prints the bytecode of a function (a Pyrite extension).
fn mp_dis(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let Some(code) = args.first().and_then(|&f| vm.code_of(f)) else {
        raise!(vm, TYPE_ERROR, "dis() expects a function or code object");
    };
    let s: String = vm.disassemble(code);
    vm.port.stdout(s.as_bytes());
    Ok(Obj::NONE)
}

crate::native_table!(pub FUNCTIONS = [
    ("alloc_emergency_exception_buf", mp_alloc_emergency_exception_buf),
    ("const", mp_const),
    ("dis", mp_dis),
    ("heap_lock", mp_heap_lock),
    ("heap_locked", mp_heap_locked),
    ("heap_unlock", mp_heap_unlock),
    ("kbd_intr", mp_kbd_intr),
    ("mem_current", mp_mem_current),
    ("mem_info", mp_mem_info),
    ("mem_peak", mp_mem_peak),
    ("mem_total", mp_mem_total),
    ("opt_level", mp_opt_level),
    ("qstr_info", mp_qstr_info),
    ("schedule", mp_schedule),
    ("stack_use", mp_stack_use),
]);
