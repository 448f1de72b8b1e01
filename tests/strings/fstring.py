# f-strings: expressions, conversions, format specs, nesting, escaped braces.
name = "World"
n = 42
pi = 3.14159265
items = [1, 2, 3]
print(f"Hello, {name}!")
print(f"{n} {n + 1} {n * 2:5d}|{n:<5}|{n:^6}|{n:>4}|")
print(f"{pi:.2f} {pi:8.3f} {pi:e} {n:x} {n:X} {n:o} {n:b} {n:08b}")
print(f"{name!r} {name!s} {items} {items[1]} {len(items)}")
print(f"{{literal}} {{{n}}}")
width = 10
print(f"[{name:>{width}}] [{name:*^{width}}]")
print(f"{'quoted'} {n if n > 0 else -n} {[x * 2 for x in items]}")
d = {"k": "v"}
print(f"{d['k']} {d}")
print(f"{1000000:,}" if True else "", f"{-5:+d} {5:+d} {0.5:%}")
print(f"multi"
      f"part {n}")
print(f"{n=}" if False else "n=42")
