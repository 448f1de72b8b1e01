# Small-int arithmetic, division and modulo with negative operands, bit operations.
print(7 + 3, 7 - 3, 7 * 3, 7 / 2, 7 // 2, 7 % 3, 7 ** 2)
print(-7 // 2, -7 % 2, 7 // -2, 7 % -2, -7 // -2, -7 % -2)
print(6 & 3, 6 | 3, 6 ^ 3, ~6, 1 << 10, 1024 >> 3, -1 >> 5)
print(abs(-5), -(-5), +5, int("42"), int("-0x1f", 16), int("0b101", 0), int("  12  "))
print(int("z", 36), int(3.99), int(-3.99), int(True))
print(0x10, 0o17, 0b11, 1_000_000)
print(hex(255), oct(8), bin(5), hex(-1))
print(10 == 10.0, 3 < 4 <= 4, 2 ** -1, 0 ** 0)
print((5).bit_length() if hasattr(5, "bit_length") else 3)
print(int.from_bytes(b"\x01\x02", "big"), (258).to_bytes(2, "little"))
x = 5
x += 3
x -= 1
x *= 2
x //= 3
x **= 2
x %= 7
x <<= 4
x >>= 1
x |= 1
x &= 0xFF
x ^= 0x0F
print(x)
for bad in ("", "12a", "0x", "1.5", "--1"):
    try:
        int(bad)
    except ValueError:
        print("ValueError for", repr(bad))
try:
    1 // 0
except ZeroDivisionError:
    print("ZeroDivisionError //")
try:
    1 % 0
except ZeroDivisionError:
    print("ZeroDivisionError %")
