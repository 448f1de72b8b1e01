# iter, next (with a default), enumerate, zip, map, filter, range.
it = iter([1, 2])
print(next(it), next(it), next(it, "done"))
print(list(enumerate("abc")), list(enumerate("ab", 10)))
print(list(zip([1, 2, 3], "ab")), list(zip()), list(zip(range(2), range(2), range(2))))
print(list(map(abs, [-1, 2, -3])), list(map(lambda a, b: a * b, [1, 2], [3, 4])))
print(list(filter(None, [0, 1, "", "x"])), list(filter(lambda v: v % 2, range(7))))
e = enumerate(["x"])
print(next(e), next(e, None))
try:
    next(iter([]))
except StopIteration:
    print("StopIteration")
try:
    iter(5)
except TypeError:
    print("TypeError not iterable")
