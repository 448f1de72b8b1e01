# property, classmethod and staticmethod.
class Temperature:
    def __init__(self, celsius):
        self._c = celsius
    @property
    def celsius(self):
        return self._c
    @celsius.setter
    def celsius(self, value):
        if value < -273.15:
            raise ValueError("too cold")
        self._c = value
    @property
    def fahrenheit(self):
        return self._c * 9 / 5 + 32
    @classmethod
    def from_f(cls, f):
        return cls((f - 32) * 5 / 9)
    @staticmethod
    def describe(x):
        return "temp " + str(x)
t = Temperature(100)
print(t.celsius, t.fahrenheit)
t.celsius = 0
print(t.celsius, t.fahrenheit)
try:
    t.celsius = -300
except ValueError as e:
    print("ValueError", e)
try:
    t.fahrenheit = 1
except AttributeError:
    print("AttributeError read-only")
print(Temperature.from_f(212).celsius, Temperature.describe(5), t.describe(6))
class Counter:
    def __init__(self):
        self._n = 0
    def _get(self):
        return self._n
    def _set(self, v):
        self._n = v
    def _del(self):
        print("deleting")
        self._n = 0
    n = property(_get, _set, _del)
c = Counter()
c.n = 5
print(c.n)
del c.n
print(c.n)
