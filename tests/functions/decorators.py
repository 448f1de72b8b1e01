# Function and class decorators, with and without arguments, stacked.
def trace(fn):
    def wrapper(*args, **kw):
        print("call", fn.__name__, args)
        return fn(*args, **kw)
    return wrapper
def times(n):
    def deco(fn):
        def wrapper(x):
            return fn(x) * n
        return wrapper
    return deco
@trace
def add(a, b):
    return a + b
print(add(2, 3))
@times(3)
@times(2)
def ident(x):
    return x
print(ident(5))
registry = []
def register(cls):
    registry.append(cls.__name__)
    return cls
@register
class Widget:
    pass
print(registry, Widget.__name__)
def memo(fn):
    cache = {}
    def wrapper(n):
        if n not in cache:
            cache[n] = fn(n)
        return cache[n]
    return wrapper
@memo
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(80))
