//! `random`: not implemented yet (the module is registered so its table id is fixed; it is
//! not importable until `IMPORTABLE` in `modules/mod.rs` lists it).

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
