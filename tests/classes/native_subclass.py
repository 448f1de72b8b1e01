# Subclasses of built-in types: the built-in value, its methods and operators.


class L(list):
    def total(self):
        return sum(self)


a = L([3, 1, 2])
a.append(5)
a.sort()
print(a, len(a), a[0], a[-1], a.total(), a[1:3])
print(a + [9], 2 in a, 7 in a, [x * 2 for x in a])
print(a == [1, 2, 3, 5], a != [1, 2, 3, 5], a < [2])
print(isinstance(a, list), type(a).__name__)


# A Python __init__ that makes the value through super().__init__().
class Pair(list):
    def __init__(self, a, b):
        super().__init__([a, b])


print(Pair(1, 2), len(Pair(3, 4)))


# A Python __init__ that does not: the value comes from the call's arguments.
class Named(list):
    def __init__(self, items):
        self.name = "n"


n = Named([7, 8])
print(n, n.name)


# Re-initialising through super().__init__().
class R(list):
    def reset(self):
        super().__init__(range(2))


r = R(range(5))
r.reset()
print(r)


class D(dict):
    def __init__(self, **kw):
        super().__init__(**kw)


d = D(a=1, b=2)
d["c"] = 3
print(sorted(d.items()), d.get("a"), "b" in d, len(d))


class S(str):
    def shout(self):
        return self.upper() + "!"


s = S("hi")
print(s, s.shout(), len(s), s + "x", "h" in s, s == "hi")


class I(int):
    def double(self):
        return self * 2


i = I(21)
print(i, i.double(), i + 1, -i, i == 21, hash(i) == hash(21))


class T(tuple):
    pass


t = T([1, 2, 3])
print(t, len(t), t[1], t == (1, 2, 3), t + (4,), t.count(2))


# Mixed with a plain class: its __init__ runs, then the value is made.
class Base:
    def __init__(self, *args):
        print("Base.__init__", args)


class BT(Base, tuple):
    pass


print(len(BT([1, 2])))
