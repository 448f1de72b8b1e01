# async def / await driven by hand: coroutines are stepped with send() until StopIteration.
class Sleep:
    def __init__(self, tag):
        self.tag = tag
    def __await__(self):
        reply = yield self.tag
        return reply
    # MicroPython awaits through __iter__; CPython through __await__.
    __iter__ = __await__
async def fetch(n):
    got = await Sleep("fetch %d" % n)
    return got * 2
async def main():
    a = await fetch(1)
    b = await fetch(2)
    return a + b
def run(coro):
    value = None
    while True:
        try:
            request = coro.send(value)
        except StopIteration as e:
            return e.value
        print("scheduler got:", request)
        value = len(request)
print("result", run(main()))
c = main()
print(type(c).__name__ in ("coroutine", "generator"))
c.send(None)
c.close()
print("closed")
async def failing():
    await Sleep("x")
    raise ValueError("inside coroutine")
c = failing()
c.send(None)
try:
    c.send(0)
except ValueError as e:
    print("propagated", e)
