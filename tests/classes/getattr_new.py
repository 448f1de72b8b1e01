# __getattr__ for missing attributes, __setattr__, __new__ with __init__, and singletons.
class Dynamic:
    def __init__(self):
        self.real = "real"
    def __getattr__(self, name):
        if name.startswith("x_"):
            return name[2:].upper()
        raise AttributeError(name)
d = Dynamic()
print(d.real, d.x_hello, getattr(d, "x_a"), hasattr(d, "y"), getattr(d, "y", "default"))
class Logged:
    def __setattr__(self, name, value):
        print("set", name, value)
        object.__setattr__(self, name, value)
lg = Logged()
lg.a = 1
print(lg.a)
class Pooled:
    _instance = None
    def __new__(cls, *args):
        print("new", cls.__name__, args)
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance
    def __init__(self, v):
        print("init", v)
        self.v = v
a = Pooled(1)
b = Pooled(2)
print(a is b, a.v)
class NotInit:
    def __new__(cls):
        return 42
print(NotInit())
