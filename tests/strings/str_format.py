# str.format: positional, indexed, named, attributes, items, format specs.
print("{} {}".format("a", "b"), "{1} {0} {1}".format("x", "y"), "{name}!".format(name="hi"))
print("{:5}|{:<5}|{:>5}|{:^5}|".format(1, 2, 3, 4))
print("{:5}|{:<5}|{:>5}|{:^5}|".format("a", "b", "c", "d"))
print("{:.3}|{:10.4f}|{:+.1e}|{:g}".format(3.14159, 2.5, 12345.0, 0.0001))
print("{:x} {:#x} {:o} {:#o} {:b} {:#b} {:08.3f} {:,}".format(255, 255, 8, 8, 5, 5, 3.14159, 1234567))
print("{:*<8}|{:->8}|{:0>5}|{:05d}".format("ab", "cd", 7, -42))
print("{!r} {!s}".format("x", "y"), "{{}} {}".format(1))
print("{:d} {:c} {:%}".format(True, 65, 0.25))
print("{0}{1}{0}".format("ab", "-"), "{:s}".format("s"), "{:3d}|".format(7))
try:
    "{} {}".format(1)
except IndexError:
    print("IndexError")
try:
    "{x}".format(y=1)
except KeyError:
    print("KeyError")
