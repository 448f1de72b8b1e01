//! Inputs that must give a clean error (or compile) without exhausting the Rust stack or
//! taking quadratic time.

use pyrite_compiler::{compile, Mode};

/// Compiles on a thread with a 4 MiB stack: a debug build needs about 2 MiB at the nesting
/// limits (a release build about 256 KiB), more than the test harness's default threads.
fn err(src: &str) -> String {
    let src = String::from(src);
    let worker = std::thread::Builder::new()
        .stack_size(4 << 20)
        .spawn(move || match compile(&src, "<test>", Mode::Exec) {
            Ok(_) => String::from("ok"),
            Err(e) => e.msg,
        });
    worker.unwrap().join().unwrap()
}

#[test]
fn deep_brackets_are_rejected() {
    for (open, close) in [("(", ")"), ("[", "]"), ("{", "}")] {
        let src = format!("x = {}1{}\n", open.repeat(10_000), close.repeat(10_000));
        assert_eq!(err(&src), "too complex");
    }
    let src = format!("x = {}\n", "f(".repeat(10_000) + &")".repeat(10_000));
    assert_eq!(err(&src), "too complex");
}

#[test]
fn deep_nesting_just_below_the_limit_compiles() {
    let src = format!("x = {}1{}\n", "(".repeat(45), ")".repeat(45));
    assert_eq!(err(&src), "ok");
    let src = format!("x = {}1{}\n", "[".repeat(45), "]".repeat(45));
    assert_eq!(err(&src), "ok");
    let mut src = String::new();
    for i in 0..90 {
        src.push_str(&" ".repeat(i));
        src.push_str("if x:\n");
    }
    src.push_str(&" ".repeat(90));
    src.push_str("pass\n");
    assert_eq!(err(&src), "ok");
    assert_eq!(err(&format!("x = a{}\n", " + a".repeat(90))), "ok");
    assert_eq!(err(&format!("x = {}a\n", "-".repeat(90))), "ok");
}

#[test]
fn deep_unary_and_chains_are_rejected() {
    assert_eq!(err(&format!("{}x\n", "-".repeat(10_000))), "too complex");
    assert_eq!(err(&format!("{}x\n", "not ".repeat(10_000))), "too complex");
    assert_eq!(
        err(&format!("{}x\n", "lambda: ".repeat(10_000))),
        "too complex"
    );
    assert_eq!(err(&format!("x{}\n", " + 1".repeat(10_000))), "too complex");
    assert_eq!(err(&format!("x{}\n", ".a".repeat(10_000))), "too complex");
    assert_eq!(err(&format!("x{}\n", "()".repeat(10_000))), "too complex");
    assert_eq!(
        err(&format!("x{}\n", " ** 2".repeat(10_000))),
        "too complex"
    );
    assert_ne!(
        err(&format!("x = {}\n", "f'{".repeat(200) + &"}'".repeat(200))),
        "ok"
    );
    assert_eq!(err("x = f'{f\"{x}\"}'\n"), "ok");
    // Flat sequences of any length are fine.
    assert_eq!(err(&format!("x = a{}\n", " and a".repeat(10_000))), "ok");
    assert_eq!(err(&format!("x = a{}\n", " < a".repeat(10_000))), "ok");
    assert_eq!(err(&format!("x = [{}]\n", "1, ".repeat(100_000))), "ok");
    assert_eq!(err(&format!("x = [{}]\n", "a, ".repeat(100_000))), "ok");
    assert_eq!(err(&format!("x = 'a' {}\n", "'b' ".repeat(10_000))), "ok");
}

#[test]
fn deep_blocks_are_rejected() {
    let mut src = String::new();
    for i in 0..10_000 {
        src.push_str(&" ".repeat(i));
        src.push_str("if x:\n");
    }
    src.push_str(&" ".repeat(10_000));
    src.push_str("pass\n");
    assert_eq!(err(&src), "too complex");
    let mut src = String::from("if x:\n pass\n");
    for _ in 0..10_000 {
        src.push_str("elif x:\n pass\n");
    }
    assert_eq!(err(&src), "too complex");
}

#[test]
fn huge_string_literal_compiles() {
    let src = format!("s = '{}'\n", "a".repeat(1 << 20));
    assert_eq!(err(&src), "ok");
    let src = format!("s = b'''{}'''\n", "ab\n".repeat(1 << 18));
    assert_eq!(err(&src), "ok");
}

#[test]
fn long_program_compiles() {
    let mut src = String::new();
    for i in 0..100_000 {
        src.push_str(&format!(
            "x{} = {} + y * 'k{}'\n",
            i % 1000,
            i % 30_000 + 40_000,
            i % 5000
        ));
        if i % 10 == 0 {
            src.push_str("if x1:\n    x2 += 1\nelse:\n    pass\n");
        }
    }
    let start = std::time::Instant::now();
    let code = compile(&src, "<test>", Mode::Exec)
        .map_err(|e| e.msg)
        .unwrap();
    assert!(code.lines.len() > 100_000);
    // Not a timing test: a guard against accidental quadratic behaviour (seconds vs. hours).
    assert!(start.elapsed().as_secs() < 60);
}

#[test]
fn garbage_never_panics() {
    let samples = [
        "",
        "\n",
        "\\",
        "'",
        "\"\"\"",
        "f'{'",
        "f'}'",
        "f'{x!}'",
        "f'{x!z}'",
        "f'{:}'",
        "f'{x:{y:{z}}}'",
        "0x",
        "0b2",
        "1e",
        "1_",
        "1__0",
        "..",
        "@",
        "@x\n",
        "def",
        "def f(",
        "class",
        "class C(",
        "lambda",
        "lambda *:",
        "x[",
        "x[:",
        "x[::",
        "yield from",
        "async",
        "async x",
        "await",
        "import",
        "from",
        "from . import",
        "from .. import (a,",
        "del",
        "del ()",
        "with",
        "with (",
        "with (a as b",
        "try:",
        "try:\n x\n",
        "for",
        "for x in",
        "while",
        "if",
        "elif x:",
        "else:",
        "except:",
        "finally:",
        "return",
        "*",
        "**x",
        "x = *",
        "a, *b, *c = d",
        "(*a)",
        "{**}",
        "{*}",
        "[*]",
        "x: = 1",
        "x +=",
        "-",
        "not",
        "\t\tx",
        "if x:\n\ty\n        z",
        "\x00",
        "é = 1",
        "'\\N{DASH}'",
        "b'é'",
        "u'x' b'y'",
        "rb'\\'",
        "x = (yield)",
        "def f():\n x = yield = 1",
        "nonlocal",
        "global",
        "0777",
        "1if 1else 2",
    ];
    for s in samples {
        for mode in [Mode::Exec, Mode::Eval, Mode::Single] {
            let _ = compile(s, "<test>", mode);
        }
        let _ = pyrite_compiler::needs_more_input(s);
    }
    // Every prefix of a real program.
    let prog = "@d\nclass C(B, metaclass=M):\n def f(self, a, *b, c=1, **d):\n  return [x async for x in y if (z := x)]\n async def g():\n  async with a as (b, c):\n   await f'{x!r:{w}}'\ntry:\n pass\nexcept (E, F) as e:\n raise X from e\nfinally:\n del a[1:2, ::3], b.c\n";
    for i in 0..=prog.len() {
        if prog.is_char_boundary(i) {
            let _ = compile(&prog[..i], "<test>", Mode::Exec);
        }
    }
}

/// A board sets a lower bound on the parser's recursion, to fit its stack: 20 nested
/// brackets, calls or blocks take 41 levels of it (two each, one for the expression).
#[test]
fn a_port_sets_the_depth_limit() {
    let options = pyrite_compiler::Options {
        max_depth: 42,
        ..Default::default()
    };
    let run = |src: String| match pyrite_compiler::compile_with(&src, "<t>", Mode::Exec, &options) {
        Ok(_) => String::from("ok"),
        Err(e) => e.msg,
    };
    let ifs = |n: usize| {
        let mut src = String::new();
        for i in 0..n {
            src.push_str(&" ".repeat(i));
            src.push_str("if x:\n");
        }
        src + &" ".repeat(n) + "pass\n"
    };
    for (n, expected) in [(20, "ok"), (21, "too complex")] {
        let brackets = format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n));
        assert_eq!(run(brackets), expected);
        let calls = format!("x = {}1{}\n", "f(".repeat(n), ")".repeat(n));
        assert_eq!(run(calls), expected);
        // A block needs no level for an expression: one more fits.
        assert_eq!(run(ifs(n + 1)), expected);
    }
}
