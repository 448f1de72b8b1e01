//! A readable disassembly of a [`Code`], for debugging the compiler and the VM (reachable
//! from the REPL through the core).
//!
//! One line per instruction: line number (when it changes), offset, opcode name, argument,
//! and what the argument means (the constant, name, or local it designates). Nested code
//! objects follow, each under its own heading.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use crate::bytecode::decode;
use crate::bytecode::{ArgKind, BinOp, CmpOp, Code, Const, Op, UnaryOp};

/// Disassembles `code` and, after it, every code object among its constants.
pub fn dis(code: &Code) -> String {
    let mut out = String::new();
    // Nested code objects are listed breadth-first with an explicit queue, so deeply nested
    // functions do not recurse.
    let mut queue: Vec<&Code> = Vec::from([code]);
    let mut i = 0;
    while let Some(c) = queue.get(i).copied() {
        if i > 0 {
            out.push('\n');
        }
        dis_one(c, &mut out);
        for k in &c.consts {
            if let Const::Code(inner) = k {
                queue.push(inner);
            }
        }
        i += 1;
    }
    out
}

fn dis_one(c: &Code, out: &mut String) {
    let _ = writeln!(
        out,
        "Disassembly of <code {}> (args {}, kwonly {}, flags {:#04x}, stack {}):",
        c.name, c.argcount, c.kwonlyargcount, c.flags, c.max_stack
    );
    if !c.varnames.is_empty() {
        let _ = writeln!(out, "  varnames: {}", c.varnames.join(", "));
    }
    if !c.cellvars.is_empty() {
        let _ = writeln!(out, "  cellvars: {}", c.cellvars.join(", "));
    }
    if !c.freevars.is_empty() {
        let _ = writeln!(out, "  freevars: {}", c.freevars.join(", "));
    }
    let mut pc = 0;
    let mut line_idx = 0;
    while pc < c.code.len() {
        let mut line_col = String::new();
        while line_idx < c.lines.len() && c.lines[line_idx].0 as usize <= pc {
            line_col = format!("{}", c.lines[line_idx].1);
            line_idx += 1;
        }
        let Some((op, arg, next)) = decode(&c.code, pc) else {
            let _ = writeln!(out, "{:>5} {:>6} <bad byte {}>", line_col, pc, c.code[pc]);
            pc += 1;
            continue;
        };
        let _ = write!(out, "{:>5} {:>6} {}", line_col, pc, op.name());
        if op.arg_len() > 0 {
            let _ = write!(out, " {}", arg);
            let note = describe(c, op, arg);
            if !note.is_empty() {
                let _ = write!(out, " ({})", note);
            }
        }
        out.push('\n');
        pc = next;
    }
}

fn describe(c: &Code, op: Op, arg: u32) -> String {
    let a = arg as usize;
    let name = |v: &Vec<String>| v.get(a).cloned().unwrap_or_default();
    match op.arg_kind() {
        ArgKind::Const => return c.consts.get(a).map(const_repr).unwrap_or_default(),
        ArgKind::Local => return name(&c.varnames),
        ArgKind::Deref => {
            return c
                .cellvars
                .iter()
                .chain(c.freevars.iter())
                .nth(a)
                .cloned()
                .unwrap_or_default()
        }
        ArgKind::Name => return name(&c.names),
        ArgKind::Other => {}
    }
    match op {
        Op::LOAD_SMALL_INT => format!("{}", arg as u16 as i16),
        Op::BINARY_OP | Op::INPLACE_OP => BinOp::from_u16(arg as u16)
            .map(|o| String::from(o.symbol()))
            .unwrap_or_default(),
        Op::UNARY_OP => match UnaryOp::from_u16(arg as u16) {
            Some(UnaryOp::Neg) => String::from("-"),
            Some(UnaryOp::Pos) => String::from("+"),
            Some(UnaryOp::Invert) => String::from("~"),
            Some(UnaryOp::Not) => String::from("not"),
            None => String::new(),
        },
        Op::COMPARE_OP => match CmpOp::from_u16(arg as u16) {
            Some(o) => String::from(match o {
                CmpOp::Lt => "<",
                CmpOp::Le => "<=",
                CmpOp::Eq => "==",
                CmpOp::Ne => "!=",
                CmpOp::Gt => ">",
                CmpOp::Ge => ">=",
                CmpOp::In => "in",
                CmpOp::NotIn => "not in",
                CmpOp::Is => "is",
                CmpOp::IsNot => "is not",
            }),
            None => String::new(),
        },
        _ => String::new(),
    }
}

/// A short Python-like rendering of a constant.
fn const_repr(k: &Const) -> String {
    match k {
        Const::None => String::from("None"),
        Const::True => String::from("True"),
        Const::False => String::from("False"),
        Const::Ellipsis => String::from("Ellipsis"),
        Const::Int(v) => format!("{}", v),
        Const::BigInt { radix, digits } => match radix {
            16 => format!("0x{}", digits),
            8 => format!("0o{}", digits),
            2 => format!("0b{}", digits),
            _ => digits.clone(),
        },
        Const::Float(v) => format!("{:?}", v),
        Const::Imag(v) => format!("{:?}j", v),
        Const::Str(s) => format!("{:?}", s),
        Const::Bytes(b) => format!("b{:?}", String::from_utf8_lossy(b)),
        Const::Tuple(items) => {
            let parts: Vec<String> = items.iter().map(const_repr).collect();
            if parts.len() == 1 {
                format!("({},)", parts[0])
            } else {
                format!("({})", parts.join(", "))
            }
        }
        Const::Code(c) => format!("<code {}>", c.name),
        Const::Loaded(n) => format!("<code #{n}>"),
    }
}
