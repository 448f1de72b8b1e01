# Classes: instances, attributes, methods, class attributes, isinstance, bound methods.
class Point:
    dims = 2
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def norm2(self):
        return self.x * self.x + self.y * self.y
    def moved(self, dx, dy=0):
        return Point(self.x + dx, self.y + dy)
p = Point(3, 4)
print(p.x, p.y, p.norm2(), p.dims, Point.dims, type(p).__name__, type(p) is Point)
q = p.moved(1)
print(q.x, q.y, isinstance(q, Point), isinstance(3, Point))
m = p.norm2
print(m(), Point.norm2(q))
p.z = 10
print(p.z, hasattr(p, "z"), hasattr(q, "z"), getattr(q, "z", "none"))
setattr(q, "z", 5)
delattr(p, "z")
print(q.z, hasattr(p, "z"))
Point.dims = 3
print(p.dims, q.dims)
class Empty:
    pass
e = Empty()
e.attr = [1]
print(e.attr, Empty.__name__, isinstance(e, object))
try:
    e.missing
except AttributeError:
    print("AttributeError")
