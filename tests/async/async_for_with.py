# async for and async with, driven by hand.
class Ticker:
    def __init__(self, n):
        self.i = 0
        self.n = n
    def __aiter__(self):
        return self
    async def __anext__(self):
        if self.i >= self.n:
            raise StopAsyncIteration
        self.i += 1
        await Tick()
        return self.i
class Tick:
    def __await__(self):
        yield "tick"
    __iter__ = __await__
class Lock:
    async def __aenter__(self):
        print("acquire")
        return self
    async def __aexit__(self, et, ev, tb):
        print("release", et.__name__ if et else None)
        return False
async def main():
    async with Lock() as lk:
        print("holding", type(lk).__name__)
        async for v in Ticker(3):
            print("value", v)
    try:
        async with Lock():
            raise KeyError("k")
    except KeyError:
        print("KeyError out of async with")
    return "done"
coro = main()
ticks = 0
try:
    while True:
        coro.send(None)
        ticks += 1
except StopIteration as e:
    print(e.value, "after", ticks, "ticks")
