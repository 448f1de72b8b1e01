#!/usr/bin/env python3
"""Regenerates the CPython oracle tables in tests/data/ (run with CPython 3.11+ from anywhere).

Each table is UTF-8 text, one case per line, fields separated by tabs. Floats are written as
their repr (which reads back exactly); an expected error is written as '!' + message.
"""
import math
import os
import random
import struct

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
rng = random.Random(20261124)


def write(name, lines):
    for line in lines:
        assert "\n" not in line and "\r" not in line, line
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def attempt(fn):
    try:
        return fn()
    except (ValueError, ZeroDivisionError, OverflowError, TypeError) as e:
        return "!" + str(e)


def random_bits_float():
    return struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]


def decimal_float():
    digits = str(rng.randrange(1, 10 ** rng.randint(1, 17)))
    return float(f"{digits}e{rng.randint(-330, 310)}")


def edge_floats():
    out = [0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308,
           1.7976931348623157e308, math.inf, -math.inf, math.nan, 1e16, 1e15, 9999999999999998.0,
           1e16 - 2, 1e16 + 2, 1e-4, 1e-5, 0.0001, 0.00009999999999999999, 0.1, 0.2, 0.3,
           1 / 3, 2 / 3, 123456789.0, 1.2345678901234567e19, 0.5, 1.5, 2.5, 2.675, 1e22, 1e23]
    out += [10.0 ** k for k in range(-25, 25)] + [-(10.0 ** k) for k in range(-6, 18)]
    out += [2.0 ** k for k in range(-1074, 1024, 37)]
    out += [float(n) for n in (1, 2, 7, 10, 99, 100, 12345, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 2 ** 64)]
    return out


def repr_table():
    values = edge_floats()
    values += [random_bits_float() for _ in range(1000)]
    values += [decimal_float() for _ in range(1000)]
    values += [rng.randint(-10 ** 6, 10 ** 6) / 10 ** rng.randint(0, 8) for _ in range(300)]
    write("repr.txt", [repr(v) for v in values])
    complexes = [(0.0, 1.0), (0.0, -0.0), (-0.0, -1.0), (1.0, 2.0), (math.nan, math.inf),
                 (1e16, 1e-5), (-0.0, 0.0), (0.0, 0.0), (1.5, -math.inf), (-math.nan, -math.nan),
                 (123456789.0, 0.1), (-2.5, 0.0), (0.0, 1e300)]
    complexes += [(rng.choice(values), rng.choice(values)) for _ in range(120)]
    write("complex_repr.txt",
          [f"{re!r}\t{im!r}\t{complex(re, im)!r}" for re, im in complexes])


FILLS = ["", "<", ">", "^", "=", "*<", "*^", "*>", "0=", "é>", "x=", "0<"]
SIGNS = ["", "+", " ", "-"]
WIDTHS = ["", "1", "8", "13", "25"]
GROUPS = ["", "", ",", "_"]
PRECS = ["", "", ".0", ".1", ".3", ".6", ".12", ".17", ".25"]


def random_spec(types, precs=PRECS):
    return "".join([rng.choice(FILLS), rng.choice(SIGNS), rng.choice(["", "", "", "", "z"]),
                    rng.choice(["", "", "#"]),
                    rng.choice(["", "", "0"]), rng.choice(WIDTHS), rng.choice(GROUPS),
                    rng.choice(precs), rng.choice(types)])


def format_float_values():
    values = [v for v in edge_floats() if abs(v) < 1e30 or not math.isfinite(v)]
    values += [decimal_float() for _ in range(100)]
    values += [rng.uniform(-1e7, 1e7) for _ in range(100)]
    values += [rng.randint(-10 ** 9, 10 ** 9) / 10 ** rng.randint(0, 12) for _ in range(100)]
    return values


def format_table():
    lines = []
    ftypes = ["", "", "e", "E", "f", "F", "g", "G", "n", "%"]
    values = format_float_values()
    for _ in range(1800):
        v, spec = rng.choice(values), random_spec(ftypes)
        if spec.endswith(("f", "F", "%")) and abs(v) > 1e25:
            continue
        lines.append(f"f\t{v!r}\t{spec}\t{attempt(lambda: format(v, spec))}")
    for v, spec in [(1.0, ""), (1.0, ".3"), (0.0, ".1"), (1.0, ".0"), (123.0, ".2"),
                    (1e20, "#.3"), (1234.5, "012,"), (-1234.5, "=+15_.2f"), (1.0, "abc"),
                    (1.0, "d"), (1.0, "s"), (1.0, ",n"), (1.0, "z"), (-0.0, "z"), (-0.001, "z.1f"), (-0.001, "z.1e"), (-1e-9, "z%"), (-0.0, "z+"), (1.0, "z=10.1"), (-0.0001, "z.2g"), (1.0, ".1000000000000000000000"),
                    (1.5, "#.0f"), (1.5, "#.0e"), (1.5, "#.0%"), (math.inf, "010"),
                    (math.nan, "+08,"), (-math.nan, "+"), (1e300, ",.2f"), (0.1, ".60f")]:
        lines.append(f"f\t{v!r}\t{spec}\t{attempt(lambda: format(v, spec))}")
    ivalues = [0, 1, -1, 7, -42, 255, 1000, -1234567, 2 ** 31, -(2 ** 63), 2 ** 64 + 1, 10 ** 30]
    ivalues += [rng.randint(-10 ** rng.randint(1, 20), 10 ** rng.randint(1, 20)) for _ in range(60)]
    itypes = ["", "", "d", "b", "o", "x", "X", "n"]
    for _ in range(800):
        v = rng.choice(ivalues)
        spec = random_spec(itypes, ["", "", "", "", ".2"])
        lines.append(f"i\t{v}\t{spec}\t{attempt(lambda: format(v, spec))}")
    for v, spec in [(1234, "08,"), (1234, "0=9,"), (-1234, "012_x"), (255, "#X"), (5, "#010b"),
                    (1, ",x"), (1, ",b"), (1, "_o"), (1, "s"), (1, "e+"), (12, "#_b")]:
        lines.append(f"i\t{v}\t{spec}\t{attempt(lambda: format(v, spec))}")
    strings = ["", "s", "hello", "héllo wörld", "€uro", "tab-free text"]
    specs = ["", "s", "10", "<10", ">10", "^10", "^11", "*^9.3", ".0", ".2s", "010", "é<7",
             "+", "-", " ", "#", "z", "=5", ",", "_", ",s", "d", "x<4", "0>6", "^", ".1000"]
    for s in strings:
        for spec in specs:
            lines.append(f"s\t{s}\t{spec}\t{attempt(lambda: format(s, spec))}")
    for spec in ["", "+", "#", "<5", "*^6", ".2", ",", "-"]:
        lines.append(f"c\t65\t{spec}\t{attempt(lambda: format(65, spec + 'c'))}")
    write("format.txt", lines)


def percent_table():
    lines = []
    fvalues = format_float_values()
    ivalues = [0, 1, -1, 5, -3, 255, 300, -65535, 10 ** 20, -(2 ** 70)]
    ivalues += [rng.randint(-10 ** 12, 10 ** 12) for _ in range(40)]
    svalues = ["", "ab", "héllo", "a longer string"]
    for _ in range(1300):
        flags = "".join(rng.sample("-+ #0", rng.randint(0, 3)))
        width = rng.choice(["", "", "3", "8", "14"])
        prec = rng.choice(["", "", ".", ".0", ".2", ".5", ".12"])
        conv = rng.choice("eEfFgGdiuoxXsr")
        fmt = "%" + flags + width + prec + conv
        if conv in "eEfFgG":
            v = rng.choice(fvalues)
            if conv in "fF" and abs(v) > 1e25:
                continue
            kind = "f"
        elif conv in "sr":
            v, kind = rng.choice(svalues), "s"
        else:
            v, kind = rng.choice(ivalues), "i"
        shown = repr(v) if kind == "f" else str(v)
        lines.append(f"{kind}\t{fmt}\t{shown}\t{attempt(lambda: fmt % (v,))}")
    for fmt in ["%y", "%", "%5", "%(a", "%.", "abc %-", "%5%", "éé%q", "%\x01"]:
        lines.append(f"e\t{fmt}\t\t{attempt(lambda: fmt % {'a': 1})}")
    write("percent.txt", lines)


def ops_table():
    lines = []
    values = [0.0, -0.0, 1.0, -1.0, 2.5, -2.5, 3.0, -7.0, 0.1, 1e300, -1e-300, math.inf,
              -math.inf, math.nan, 5e-324, 1e16, 0.5, -0.5, 10.0, 1 / 3]
    values += [rng.uniform(-100, 100) for _ in range(8)]
    for a in values:
        for b in values:
            lines.append(f"d\t{a!r}\t{b!r}\t{attempt(lambda: repr(a // b))}\t{attempt(lambda: repr(a % b))}")
    pvalues = [0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 3.0, -3.0, 1 / 3, 10.0, 400.0, -400.0,
               1e308, math.inf, -math.inf, math.nan, 2.5, -8.0, 1e-5]
    for a in pvalues:
        for b in pvalues:
            try:
                r = repr(a ** b)
                if isinstance(a ** b, complex):
                    r = "!complex"
            except ZeroDivisionError:
                r = "!zero"
            except OverflowError:
                r = "!overflow"
            lines.append(f"p\t{a!r}\t{b!r}\t{r}")
    rvalues = [0.5, 1.5, 2.5, -0.5, -2.5, 2.675, 0.125, 0.375, 1e300, 1.7976931348623157e308,
               5e-324, 123456.789, -0.0, 0.0, 25.0, 35.0, 45.0, 44.5, 45.5, 14.5, 1e22, 9.5e22,
               math.inf, -math.inf, math.nan, 0.05, 0.15, 0.25, 0.35, 1234567890123456.7]
    rvalues += [rng.randint(-10 ** 9, 10 ** 9) / 10 ** rng.randint(0, 9) for _ in range(120)]
    rvalues += [decimal_float() for _ in range(40)]
    ndigits = [-400, -309, -308, -30, -22, -5, -2, -1, 0, 1, 2, 3, 5, 10, 17, 30, 323, 324]
    for x in rvalues:
        for n in rng.sample(ndigits, 6):
            lines.append(f"r\t{x!r}\t{n}\t{attempt(lambda: repr(round(x, n)))}")
        if math.isfinite(x):
            lines.append(f"h\t{x!r}\t{float(round(x))!r}")
    write("ops.txt", lines)


def parse_table():
    lines = []
    fl = ["1", "1.5", " 1.5 ", "\t-2e3\n", "+.5", "5.", ".", "", "1_000.000_1", "1__0", "_1",
          "1_", "1._5", "1e1_0", "1e_5", "1e", "1e+", "inf", "-Infinity", "+nan", "NaN", "infinit",
          "nanx", "0x10", "1e400", "-1e-400", "2.2250738585072014e-308", "1e-324", "3e-324",
          "0.1", "1.7976931348623159e308", "\u00a01\u2003", "1 2", "--1", "1.2.3", "e5",
          "123456789012345678901234567890", "9007199254740993", "\x1c7\x1f"]
    fl += [repr(decimal_float()) for _ in range(60)]
    for s in fl:
        lines.append(f"f\t{s.encode().hex()}\t{attempt(lambda: repr(float(s)))}")
    cx = ["1", "j", "-j", "+j", "1+2j", "(1+2j)", " ( 1-2.5e3J ) ", "1 + 2j", "1+2", "1j+2", "()",
          "(1", "infj", "nan+infj", "-1.5e3-j", "1e5j", "1_0+2_0j", "1+-2j", "2j1", "", "+", "1ej",
          "-0-0j", "0j", ".5j", "5.j"]
    for s in cx:
        def c(s=s):
            z = complex(s)
            return f"{z.real!r},{z.imag!r}"
        lines.append(f"c\t{s.encode().hex()}\t{attempt(c)}")
    ints = [("0", 0), ("010", 0), ("00", 0), ("0_0", 0), ("0x_1f", 0), ("-0X1F", 0), ("0o17", 0),
            ("0b101", 0), ("0b101", 2), ("0b101", 16), ("0x1f", 16), ("0x1f", 10), (" 12_345 ", 10),
            ("1__2", 10), ("_1", 10), ("1_", 10), ("z", 36), ("Z1", 36), ("12", 3), ("13", 3),
            ("0x", 16), ("", 10), ("+", 10), ("-7", 8), ("0o", 8), ("1", 37), ("1", 1),
            ("99999999999999999999999", 0), ("-0", 0), ("0_1", 0), ("0b_1", 2), ("0b1_", 2)]
    for s, b in ints:
        lines.append(f"i\t{s.encode().hex()}\t{b}\t{attempt(lambda: str(int(s, b)))}")
    write("parse.txt", lines)


if __name__ == "__main__":
    os.makedirs(HERE, exist_ok=True)
    repr_table()
    format_table()
    percent_table()
    ops_table()
    parse_table()
