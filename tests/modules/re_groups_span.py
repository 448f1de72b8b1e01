# Match groups(), span(), start(), end(): not in MicroPython's standard unix build; the expected
# output is CPython's.
import re
m = re.match(r"(\d+)-(\d+)(x)?", "12-345 rest")
print(m.groups(), m.span(), m.span(2), m.start(1), m.end(0), m.span(3), m.start(3))
m = re.search(r"b+", "ééabbc")
print(m.span(), m.start(), m.end())
m = re.search(rb"b+", "ééabbc".encode())
print(m.span())
print(re.match("a", "a").groups())
try:
    m.span(5)
except IndexError:
    print("IndexError")
