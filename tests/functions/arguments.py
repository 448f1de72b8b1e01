# Default values, *args, keyword-only arguments and **kwargs.
def f(a, b=2, *args, c, d=4, **kwargs):
    return a, b, args, c, d, sorted(kwargs.items())
print(f(1, c=3))
print(f(1, 5, 6, 7, c=8, e=9, d=0))
print(f(*[1, 2, 3], **{"c": 4, "z": 5}))
def g(*, key):
    return key
print(g(key="k"))
def h(x, y):
    return x - y
print(h(y=1, x=10), h(10, y=1))
def defaults(v, acc=[]):
    acc.append(v)
    return acc
print(defaults(1), defaults(2))
def kw(**options):
    return options
print(kw(), kw(a=1) == {"a": 1})
def varargs(*a):
    return len(a), a
print(varargs(), varargs(1, *"xy"))
for call in (lambda: h(1), lambda: h(1, 2, 3), lambda: h(1, x=2), lambda: g(1), lambda: h(1, z=3)):
    try:
        call()
    except TypeError:
        print("TypeError")
