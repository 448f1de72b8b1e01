# Assignment expressions (:=) in conditions, comprehensions and calls.
data = [1, 5, 12, 7, 30]
if (n := len(data)) > 3:
    print("long list", n)
i = 0
while (i := i + 1) < 4:
    print("loop", i)
print([y for x in data if (y := x * 2) > 10], y)
print((z := 5) + z, z)
def f(v):
    return v * 3
print([f(x), f(x) ** 2] if (x := 2) else None)
def running(values):
    total = 0
    sums = [total := total + v for v in values]
    return sums, total
print(running(range(5)))
