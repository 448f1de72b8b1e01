# if/elif/else, while/for with else, break/continue, pass, chained comparisons, conditional
# expressions, lambda, assert and del.
for n in range(-1, 3):
    if n < 0:
        print(n, "negative")
    elif n == 0:
        print(n, "zero")
    else:
        print(n, "positive")
for i in range(5):
    if i == 1:
        continue
    if i == 3:
        break
    print("for", i)
else:
    print("not reached")
for i in range(2):
    pass
else:
    print("for-else ran")
k = 0
while k < 3:
    k += 1
else:
    print("while-else", k)
while True:
    k -= 1
    if k == 0:
        break
print("after while", k)
x = 5
print(1 < x < 10, 1 < x > 10, 0 <= x <= 5 < 6, x == 5 != 4)
print("big" if x > 3 else "small", (lambda a, b=2: a * b)(4), (lambda *a: a)(1, 2))
sq = lambda v: v * v
print(sq(7), list(map(lambda s: s + "!", ["a", "b"])))
assert x == 5, "unreachable"
try:
    assert x == 6, "x is not 6"
except AssertionError as e:
    print("AssertionError", e)
y = 1
del y
try:
    y
except NameError:
    print("NameError after del")
