# asyncio: tasks, sleeping, gather, wait_for, Event, Lock, ThreadSafeFlag, cancellation,
# the loop object, streams, and the uasyncio alias.
import asyncio
import sys

import uasyncio

print(uasyncio.sleep is asyncio.sleep, uasyncio.Event is asyncio.Event)
print(issubclass(asyncio.CancelledError, BaseException), issubclass(asyncio.TimeoutError, Exception))


async def worker(name, ms, log):
    log.append(name + " start")
    await asyncio.sleep_ms(ms)
    log.append(name + " end")
    return name


async def failing(ms):
    await asyncio.sleep_ms(ms)
    raise ValueError("bad", ms)


async def sleeper():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("sleeper cancelled")
        raise


async def gathering():
    log = []
    res = await asyncio.gather(worker("a", 20, log), worker("b", 10, log), worker("c", 0, log))
    print(res)
    print(log)
    res = await asyncio.gather(worker("d", 5, log), failing(1), return_exceptions=True)
    print(res)
    try:
        await asyncio.gather(failing(1), worker("e", 5, log))
    except ValueError as e:
        print("gather raised", e.args)
    print(await asyncio.gather())


async def timeouts():
    print(await asyncio.wait_for(worker("w", 5, []), 1))
    try:
        await asyncio.wait_for(sleeper(), 0.01)
    except asyncio.TimeoutError:
        print("timeout")
    print(await asyncio.wait_for_ms(worker("m", 1, []), 100))
    print(await asyncio.wait_for(worker("n", 1, []), None))


async def cancelling():
    t = asyncio.create_task(sleeper())
    await asyncio.sleep(0)
    print(t.done(), t.cancel(), t.cancel())
    try:
        await t
    except asyncio.CancelledError:
        print("await cancelled task")
    print(t.done(), t.cancel())

    async def me():
        return asyncio.current_task()

    t = asyncio.create_task(me())
    print((await t) is t)


async def events():
    ev = asyncio.Event()
    order = []

    async def waiter(i):
        await ev.wait()
        order.append(i)

    for i in range(3):
        asyncio.create_task(waiter(i))
    await asyncio.sleep(0)
    print(ev.is_set(), order)
    ev.set()
    await asyncio.sleep(0)
    print(ev.is_set(), order)

    flag = asyncio.ThreadSafeFlag()

    async def flag_waiter():
        await flag.wait()
        print("flag seen")

    t = asyncio.create_task(flag_waiter())
    await asyncio.sleep(0)
    flag.set()
    await t


async def locking():
    lock = asyncio.Lock()
    trace = []

    async def user(i):
        async with lock:
            trace.append(i)
            await asyncio.sleep_ms(1)
            trace.append(-i)

    tasks = [asyncio.create_task(user(i)) for i in (1, 2, 3)]
    await asyncio.gather(*tasks)
    print(trace, lock.locked())
    try:
        lock.release()
    except RuntimeError as e:
        print("RuntimeError", e)


async def main():
    await gathering()
    await timeouts()
    await cancelling()
    await events()
    await locking()
    return "main done"


print(asyncio.run(main()))

try:
    asyncio.current_task()
except RuntimeError as e:
    print("RuntimeError", e)

try:
    asyncio.create_task(42)
except TypeError as e:
    print("TypeError", e)


# The loop object: run_forever until stop(), run_until_complete, exception handler.
def handler(loop, context):
    print("handler:", context["message"], repr(context["exception"]))


async def stopper(loop):
    print("stopping")
    loop.stop()


async def detached():
    raise OSError(5)


loop = asyncio.get_event_loop()
loop.set_exception_handler(handler)
print(loop.get_exception_handler() is handler)
loop.create_task(stopper(loop))
loop.run_forever()
loop.create_task(detached())
print(loop.run_until_complete(worker("r", 1, [])))
loop.set_exception_handler(None)
loop = asyncio.new_event_loop()
print(loop.run_until_complete(worker("x", 1, [])))


# A stream over sys.stdin (empty here) and a writer over an object with write().
class Sink:
    def write(self, b):
        print("write", bytes(b))
        return len(b)


async def streams():
    line = await asyncio.StreamReader(sys.stdin).readline()
    print(repr(line))
    w = asyncio.StreamWriter(Sink(), {})
    w.write(b"abc")
    await w.drain()
    await w.awrite(b"defgh", 1, 3)


asyncio.run(streams())
