//! `_asyncio`: the native half of `asyncio`, empty for now.
//!
//! `asyncio` itself is Python, frozen into the binary (`modules/asyncio/*.py`, listed in
//! `modules/frozen.rs`): its run queue, tasks and scheduler loop need no native help, and it
//! sleeps through `time.sleep_ms`. The module stays registered so its table id is fixed; it is
//! not importable until `IMPORTABLE` in `modules/mod.rs` lists it.

use crate::native::{Native, PyResult};
use crate::value::Obj;
use crate::vm::Vm;

/// The module's functions.
pub static FUNCTIONS: [Native; 0] = [];

/// Names of the module's other attributes.
pub static ATTR_NAMES: &[&str] = &[];

/// The module's other attributes.
pub fn module_attr(_vm: &mut Vm, _name: &str) -> PyResult<Option<Obj>> {
    Ok(None)
}
