//! `exact` against Rust's own correctly rounded conversions (`{:e}`, `{:.N}`, `{:.Ne}` and
//! `str::parse`), on random floats of every magnitude and on the hard cases: powers of two,
//! subnormals, the extremes, and decimal strings halfway between two floats.

use pyrite_numfmt::exact::{parse_decimal, shortest, significant, write_fixed, Digits};

fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// `0.d1d2... × 10^decpt` as Rust's `{:e}` prints it (`d1.d2...e(decpt-1)`).
fn as_exp_text(d: &Digits) -> String {
    let (first, rest) = d.digits.split_at(1);
    let dot = if rest.is_empty() { "" } else { "." };
    format!("{first}{dot}{rest}e{}", d.decpt - 1)
}

/// Random finite positive floats: random bits, then small integers and short decimals.
fn samples(n: usize) -> Vec<f64> {
    let mut state = 0x9e37_79b9_7f4a_7c15;
    let mut out = Vec::new();
    while out.len() < n {
        let x = f64::from_bits(xorshift(&mut state) >> 1);
        if x.is_finite() {
            out.push(x);
        }
        out.push((xorshift(&mut state) % 100_000) as f64 / 1000.0);
    }
    // Powers of two (and their neighbours), normal and subnormal.
    for bits in (0..2046u64)
        .map(|e| (e + 1) << 52)
        .chain((0..52).map(|i| 1 << i))
    {
        out.extend([bits - 1, bits, bits + 1].map(f64::from_bits));
    }
    out.retain(|x| x.is_finite() && *x > 0.0);
    out.extend([
        f64::MAX,
        f64::MIN_POSITIVE,
        5e-324,
        1e23,
        9.5,
        0.5,
        1e22,
        1e21,
        123456.0,
    ]);
    out
}

#[test]
fn shortest_matches_core() {
    for x in samples(60_000) {
        let ours = as_exp_text(&shortest(x));
        let core = format!("{x:e}");
        if ours != core {
            // `x` is exactly halfway between two shortest candidates: CPython takes the even
            // one (`repr(957517600819361.25) == '957517600819361.2'`), core the upper.
            let (a, b) = (
                ours.split('e').next().unwrap(),
                core.split('e').next().unwrap(),
            );
            let (la, lb) = (a.as_bytes()[a.len() - 1], b.as_bytes()[b.len() - 1]);
            assert!(
                a.len() == b.len() && la % 2 == 0 && lb == la + 1,
                "{ours} {core}"
            );
            assert_eq!(ours.parse::<f64>(), Ok(x));
        }
    }
    assert_eq!(
        as_exp_text(&shortest(957517600819361.0 + 0.25)),
        "9.575176008193612e14"
    );
}

#[test]
fn significant_and_fixed_match_core() {
    let mut state = 7;
    for x in samples(20_000) {
        let n = 1 + (xorshift(&mut state) % 25) as usize;
        assert_eq!(
            as_exp_text(&significant(x, n)),
            format!("{x:.*e}", n - 1),
            "{x:e} {n}"
        );
        let frac = (xorshift(&mut state) % 30) as usize;
        if x < 1e30 && x > 1e-30 {
            let mut s = String::new();
            write_fixed(x, frac, &mut s);
            assert_eq!(s, format!("{x:.frac$}"), "{x:e} {frac}");
        }
    }
}

#[test]
fn parse_matches_core() {
    let mut state = 11;
    for x in samples(30_000) {
        // The shortest text, longer correctly rounded texts, and the halfway points between x
        // and its neighbours (which must round to even).
        let mut texts = vec![format!("{x:e}"), format!("{x:.20e}"), format!("{x:.40e}")];
        let up = f64::from_bits(x.to_bits() + 1);
        if up.is_finite() {
            let (a, b) = (format!("{x:.60e}"), format!("{up:.60e}"));
            texts.push(a);
            texts.push(b);
        }
        let digits = 1 + xorshift(&mut state) % 19;
        let exp = (xorshift(&mut state) % 700) as i64 - 350;
        let m = xorshift(&mut state) % 10u64.pow(digits as u32);
        texts.push(format!("{m}e{exp}"));
        texts.push(format!("0.{m}"));
        texts.push(format!("{m}.{}", xorshift(&mut state)));
        for t in texts {
            assert_eq!(parse_decimal(&t), t.parse::<f64>().ok(), "{t}");
            let neg = format!("-{t}");
            assert_eq!(parse_decimal(&neg), neg.parse::<f64>().ok(), "{neg}");
        }
    }
}

#[test]
fn parse_halfway_cases() {
    // Exactly halfway between two floats: ties to even.
    for t in [
        "9007199254740993",
        "9007199254740995",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "4.9406564584124654e-324",
        "0.000000000000000000000000000000000000000000001e-280",
        "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999999999999999999999999999999999999999999999999999999999999999999",
    ] {
        assert_eq!(parse_decimal(t), t.parse::<f64>().ok(), "{t}");
    }
    let long = format!("0.{}1e-300", "0".repeat(1000));
    assert_eq!(parse_decimal(&long), long.parse::<f64>().ok());
    let halfway = format!("{}5{}1", "1".repeat(16), "0".repeat(900));
    assert_eq!(parse_decimal(&halfway), halfway.parse::<f64>().ok());
}

#[test]
fn fmod_matches_libm() {
    let mut state = 5;
    let special = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        3.0,
        1e300,
        5e-324,
        1e-310,
        f64::MAX,
        f64::INFINITY,
    ];
    let mut values: Vec<f64> = special.iter().flat_map(|&x| [x, -x]).collect();
    values.push(f64::NAN);
    for _ in 0..2000 {
        values.push(f64::from_bits(xorshift(&mut state)));
        values.push((xorshift(&mut state) % 1000) as f64 / 8.0 - 60.0);
    }
    for (i, &x) in values.iter().enumerate() {
        for &y in values.iter().skip(i % 7).step_by(37) {
            let (got, want) = (pyrite_numfmt::fmod(x, y), libm::fmod(x, y));
            assert!(
                got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
                "fmod({x:e}, {y:e}) = {got:e}, not {want:e}"
            );
        }
    }
}
