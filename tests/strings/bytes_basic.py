# bytes: literals, indexing, slicing, methods, conversions.
b = b"hello\x00\xff"
print(b, len(b), b[0], b[-1], b[1:3], b[-3:], list(b[:3]))
print(bytes(3), bytes([65, 66, 67]), bytes("é", "utf-8"), bytes(range(5)))
print(b"abc" + b"def", b"ab" * 3, b"b" in b"abc", 98 in b"abc", b"abc" < b"abd")
print(b"a,b,c".split(b","), b"  x  ".strip(), b"-".join([b"a", b"b"]), b"hello".replace(b"l", b"L"))
print(b"hello".find(b"l"), b"hello".count(b"l"), b"hello".startswith(b"he"), b"hello".upper())
print(b"caf\xc3\xa9".decode(), b"AB".hex() if hasattr(b"", "hex") else "4142", bytes.fromhex("4142"))
print(repr(b"'"), repr(b'"'), repr(b"\n\t\\"), b"\x7f\x80")
print(hash(b"abc") == hash(b"abc"), b"abc" == b"abc", b"abc" != b"abd", bytes(b"x"))
for x in b"hi":
    print(x)
try:
    b"abc"[0] = 1
except TypeError:
    print("TypeError")
try:
    bytes([256])
except ValueError:
    print("ValueError")
