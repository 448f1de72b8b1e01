#![no_std]
#![forbid(unsafe_code)]
//! Pyrite's interpreter core: values, the heap, the VM, built-in types and modules.
//!
//! Everything here is `no_std` + `alloc` and the same on every target: the host CLI, the
//! browser worker and the firmware each supply a [`port::Port`] and drive a [`Vm`].
//!
//! Layout: `value` (the one-word value encoding), `heap` (the GC heap), `object` (shapes of
//! heap objects), `qstr` (interned names), `dict` (the hash table), `vm` (frames, dispatch,
//! calls, attributes, imports), `ops` (operators), `obj/*` (one file per built-in type),
//! `builtins` and `modules/*`.

extern crate alloc;

#[macro_use]
mod macros;

pub mod builtins;
pub mod dict;
pub mod hardware;
pub mod heap;
pub mod modules;
pub mod native;
pub mod obj;
pub mod object;
pub mod ops;
pub mod port;
pub mod qstr;
pub mod types;
pub mod value;
pub mod vfs;
pub mod vm;

pub use native::PyResult;
pub use pyrite_compiler::Mode;
pub use value::Obj;
pub use vm::Vm;

/// Pyrite's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The MicroPython version whose behaviour Pyrite follows (`sys.implementation.version`).
pub fn version_triple() -> (u32, u32, u32) {
    (1, 29, 0)
}
