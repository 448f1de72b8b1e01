# cmath: complex functions and constants
import cmath

print(cmath.pi, cmath.e)
print(cmath.sqrt(-1), cmath.sqrt(4))
print(cmath.phase(-1), cmath.phase(1j), cmath.polar(1j))
print(cmath.exp(0), cmath.log(1))
z = cmath.rect(2, 0)
print(z, type(z))
print("%.5f %.5f" % (cmath.exp(1j * cmath.pi).real, abs(cmath.exp(1j * cmath.pi).imag) < 1e-15))
print(cmath.cos(0), cmath.sin(0), cmath.log10(100))

class C:
    def __complex__(self):
        return 3 + 4j

print(cmath.polar(C())[0])

try:
    cmath.sqrt("x")
except TypeError as e:
    print("TypeError", e)
