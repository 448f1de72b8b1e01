//! Code generation checked through the disassembler, and every compile error message.

use pyrite_compiler::bytecode::{flags, Code, Const};
use pyrite_compiler::{compile, dis::dis, ErrorKind, Mode};

fn code(src: &str) -> Code {
    compile(src, "<test>", Mode::Exec).unwrap_or_else(|e| panic!("{:?}", e))
}

/// The opcode names of the disassembly of the first code object, in order.
fn ops(src: &str, mode: Mode) -> Vec<String> {
    let c = compile(src, "<test>", mode).unwrap_or_else(|e| panic!("{:?}", e));
    let text = dis(&c);
    let first = text.split("\n\n").next().unwrap_or("");
    first
        .lines()
        .skip(1)
        .filter_map(|l| {
            l.split_whitespace()
                .find(|w| w.chars().all(|c| c.is_ascii_uppercase() || c == '_') && w.len() > 2)
        })
        .map(String::from)
        .collect()
}

fn nested<'a>(c: &'a Code, name: &str) -> &'a Code {
    c.consts
        .iter()
        .find_map(|k| match k {
            Const::Code(inner) if inner.name == name => Some(&**inner),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no code {}", name))
}

#[test]
fn expression_statement_modes() {
    assert_eq!(
        ops("1 + x", Mode::Single),
        [
            "LOAD_SMALL_INT",
            "LOAD_NAME",
            "BINARY_OP",
            "PRINT_EXPR",
            "LOAD_CONST",
            "RETURN_VALUE"
        ]
    );
    assert_eq!(
        ops("x, 2", Mode::Eval),
        ["LOAD_NAME", "LOAD_SMALL_INT", "BUILD_TUPLE", "RETURN_VALUE"]
    );
    assert_eq!(
        ops("'doc'\nx", Mode::Exec),
        ["LOAD_NAME", "POP_TOP", "LOAD_CONST", "RETURN_VALUE"]
    );
}

#[test]
fn constants_are_folded() {
    let c = code("x = (1, -2, 'a', (None, 1.5))\ny = -7\nz = 100000\n");
    assert!(c.consts.contains(&Const::Tuple(vec![
        Const::Int(1),
        Const::Int(-2),
        Const::Str("a".into()),
        Const::Tuple(vec![Const::None, Const::Float(1.5)]),
    ])));
    assert!(c.consts.contains(&Const::Int(100000)));
    let c = code("x = 123456789012345678901234567890\n");
    assert!(c.consts.contains(&Const::BigInt {
        radix: 10,
        digits: "123456789012345678901234567890".into()
    }));
}

#[test]
fn chained_comparison_and_boolops() {
    assert_eq!(
        ops("a < b < c", Mode::Exec),
        [
            "LOAD_NAME",
            "LOAD_NAME",
            "DUP_TOP",
            "ROT_THREE",
            "COMPARE_OP",
            "JUMP_IF_FALSE_OR_POP",
            "LOAD_NAME",
            "COMPARE_OP",
            "JUMP",
            "ROT_TWO",
            "POP_TOP",
            "POP_TOP",
            "LOAD_CONST",
            "RETURN_VALUE"
        ]
    );
    assert_eq!(
        ops("a or b", Mode::Eval),
        [
            "LOAD_NAME",
            "JUMP_IF_TRUE_OR_POP",
            "LOAD_NAME",
            "RETURN_VALUE"
        ]
    );
}

#[test]
fn augmented_assignment_evaluates_target_once() {
    assert_eq!(
        ops("a[i] += 1", Mode::Exec),
        [
            "LOAD_NAME",
            "LOAD_NAME",
            "DUP_TOP_TWO",
            "BINARY_SUBSCR",
            "LOAD_SMALL_INT",
            "INPLACE_OP",
            "ROT_THREE",
            "STORE_SUBSCR",
            "LOAD_CONST",
            "RETURN_VALUE"
        ]
    );
    assert_eq!(
        ops("a.b -= 1", Mode::Exec),
        [
            "LOAD_NAME",
            "DUP_TOP",
            "LOAD_ATTR",
            "LOAD_SMALL_INT",
            "INPLACE_OP",
            "ROT_TWO",
            "STORE_ATTR",
            "LOAD_CONST",
            "RETURN_VALUE"
        ]
    );
}

#[test]
fn calls() {
    assert_eq!(
        ops("o.m(1, k=2)", Mode::Eval),
        [
            "LOAD_NAME",
            "LOAD_METHOD",
            "LOAD_SMALL_INT",
            "LOAD_SMALL_INT",
            "LOAD_CONST",
            "CALL_METHOD_KW",
            "RETURN_VALUE"
        ]
    );
    assert_eq!(
        ops("f(a, *b, k=1, **d)", Mode::Eval),
        [
            "LOAD_NAME",
            "BUILD_LIST",
            "LOAD_NAME",
            "LIST_APPEND",
            "LOAD_NAME",
            "LIST_EXTEND",
            "LIST_TO_TUPLE",
            "BUILD_MAP",
            "LOAD_CONST",
            "LOAD_SMALL_INT",
            "BUILD_MAP",
            "DICT_MERGE",
            "LOAD_NAME",
            "DICT_MERGE",
            "CALL_FUNCTION_EX",
            "RETURN_VALUE"
        ]
    );
}

#[test]
fn functions_and_closures() {
    let c = code("def f(a, b=1, *c, d, e=2, **g):\n    def h():\n        return a\n    return h\n");
    let f = nested(&c, "f");
    assert_eq!((f.argcount, f.kwonlyargcount), (2, 2));
    assert_eq!(
        f.flags & (flags::VARARGS | flags::VARKEYWORDS),
        flags::VARARGS | flags::VARKEYWORDS
    );
    assert_eq!(f.varnames, ["a", "b", "d", "e", "c", "g", "h"]);
    assert_eq!(f.cellvars, ["a"]);
    let h = nested(f, "h");
    assert_eq!(h.freevars, ["a"]);
    assert!(dis(f).contains("LOAD_CONST 1 (\"f.<locals>.h\")"));
    let g = nested(&code("def g():\n    yield 1\n"), "g").flags;
    assert_eq!(g, flags::GENERATOR);
    let a = nested(&code("async def g():\n    await x\n"), "g").flags;
    assert_eq!(a, flags::COROUTINE);
    let ag = nested(&code("async def g():\n    yield 1\n"), "g").flags;
    assert_eq!(ag, flags::ASYNC_GENERATOR);
}

#[test]
fn classes() {
    let c = code(
        "@d\nclass C(B, metaclass=M):\n    x = 1\n    def m(self):\n        return __class__\n",
    );
    let text = dis(&c);
    let module: Vec<&str> = text.split("\n\n").next().unwrap().lines().collect();
    assert!(module[1].contains("LOAD_NAME 0 (d)"));
    assert!(module[2].contains("LOAD_BUILD_CLASS"));
    assert!(text.contains("CALL_FUNCTION_KW 4"));
    let body = nested(&c, "C");
    assert_eq!(body.flags, flags::NAMESPACE);
    assert_eq!(body.cellvars, ["__class__"]);
    let body_text = dis(body);
    assert!(body_text.contains("STORE_NAME 1 (__module__)"));
    assert!(body_text.contains("STORE_NAME 2 (__qualname__)"));
    assert!(body_text.contains("STORE_NAME") && body_text.contains("(__classcell__)"));
}

#[test]
fn comprehensions() {
    let c = code("x = {k: v for k, v in d if k}\n");
    let comp = nested(&c, "<dictcomp>");
    assert_eq!(comp.argcount, 1);
    assert_eq!(comp.varnames[0], ".0");
    assert!(dis(comp).contains("MAP_ADD 2"));
    let c = code("x = (i for i in y)\n");
    assert_eq!(nested(&c, "<genexpr>").flags, flags::GENERATOR);
}

#[test]
fn try_and_with_shapes() {
    let c = code("def f():\n    try:\n        return g()\n    finally:\n        h()\n");
    let f = dis(nested(&c, "f"));
    // The finally body appears three times: after the return, on fall-through and on the
    // exception path.
    assert_eq!(f.matches("LOAD_GLOBAL 1 (h)").count(), 3);
    assert!(f.contains("RERAISE"));
    let c = code("for x in y:\n    with a as b:\n        break\n");
    assert!(dis(&c).contains("WITH_EXCEPT_START"));
    let c = code("try:\n    pass\nexcept E as e:\n    pass\n");
    let t = dis(&c);
    assert!(t.contains("JUMP_IF_NOT_EXC_MATCH") && t.contains("DELETE_NAME"));
}

#[test]
fn fstrings() {
    let t = dis(&code("s = f'a{x!r:>{w}}b{y=}' 'c'\n"));
    assert!(t.contains("FORMAT_VALUE 6"));
    assert!(t.contains("\"y=\"") || t.contains("\"by=\""));
    assert!(t.contains("BUILD_STRING"));
}

#[test]
fn imports() {
    let t = dis(&code(
        "import a.b.c as d\nfrom ..x import (y as z, w)\nfrom m import *\n",
    ));
    assert!(t.contains("IMPORT_NAME 0 (a.b.c)"));
    assert!(t.contains("LOAD_ATTR 1 (b)"));
    assert!(t.contains("LOAD_SMALL_INT 2 (2)"));
    assert!(t.contains("IMPORT_FROM 5 (y)"));
    assert!(t.contains("IMPORT_STAR"));
}

fn error(src: &str) -> (ErrorKind, String, u32) {
    let e = compile(src, "<test>", Mode::Exec).expect_err(src);
    (e.kind, e.msg, e.line)
}

#[test]
fn error_messages() {
    let syntax = |src: &str, msg: &str| {
        let (kind, m, _) = error(src);
        assert_eq!((kind, m.as_str()), (ErrorKind::Syntax, msg), "{}", src);
    };
    syntax("x = (", "invalid syntax");
    syntax("break\n", "'break' outside loop");
    syntax("continue\n", "'continue' outside loop");
    syntax("def f():\n    break\n", "'break' outside loop");
    syntax(
        "while x:\n    def f():\n        continue\n",
        "'continue' outside loop",
    );
    syntax("return 1\n", "'return' outside function");
    syntax("yield 1\n", "'yield' outside function");
    syntax("await x\n", "'await' outside function");
    syntax(
        "def f(a):\n    global a\n",
        "identifier redefined as global",
    );
    syntax(
        "def f():\n    nonlocal a\n",
        "no binding for nonlocal found",
    );
    syntax("f() = 1\n", "can't assign to expression");
    syntax("1 = 1\n", "can't assign to expression");
    syntax("del f()\n", "can't delete expression");
    syntax("*a, *b = c\n", "multiple *x in assignment");
    syntax("x = *a\n", "can't use starred expression here");
    syntax(
        "f(a=1, 2)\n",
        "positional argument follows keyword argument",
    );
    syntax(
        "def f(a=1, b): pass\n",
        "non-default argument follows default argument",
    );
    syntax(
        "try:\n    a\nexcept:\n    b\nexcept E:\n    c\n",
        "default 'except' must be last",
    );
    syntax("'a' b'b'\n", "cannot mix bytes and nonbytes literals");
    let (kind, msg, line) = error("if x:\n        a\n    b\n");
    assert_eq!(
        (kind, msg.as_str(), line),
        (
            ErrorKind::Indentation,
            "unindent doesn't match any outer indent level",
            3
        )
    );
    let (kind, msg, _) = error(" x\n");
    assert_eq!(
        (kind, msg.as_str()),
        (ErrorKind::Indentation, "unexpected indent")
    );
    let (kind, msg, _) = error("x\n    y\n");
    assert_eq!(
        (kind, msg.as_str()),
        (ErrorKind::Indentation, "unexpected indent")
    );
    let (kind, _, _) = error("if x:\ny\n");
    assert_eq!(kind, ErrorKind::Indentation);
    assert_eq!(error("x = 1\ny = (\n").2, 3);
}

#[test]
fn accepted_syntax() {
    let ok = [
        "x = (y := 1)\n",
        "f(x := 1)\n",
        "lambda a, b=2, *c, d, e=3, **f: a\n",
        "x = [*a, *b]\ny = {**a, 'k': 1}\nz = {*a, 1}\n",
        "a[1:2, ::3, ...] = b\n",
        "with (open(a) as b, open(c) as d):\n    pass\n",
        "with (a):\n    pass\n",
        "async def f():\n    async for x in y:\n        pass\n    async with a as b:\n        pass\n    return [x async for x in y]\n",
        "def f():\n    x = yield\n    y = yield from z\n",
        "x: int = 1\ny: list\n",
        "assert x, 'msg'\n",
        "raise E from None\n",
        "del a, b.c, d[0], (e, f)\n",
        "from . import x\nfrom .a.b import c\n",
        "x = 1 if y else 2\n",
        "class A: pass\n",
        "if a: pass\nelif b: pass\nelse: pass\n",
        "for i in x:\n    pass\nelse:\n    pass\n",
        "while 1:\n    break\nelse:\n    pass\n",
        "x = 0x_ff + 0o17 + 0b1 + 1_000 + 1.5e3 + 2j\n",
        "s = rb'\\x' + Rb'a' + BR'b' + F'{x}' + fR'{y}\\n' + U'z'\n",
        "x = f'{a}' 'b' f'{c:{d}.{e}}'\n",
        "x = f\"{'a' if b else 'c'}\"\n",
        "x = f'{x!s:>10}' + f'{{}}'\n",
        "def f(a, /, b): pass\n",
        "@a.b(c)\n@d\ndef f(): pass\n",
        "x = a if b else lambda: c\n",
        "x = [i for i in range(3) if i if i > 0 for j in i]\n",
        "try:\n    pass\nfinally:\n    pass\n",
        "def f():\n    try:\n        return 1\n    except E as e:\n        return e\n    else:\n        pass\n    finally:\n        return 2\n",
        "def f():\n    for x in y:\n        try:\n            continue\n        finally:\n            break\n",
    ];
    for src in ok {
        if let Err(e) = compile(src, "<test>", Mode::Exec) {
            panic!("{:?}: {:?}", src, e);
        }
    }
}
