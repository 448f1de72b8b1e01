//! Calls: binding arguments to parameters, frames for Python functions, generators.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use pyrite_compiler::bytecode::flags;

use crate::native::{Kw, PyResult};
use crate::object::{CodeBytes, FuncObj, GenKind, GenObj, HeapObj};
use crate::qstr::{q, Qstr};
use crate::types::ty;
use crate::value::Obj;
use crate::vm::dispatch::RunEnd;
use crate::vm::frame::{Frame, FrameExit};
use crate::vm::Vm;

/// How many slot vectors of finished frames are kept for reuse.
const SPARE_SLOTS: usize = 16;
/// The largest slot vector kept for reuse (in values).
const SPARE_SLOTS_CAPACITY: usize = 256;

impl Vm {
    /// Calls `f` and waits for its result (natives use this to call back into Python).
    pub fn call(&mut self, f: Obj, args: &[Obj], kw: Kw) -> PyResult<Obj> {
        if let Some(n) = crate::native::native_of(f) {
            return (n.f)(self, args, kw);
        }
        match self.heap.get(f) {
            Some(HeapObj::Function(_)) => {
                let frame = self.function_frame(f, args, kw)?;
                match frame {
                    Ok(frame) => self.run_nested(frame),
                    Err(gen) => Ok(gen),
                }
            }
            Some(&HeapObj::BoundMethod(s, func)) | Some(&HeapObj::NativeBound(s, func)) => {
                let all = prepend(s, args);
                self.call(func, &all, kw)
            }
            _ => self.call_other(f, args, kw),
        }
    }

    /// Calls a callable that is not a function: a class, a type, an object with `__call__`.
    fn call_other(&mut self, f: Obj, args: &[Obj], kw: Kw) -> PyResult<Obj> {
        if let Some(t) = f.as_builtin_type() {
            return crate::obj::type_::builtin_type_call(self, t, args, kw);
        }
        match self.heap.get(f) {
            Some(HeapObj::Class(_)) => {
                let (inst, init) = self.class_new(f, args, kw)?;
                if let Some(init) = init {
                    let all = prepend(inst, args);
                    let r = self.call(init, &all, kw)?;
                    if r != Obj::NONE {
                        raise!(self, TYPE_ERROR, "__init__() should return None");
                    }
                }
                Ok(inst)
            }
            Some(HeapObj::StaticMethod(func)) | Some(HeapObj::ClassMethod(func)) => {
                let func = *func;
                self.call(func, args, kw)
            }
            _ => {
                if let Some(m) = self.lookup_special(f, q::__call__)? {
                    let all = prepend(f, args);
                    return self.call(m, &all, kw);
                }
                let name = String::from(self.type_name(f));
                raise!(self, TYPE_ERROR, "'{}' object isn't callable", name)
            }
        }
    }

    /// Calls `f` from the dispatch loop: a Python function gets a new frame on the stack
    /// (no Rust recursion); anything else is called and its result pushed.
    pub(crate) fn call_push(&mut self, f: Obj, args: &[Obj], kw: Kw) -> PyResult<()> {
        match self.heap.get(f) {
            Some(HeapObj::Function(_)) => {
                match self.function_frame(f, args, kw)? {
                    Ok(frame) => self.push_frame(frame)?,
                    Err(gen) => self.frames.last_mut().expect("frame").slots.push(gen),
                }
                Ok(())
            }
            Some(&HeapObj::BoundMethod(s, func)) => {
                let all = prepend(s, args);
                self.call_push(func, &all, kw)
            }
            Some(HeapObj::Class(_)) => {
                let (inst, init) = self.class_new(f, args, kw)?;
                match init {
                    Some(init) if matches!(self.heap.get(init), Some(HeapObj::Function(_))) => {
                        let all = prepend(inst, args);
                        match self.function_frame(init, &all, kw)? {
                            Ok(mut frame) => {
                                frame.exit = FrameExit::Init;
                                frame.aux = inst;
                                self.push_frame(frame)?;
                            }
                            Err(_) => raise!(self, TYPE_ERROR, "__init__() should return None"),
                        }
                    }
                    Some(init) => {
                        let all = prepend(inst, args);
                        let r = self.call(init, &all, kw)?;
                        if r != Obj::NONE {
                            raise!(self, TYPE_ERROR, "__init__() should return None");
                        }
                        self.frames.last_mut().expect("frame").slots.push(inst);
                    }
                    None => self.frames.last_mut().expect("frame").slots.push(inst),
                }
                Ok(())
            }
            _ => {
                let r = self.call(f, args, kw)?;
                if let Some(fr) = self.frames.last_mut() {
                    fr.slots.push(r);
                }
                Ok(())
            }
        }
    }

    /// Keeps the slot vector of a finished frame for the next call.
    pub(crate) fn recycle_slots(&mut self, mut slots: Vec<Obj>) {
        if self.spare_slots.len() < SPARE_SLOTS && slots.capacity() <= SPARE_SLOTS_CAPACITY {
            slots.clear();
            self.spare_slots.push(slots);
        }
    }

    fn push_frame(&mut self, frame: Frame) -> PyResult<()> {
        if self.frames.len() >= self.max_frames {
            raise!(self, RUNTIME_ERROR, "maximum recursion depth exceeded");
        }
        self.frames.push(frame);
        Ok(())
    }

    /// Runs `frame` to completion in a nested loop.
    pub(crate) fn run_nested(&mut self, mut frame: Frame) -> PyResult<Obj> {
        frame.exit = FrameExit::Nested;
        match self.run_frame_nested(frame)? {
            RunEnd::Return(v) | RunEnd::Yield(v) => Ok(v),
        }
    }

    fn run_frame_nested(&mut self, frame: Frame) -> PyResult<RunEnd> {
        if self.nested >= self.max_nested || self.frames.len() >= self.max_frames {
            raise!(self, RUNTIME_ERROR, "maximum recursion depth exceeded");
        }
        self.frames.push(frame);
        let base = self.frames.len() - 1;
        self.nested += 1;
        let r = self.run_frames(base);
        self.nested -= 1;
        // On error the frames of this run are gone already; be sure.
        self.frames.truncate(base);
        r
    }

    /// The frame for calling Python function `f`, or (as `Err`) the generator object when `f`
    /// is a generator function.
    pub(crate) fn function_frame(
        &mut self,
        f: Obj,
        args: &[Obj],
        kw: Kw,
    ) -> PyResult<Result<Frame, Obj>> {
        let Some(HeapObj::Function(func)) = self.heap.get(f) else {
            raise!(self, TYPE_ERROR, "not a function");
        };
        let (code_obj, globals, defaults, kwdefaults, closure) = (
            func.code,
            func.globals,
            func.defaults,
            func.kwdefaults,
            func.closure,
        );
        let Some(HeapObj::Code(code)) = self.heap.get(code_obj) else {
            raise!(self, TYPE_ERROR, "not a function");
        };
        let nargs = code.argcount as usize;
        let nkwonly = code.kwonlyargcount as usize;
        let cflags = code.flags;
        let nlocals = code.varnames.len();
        let ncells = code.ncells as usize;
        let nderef = code.deref_names.len();
        let bytes: CodeBytes = code.code.clone();
        let max_stack = code.max_stack as usize;
        let name = code.name;
        let has_cells = ncells > 0;

        // Generator frames are counted against the heap by capacity: they get an exact one.
        let is_gen = cflags & (flags::GENERATOR | flags::COROUTINE | flags::ASYNC_GENERATOR) != 0;
        let mut slots = match self.spare_slots.pop() {
            Some(spare) if !is_gen => spare,
            _ => Vec::new(),
        };
        slots.reserve_exact(nlocals + nderef + max_stack);
        slots.resize(nlocals + nderef, Obj::NULL);
        let has_varargs = cflags & flags::VARARGS != 0;
        let has_varkw = cflags & flags::VARKEYWORDS != 0;
        let varargs_at = nargs + nkwonly;
        let varkw_at = varargs_at + has_varargs as usize;

        // Positional arguments.
        let npos = args.len().min(nargs);
        slots[..npos].copy_from_slice(&args[..npos]);
        if args.len() > nargs {
            if !has_varargs {
                let fname = String::from(self.qstr_str(name));
                let _ = fname;
                raise!(
                    self,
                    TYPE_ERROR,
                    "function takes {} positional arguments but {} were given",
                    nargs,
                    args.len()
                );
            }
            let t = self.new_tuple(&args[nargs..])?;
            slots[varargs_at] = t;
        } else if has_varargs {
            slots[varargs_at] = self.new_tuple(&[])?;
        }
        // Keyword arguments.
        let mut kwdict = Obj::NULL;
        if has_varkw {
            kwdict = self.new_dict()?;
            slots[varkw_at] = kwdict;
        }
        for &(k, v) in kw {
            let pos = match self.heap.get(code_obj) {
                Some(HeapObj::Code(c)) => c.varnames[..(nargs + nkwonly).min(nlocals)]
                    .iter()
                    .position(|&n| n == k),
                _ => None,
            };
            match pos {
                Some(j) => {
                    if !slots[j].is_null() {
                        let s = String::from(self.qstr_str(k));
                        raise!(
                            self,
                            TYPE_ERROR,
                            "function got multiple values for argument '{}'",
                            s
                        );
                    }
                    slots[j] = v;
                }
                None if has_varkw => {
                    self.heap.keep(kwdict);
                    self.dict_set(kwdict, Obj::qstr(k), v)?;
                }
                None => {
                    let s = String::from(self.qstr_str(k));
                    raise!(self, TYPE_ERROR, "unexpected keyword argument '{}'", s);
                }
            }
        }
        // Defaults.
        if slots[..nargs].iter().any(|o| o.is_null()) {
            let d = if defaults.is_null() {
                Vec::new()
            } else {
                self.seq_items(defaults).unwrap_or_default()
            };
            let first_default = nargs.saturating_sub(d.len());
            let mut missing = 0;
            for (i, slot) in slots.iter_mut().enumerate().take(nargs) {
                if slot.is_null() {
                    if i >= first_default {
                        *slot = d[i - first_default];
                    } else {
                        missing += 1;
                    }
                }
            }
            if missing > 0 {
                raise!(
                    self,
                    TYPE_ERROR,
                    "function missing {} required positional arguments",
                    missing
                );
            }
        }
        #[allow(clippy::needless_range_loop)] // `i` also indexes the parameter names.
        for i in nargs..nargs + nkwonly {
            if slots[i].is_null() {
                let vname = match self.heap.get(code_obj) {
                    Some(HeapObj::Code(c)) => c.varnames[i],
                    _ => crate::qstr::q::EMPTY,
                };
                let v = if kwdefaults.is_null() {
                    None
                } else {
                    self.dict_get_qstr(kwdefaults, vname)
                };
                match v {
                    Some(v) => slots[i] = v,
                    None => {
                        let s = String::from(self.qstr_str(vname));
                        raise!(
                            self,
                            TYPE_ERROR,
                            "function missing required keyword argument '{}'",
                            s
                        );
                    }
                }
            }
        }
        // Cells and free variables. The slots are not roots yet: keep what goes in.
        if has_cells {
            for &o in &slots {
                self.heap.keep(o);
            }
            for i in 0..ncells {
                let a = match self.heap.get(code_obj) {
                    Some(HeapObj::Code(c)) => c.cell_args.get(i).copied().flatten(),
                    _ => None,
                };
                let init = a.map_or(Obj::NULL, |a| slots[a as usize]);
                let cell = self.alloc(HeapObj::Cell(init))?;
                slots[nlocals + i] = cell;
            }
        }
        if !closure.is_null() {
            let cells = self.seq_items(closure).unwrap_or_default();
            for (j, c) in cells.into_iter().enumerate() {
                if ncells + j < nderef {
                    slots[nlocals + ncells + j] = c;
                }
            }
        }
        let frame = Frame {
            code: code_obj,
            bytes,
            func: f,
            globals,
            locals: Obj::NULL,
            ip: 0,
            last_ip: 0,
            slots,
            stack_base: nlocals + nderef,
            nlocals,
            blocks: Vec::new(),
            exit: FrameExit::Normal,
            aux: Obj::NULL,
        };
        if cflags & (flags::GENERATOR | flags::COROUTINE | flags::ASYNC_GENERATOR) != 0 {
            let kind = if cflags & flags::ASYNC_GENERATOR != 0 {
                GenKind::AsyncGenerator
            } else if cflags & flags::COROUTINE != 0 {
                GenKind::Coroutine
            } else {
                GenKind::Generator
            };
            let gen = self.alloc(HeapObj::Generator(Box::new(GenObj {
                frame: Some(Box::new(frame)),
                kind,
                name,
                running: false,
                started: false,
            })))?;
            if let Some(HeapObj::Generator(g)) = self.heap.get_mut(gen) {
                if let Some(fr) = g.frame.as_mut() {
                    fr.aux = gen;
                    fr.exit = FrameExit::Nested;
                }
            }
            return Ok(Err(gen));
        }
        Ok(Ok(frame))
    }

    /// A frame that runs module-level or `exec` code with the given namespaces.
    pub(crate) fn code_frame(
        &mut self,
        code_obj: Obj,
        globals: Obj,
        locals: Obj,
    ) -> PyResult<Frame> {
        let Some(HeapObj::Code(code)) = self.heap.get(code_obj) else {
            raise!(self, TYPE_ERROR, "not code");
        };
        let nlocals = code.varnames.len();
        let nderef = code.deref_names.len();
        let mut slots = Vec::with_capacity(nlocals + nderef + code.max_stack as usize);
        slots.resize(nlocals + nderef, Obj::NULL);
        let ncells = code.ncells as usize;
        let bytes: CodeBytes = code.code.clone();
        for i in 0..ncells {
            let cell = self.alloc(HeapObj::Cell(Obj::NULL))?;
            slots[nlocals + i] = cell;
        }
        Ok(Frame {
            code: code_obj,
            bytes,
            func: Obj::NULL,
            globals,
            locals,
            ip: 0,
            last_ip: 0,
            slots,
            stack_base: nlocals + nderef,
            nlocals,
            blocks: Vec::new(),
            exit: FrameExit::Nested,
            aux: Obj::NULL,
        })
    }

    /// Runs code with the given namespaces (module bodies, `exec`, `eval`).
    pub fn run_code(&mut self, code: Obj, globals: Obj, locals: Obj) -> PyResult<Obj> {
        let frame = self.code_frame(code, globals, locals)?;
        self.run_nested(frame)
    }

    /// `MAKE_FUNCTION`.
    pub(crate) fn make_function(
        &mut self,
        code: Obj,
        globals: Obj,
        defaults: Obj,
        kwdefaults: Obj,
        closure: Obj,
    ) -> PyResult<Obj> {
        let name = match self.heap.get(code) {
            Some(HeapObj::Code(c)) => c.name,
            _ => raise!(self, TYPE_ERROR, "not code"),
        };
        self.alloc(HeapObj::Function(Box::new(FuncObj {
            code,
            globals,
            defaults,
            kwdefaults,
            closure,
            dict: Obj::NULL,
            name,
        })))
    }

    /// Splits the arguments of a `*_KW` call into positional ones and named ones.
    pub(crate) fn split_kw(&mut self, args: &[Obj], names: Obj) -> PyResult<SplitArgs> {
        let names = self.seq_items(names).unwrap_or_default();
        let npos = args.len().saturating_sub(names.len());
        let mut kw = Vec::with_capacity(names.len());
        for (i, &n) in names.iter().enumerate() {
            let Some(q) = self.str_to_qstr(n)? else {
                raise!(self, TYPE_ERROR, "keywords must be strings");
            };
            kw.push((q, args[npos + i]));
        }
        Ok((args[..npos].to_vec(), kw))
    }

    /// The keyword arguments of `f(**mapping)`.
    pub(crate) fn kwargs_from_mapping(&mut self, m: Obj) -> PyResult<Vec<(Qstr, Obj)>> {
        let items = self.mapping_items(m)?;
        let mut kw = Vec::with_capacity(items.len());
        for (k, v) in items {
            let Some(q) = self.str_to_qstr(k)? else {
                raise!(self, TYPE_ERROR, "keywords must be strings");
            };
            kw.push((q, v));
        }
        Ok(kw)
    }

    /// Creates an instance of Python class `cls` (through `__new__`), and finds the
    /// `__init__` to call on it, if any (see `type_::class_new`).
    pub(crate) fn class_new(
        &mut self,
        cls: Obj,
        args: &[Obj],
        kw: Kw,
    ) -> PyResult<(Obj, Option<Obj>)> {
        crate::obj::type_::class_new(self, cls, args, kw)
    }

    /// A new, empty instance of Python class `cls`.
    pub(crate) fn new_instance(&mut self, cls: Obj) -> PyResult<Obj> {
        crate::obj::type_::new_instance(self, cls)
    }

    // ---- generators ----

    /// Whether `o` is a generator, coroutine or async generator.
    pub fn is_generator(&self, o: Obj) -> bool {
        matches!(self.heap.get(o), Some(HeapObj::Generator(_)))
    }

    /// Resumes generator `gen` with `value` sent in (or `exc` thrown in).
    pub(crate) fn gen_resume(
        &mut self,
        gen: Obj,
        value: Obj,
        exc: Option<Obj>,
    ) -> PyResult<RunEnd> {
        let Some(HeapObj::Generator(g)) = self.heap.get_mut(gen) else {
            raise!(self, TYPE_ERROR, "not a generator");
        };
        if g.running {
            raise!(self, VALUE_ERROR, "generator already executing");
        }
        let Some(frame) = g.frame.take() else {
            // Finished.
            if let Some(e) = exc {
                return Err(e);
            }
            return Ok(RunEnd::Return(Obj::NONE));
        };
        let started = g.started;
        if !started && exc.is_none() && value != Obj::NONE {
            g.frame = Some(frame);
            raise!(
                self,
                TYPE_ERROR,
                "can't send non-None value to a just-started generator"
            );
        }
        g.started = true;
        g.running = true;
        let mut frame = *frame;
        frame.exit = FrameExit::Nested;
        if self.nested >= self.max_nested || self.frames.len() >= self.max_frames {
            if let Some(HeapObj::Generator(g)) = self.heap.get_mut(gen) {
                g.running = false;
                g.frame = Some(Box::new(frame));
            }
            raise!(self, RUNTIME_ERROR, "maximum recursion depth exceeded");
        }
        let delegating = started && self.frame_at_yield_from(&frame);
        if started && exc.is_none() {
            frame.slots.push(value);
        }
        self.frames.push(frame);
        let base = self.frames.len() - 1;
        self.nested += 1;
        let r = match exc {
            Some(e) if delegating => self.throw_into_delegate(e, base),
            Some(e) => {
                // `throw(x)` passes `x` through as given; it becomes an exception here, where
                // it is raised (a non-exception raises `TypeError` inside the generator).
                let e = self.make_exception_value(e).unwrap_or_else(|x| x);
                self.unwind(e, base).and_then(|_| self.run_frames(base))
            }
            None => self.run_frames(base),
        };
        self.nested -= 1;
        self.frames.truncate(base);
        if let Some(HeapObj::Generator(g)) = self.heap.get_mut(gen) {
            g.running = false;
        }
        match r {
            // PEP 479: a `StopIteration` leaving a generator becomes a `RuntimeError`.
            Err(e) if self.is_exception(e) && self.exc_is(e, ty::STOP_ITERATION) => {
                raise!(self, RUNTIME_ERROR, "generator raised StopIteration")
            }
            r => r,
        }
    }

    fn frame_at_yield_from(&self, frame: &Frame) -> bool {
        frame.bytes.get(frame.ip) == Some(&(pyrite_compiler::bytecode::Op::YIELD_FROM as u8))
    }

    /// `throw()` into a generator suspended in `yield from`: the delegate gets the thrown value
    /// (an exception, an exception class, or anything a user `throw()` method accepts).
    fn throw_into_delegate(&mut self, e: Obj, base: usize) -> PyResult<RunEnd> {
        let sub = self
            .frames
            .last()
            .and_then(|f| f.slots.last().copied())
            .unwrap_or(Obj::NULL);
        let exit = Obj::builtin_type(ty::GENERATOR_EXIT);
        let is_exit = if self.is_exception(e) {
            self.exc_is(e, ty::GENERATOR_EXIT)
        } else {
            self.is_class(e) && self.class_is_subclass(e, exit)
        };
        let r = if is_exit {
            // close() the delegate, then raise in this frame.
            let e = self.make_exception_value(e).unwrap_or_else(|x| x);
            if let Some(m) = self.lookup_special(sub, q::close)? {
                self.call(m, &[sub], &[])?;
            }
            Err(e)
        } else if self.is_generator(sub) {
            self.gen_resume(sub, Obj::NONE, Some(e))
        } else {
            match self.lookup_special(sub, q::throw)? {
                Some(m) => self.call(m, &[sub, e], &[]).map(RunEnd::Yield),
                None => {
                    let x = self.make_exception_value(e).unwrap_or_else(|x| x);
                    if self.is_exception(x) && self.exc_is(x, ty::STOP_ITERATION) {
                        Err(self.exc(ty::RUNTIME_ERROR, "generator raised StopIteration"))
                    } else {
                        Err(x)
                    }
                }
            }
        };
        match r {
            Ok(RunEnd::Yield(v)) => {
                // Still delegating: suspend this frame again at the same YIELD_FROM.
                let frame = self.frames.pop().expect("frame");
                let gen = frame.aux;
                self.suspend_generator(gen, frame);
                Ok(RunEnd::Yield(v))
            }
            Ok(RunEnd::Return(v)) => {
                let f = self.frames.last_mut().expect("frame");
                f.slots.pop();
                f.slots.push(v);
                f.ip += 1;
                self.run_frames(base)
            }
            Err(err) => {
                let f = self.frames.last_mut().expect("frame");
                f.slots.pop();
                f.ip += 1;
                let err = if self.is_exception(err) && self.exc_is(err, ty::STOP_ITERATION) {
                    let v = self.exc_args(err).first().copied().unwrap_or(Obj::NONE);
                    let f = self.frames.last_mut().expect("frame");
                    f.slots.push(v);
                    return self.run_frames(base);
                } else {
                    err
                };
                self.unwind(err, base)?;
                self.run_frames(base)
            }
        }
    }

    pub(crate) fn suspend_generator(&mut self, gen: Obj, frame: Frame) {
        if let Some(HeapObj::Generator(g)) = self.heap.get_mut(gen) {
            g.frame = Some(Box::new(frame));
            g.running = false;
        }
    }

    pub(crate) fn finish_generator(&mut self, gen: Obj) {
        if let Some(HeapObj::Generator(g)) = self.heap.get_mut(gen) {
            g.frame = None;
            g.running = false;
        }
    }

    /// `YIELD_FROM`'s step: sends `v` into iterator `it`.
    pub(crate) fn send_into(&mut self, it: Obj, v: Obj) -> PyResult<RunEnd> {
        if self.is_generator(it) {
            return self.gen_resume(it, v, None);
        }
        if v == Obj::NONE {
            return match self.iter_next_value(it)? {
                Ok(y) => Ok(RunEnd::Yield(y)),
                Err(r) => Ok(RunEnd::Return(r)),
            };
        }
        let send = self.getattr(it, q::send)?;
        match self.call(send, &[v], &[]) {
            Ok(y) => Ok(RunEnd::Yield(y)),
            Err(e) if self.is_exception(e) && self.exc_is(e, ty::STOP_ITERATION) => Ok(
                RunEnd::Return(self.exc_args(e).first().copied().unwrap_or(Obj::NONE)),
            ),
            Err(e) => Err(e),
        }
    }

    /// `await o`: the iterator to delegate to.
    pub(crate) fn get_awaitable(&mut self, o: Obj) -> PyResult<Obj> {
        if let Some(HeapObj::Generator(g)) = self.heap.get(o) {
            if g.kind != GenKind::AsyncGenerator {
                return Ok(o);
            }
        }
        match self.lookup_special(o, q::__await__)? {
            Some(m) => self.call(m, &[o], &[]),
            None => match self.lookup_special(o, q::__iter__)? {
                Some(m) => self.call(m, &[o], &[]),
                None => {
                    let name = String::from(self.type_name(o));
                    raise!(self, TYPE_ERROR, "'{}' object isn't awaitable", name)
                }
            },
        }
    }

    /// Calls method `name` of `o` with no arguments.
    pub fn call_method0(&mut self, o: Obj, name: Qstr) -> PyResult<Obj> {
        let (m, s) = self.load_method(o, name)?;
        if m.is_null() {
            self.call(s, &[], &[])
        } else {
            self.call(m, &[s], &[])
        }
    }

    /// Calls method `name` of `o` with `args`.
    pub fn call_method(&mut self, o: Obj, name: Qstr, args: &[Obj]) -> PyResult<Obj> {
        let (m, s) = self.load_method(o, name)?;
        if m.is_null() {
            self.call(s, args, &[])
        } else {
            let all = prepend(s, args);
            self.call(m, &all, &[])
        }
    }
}

/// Positional arguments and keyword arguments of a call.
pub(crate) type SplitArgs = (Vec<Obj>, Vec<(Qstr, Obj)>);

/// `[first, rest...]`.
pub(crate) fn prepend(first: Obj, rest: &[Obj]) -> Vec<Obj> {
    let mut v = vec![first];
    v.extend_from_slice(rest);
    v
}
