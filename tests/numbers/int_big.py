# Arbitrary-precision integers: growth past the small-int range, mixed signs, conversions.
a = 1 << 160
print(a)
print(a - 1, a + 1, -a)
print(a * a)
print(a // 7, a % 7, -a // 7, -a % 7)
print(divmod(a, -12345678901234567890))
print(2 ** 100, 3 ** 50, (-2) ** 63)
f = 1
for i in range(1, 31):
    f *= i
print("30! =", f)
print(f >> 50, f << 3, f & 0xFFFF, f | 1, f ^ f, ~f)
print(hex(a), oct(a), bin(1 << 70))
print(int("123456789012345678901234567890"), int("-ffffffffffffffffffff", 16))
print(a == 1 << 160, a > a - 1, a < -a, hash(5) == hash(5))
print(pow(3, 200, 1000007), pow(a, 3, 97))
print(str(10 ** 40), len(str(7 ** 300)))
big = 2 ** 64
print(big, big - 1, -big + 1, (big - 1) // (2 ** 32 + 1))
print(1 << 62, (1 << 62) + (1 << 62), 0x7FFFFFFF + 1, -0x40000000 - 1)
print(abs(-(10 ** 30)), int(1e20), float(10 ** 20))
print(sum(range(10 ** 6, 10 ** 6 + 10)) * 10 ** 20)
print((10 ** 30).to_bytes(13, "big"), int.from_bytes(b"\xff" * 12, "little"))
