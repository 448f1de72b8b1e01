# PEP 479: StopIteration leaving a generator becomes RuntimeError.
def gen():
    yield 1
    raise StopIteration
g = gen()
print(next(g))
try:
    next(g)
except RuntimeError as e:
    print("RuntimeError", e)
try:
    next(g)
except StopIteration:
    print("StopIteration")

# throw() passes its value through to a delegate's throw() method as is.
class It:
    def __iter__(self):
        return self
    def __next__(self):
        return 1
    def throw(self, x):
        print("throw", x)
        return 2
def deleg():
    yield from It()
g = deleg()
print(next(g), g.throw(123), g.throw(ValueError))

# a non-exception thrown into a plain generator raises TypeError inside it
def catcher():
    try:
        yield 1
    except TypeError:
        yield "caught TypeError"
g = catcher()
next(g)
print(g.throw(5))

# a StopIteration from the function map calls ends a yield from with its value
def f(x):
    if x < 2:
        return x
    raise StopIteration(44)
def outer():
    print("returned", (yield from map(f, range(10))))
print(list(outer()))

# wrapped iterators keep the StopIteration value
class A:
    def __iter__(self):
        return self
    def __next__(self):
        raise StopIteration(42)
for make in (enumerate, lambda a: map(abs, a), zip):
    try:
        next(make(A()))
    except StopIteration as e:
        print(e.args)

# built-in iterators have __next__
it = iter(range(3))
print(it.__next__(), list(it))
