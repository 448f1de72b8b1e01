# An uncaught exception prints a traceback naming file, line and function, and exits with 1.
def inner(x):
    if x > 2:
        raise ValueError("x too large: %d" % x)
    return x
def outer(n):
    total = 0
    for i in range(n):
        total += inner(i)
    return total
print("before", outer(3))
print(outer(5))
print("not reached")
