//! No input makes the parsers or formatters panic: random short strings over the characters
//! that matter to them.

use pyrite_numfmt::*;

const ALPHABET: &[char] = &[
    '0', '1', '9', '.', ',', '_', '+', '-', ' ', '#', '%', '(', ')', '*', '<', '>', '=', '^', 'e',
    'E', 'f', 'g', 'x', 'X', 'b', 'o', 'd', 's', 'r', 'j', 'J', 'n', 'i', 'a', 'z', 'l', 'é', '\t',
];

#[test]
fn random_inputs_never_panic() {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..40_000 {
        let len = (next() % 12) as usize;
        let s: String = (0..len)
            .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
            .collect();
        let x = f64::from_bits(next());
        let mut out = String::new();
        if let Ok(spec) = parse_spec(&s) {
            let _ = format_float(x, &spec, &mut out);
            let _ = format_int(x < 0.0, "123", &spec, &mut out);
            let _ = format_str(&s, &spec, &mut out);
        }
        for piece in parse_percent(&s) {
            if let Ok(Piece::Conv(d)) = piece {
                let _ = percent_float(x, &d, Some(3), Some(2), &mut out);
                percent_int(true, "7", &d, None, Some(4), &mut out);
                percent_str(&s, &d, Some(5), Some(1), &mut out);
            }
        }
        let _ = parse_float(&s);
        let _ = parse_complex(&s);
        for base in [0, 2, 10, 16, 36] {
            let _ = parse_int_prefix(&s, base);
        }
        let y = f64::from_bits(next());
        let _ = (divmod(x, y), pow(x, y), hash(x), to_integer_parts(x));
        let _ = round(x, (next() % 700) as i64 - 350);
        complex_repr(x, y, &mut out);
    }
}
