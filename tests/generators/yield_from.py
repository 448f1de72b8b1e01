# yield from: delegation of values, send, throw, close and return values.
def inner():
    x = yield "i1"
    print("inner got", x)
    y = yield "i2"
    print("inner got", y)
    return "inner-result"
def outer():
    r = yield from inner()
    print("outer got", r)
    yield "o1"
g = outer()
print(next(g), g.send("a"), g.send("b"))
print(list(outer.__name__))
def chain(*iterables):
    for it in iterables:
        yield from it
print(list(chain([1, 2], "ab", range(2), (x * 10 for x in range(2)))))
def thrower():
    try:
        yield 1
    except ValueError:
        yield "handled in inner"
def delegate():
    yield from thrower()
    yield "after"
g = delegate()
print(next(g), g.throw(ValueError), next(g))
def tree(depth):
    if depth == 0:
        yield "leaf"
        return
    yield from tree(depth - 1)
    yield from tree(depth - 1)
print(list(tree(3)))
