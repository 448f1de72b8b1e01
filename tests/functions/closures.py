# Closures, nonlocal and global.
def counter():
    count = 0
    def inc(step=1):
        nonlocal count
        count += step
        return count
    return inc
c1 = counter()
c2 = counter()
print(c1(), c1(), c1(10), c2())
total = 0
def add(n):
    global total
    total += n
add(3)
add(4)
print(total)
def outer():
    x = "outer"
    def middle():
        def inner():
            return x
        return inner()
    x = "changed"
    return middle()
print(outer())
funcs = [lambda i=i: i for i in range(3)]
print([f() for f in funcs])
def make_adders():
    return [lambda v, n=n: v + n for n in (1, 10)]
print([f(5) for f in make_adders()])
def shadow():
    total = "local"
    return total
print(shadow(), total)
def late():
    def read():
        return late_var
    late_var = 7
    return read()
print(late())
def unbound():
    print(v)
    v = 1
try:
    unbound()
except NameError:
    print("NameError (unbound local)")
