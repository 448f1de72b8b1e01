# set and frozenset: algebra, mutation, membership. Sets print sorted (order is unspecified).
s = {3, 1, 2}
s.add(4)
s.add(1)
s.discard(10)
s.remove(3)
print(sorted(s), len(s), 2 in s, 3 in s)
a = {1, 2, 3, 4}
b = {3, 4, 5}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b))
print(sorted(a.union(b)), sorted(a.intersection(b)), sorted(a.difference(b)), sorted(a.symmetric_difference(b)))
print({1, 2} <= a, {1, 2} < {1, 2}, a >= {1}, a.issubset({1, 2, 3, 4, 5}), a.isdisjoint({9}))
c = set(a)
c.update([10, 11])
c |= {12}
c &= {1, 10, 11, 12}
c -= {1}
print(sorted(c), set(), len(set("hello")))
fs = frozenset([1, 2, 2, 3])
print(sorted(fs), len(fs), 2 in fs, fs == frozenset({1, 2, 3}), type(fs).__name__)
d = {fs: "frozen"}
print(d[frozenset([3, 2, 1])], hash(fs) == hash(frozenset([1, 2, 3])))
print(sorted(fs | {9}), type(fs | {9}).__name__)
e = {1, 2}
print(e.pop() in (1, 2), len(e))
e.clear()
print(e)
try:
    set().pop()
except KeyError:
    print("KeyError")
try:
    {[1]}
except TypeError:
    print("TypeError unhashable")
