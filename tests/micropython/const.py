# micropython.const: compile-time constants, folded and substituted
from micropython import const

X = const(123)
Y = const(X + 456)
_P = const(-(1 << 70))
_F = const(2 ** -2)
_T = const((X, "s", b"b", None, ...))
_M = const(2.0 * math.pi)
print(X, Y, _P, _F, _T)
print(_T is _T, (123, "s", b"b", None, ...) is _T)
print("_P" in globals(), "X" in globals())


def f():
    return X + Y


print(f())


class A:
    Z = const(7)
    _Z = const(8)


print(A.Z, hasattr(A, "_Z"))


def check(src):
    try:
        exec(src)
        print("ok")
    except SyntaxError as e:
        print("SyntaxError", e)


check("a = const(x)")
check("A = const(1); A = const(2)")
check("B = const(1 // 0)")
check("B = const(1 << -1)")
check("B = const(1 @ 2)")
check("B = const('a' + 'b')")
check("B = const(not 0)")
check("B = const(1, 2)")
