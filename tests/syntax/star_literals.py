# Star-unpacking inside list, tuple, set and dict displays and several stars in one call.
# MicroPython's compiler rejects these; Pyrite accepts them with CPython's meaning.
def show(*args, **kw):
    print(args, sorted(kw.items()))
print([*range(3), *"ab", 9])
print((*[1], 2), (*"xy",))
print(sorted({*[1, 2], *[2, 3]}))
print({**{"a": 1}, "b": 2, **{"a": 3}})
show(*"ab", *(3, 4), 5, **{"x": 1}, y=2, **{"z": 3})
first, *rest = [*"hello"]
print(first, rest)
