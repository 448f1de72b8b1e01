# Container, iterator, call, repr/str, hash/eq and context-manager special methods.
class Box:
    def __init__(self, items):
        self.items = list(items)
    def __len__(self):
        return len(self.items)
    def __getitem__(self, i):
        return self.items[i]
    def __setitem__(self, i, v):
        self.items[i] = v
    def __delitem__(self, i):
        del self.items[i]
    def __contains__(self, v):
        return v in self.items
    def __iter__(self):
        return iter(self.items)
    def __call__(self, *args):
        return "called with %r" % (args,)
    def __repr__(self):
        return "Box(%r)" % self.items
    def __str__(self):
        return "box of %d" % len(self.items)
b = Box("abc")
print(len(b), b[1], b[-1], "a" in b, "z" in b, list(b), b(1, 2))
b[0] = "A"
del b[1]
print(repr(b), str(b), b, [b], "%s %r" % (b, b))
class Countdown:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        return self
    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n
print(list(Countdown(4)), sum(Countdown(5)))
class Seq:
    def __getitem__(self, i):
        if i >= 3:
            raise IndexError
        return i * 10
print(list(Seq()), 20 in Seq())
class Key:
    def __init__(self, k):
        self.k = k
    def __eq__(self, o):
        return self.k == o.k
    def __hash__(self):
        return hash(self.k)
d = {Key(1): "one"}
print(d[Key(1)], Key(2) in d, len({Key(1), Key(1), Key(2)}))
class Ctx:
    def __enter__(self):
        print("enter")
        return "resource"
    def __exit__(self, exc_type, exc, tb):
        print("exit", exc_type.__name__ if exc_type else None)
        return exc_type is KeyError
with Ctx() as r:
    print("using", r)
with Ctx():
    raise KeyError("suppressed")
print("after suppressed")
