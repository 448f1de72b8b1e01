# bool is an int subclass; None and truthiness.
print(True, False, True + True, True * 10, False - 1, int(True), bool(0), bool(3))
print(type(True).__name__, True == 1, False == 0)
print(None, None is None, type(None).__name__, bool(None))
for v in (0, 1, 0.0, "", "a", [], [0], (), {}, {1: 2}, set(), None):
    print(repr(v), bool(v), not v)
print(True and 5, 0 or "x", None or 0, 3 and 0, not None)
print(hash(True) == hash(1), {True: "a", 1: "b"})
