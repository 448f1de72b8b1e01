# The with statement: enter/exit order, exceptions passed to __exit__, nesting, suppression.
class Resource:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress
    def __enter__(self):
        print("enter", self.name)
        return self
    def __exit__(self, et, ev, tb):
        print("exit", self.name, et.__name__ if et else None, ev.args if ev else None)
        return self.suppress
with Resource("a") as a, Resource("b") as b:
    print("inside", a.name, b.name)
with Resource("outer"):
    with Resource("inner", suppress=True):
        raise ValueError("swallowed")
    print("after inner")
try:
    with Resource("c"):
        raise KeyError("escapes")
except KeyError as e:
    print("caught", e.args)
def early():
    with Resource("ret"):
        return "returned"
print(early())
for i in range(2):
    with Resource("loop%d" % i):
        if i == 0:
            continue
        break
