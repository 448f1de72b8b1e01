# math: functions, constants, domain errors, int results, argument conversion
import math

print(math.pi, math.e, math.tau)
print(math.inf, -math.inf, math.nan)
print(math.sqrt(2), math.sqrt(16), "%.15g" % math.exp(1), math.log(math.e))
print(math.log(8, 2), math.log10(1000), math.log2(1024))
print(math.sin(0), math.cos(0), math.tan(0), math.atan2(1, 1))
print(math.ceil(1.2), math.floor(-1.2), math.trunc(-1.7), type(math.ceil(1.5)))
print(math.ceil(1e25) == 10**25, math.floor(2**70) == 2**70)
print(math.fabs(-3), math.copysign(2, -0.0), math.fmod(7, 3))
print(math.frexp(8.0), math.ldexp(0.5, 4), math.modf(2.5), math.modf(-2.5))
print(math.degrees(math.pi), math.radians(180))
print(math.isfinite(1), math.isinf(math.inf), math.isnan(math.nan), math.isnan(True))
print(math.isclose(1.0, 1.0 + 1e-10), math.isclose(1, 1.1), math.isclose(1, 1.1, rel_tol=0.2))
print(math.isclose(0, 1e-10, abs_tol=1e-9))
print(math.factorial(0), math.factorial(5), math.factorial(25))
print("%.6f %.6f %.6f" % (math.gamma(5), math.lgamma(10), math.erf(1)))
print(math.pow(2, 10), math.sqrt(2**100))

for f, x in ((math.sqrt, -1), (math.log, 0), (math.acos, 2), (math.exp, 1000), (math.gamma, 0)):
    try:
        f(x)
    except ValueError as e:
        print("ValueError", e)

for f, x in ((math.ceil, math.inf), (math.floor, math.nan)):
    try:
        f(x)
    except (ValueError, OverflowError) as e:
        print(type(e).__name__)

try:
    math.log(2, 1)
except ZeroDivisionError as e:
    print("ZeroDivisionError", e)

try:
    math.factorial(-1)
except ValueError as e:
    print("ValueError", e)

try:
    math.sqrt("4")
except TypeError as e:
    print("TypeError", e)

class F:
    def __float__(self):
        return 4.0

print(math.sqrt(F()))

try:
    math.sin()
except TypeError as e:
    print("TypeError", e)
