//! The disassembler: a readable listing of a code object, as `micropython.dis(f)` prints it.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use pyrite_compiler::bytecode::{self, ArgKind};

use crate::object::HeapObj;
use crate::value::Obj;
use crate::vm::Vm;

impl Vm {
    /// The code object of a function, bound method, generator or code object.
    pub fn code_of(&self, o: Obj) -> Option<Obj> {
        match self.heap.get(o)? {
            HeapObj::Code(_) => Some(o),
            HeapObj::Function(f) => Some(f.code),
            HeapObj::BoundMethod(_, f) => self.code_of(*f),
            HeapObj::Generator(g) => g.frame.as_ref().map(|f| f.code),
            _ => None,
        }
    }

    /// Disassembles a code object and the code objects among its constants.
    pub fn disassemble(&mut self, code: Obj) -> String {
        let mut out = String::new();
        let mut todo: Vec<Obj> = alloc::vec![code];
        let mut depth = 0;
        while let Some(c) = todo.pop() {
            depth += 1;
            if depth > 64 {
                break;
            }
            let Some(HeapObj::Code(co)) = self.heap.get(c) else {
                continue;
            };
            let bytes = co.code.clone();
            let consts = co.consts.to_vec();
            let names = co.names.to_vec();
            let varnames = co.varnames.to_vec();
            let derefs = co.deref_names.to_vec();
            let (name, file) = (co.name, co.filename);
            let _ = writeln!(
                out,
                "code {} ({}, {} bytes):",
                self.qstr_str(name),
                self.qstr_str(file),
                bytes.len()
            );
            let mut ip = 0;
            while ip < bytes.len() {
                let Some((op, a, next)) = bytecode::decode(&bytes, ip) else {
                    let _ = writeln!(out, "  {:5} ?? {}", ip, bytes[ip]);
                    ip += 1;
                    continue;
                };
                let _ = write!(out, "  {:5} {}", ip, op.name());
                if op.arg_len() > 0 {
                    let _ = write!(out, " {}", a);
                    let q = |v: &[crate::qstr::Qstr]| v.get(a as usize).copied();
                    let detail = match op.arg_kind() {
                        ArgKind::Const => consts.get(a as usize).map(|&k| {
                            if matches!(self.heap.get(k), Some(HeapObj::Code(_))) {
                                todo.push(k);
                            }
                            self.repr(k).unwrap_or_default()
                        }),
                        ArgKind::Local => q(&varnames).map(|n| String::from(self.qstr_str(n))),
                        ArgKind::Deref => q(&derefs).map(|n| String::from(self.qstr_str(n))),
                        ArgKind::Name => q(&names).map(|n| String::from(self.qstr_str(n))),
                        ArgKind::Other => None,
                    };
                    if let Some(d) = detail {
                        let _ = write!(out, " ({})", d);
                    }
                }
                out.push('\n');
                ip = next;
            }
        }
        out
    }
}
