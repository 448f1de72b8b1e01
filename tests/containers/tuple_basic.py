# tuple: immutable sequences, packing, comparison, hashing.
t = (1, "a", 2.5)
print(t, len(t), t[1], t[-1], t[:2], (1,), (), tuple([1, 2]), tuple("ab"))
print(t + (3,), (0,) * 3, t.index("a"), (1, 1, 2).count(1), 2.5 in t)
print((1, 2) < (1, 3), (1, 2) == (1, 2), (2,) > (1, 99), hash((1, 2)) == hash((1, 2)))
x, y, z = t
print(x, y, z)
u = 1, 2
print(u, type(u).__name__)
d = {(1, 2): "pair"}
print(d[(1, 2)], d[1, 2])
nested = ((1, 2), (3, (4, 5)))
print(nested[1][1][0], max((3, 1), (2, 9)), sorted([(2, "b"), (1, "z"), (2, "a")]))
try:
    t[0] = 5
except TypeError:
    print("TypeError")
