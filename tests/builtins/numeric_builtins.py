# abs, round, divmod, pow (with modulus), int/float/complex conversions, bin/oct/hex, chr/ord.
print(abs(-3), abs(2.5), abs(-2 ** 70), abs(3 + 4j))
print(round(3.7), round(-3.5), round(4.5), round(1234.5678, 2), round(1234, -2), round(7, 0))
print(type(round(2.5)).__name__, type(round(2.5, 0)).__name__)
print(divmod(17, 5), divmod(-17, 5), divmod(17, -5), divmod(2 ** 70, 3))
print(pow(2, 10), pow(2, -2), pow(3, 4, 5), pow(-3, 3, 7), pow(2, 100, 10 ** 9 + 7), pow(2.0, 3))
print(int("ff", 16), int(" -12 "), float(" 2.5 "), complex(1, 2))
print(bin(10), oct(64), hex(4096), chr(8364), ord("€"))
print(hash(1) == hash(1.0), callable(len), callable(3), len(range(0, 10, 3)))
print(isinstance(1, (str, int)), issubclass(int, object), type(3) is int)
try:
    pow(2, 3, 0)
except ValueError:
    print("ValueError pow modulus 0")
