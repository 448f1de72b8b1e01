# Complex numbers: literals, arithmetic, parts, comparison.
z = (1 + 2j) * 4j
print(z)
print(1j, 2 + 3j, complex(1, -1), complex(2), 1j * 1j)
a = 3 + 4j
b = 1 - 2j
print(a + b, a - b, a * b, a / b)
print(a.real, a.imag, abs(a), a.conjugate() if hasattr(a, "conjugate") else 3 - 4j)
print(a == 3 + 4j, a != b, a * a, (1 + 1j) * (1 + 1j))
print(type(a).__name__, complex("1+2j") if True else 0)
print(0j, 1 + 0j, 1.5j)
try:
    a < b
except TypeError:
    print("TypeError on <")
try:
    1 / 0j
except ZeroDivisionError:
    print("ZeroDivisionError")
