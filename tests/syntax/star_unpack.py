# Star-unpacking in assignments, for targets and calls.
a, *b = [1, 2, 3, 4]
print(a, b)
*c, d = "xyz"
print(c, d)
e, *f, g = range(5)
print(e, f, g)
h, *i = (1,)
print(h, i)
(j, k), l = (1, 2), 3
print(j, k, l)
for m, *n in [(1, 2, 3), (4, 5)]:
    print(m, n)
def show(*args, **kw):
    print(args, sorted(kw.items()))
show(0, *[1, 2], y=2, **{"x": 1, "z": 3})
x, y = 1, 2
x, y = y, x
print(x, y)
try:
    p, q = [1, 2, 3]
except ValueError:
    print("ValueError too many")
try:
    p, q, r = [1, 2]
except ValueError:
    print("ValueError too few")
