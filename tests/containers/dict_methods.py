# dict: methods and views. Pyrite's dicts keep insertion order (as CPython's do), so the
# printed order is part of the expected output.
d = {"one": 1, "two": 2}
d["three"] = 3
print(d, len(d), d["two"], "one" in d, 1 in d)
print(list(d.keys()), list(d.values()), list(d.items()))
print(d.get("four"), d.get("four", 4), d.setdefault("four", 4), d.setdefault("one", 99))
print(d.pop("four"), d.pop("missing", "dflt"), d)
d.update({"five": 5}, six=6)
d.update([("seven", 7)])
print(d)
del d["five"]
print(d.popitem(), d)
print(dict(a=1, b=2), dict([("x", 1)]), dict.fromkeys("ab", 0), dict({1: 2}))
e = d.copy()
e["one"] = 100
print(d["one"], e["one"], d == e, {1: 2} == {1: 2})
for k in d:
    print(k, d[k])
for k, v in d.items():
    print(k, "->", v)
d2 = {}
d2[1] = "int"
d2[1.0] = "float"
d2[(1, 2)] = "tuple"
d2[None] = "none"
print(d2)
d.clear()
print(d, {})
try:
    {}["x"]
except KeyError as e:
    print("KeyError", e.args)
