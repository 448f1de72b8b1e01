# type, isinstance, getattr/setattr/hasattr/delattr, dir, callable, id, globals, repr.
class K:
    a = 1
    def m(self):
        return 2
k = K()
print(type(k).__name__, type(K).__name__, type(len).__name__ if False else "ok", type(type) is type)
print(getattr(k, "a"), getattr(k, "zz", None), hasattr(k, "m"), callable(k.m))
setattr(k, "b", 5)
print(k.b, "b" in dir(k), "m" in dir(K), "a" in dir(k))
delattr(k, "b")
print(hasattr(k, "b"))
print(id(k) == id(k), id(k) != id(K()), k is k)
gx = 1
print("gx" in globals(), globals()["gx"], __name__)
print(repr("s"), repr(1.5), repr([None, True]), repr((1,)), repr({}), ascii("x") if False else "'x'")
print(type("") is str, type(b"") is bytes, type([]) is list, type(()) is tuple, type({}) is dict)
print(int.__name__, object.__name__, isinstance(K, type), isinstance(k, object))
