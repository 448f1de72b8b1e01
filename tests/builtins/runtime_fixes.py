# enumerate keywords, pow edge cases, round of bools, range slicing and kwargs
print(list(enumerate(iterable="ab", start=1)))
print(pow(0, 0), 0 ** 0, pow(3, 2, None), list(map(pow, range(3), range(3))))
print(round(True), round(False), round(123, -5), round(150, -2))
print(range(4)[1::2], range(1, 100, 5)[5:15:3], range(100, 1, -5)[15:5:-3])
try:
    range(0, 1, step=1)
except TypeError:
    print("TypeError")
class S:
    def __getitem__(self, k):
        return k
print(S()[2:7:-2].indices(5), S()[:].indices(10))
# dict display and comprehension evaluate the value first (MicroPython order)
def p(x):
    print("eval", x)
    return x
d = {p("k"): p("v")}
d = {p("k2"): p("v2") for _ in range(1)}
# exec checks its namespaces
for args in (("print(1)", "foo"), ("print(1)", None, 123)):
    try:
        exec(*args)
    except TypeError:
        print("TypeError")
# __hash__ returning a big int is folded
class F:
    def __hash__(self):
        return 1 << 70 | 1
print(hash(F()) != 0, type(__debug__))
# dict and set special methods
d = {}
d.__setitem__("a", 1)
print(d.__getitem__("a"), {1}.__contains__(1), frozenset().__contains__(1))
d.__delitem__("a")
print(d)
try:
    [].append(1, 2)
except TypeError:
    print("TypeError")
