# iter(callable, sentinel): calls until the sentinel comes back. MicroPython's unix port lacks
# the two-argument form; Pyrite has it, with CPython's meaning.
values = [3, 2, 1, 0, 5]
pos = iter(values)
print(list(iter(lambda: next(pos), 0)))
print(next(pos))
def reader():
    data = ["line1", "line2", "", "never"]
    return lambda: data.pop(0)
for line in iter(reader(), ""):
    print(line)
calls = []
def tick():
    calls.append(1)
    return len(calls)
it = iter(tick, 3)
print(next(it), next(it), next(it, "stop"), next(it, "still stopped"))
