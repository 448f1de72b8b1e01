//! Table tests against CPython: every expected string in `tests/data/` was printed by CPython
//! (`tests/gen.py` regenerates them). Each test runs a whole table and reports every mismatch.

use pyrite_numfmt::*;

/// Runs `check` on every non-empty line split by tabs; fails listing the mismatches.
fn run_table(name: &str, table: &str, check: impl Fn(&[&str]) -> Option<String>) -> usize {
    let mut failures = Vec::new();
    let mut count = 0;
    for line in table.lines().filter(|l| !l.is_empty()) {
        count += 1;
        let fields: Vec<&str> = line.split('\t').collect();
        if let Some(problem) = check(&fields) {
            failures.push(format!("{line:?}: {problem}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{name}: {} of {count} cases fail:\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    count
}

fn float(s: &str) -> f64 {
    s.parse()
        .unwrap_or_else(|_| panic!("bad float {s:?} in a table"))
}

fn repr(x: f64) -> String {
    let mut s = String::new();
    float_repr(x, &mut s);
    s
}

fn expect(got: String, want: &str) -> Option<String> {
    (got != want).then(|| format!("got {got:?}"))
}

fn error_text(e: FormatError) -> String {
    format!("!{e}")
}

fn unhex(s: &str) -> String {
    let bytes: Vec<u8> = (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    String::from_utf8(bytes).unwrap()
}

/// The digits of `|v|` in `radix`.
fn digits_of(v: i128, radix: u32) -> String {
    let m = v.unsigned_abs();
    match radix {
        2 => format!("{m:b}"),
        8 => format!("{m:o}"),
        16 => format!("{m:x}"),
        _ => format!("{m}"),
    }
}

#[test]
fn float_repr_matches_cpython() {
    let n = run_table("repr", include_str!("data/repr.txt"), |f| {
        expect(repr(float(f[0])), f[0])
    });
    assert!(n > 2000);
}

#[test]
fn complex_repr_matches_cpython() {
    run_table("complex_repr", include_str!("data/complex_repr.txt"), |f| {
        let mut s = String::new();
        complex_repr(float(f[0]), float(f[1]), &mut s);
        expect(s, f[2])
    });
}

fn format_case(f: &[&str]) -> Option<String> {
    let (kind, value, spec_text, want) = (f[0], f[1], f[2], f[3]);
    let type_name = match kind {
        "f" => "float",
        "s" => "str",
        _ => "int",
    };
    let spec = match parse_spec(spec_text) {
        Ok(spec) => spec,
        Err(e) => return expect(error_text(e.for_type(type_name)), want),
    };
    let mut out = String::new();
    let result = match kind {
        "f" => format_float(float(value), &spec, &mut out),
        "s" => format_str(value, &spec, &mut out),
        "c" => check_char_spec(&spec).map(|()| pad("A", &spec, Align::Right, &mut out)),
        _ => {
            let v: i128 = value.parse().unwrap();
            let radix = spec.int_radix().map_or(10, |(r, _)| r);
            format_int(v < 0, &digits_of(v, radix), &spec, &mut out)
        }
    };
    match result {
        Ok(()) => expect(out, want),
        Err(e) => expect(error_text(e.for_type(type_name)), want),
    }
}

#[test]
fn format_spec_matches_cpython() {
    let n = run_table("format", include_str!("data/format.txt"), format_case);
    assert!(n > 2000);
}

fn percent_case(f: &[&str]) -> Option<String> {
    let (kind, fmt, value, want) = (f[0], f[1], f[2], f[3]);
    let mut out = String::new();
    for piece in parse_percent(fmt) {
        let d = match piece {
            Err(e) => return expect(error_text(e), want),
            Ok(Piece::Literal(s)) => {
                out.push_str(s);
                continue;
            }
            Ok(Piece::Percent) => {
                out.push('%');
                continue;
            }
            Ok(Piece::Conv(d)) => d,
        };
        let width = match d.width {
            Count::Num(n) => Some(n),
            _ => None,
        };
        let precision = match d.precision {
            Some(Count::Num(n)) => Some(n),
            _ => None,
        };
        match kind {
            "f" => {
                if let Err(e) = percent_float(float(value), &d, width, precision, &mut out) {
                    return expect(error_text(e), want);
                }
            }
            "s" => {
                let text = if d.conv == 'r' {
                    format!("'{value}'")
                } else {
                    value.to_string()
                };
                percent_str(&text, &d, width, precision, &mut out);
            }
            _ => {
                let v: i128 = value.parse().unwrap();
                let radix = match d.conv {
                    'o' => 8,
                    'x' | 'X' => 16,
                    _ => 10,
                };
                percent_int(v < 0, &digits_of(v, radix), &d, width, precision, &mut out);
            }
        }
    }
    expect(out, want)
}

#[test]
fn percent_matches_cpython() {
    let n = run_table("percent", include_str!("data/percent.txt"), percent_case);
    assert!(n > 1000);
}

fn ops_case(f: &[&str]) -> Option<String> {
    match f[0] {
        "d" => {
            let (a, b) = (float(f[1]), float(f[2]));
            let q = floor_div(a, b).map_or_else(|| "!float floor division by zero".into(), repr);
            let r = modulo(a, b).map_or_else(|| "!float modulo".into(), repr);
            let dm = divmod(a, b).map(|(q, r)| (repr(q), repr(r)));
            if dm.is_some() && dm != Some((q.clone(), r.clone())) {
                return Some(format!("divmod {dm:?} differs from // and %"));
            }
            expect(format!("{q}\t{r}"), &format!("{}\t{}", f[3], f[4]))
        }
        "p" => {
            let (a, b) = (float(f[1]), float(f[2]));
            let got = match pow(a, b) {
                // Exponents other than multiples of 1/2 go through `libm::pow`, which may be
                // 1 ulp away from glibc's correctly rounded result.
                Ok(x)
                    if (2.0 * b).fract() != 0.0
                        && f[3]
                            .parse::<f64>()
                            .is_ok_and(|want| x.to_bits().abs_diff(want.to_bits()) <= 1) =>
                {
                    f[3].to_string()
                }
                Ok(x) => repr(x),
                Err(PowError::ZeroDivision) => "!zero".into(),
                Err(PowError::Complex) => "!complex".into(),
                Err(PowError::Overflow) => "!overflow".into(),
            };
            expect(got, f[3])
        }
        "r" => {
            let x = float(f[1]);
            let r = round(x, f[2].parse().unwrap());
            let got = if x.is_finite() && r.is_infinite() {
                "!rounded value too large to represent".into()
            } else {
                repr(r)
            };
            expect(got, f[3])
        }
        // The table holds `float(round(x))`: the int conversion drops the sign of a zero.
        "h" => expect(repr(round_half_even(float(f[1])) + 0.0), f[2]),
        other => Some(format!("unknown kind {other}")),
    }
}

#[test]
fn float_ops_match_cpython() {
    let n = run_table("ops", include_str!("data/ops.txt"), ops_case);
    assert!(n > 2000);
}

fn parse_case(f: &[&str]) -> Option<String> {
    let input = unhex(f[1]);
    match f[0] {
        "f" => {
            let got = parse_float(&input).map_or("!".into(), repr);
            expect(got, if f[2].starts_with('!') { "!" } else { f[2] })
        }
        "c" => {
            let got = parse_complex(&input)
                .map_or("!".into(), |(re, im)| format!("{},{}", repr(re), repr(im)));
            expect(got, if f[2].starts_with('!') { "!" } else { f[2] })
        }
        "i" => {
            let got = match parse_int_prefix(&input, f[2].parse().unwrap()) {
                Err(_) => "!".into(),
                Ok((negative, radix, digits)) => {
                    let v = i128::from_str_radix(&digits, radix).unwrap();
                    (if negative { -v } else { v }).to_string()
                }
            };
            expect(got, if f[3].starts_with('!') { "!" } else { f[3] })
        }
        other => Some(format!("unknown kind {other}")),
    }
}

#[test]
fn parsing_matches_cpython() {
    run_table("parse", include_str!("data/parse.txt"), parse_case);
}

#[test]
fn error_messages() {
    let unknown = parse_spec("x")
        .and_then(|s| format_float(1.0, &s, &mut String::new()))
        .unwrap_err();
    assert_eq!(
        unknown.to_string(),
        "Unknown format code 'x' for object of type 'float'"
    );
    assert_eq!(
        parse_spec(",s").unwrap_err().to_string(),
        "Cannot specify ',' with 's'."
    );
    assert_eq!(
        PowError::ZeroDivision.to_string(),
        "0.0 cannot be raised to a negative power"
    );
}
