# Generator protocol: send, throw and close, with try/finally inside the generator.
def accumulator():
    total = 0
    try:
        while True:
            value = yield total
            if value is None:
                break
            total += value
    finally:
        print("cleanup, total", total)
    return total
g = accumulator()
print(g.send(None), g.send(5), g.send(10))
try:
    g.send(None)
except StopIteration as e:
    print("stopped with", e.value)
def catcher():
    while True:
        try:
            yield "ready"
        except ValueError as e:
            print("caught", e)
            yield "recovered"
g = catcher()
print(next(g), g.throw(ValueError("bad")), next(g))
try:
    g.throw(KeyError("unhandled"))
except KeyError as e:
    print("propagated", e.args)
def closing():
    try:
        yield 1
        yield 2
    except GeneratorExit:
        print("GeneratorExit seen")
        raise
g = closing()
print(next(g))
g.close()
g.close()
print("closed twice")
g = closing()
g.close()
print("closed before start")
g = accumulator()
try:
    g.send(1)
except TypeError:
    print("TypeError: send non-None to fresh generator")
