# Class creation hooks, super(), metaclass attributes, binding rules.


class Desc:
    def __set_name__(self, owner, name):
        print("set_name", owner.__name__, name)
        self.name = name

    def __get__(self, obj, cls):
        return "got " + self.name


class WithDesc:
    x = Desc()


print(WithDesc().x)


class Plugin:
    registry = []

    def __init_subclass__(cls, tag="none", **kw):
        Plugin.registry.append((cls.__name__, tag))


class P1(Plugin):
    pass


class P2(Plugin, tag="two"):
    pass


print(Plugin.registry)


class Meta(type):
    def describe(cls):
        return "class " + cls.__name__


class M(metaclass=Meta):
    pass


print(M.describe(), type(M).__name__)


class A:
    def f(self):
        return "A.f"


class B(A):
    def f(self):
        return "B.f>" + super().f()


print(B().f())
print(str(super(B, B()))[:18])
for args in ((str, 0), (str, int), (0, int)):
    try:
        super(*args)
    except TypeError:
        print("TypeError")


# __new__ is implicitly static.
class N:
    def __new__(cls, v):
        o = super().__new__(cls)
        o.v = v
        return o


print(N(5).v)


# A built-in function stored in a class does not bind.
class C:
    f = abs


print(C().f(-3), C.f(-4))


# Bound methods compare and hash by their object and function.
a = A()
print(a.f == a.f, hash(a.f) == hash(a.f), a.f == A().f)


# Comparison results of Python methods are returned as they are.
class E:
    def __eq__(self, other):
        return 123

    def __lt__(self, other):
        return "lt"


class F:
    def __ne__(self, other):
        return -456


print(E() == 1, 1 == E(), E() != 1, E() < 2, F() != F())


# Special methods can be static or class methods.
class SM:
    @staticmethod
    def __add__(other):
        return ("static add", other)

    @classmethod
    def __sub__(cls, other):
        return ("class sub", cls.__name__, other)


print(SM() + 1, SM() - 2)

try:
    object.__new__(int)
except TypeError:
    print("TypeError")
print("from_bytes" in int.__dict__)


# A metaclass: its __new__ and __call__, its methods and properties seen through the class.
class Meta2(type):
    def __new__(mcs, name, bases, ns):
        ns["tag"] = name.lower()
        return super().__new__(mcs, name, bases, ns)

    def __call__(cls, *a):
        print("Meta2.__call__", cls.__name__, a)
        return super().__call__(*a)

    @property
    def upper(cls):
        return cls.__name__.upper()


class MA(metaclass=Meta2):
    def __init__(self, x):
        self.x = x


ma = MA(5)
print(ma.x, MA.tag, type(MA).__name__, isinstance(MA, Meta2), MA.upper)


class MB(MA):
    pass


print(MB.tag, type(MB).__name__)
MT = type("MT", (MA,), {"y": 2})
print(MT.y, MT.tag, type(MT).__name__)


# super() in a class method, and through a diamond.
class Base:
    @classmethod
    def create(cls):
        return cls()


class Sub(Base):
    @classmethod
    def create(cls):
        o = super().create()
        o.sub = True
        return o


print(type(Sub.create()).__name__, Sub.create().sub)


class X:
    def who(self):
        return ["X"]


class Y(X):
    def who(self):
        return ["Y"] + super().who()


class Z(X):
    def who(self):
        return ["Z"] + super().who()


class W(Y, Z):
    def who(self):
        return ["W"] + super().who()


print(W().who())
