//! The virtual machine: its state, allocation and collection, and the public entry points.
//!
//! Python-to-Python calls push a frame and stay in the same dispatch loop (`dispatch.rs`), so
//! recursion in Python never recurses in Rust. Natives that call back into Python (`sorted` with
//! a key, `__repr__` from `print`) run a nested loop over the same frame stack, bounded by
//! `MAX_NESTED`.

pub mod attr;
pub mod call;
pub mod dis;
pub mod dispatch;
pub mod exception;
pub mod frame;
pub mod import;

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::heap::{block, Heap};
use crate::native::PyResult;
use crate::object::{HeapObj, StrObj};
use crate::port::Port;
use crate::qstr::{self, Qstr, QstrPool};
use crate::types::ty;
use crate::value::Obj;
use frame::Frame;

/// The deepest Python call stack (frames), before `RuntimeError: maximum recursion depth exceeded`.
pub const MAX_FRAMES: usize = 10_000;
/// The deepest nesting of Rust-level re-entries into the dispatch loop.
pub const MAX_NESTED: usize = 48;
/// What a board's arena keeps free after every allocation the VM makes room for (an object,
/// the compiler's memory, a buffer beside the heap: `Vm::room_beside`): what is taken
/// between two questions (a result built before it becomes an object), and the VM's own
/// growth.
pub const ARENA_KEEP: usize = 16 * 1024;

/// Interpreter state.
pub struct Vm {
    /// The object heap.
    pub heap: Heap,
    /// Interned strings.
    pub qstrs: QstrPool,
    /// The target's services.
    pub port: Box<dyn Port>,
    /// The frame stack: running frames, innermost last.
    pub(crate) frames: Vec<Frame>,
    /// `sys.modules`.
    pub(crate) modules: Obj,
    /// `sys.path`.
    pub(crate) sys_path: Obj,
    /// `sys.argv`.
    pub(crate) sys_argv: Obj,
    /// The preallocated `MemoryError` raised when the heap is full.
    pub(crate) memory_error: Obj,
    /// The exception being handled (`sys.exc_info()`, bare `raise`, `__context__`).
    pub(crate) handled: Obj,
    /// How deep natives have re-entered the dispatch loop.
    pub(crate) nested: usize,
    /// Objects natives keep alive across calls into Python (popped by their owners).
    pub(crate) roots: Vec<Obj>,
    /// The code objects of the compile under way, by the number its code names them with
    /// (`Const::Loaded`): nested code becomes a code object as soon as it is compiled.
    pub(crate) loaded: Vec<Obj>,
    /// The `__main__` module's globals.
    pub(crate) main_globals: Obj,
    /// Countdown to the next poll of the port for Ctrl-C.
    pub(crate) poll_countdown: u32,
    /// The exception being raised is a re-raise: do not add the current line again.
    pub(crate) reraising: bool,
    /// The deepest Python call stack allowed.
    pub max_frames: usize,
    /// The deepest nesting of natives calling back into Python allowed.
    pub max_nested: usize,
    /// The deepest recursion of the compiler's parser allowed (about two levels per nested
    /// bracket; see `pyrite_compiler::Options::max_depth`): a board sets what its stack holds.
    pub max_parse_depth: u32,
    /// The free bytes of the board's allocator, where its memory is a fixed arena: the
    /// compiler then stops with `MemoryError` before it takes what the heap's budget and the
    /// arena's end need (see `compile_source`).
    pub arena_free: Option<fn() -> usize>,
    /// The function `sys.atexit` registered, or `NULL`.
    pub(crate) atexit: Obj,
    /// Lookups of names in static tables (built-in methods, builtins).
    pub(crate) lookup_cache: crate::native::LookupCache,
    /// The `random` module's generator.
    pub(crate) random: crate::modules::random::Yasmarang,
    /// Slot vectors of finished frames, reused by calls (saves an allocation per call).
    pub(crate) spare_slots: Vec<Vec<Obj>>,
    /// The `micropython` module's state: heap lock, scheduler queue, optimisation level.
    pub(crate) mp: crate::modules::micropython::MpState,
    /// The mounted file systems (`vfs`).
    pub(crate) vfs: crate::vfs::Mounts,
    /// The `machine` and `pyb` modules' state: timers, pin handlers, the RTC's offset.
    pub(crate) machine: crate::modules::machine::MachineState,
    /// A reset the program asked for (`machine.reset()`, `soft_reset()`, `bootloader()`); the
    /// program ends with `SystemExit` and the REPL carries the reset out.
    pub reset_request: Option<crate::hardware::ResetKind>,
}

impl Vm {
    /// A VM with a heap of `heap_bytes` bytes.
    pub fn new(heap_bytes: usize, port: Box<dyn Port>) -> Vm {
        let mut vm = Vm {
            heap: Heap::new(heap_bytes),
            qstrs: QstrPool::new(),
            port,
            frames: Vec::new(),
            modules: Obj::NULL,
            sys_path: Obj::NULL,
            sys_argv: Obj::NULL,
            memory_error: Obj::NULL,
            handled: Obj::NULL,
            nested: 0,
            roots: Vec::new(),
            loaded: Vec::new(),
            main_globals: Obj::NULL,
            poll_countdown: 1,
            reraising: false,
            max_frames: MAX_FRAMES,
            max_nested: MAX_NESTED,
            max_parse_depth: pyrite_compiler::parser::MAX_DEPTH,
            arena_free: None,
            atexit: Obj::NULL,
            lookup_cache: Default::default(),
            random: Default::default(),
            spare_slots: Vec::new(),
            mp: Default::default(),
            vfs: Default::default(),
            machine: Default::default(),
            reset_request: None,
        };
        // These few objects must exist for anything else to work; a heap too small for them
        // leaves them NULL and every later allocation fails with the MemoryError fallback.
        let mark = vm.heap.young_mark();
        vm.memory_error = vm
            .heap
            .insert(HeapObj::Exception(Box::new(crate::object::ExcObj {
                class: Obj::builtin_type(ty::MEMORY_ERROR),
                args: Obj::NULL,
                traceback: Vec::new(),
                cause: Obj::NULL,
                context: Obj::NULL,
                dict: Obj::NULL,
            })));
        let empty = vm.heap.insert(HeapObj::Tuple(Box::new([])));
        if let Some(HeapObj::Exception(e)) = vm.heap.get_mut(vm.memory_error) {
            e.args = empty;
        }
        vm.modules = vm.heap.insert(HeapObj::Dict(Default::default()));
        vm.sys_path = vm.heap.insert(HeapObj::List(Vec::new()));
        vm.sys_argv = vm.heap.insert(HeapObj::List(Vec::new()));
        vm.heap.safepoint(mark);
        vm
    }

    // ---- allocation and collection ----

    /// Puts `obj` in the heap, collecting first if the budget says so; `MemoryError` if it
    /// still does not fit.
    pub fn alloc(&mut self, obj: HeapObj) -> PyResult<Obj> {
        let bytes = self.heap.object_cost(obj.extra_bytes());
        // What the arena still gives: the table's growth (what the object owns is allocated
        // already).
        let page = self.heap.arena_growth();
        if self.heap.wants_collect(bytes) || !self.room_beside(page) {
            if self.mp.emergency {
                return self.alloc_emergency(obj, bytes);
            }
            if self.mp.heap_locked() && !crate::modules::micropython::lock_exempt(&obj) {
                return Err(self.memory_error());
            }
            self.collect(Some(&obj));
            if !self.heap.fits(bytes) || !self.room_beside(page) {
                return Err(self.memory_error());
            }
        }
        let (len, cap) = self.heap.young_len_capacity();
        if cap - len < crate::heap::YOUNG_SPARE {
            self.grow_young(0)?;
        }
        Ok(self.heap.insert(obj))
    }

    /// Grows the young list to hold `additional` more values and [`YOUNG_SPARE`] beyond
    /// (at least doubling it), only with room for it in the arena: else `MemoryError`.
    ///
    /// [`YOUNG_SPARE`]: crate::heap::YOUNG_SPARE
    #[cold]
    fn grow_young(&mut self, additional: usize) -> PyResult<()> {
        let (len, cap) = self.heap.young_len_capacity();
        let need = len
            .saturating_add(additional)
            .saturating_add(crate::heap::YOUNG_SPARE);
        if need <= cap {
            return Ok(());
        }
        let target = need.max(cap.saturating_mul(2));
        let bytes = target.saturating_mul(core::mem::size_of::<Obj>());
        if !self.room_beside(bytes) || !self.heap.reserve_young(target - len) {
            return Err(self.memory_error());
        }
        Ok(())
    }

    /// Keeps the values of `items` alive until the next safepoint (they were copied out of
    /// objects that may change), with room made for them first: `MemoryError` if there is
    /// none.
    pub fn keep_all(&mut self, items: &[Obj]) -> PyResult<()> {
        self.grow_young(items.len())?;
        for &o in items {
            self.heap.keep(o);
        }
        Ok(())
    }

    /// Allocation while an exception is being built (MicroPython's emergency exception
    /// buffer): the heap lock does not apply, and a small object may overdraw a full heap by
    /// up to `EMERGENCY_RESERVE` bytes and a page of the table.
    #[cold]
    fn alloc_emergency(&mut self, obj: HeapObj, bytes: usize) -> PyResult<Obj> {
        use crate::modules::micropython::{EMERGENCY_MAX_OBJECT, EMERGENCY_RESERVE};
        let locked = self.mp.heap_locked();
        if !locked {
            self.collect(Some(&obj));
        }
        // The object may need a new page of the table, which the reserve has room for.
        let small = obj.extra_bytes() <= EMERGENCY_MAX_OBJECT;
        let within_reserve = self.heap.used().saturating_add(bytes)
            <= self.heap.limit() + EMERGENCY_RESERVE + crate::heap::PAGE_BYTES;
        if (!locked && self.heap.fits(bytes)) || (small && within_reserve) {
            return Ok(self.heap.insert(obj));
        }
        Err(self.memory_error())
    }

    /// Runs `f` with allocation in emergency mode (see `alloc_emergency`): for building
    /// exceptions, which MicroPython can do with the heap locked or full.
    pub fn with_emergency<T>(&mut self, f: impl FnOnce(&mut Vm) -> T) -> T {
        let before = core::mem::replace(&mut self.mp.emergency, true);
        let r = f(self);
        self.mp.emergency = before;
        r
    }

    /// Whether `bytes` more may be taken from the arena (a new object's page, a result built
    /// before it becomes an object, the compiler's memory): on a board whose arena the VM
    /// watches, only with [`ARENA_KEEP`] still free after their allocator block. The heap and
    /// what lives beside it share the arena, first come first served, as MicroPython's
    /// compiler and objects share its heap.
    pub fn room_beside(&self, bytes: usize) -> bool {
        match self.arena_free {
            Some(free) => free() >= block(bytes).saturating_add(ARENA_KEEP),
            None => true,
        }
    }

    /// The most a working buffer beside the heap may take now (a `re` match's backtracking
    /// stack, a deflate window) when it takes `parts` times its size at its peak: half the
    /// budget ([`Heap::beside_limit`](crate::heap::Heap::beside_limit)), and on a board no more than the arena has beyond what
    /// it keeps, divided among the parts.
    pub fn beside_max(&self, parts: usize) -> usize {
        let room = self.beside_room().map_or(usize::MAX, |r| r / parts.max(1));
        self.heap.beside_limit().min(room)
    }

    /// The bytes the arena has beyond what it keeps ([`Vm::room_beside`]), on a board whose
    /// arena the VM watches.
    pub fn beside_room(&self) -> Option<usize> {
        self.arena_free
            .map(|free| free().saturating_sub(ARENA_KEEP))
    }

    /// Whether `bytes` may be taken beside the heap ([`Vm::room_beside`]), after collecting
    /// the heap's garbage if the arena is short (the heap and what lives beside it share the
    /// arena, so this is a collection point as an allocation is; in the collect-on-every-
    /// allocation mode it always collects). Never collects with the heap locked.
    fn make_room_beside(&mut self, bytes: usize) -> bool {
        if (self.heap.stress || !self.room_beside(bytes)) && !self.mp.heap_locked() {
            self.collect(None);
        }
        self.room_beside(bytes)
    }

    /// Makes room in `buf`, a buffer beside the heap, for `additional` more items: when it
    /// must grow, it at least doubles, only with room in the arena ([`Vm::make_room_beside`])
    /// and with `try_reserve`, so that an arena too scattered to give it is a `MemoryError`
    /// too.
    #[inline]
    pub fn reserve_beside<B: OwnedBuffer>(
        &mut self,
        buf: &mut B,
        additional: usize,
    ) -> PyResult<()> {
        let (len, cap) = buf.len_capacity();
        let need = len.saturating_add(additional);
        if need <= cap {
            return Ok(());
        }
        let target = need.max(cap.max(4) * 2);
        let bytes = target.saturating_mul(B::ITEM_BYTES);
        if !self.make_room_beside(bytes) || !buf.try_reserve_exact(target - len) {
            return Err(self.memory_error());
        }
        Ok(())
    }

    /// Room for an object to grow by `added` bytes, charged to the budget, where growing
    /// means a new buffer while the `held` bytes of the old one are still in the arena (an
    /// allocator that cannot grow a block in place moves it): with a watched arena, only with
    /// room there for the new buffer, else `MemoryError`.
    pub fn grow_room(&mut self, held: usize, added: usize) -> PyResult<()> {
        if held == 0 && added == 0 {
            // Nothing moves or grows (a table with room): nothing to ask, even with the heap
            // locked. (A buffer may move without costing more blocks.)
            return Ok(());
        }
        self.make_room(added, held.saturating_add(added))?;
        self.heap.charge(added);
        Ok(())
    }

    /// Makes room for `additional` more items in a buffer heap object `owner` owns (`buf`
    /// finds it): when it must grow, it at least doubles, charged to the budget and with room
    /// in the arena for the move ([`Vm::grow_room`]), so that pushing the items allocates
    /// nothing more.
    pub fn grow_owned<B: OwnedBuffer>(
        &mut self,
        owner: Obj,
        additional: usize,
        buf: fn(&mut HeapObj) -> Option<&mut B>,
    ) -> PyResult<()> {
        let Some(v) = self.heap.get_mut(owner).and_then(buf) else {
            return Ok(());
        };
        let (len, cap) = v.len_capacity();
        let Some(need) = len.checked_add(additional) else {
            return Err(self.memory_error());
        };
        if need <= cap {
            return Ok(());
        }
        let target = need.max(cap.saturating_mul(2)).max(4);
        let size = B::ITEM_BYTES;
        let held = cap.saturating_mul(size);
        let added = block(target.saturating_mul(size)).saturating_sub(block(held));
        self.grow_room(held, added)?;
        let grown = match self.heap.get_mut(owner).and_then(buf) {
            Some(v) => v.try_reserve_exact(target - len),
            None => true,
        };
        if !grown {
            return Err(self.memory_error());
        }
        Ok(())
    }

    /// Room for `budget` more bytes in the heap's budget and `arena` more in a watched arena
    /// ([`Vm::room_beside`]): collects first if either is short, `MemoryError` if it still is.
    fn make_room(&mut self, budget: usize, arena: usize) -> PyResult<()> {
        if self.heap.wants_collect(budget) || !self.room_beside(arena) {
            if self.mp.heap_locked() {
                return Err(self.memory_error());
            }
            self.collect(None);
            if !self.heap.fits(budget) || !self.room_beside(arena) {
                return Err(self.memory_error());
            }
        }
        Ok(())
    }

    /// Room in the budget and the arena for an object of `bytes` about to be built beside the
    /// heap (a result built whole before it becomes an object): collects first if either is
    /// short, `MemoryError` if it still is.
    pub fn room_for(&mut self, bytes: usize) -> PyResult<()> {
        self.make_room(bytes, bytes)
    }

    /// An empty buffer with room for exactly `len` items, for a result built whole beside the
    /// heap: room for it is made in the budget first ([`Vm::room_for`]), and an allocator that
    /// cannot give it is a `MemoryError` too.
    pub fn buffer_for<B: OwnedBuffer + Default>(&mut self, len: usize) -> PyResult<B> {
        self.room_for(block(len.saturating_mul(B::ITEM_BYTES)))?;
        let mut buf = B::default();
        if !buf.try_reserve_exact(len) {
            return Err(self.memory_error());
        }
        Ok(buf)
    }

    /// An empty buffer with room for exactly `len` items, for a working copy beside the heap
    /// that never becomes an object (it allocates nothing of the heap's, so a locked heap
    /// allows it): only with room in the arena ([`Vm::make_room_beside`]) and from an
    /// allocator that can give it, else `MemoryError`.
    pub fn scratch_for<B: OwnedBuffer + Default>(&mut self, len: usize) -> PyResult<B> {
        let mut buf = B::default();
        let bytes = len.saturating_mul(B::ITEM_BYTES);
        if !self.make_room_beside(bytes) || !buf.try_reserve_exact(len) {
            return Err(self.memory_error());
        }
        Ok(buf)
    }

    /// Counts `bytes` of growth of an existing object against the budget.
    pub fn charge(&mut self, bytes: usize) -> PyResult<()> {
        if bytes > 0 {
            self.room_for(bytes)?;
        }
        self.heap.charge(bytes);
        Ok(())
    }

    /// A full collection. `pending` is an object about to be allocated: what it refers to is
    /// kept.
    pub fn collect(&mut self, pending: Option<&HeapObj>) {
        if self.heap.young_lost() {
            // A value held by native code could not be listed: none may be freed.
            return;
        }
        let heap = &mut self.heap;
        for f in &self.frames {
            f.trace(&mut |o| heap.mark(o));
        }
        for &o in &[
            self.modules,
            self.sys_path,
            self.sys_argv,
            self.memory_error,
            self.handled,
            self.main_globals,
            self.atexit,
        ] {
            heap.mark(o);
        }
        for &o in self.roots.iter().chain(&self.loaded).chain(self.mp.roots()) {
            heap.mark(o);
        }
        self.vfs.trace(&mut |o| heap.mark(o));
        self.machine.trace(&mut |o| heap.mark(o));
        heap.mark_young();
        if let Some(p) = pending {
            heap.mark_pending(p);
        }
        heap.finish_marking();
        // Garbage files with changes get closed soon, from the dispatch loop.
        if self.vfs.files.sweep(heap) {
            self.poll_countdown = 1;
        }
        let before = heap.used();
        heap.sweep();
        self.mp.note_sweep(before, self.heap.used());
    }

    /// The preallocated `MemoryError`, with its traceback cleared.
    pub fn memory_error(&mut self) -> Obj {
        if let Some(HeapObj::Exception(e)) = self.heap.get_mut(self.memory_error) {
            e.traceback.clear();
            e.context = Obj::NULL;
            e.cause = Obj::NULL;
        }
        self.memory_error
    }

    /// Finds `name` in static table `table` (immediates only), through the lookup cache.
    pub fn lookup_static(&self, table: u16, name: Qstr) -> Option<Obj> {
        if let Some(r) = self.lookup_cache.get(table, name) {
            return r;
        }
        let r = crate::native::lookup(table, self.qstr_str(name)).map(|(o, _)| o);
        self.lookup_cache.put(table, name, r);
        r
    }

    // ---- strings ----

    /// The text of a `str` (interned or heap).
    pub fn str_of(&self, o: Obj) -> Option<&str> {
        if let Some(q) = o.as_qstr() {
            return Some(self.qstrs.get(q));
        }
        match self.heap.get(o)? {
            HeapObj::Str(s) => Some(&s.s),
            _ => None,
        }
    }

    /// A new `str`.
    pub fn new_str(&mut self, s: &str) -> PyResult<Obj> {
        if s.is_empty() {
            return Ok(Obj::qstr(qstr::q::EMPTY));
        }
        if s.len() <= 2 || (s.len() <= 24 && is_identifier(s)) {
            if let Some(q) = self.qstrs.find(s) {
                return Ok(Obj::qstr(q));
            }
        }
        let chars = s.chars().count() as u32;
        self.alloc(HeapObj::Str(StrObj {
            s: s.into(),
            hash: qstr::str_hash(s.as_bytes()),
            chars,
        }))
    }

    /// A new `str` from an owned `String`.
    pub fn new_string(&mut self, s: String) -> PyResult<Obj> {
        if s.len() <= 24 {
            return self.new_str(&s);
        }
        let chars = s.chars().count() as u32;
        let hash = qstr::str_hash(s.as_bytes());
        self.alloc(HeapObj::Str(StrObj {
            s: s.into_boxed_str(),
            hash,
            chars,
        }))
    }

    /// Interns `s`, as a `Qstr`.
    pub fn intern(&mut self, s: &str) -> PyResult<Qstr> {
        match self.qstrs.intern(s) {
            Some(q) => Ok(q),
            None => Err(self.memory_error()),
        }
    }

    /// The text of a qstr.
    pub fn qstr_str(&self, q: Qstr) -> &str {
        self.qstrs.get(q)
    }

    /// A `str` object as a `Qstr` (interning it).
    pub fn str_to_qstr(&mut self, o: Obj) -> PyResult<Option<Qstr>> {
        if let Some(q) = o.as_qstr() {
            return Ok(Some(q));
        }
        let Some(s) = self.str_of(o) else {
            return Ok(None);
        };
        let s = String::from(s);
        Ok(Some(self.intern(&s)?))
    }

    // ---- simple constructors ----

    /// A new tuple.
    pub fn new_tuple(&mut self, items: &[Obj]) -> PyResult<Obj> {
        self.alloc(HeapObj::Tuple(items.into()))
    }

    /// A new list.
    pub fn new_list(&mut self, items: Vec<Obj>) -> PyResult<Obj> {
        self.alloc(HeapObj::List(items))
    }

    /// A new empty dict.
    pub fn new_dict(&mut self) -> PyResult<Obj> {
        self.alloc(HeapObj::Dict(Default::default()))
    }

    /// A new float.
    pub fn new_float(&mut self, f: f64) -> PyResult<Obj> {
        self.alloc(HeapObj::Float(f))
    }

    /// An int from an `i64`.
    pub fn new_int(&mut self, v: i64) -> PyResult<Obj> {
        match Obj::try_small_int(v) {
            Some(o) => Ok(o),
            None => self.alloc(HeapObj::BigInt(Box::new(pyrite_mpz::BigInt::from_i64(v)))),
        }
    }

    /// The items of a tuple or list, borrowed.
    pub fn seq_ref(&self, o: Obj) -> Option<&[Obj]> {
        match self.heap.get(o)? {
            HeapObj::Tuple(t) => Some(t),
            HeapObj::List(l) => Some(l),
            _ => None,
        }
    }

    /// The items of a tuple or list (copied out, so the VM can be used while iterating).
    pub fn seq_items(&self, o: Obj) -> Option<Vec<Obj>> {
        self.seq_ref(o).map(<[Obj]>::to_vec)
    }

    /// The `sys.argv` list.
    pub fn set_argv(&mut self, args: &[&str]) -> PyResult<()> {
        let mut items = Vec::new();
        for a in args {
            let s = self.new_str(a)?;
            self.heap.keep(s);
            items.push(s);
        }
        if let Some(HeapObj::List(l)) = self.heap.get_mut(self.sys_argv) {
            *l = items;
        }
        Ok(())
    }

    /// Appends a folder to `sys.path`.
    pub fn push_path(&mut self, p: &str) -> PyResult<()> {
        let s = self.new_str(p)?;
        if let Some(HeapObj::List(l)) = self.heap.get_mut(self.sys_path) {
            l.push(s);
        }
        Ok(())
    }

    /// Runs the function registered with `sys.atexit`, if any (the port calls this when the
    /// program ends, as MicroPython's unix port does).
    pub fn run_atexit(&mut self) -> PyResult<()> {
        let f = core::mem::replace(&mut self.atexit, Obj::NULL);
        if !f.is_null() && f != Obj::NONE {
            self.call(f, &[], &[])?;
        }
        Ok(())
    }

    /// A soft reset: a fresh interpreter (heap, modules, `__main__`, mounts) on the same port
    /// and heap size, as MicroPython's Ctrl-D. The limits set on this VM carry over.
    ///
    /// Timers and pin handlers stop and the heap lock is lifted; then files the program left
    /// open on a block file system are closed, so what it wrote is kept (errors are ignored:
    /// a reset always succeeds).
    pub fn soft_reset(&mut self) {
        crate::modules::machine::release(self);
        crate::modules::micropython::release(self);
        crate::vfs::file::close_all(self);
        struct NoPort;
        impl Port for NoPort {
            fn stdout(&mut self, _data: &[u8]) {}
        }
        let port = core::mem::replace(&mut self.port, Box::new(NoPort));
        let (max_frames, max_nested, stress) = (self.max_frames, self.max_nested, self.heap.stress);
        let (max_parse_depth, arena_free) = (self.max_parse_depth, self.arena_free);
        *self = Vm::new(self.heap.limit(), port);
        self.max_frames = max_frames;
        self.max_nested = max_nested;
        self.max_parse_depth = max_parse_depth;
        self.arena_free = arena_free;
        self.heap.stress = stress;
    }

    /// The reset a program asked for, if any (cleared).
    pub fn take_reset_request(&mut self) -> Option<crate::hardware::ResetKind> {
        self.reset_request.take()
    }

    /// Runs due `machine.Timer` callbacks and pin and switch handlers: for a REPL waiting for
    /// input (the dispatch loop does this between instructions).
    pub fn service_events(&mut self) -> PyResult<()> {
        crate::modules::machine::poll(self)
    }

    /// Marks a safepoint outside the dispatch loop (between top-level statements).
    pub fn safepoint(&mut self) {
        self.heap.safepoint(0);
    }
}

/// Whether `s` looks like a Python identifier (ASCII only; used for interning decisions).
pub fn is_identifier(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_alphabetic() || b[0] == b'_')
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// Whether the REPL should read another line before compiling `source`.
pub fn needs_more_input(source: &str) -> bool {
    pyrite_compiler::needs_more_input(source)
}

/// A growable buffer, owned by a heap object ([`Vm::grow_owned`]) or built beside the heap
/// ([`Vm::reserve_beside`]).
pub trait OwnedBuffer {
    /// The bytes of one item.
    const ITEM_BYTES: usize;
    /// The items held and the items there is room for.
    fn len_capacity(&self) -> (usize, usize);
    /// Room for `additional` more items, exactly; false if the allocator refused.
    fn try_reserve_exact(&mut self, additional: usize) -> bool;
}

impl<T> OwnedBuffer for Vec<T> {
    const ITEM_BYTES: usize = core::mem::size_of::<T>();
    fn len_capacity(&self) -> (usize, usize) {
        (self.len(), self.capacity())
    }
    fn try_reserve_exact(&mut self, additional: usize) -> bool {
        Vec::try_reserve_exact(self, additional).is_ok()
    }
}

impl<T> OwnedBuffer for alloc::collections::VecDeque<T> {
    const ITEM_BYTES: usize = core::mem::size_of::<T>();
    fn len_capacity(&self) -> (usize, usize) {
        (self.len(), self.capacity())
    }
    fn try_reserve_exact(&mut self, additional: usize) -> bool {
        alloc::collections::VecDeque::try_reserve_exact(self, additional).is_ok()
    }
}

impl OwnedBuffer for String {
    const ITEM_BYTES: usize = 1;
    fn len_capacity(&self) -> (usize, usize) {
        (self.len(), self.capacity())
    }
    fn try_reserve_exact(&mut self, additional: usize) -> bool {
        String::try_reserve_exact(self, additional).is_ok()
    }
}
