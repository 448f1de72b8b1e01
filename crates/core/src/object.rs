//! The shapes of heap objects.
//!
//! Every object in the GC heap is one `HeapObj`. Payloads that are rare or large are boxed so
//! the common ones (strings, lists, floats, tuples) stay small. Objects refer to each other only
//! through `Obj` words; `trace` lists those words for the collector, so a new variant must be
//! added there too.

use alloc::boxed::Box;
use alloc::vec::Vec;
use pyrite_mpz::BigInt;

use crate::dict::Dict;
use crate::heap::block;
use crate::qstr::Qstr;
use crate::value::Obj;
use crate::vm::frame::Frame;

/// An immutable `str`: UTF-8 text with its hash and length in characters.
pub struct StrObj {
    /// The text.
    pub s: Box<str>,
    /// `qstr::str_hash` of the text.
    pub hash: u32,
    /// The length in characters (code points).
    pub chars: u32,
}

/// A slice that belongs either to its code object or, for the frozen modules, to the flash.
pub enum Slice<T: 'static> {
    /// Made when the code was loaded.
    Owned(Box<[T]>),
    /// Built into the binary.
    Static(&'static [T]),
}

impl<T> core::ops::Deref for Slice<T> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        match self {
            Slice::Owned(b) => b,
            Slice::Static(s) => s,
        }
    }
}

/// The instructions of a code object, shared with the frames running them.
#[derive(Clone)]
pub enum CodeBytes {
    /// Compiled at run time.
    Owned(alloc::rc::Rc<[u8]>),
    /// A frozen module's, in flash.
    Static(&'static [u8]),
}

impl core::ops::Deref for CodeBytes {
    type Target = [u8];

    #[inline]
    fn deref(&self) -> &[u8] {
        match self {
            CodeBytes::Owned(b) => b,
            CodeBytes::Static(s) => s,
        }
    }
}

/// What a code object is besides its instructions and constants: fixed once compiled, so a
/// frozen module's is a `static` that costs no RAM.
pub struct RawCode {
    /// Names used by name, attribute and import instructions.
    pub names: Slice<Qstr>,
    /// Names of the fast locals.
    pub varnames: Slice<Qstr>,
    /// For each cell, the parameter whose value it starts with, if any.
    pub cell_args: Slice<Option<u16>>,
    /// Names of the cells, then of the free variables.
    pub deref_names: Slice<Qstr>,
    /// Number of cells (the first `ncells` entries of `deref_names`).
    pub ncells: u16,
    /// Positional parameters.
    pub argcount: u16,
    /// Keyword-only parameters.
    pub kwonlyargcount: u16,
    /// `bytecode::flags`.
    pub flags: u8,
    /// Maximum value stack depth.
    pub max_stack: u16,
    /// The line table, packed (`bytecode::pack_lines`).
    pub lines: Slice<u8>,
    /// `__name__`.
    pub name: Qstr,
    /// The source file.
    pub filename: Qstr,
}

impl RawCode {
    /// The source line of the instruction at `offset`.
    pub fn line_at(&self, offset: usize) -> u32 {
        pyrite_compiler::bytecode::line_at(&self.lines, offset)
    }
}

/// Where a code object's [`RawCode`] is.
pub enum RawRef {
    /// Loaded at run time.
    Owned(Box<RawCode>),
    /// A frozen module's.
    Static(&'static RawCode),
}

/// A compiled function body, ready to run: its [`RawCode`] (reached through `Deref`), its
/// instructions and its constants as runtime objects.
pub struct CodeObj {
    /// The names, parameters and line table.
    pub raw: RawRef,
    /// The instructions (see `pyrite_compiler::bytecode`).
    pub code: CodeBytes,
    /// The constants, as runtime objects.
    pub consts: Box<[Obj]>,
}

impl core::ops::Deref for CodeObj {
    type Target = RawCode;

    #[inline]
    fn deref(&self) -> &RawCode {
        match &self.raw {
            RawRef::Owned(r) => r,
            RawRef::Static(r) => r,
        }
    }
}

/// A Python function.
pub struct FuncObj {
    /// A `HeapObj::Code`.
    pub code: Obj,
    /// The module's globals dict.
    pub globals: Obj,
    /// A tuple of positional defaults, or `NULL`.
    pub defaults: Obj,
    /// A dict of keyword-only defaults, or `NULL`.
    pub kwdefaults: Obj,
    /// A tuple of cells for the free variables, or `NULL`.
    pub closure: Obj,
    /// Attributes set on the function (a dict), or `NULL`.
    pub dict: Obj,
    /// `__name__`.
    pub name: Qstr,
}

/// A class defined in Python (`class C: ...`) or a subclass of a built-in type.
pub struct ClassObj {
    /// `__name__`.
    pub name: Qstr,
    /// The direct bases (classes or built-in types).
    pub bases: Vec<Obj>,
    /// The method resolution order, starting with the class itself.
    pub mro: Vec<Obj>,
    /// The class namespace (a dict).
    pub dict: Obj,
    /// The built-in type instances of this class are made of (`object`, `list`, an exception...).
    pub native_base: u16,
    /// The metaclass, or `NULL` for `type`.
    pub metaclass: Obj,
}

/// An instance of a Python class.
pub struct InstanceObj {
    /// Its class.
    pub class: Obj,
    /// Its `__dict__`, or `NULL` until an attribute is set.
    pub dict: Obj,
    /// For subclasses of built-in types: the built-in value (a list, a dict, an int...).
    pub native: Obj,
}

/// One line of a traceback.
#[derive(Clone, Copy)]
pub struct TracebackEntry {
    /// The file.
    pub filename: Qstr,
    /// The line.
    pub line: u32,
    /// The function (`<module>` at top level).
    pub name: Qstr,
}

/// An exception instance (of a built-in exception class or a subclass of one).
pub struct ExcObj {
    /// Its class: a built-in exception type or a `ClassObj`.
    pub class: Obj,
    /// `args`: a tuple.
    pub args: Obj,
    /// Where it was raised, innermost last.
    pub traceback: Vec<TracebackEntry>,
    /// `__cause__` (`raise ... from`), or `NULL`.
    pub cause: Obj,
    /// `__context__`: the exception being handled when this one was raised, or `NULL`.
    pub context: Obj,
    /// Attributes set on the exception (a dict), or `NULL`.
    pub dict: Obj,
}

/// A module.
pub struct ModuleObj {
    /// `__name__`.
    pub name: Qstr,
    /// Its namespace (a dict).
    pub dict: Obj,
}

/// What a generator-like object is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum GenKind {
    /// `def` with `yield`.
    Generator,
    /// `async def`.
    Coroutine,
    /// `async def` with `yield`.
    AsyncGenerator,
}

/// A generator, coroutine or async generator: a suspended frame.
pub struct GenObj {
    /// The frame, `None` while it runs or after it finished.
    pub frame: Option<Box<Frame>>,
    /// What kind it is.
    pub kind: GenKind,
    /// The function name, for `repr`.
    pub name: Qstr,
    /// Whether it is executing now (`ValueError: generator already executing`).
    pub running: bool,
    /// Whether it has started (a just-made generator only accepts `send(None)`).
    pub started: bool,
}

/// A `range`.
#[derive(Clone, Copy)]
pub struct RangeObj {
    /// First value.
    pub start: i64,
    /// End (exclusive).
    pub stop: i64,
    /// Step, never 0.
    pub step: i64,
}

impl RangeObj {
    /// The number of values.
    pub fn len(&self) -> i64 {
        // The span and the count fit in a u64 (no 128-bit division: it is large on a
        // 32-bit target); a count beyond i64::MAX wraps, as the caller's checks expect.
        let (span, step) = if self.step > 0 && self.start < self.stop {
            (
                self.stop.wrapping_sub(self.start) as u64,
                self.step.unsigned_abs(),
            )
        } else if self.step < 0 && self.start > self.stop {
            (
                self.start.wrapping_sub(self.stop) as u64,
                self.step.unsigned_abs(),
            )
        } else {
            return 0;
        };
        ((span - 1) / step + 1) as i64
    }

    /// The number of values as a length: `None` beyond the machine word (`sys.maxsize`).
    pub fn len_usize(&self) -> Option<usize> {
        usize::try_from(self.len())
            .ok()
            .filter(|&n| isize::try_from(n).is_ok())
    }

    /// Whether it has no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The iterators of built-in types and functions.
pub enum IterObj {
    /// Over a list, tuple, str, bytes or bytearray by index (`seq[i]` each step).
    Seq {
        /// The sequence.
        seq: Obj,
        /// The next index (in characters for a str; bytes for a str being a byte offset).
        index: usize,
    },
    /// Over a range.
    Range {
        /// The next value.
        next: i64,
        /// Values left.
        left: i64,
        /// The step.
        step: i64,
    },
    /// Over a dict's or set's entries.
    Dict {
        /// The dict or set.
        dict: Obj,
        /// The next entry index.
        index: usize,
        /// 0 keys, 1 values, 2 items.
        kind: u8,
        /// The length when the iteration started (a change is an error).
        len: usize,
    },
    /// `enumerate`.
    Enumerate {
        /// The underlying iterator.
        iter: Obj,
        /// The next count (an int object).
        count: Obj,
    },
    /// `zip`.
    Zip {
        /// The underlying iterators.
        iters: Vec<Obj>,
    },
    /// `map`.
    Map {
        /// The function.
        func: Obj,
        /// The underlying iterators.
        iters: Vec<Obj>,
    },
    /// `filter`.
    Filter {
        /// The predicate, or `None`.
        func: Obj,
        /// The underlying iterator.
        iter: Obj,
    },
    /// `reversed` over a sequence.
    Reversed {
        /// The sequence.
        seq: Obj,
        /// Items left.
        left: usize,
    },
    /// `iter(callable, sentinel)`.
    Callable {
        /// The function.
        func: Obj,
        /// The value that ends the iteration.
        sentinel: Obj,
    },
    /// An iterator object whose `__getitem__` is called with 0, 1, 2...
    GetItem {
        /// The object.
        obj: Obj,
        /// The next index.
        index: usize,
    },
}

/// A heap object.
pub enum HeapObj {
    /// `str`.
    Str(StrObj),
    /// `bytes`.
    Bytes(Box<[u8]>),
    /// `bytearray`.
    ByteArray(Vec<u8>),
    /// `float`.
    Float(f64),
    /// `complex`: real, imaginary.
    Complex(f64, f64),
    /// An `int` outside the small-int range.
    BigInt(Box<BigInt>),
    /// `list`.
    List(Vec<Obj>),
    /// `tuple`.
    Tuple(Box<[Obj]>),
    /// `dict`.
    Dict(Box<Dict>),
    /// `set` (false) or `frozenset` (true); the dict's values are unused.
    Set(Box<Dict>, bool),
    /// `range`.
    Range(Box<RangeObj>),
    /// `slice(start, stop, step)`.
    Slice(Obj, Obj, Obj),
    /// `memoryview(obj)`.
    MemoryView(crate::obj::memoryview::MemViewObj),
    /// `array.array`.
    Array(Box<crate::modules::array::ArrayObj>),
    /// `collections.deque`.
    Deque(Box<crate::modules::collections::DequeObj>),
    /// `io.StringIO` or `io.BytesIO`.
    StringIo(Box<crate::modules::io::IoObj>),
    /// `framebuf.FrameBuffer`.
    FrameBuf(Box<crate::modules::framebuf::FrameBufObj>),
    /// A file from `open()`.
    File(Box<crate::vfs::file::FileObj>),
    /// A built-in file system (`vfs.VfsPosix`, `vfs.VfsLfs2`, `vfs.VfsFat`).
    Vfs(Box<crate::vfs::fs::VfsObj>),
    /// `uctypes.struct`.
    UStruct(Box<crate::modules::uctypes::StructObj>),
    /// A `hashlib` hash in progress.
    Hash(Box<crate::modules::hashlib::HashObj>),
    /// A compiled `re` pattern.
    Regex(Box<crate::modules::re::RegexObj>),
    /// An `re` match.
    ReMatch(Box<crate::modules::re::MatchObj>),
    /// `select.poll()`.
    Poll(Box<crate::modules::select::PollObj>),
    /// `deflate.DeflateIO`.
    Deflate(Box<crate::modules::deflate::DeflateObj>),
    /// `micropython.RingIO`.
    RingIo(Box<crate::modules::ringio::RingIoObj>),
    /// A `machine` or `pyb` peripheral (`Pin`, `I2C`, `Timer`, `LED`...).
    Machine(Box<crate::modules::machine::Periph>),
    /// A closure cell; `NULL` inside means empty.
    Cell(Obj),
    /// A code object.
    Code(Box<CodeObj>),
    /// A Python function.
    Function(Box<FuncObj>),
    /// A method bound to an instance: self, function.
    BoundMethod(Obj, Obj),
    /// A built-in method bound to its object: self, the native function.
    NativeBound(Obj, Obj),
    /// A Python class.
    Class(Box<ClassObj>),
    /// An instance of a Python class.
    Instance(InstanceObj),
    /// An exception.
    Exception(Box<ExcObj>),
    /// A module.
    Module(Box<ModuleObj>),
    /// A generator, coroutine or async generator.
    Generator(Box<GenObj>),
    /// `property(fget, fset, fdel)`.
    Property(Obj, Obj, Obj),
    /// `staticmethod(f)`.
    StaticMethod(Obj),
    /// `classmethod(f)`.
    ClassMethod(Obj),
    /// `super(type, obj)`.
    Super(Obj, Obj),
    /// An iterator of a built-in type.
    Iter(Box<IterObj>),
}

impl HeapObj {
    /// Calls `f` with every object this one refers to.
    pub fn trace(&self, f: &mut dyn FnMut(Obj)) {
        match self {
            HeapObj::Str(_)
            | HeapObj::Bytes(_)
            | HeapObj::ByteArray(_)
            | HeapObj::Float(_)
            | HeapObj::Complex(..)
            | HeapObj::BigInt(_)
            | HeapObj::Range(_)
            | HeapObj::StringIo(_)
            | HeapObj::RingIo(_) => {}
            HeapObj::Array(a) => a.objs.iter().for_each(|&o| f(o)),
            HeapObj::Deque(d) => d.items.iter().for_each(|&o| f(o)),
            HeapObj::MemoryView(m) => f(m.src),
            HeapObj::FrameBuf(b) => f(b.buf),
            HeapObj::UStruct(s) => f(s.desc),
            HeapObj::Hash(_) | HeapObj::Regex(_) => {}
            HeapObj::Deflate(d) => f(d.stream),
            HeapObj::Machine(m) => m.trace(f),
            HeapObj::ReMatch(m) => f(m.subject),
            HeapObj::Poll(p) => p.entries.iter().for_each(|&(o, _)| f(o)),
            HeapObj::File(file) => {
                if let crate::vfs::file::FileBackend::Block { vfs, .. } = &file.backend {
                    f(*vfs);
                }
            }
            HeapObj::Vfs(v) => {
                if let crate::vfs::fs::VfsKind::Block { bdev, .. } = &v.kind {
                    f(*bdev);
                }
            }
            HeapObj::List(v) => v.iter().for_each(|&o| f(o)),
            HeapObj::Tuple(v) => v.iter().for_each(|&o| f(o)),
            HeapObj::Dict(d) | HeapObj::Set(d, _) => d.trace(f),
            HeapObj::Slice(a, b, c) | HeapObj::Property(a, b, c) => {
                f(*a);
                f(*b);
                f(*c);
            }
            HeapObj::Cell(o) | HeapObj::StaticMethod(o) | HeapObj::ClassMethod(o) => f(*o),
            HeapObj::Code(c) => c.consts.iter().for_each(|&o| f(o)),
            HeapObj::Function(func) => {
                f(func.code);
                f(func.globals);
                f(func.defaults);
                f(func.kwdefaults);
                f(func.closure);
                f(func.dict);
            }
            HeapObj::BoundMethod(a, b) | HeapObj::NativeBound(a, b) | HeapObj::Super(a, b) => {
                f(*a);
                f(*b);
            }
            HeapObj::Class(c) => {
                c.bases.iter().for_each(|&o| f(o));
                c.mro.iter().for_each(|&o| f(o));
                f(c.dict);
                f(c.metaclass);
            }
            HeapObj::Instance(i) => {
                f(i.class);
                f(i.dict);
                f(i.native);
            }
            HeapObj::Exception(e) => {
                f(e.class);
                f(e.args);
                f(e.cause);
                f(e.context);
                f(e.dict);
            }
            HeapObj::Module(m) => f(m.dict),
            HeapObj::Generator(g) => {
                if let Some(frame) = &g.frame {
                    frame.trace(f);
                }
            }
            HeapObj::Iter(it) => match &**it {
                IterObj::Seq { seq, .. } | IterObj::Reversed { seq, .. } => f(*seq),
                IterObj::Range { .. } => {}
                IterObj::Dict { dict, .. } => f(*dict),
                IterObj::Enumerate { iter, count } => {
                    f(*iter);
                    f(*count);
                }
                IterObj::Zip { iters } => iters.iter().for_each(|&o| f(o)),
                IterObj::Map { func, iters } => {
                    f(*func);
                    iters.iter().for_each(|&o| f(o));
                }
                IterObj::Filter { func, iter } => {
                    f(*func);
                    f(*iter);
                }
                IterObj::Callable { func, sentinel } => {
                    f(*func);
                    f(*sentinel);
                }
                IterObj::GetItem { obj, .. } => f(*obj),
            },
        }
    }

    /// The bytes this object holds outside its slot, for heap accounting: the allocator's
    /// block for each allocation it owns ([`block`]), an estimate where one of its parts
    /// owns more than its size says.
    pub fn extra_bytes(&self) -> usize {
        const W: usize = core::mem::size_of::<Obj>();
        /// The block of a boxed `T`.
        const fn boxed<T>(_: &T) -> usize {
            block(core::mem::size_of::<T>())
        }
        match self {
            HeapObj::Str(s) => block(s.s.len()),
            HeapObj::Bytes(b) => block(b.len()),
            HeapObj::ByteArray(b) => block(b.capacity()),
            HeapObj::BigInt(b) => boxed(&**b) + block(b.limb_count() * 4),
            HeapObj::List(v) => block(v.capacity() * W),
            HeapObj::Tuple(v) => block(v.len() * W),
            HeapObj::Dict(d) | HeapObj::Set(d, _) => d.bytes(),
            HeapObj::Range(r) => boxed(&**r),
            HeapObj::Code(c) => {
                boxed(&**c)
                    + block(c.consts.len() * W)
                    + match c.raw {
                        RawRef::Owned(_) => {
                            block(core::mem::size_of::<RawCode>())
                                + block(c.code.len())
                                + block(c.varnames.len() * W)
                                + block(c.deref_names.len() * W)
                                + block(c.names.len() * 2)
                                + block(c.lines.len())
                        }
                        RawRef::Static(_) => 0,
                    }
            }
            HeapObj::Function(f) => boxed(&**f),
            HeapObj::Class(c) => boxed(&**c) + block(c.bases.len() * W) + block(c.mro.len() * W),
            HeapObj::Exception(e) => {
                boxed(&**e) + block(e.traceback.capacity() * core::mem::size_of::<TracebackEntry>())
            }
            HeapObj::Module(m) => boxed(&**m),
            HeapObj::Generator(g) => boxed(&**g) + g.frame.as_ref().map_or(0, |f| f.bytes()),
            HeapObj::Iter(i) => boxed(&**i),
            HeapObj::Array(a) => {
                boxed(&**a) + block(a.data.capacity()) + block(a.objs.capacity() * W)
            }
            HeapObj::Deque(d) => boxed(&**d) + block(d.items.capacity() * W),
            HeapObj::StringIo(s) => boxed(&**s) + block(s.data.capacity()),
            HeapObj::RingIo(r) => boxed(&**r) + r.bytes(),
            HeapObj::File(f) => {
                boxed(&**f)
                    + match &f.backend {
                        crate::vfs::file::FileBackend::Block { data, path, .. } => {
                            block(data.capacity()) + block(path.capacity())
                        }
                        crate::vfs::file::FileBackend::Host { .. } => 0,
                    }
            }
            HeapObj::FrameBuf(b) => boxed(&**b),
            HeapObj::Vfs(v) => boxed(&**v),
            HeapObj::UStruct(s) => boxed(&**s),
            HeapObj::Hash(h) => boxed(&**h),
            HeapObj::Regex(r) => boxed(&**r),
            HeapObj::ReMatch(m) => boxed(&**m),
            HeapObj::Poll(p) => boxed(&**p),
            HeapObj::Deflate(d) => boxed(&**d),
            HeapObj::Machine(m) => boxed(&**m),
            _ => 0,
        }
    }
}
