# Generators: lazy evaluation, StopIteration, return values, generator state.
def countdown(n):
    print("start")
    while n > 0:
        yield n
        n -= 1
    print("done")
g = countdown(3)
print("created")
print(next(g), next(g), next(g))
try:
    next(g)
except StopIteration:
    print("StopIteration")
print(list(countdown(2)))
def with_return():
    yield 1
    return "result"
g = with_return()
next(g)
try:
    next(g)
except StopIteration as e:
    print("returned", e.value, e.args)
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
f = fib()
print([next(f) for _ in range(12)])
def infinite_squares():
    i = 0
    while True:
        yield i * i
        i += 1
for sq in infinite_squares():
    if sq > 50:
        break
    print(sq, end=" ")
print()
print(list(zip(countdown(2), "ab")))
