# Operator special methods on a user class: arithmetic, reflected, in-place, unary, comparison.
class V:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return "V(%r, %r)" % (self.x, self.y)
    def __add__(self, o):
        return V(self.x + o.x, self.y + o.y)
    def __sub__(self, o):
        return V(self.x - o.x, self.y - o.y)
    def __mul__(self, k):
        return V(self.x * k, self.y * k)
    def __rmul__(self, k):
        return V(self.x * k, self.y * k)
    def __neg__(self):
        return V(-self.x, -self.y)
    def __abs__(self):
        return self.x * self.x + self.y * self.y
    def __eq__(self, o):
        return isinstance(o, V) and (self.x, self.y) == (o.x, o.y)
    def __lt__(self, o):
        return abs(self) < abs(o)
    def __iadd__(self, o):
        self.x += o.x
        self.y += o.y
        return self
    def __bool__(self):
        return bool(self.x or self.y)
a, b = V(1, 2), V(3, 4)
print(a + b, b - a, a * 3, 2 * a, -a, abs(b))
print(a == V(1, 2), a != b, a < b, b < a, sorted([b, a]))
c = a
c += b
print(c, a is c, bool(V(0, 0)), bool(a))
class Num:
    def __init__(self, v):
        self.v = v
    def __truediv__(self, o):
        return "truediv"
    def __floordiv__(self, o):
        return "floordiv"
    def __mod__(self, o):
        return "mod"
    def __pow__(self, o):
        return "pow"
    def __and__(self, o):
        return "and"
    def __or__(self, o):
        return "or"
    def __lshift__(self, o):
        return "lshift"
    def __radd__(self, o):
        return "radd"
    def __le__(self, o):
        return "le"
n = Num(1)
print(n / 1, n // 1, n % 1, n ** 1, n & 1, n | 1, n << 1, 1 + n, n <= 1)
try:
    n + 1
except TypeError:
    print("TypeError unsupported +")
