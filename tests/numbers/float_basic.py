# Floats: literals, arithmetic, repr, special values, conversions.
print(1.5, -0.25, 1.23e6, 1e-7, 1e22, 1e16, 123456789.0, 0.1 + 0.2)
print(7.0 / 2, 7.0 // 2, 7.5 % 2, -7.5 % 2, 2.0 ** 10, 2 ** 0.5)
print(float("3.25"), float("-1e3"), float("inf"), float("-inf"), float("nan"))
print(float(7), int(2.5), int(-2.5), round(2.5), round(3.5), round(3.14159, 2))
print(1.0 == 1, 0.5 < 1, float("nan") == float("nan"), 1e308 * 10)
print(abs(-3.5), -0.0, 3.0, 100.0, 1e100, 2.5e-5)
print(divmod(7.5, 2), 1 / 3, 2 / 3, 10 / 4)
print(float.__name__, type(1.0).__name__, isinstance(1.0, float))
print("%.3f" % 3.14159, "%e" % 12345.678, "%g" % 0.00001234)
print(str(1.0), repr(0.1), repr(-2.5))
for x in (0.5, 1.5, -1.5, 1e-10, 12345.6789):
    print(x, x * 2, x / 3)
try:
    1.0 / 0
except ZeroDivisionError:
    print("ZeroDivisionError")
try:
    float("abc")
except ValueError:
    print("ValueError")
