# asyncio.core: sleeping, creating tasks, and the scheduler loop.

from time import ticks_ms as ticks, ticks_diff, ticks_add, sleep_ms as _port_sleep_ms
import sys

from .task import S, Task, TaskQueue, CancelledError, TimeoutError, _park

# The longest sleep a ticks counter can express (half its period, less one).
_MAX_SLEEP_MS = 0x1FFFFFFF
# How long the idle loop sleeps when nothing is queued but the main task is not done.
_IDLE_MS = 10


def _sleep_until(when):
    S.runq.push(S.current, when)
    yield


def sleep_ms(t):
    t = max(0, t)
    if t > _MAX_SLEEP_MS:
        raise OverflowError("ticks interval overflow")
    return _sleep_until(ticks_add(ticks(), t))


def sleep(t):
    return sleep_ms(int(t * 1000))


def create_task(coro):
    if not hasattr(coro, "send"):
        raise TypeError("coroutine expected")
    t = Task(coro, globals())
    S.runq.push(t)
    return t


def _promote_to_task(aw):
    return aw if isinstance(aw, Task) else create_task(aw)


def current_task():
    if S.current is None:
        raise RuntimeError("no running event loop")
    return S.current


def _poll_io():
    # Wakes the tasks whose wait (flag set, stream readable) is over, in the order they waited.
    io = S.io
    if io:
        for w in io[:]:
            if w._ready():
                io.remove(w)
                S.runq.push(w._task)
                w._task = None


def _next_due(main):
    # The next task to run, sleeping through the port until it is due; None when nothing is
    # left to run and the main task (if any) is done.
    while True:
        _poll_io()
        t = S.runq.peek()
        if t is None:
            if main is None or not main._running:
                return None
            wait = _IDLE_MS
        else:
            wait = ticks_diff(t._key, ticks())
            if wait <= 0:
                return S.runq.pop()
        if S.io:
            wait = min(wait, _IDLE_MS)
        _port_sleep_ms(wait)


def _report(t):
    context = {
        "message": "Task exception wasn't retrieved",
        "exception": t._outcome,
        "future": t,
    }
    Loop.call_exception_handler(context)


def _finish(t, er, awaited):
    # Task `t` ended with `er` (StopIteration on return): record it and wake whoever waits.
    w = t._waiters
    t._running = False
    t._outcome = er
    t._waiters = None
    if w is None:
        t._retrieved = awaited
    elif type(w) is list:
        t._retrieved = True
        for x in w:
            S.runq.push(x)
            awaited = True
    else:
        t._retrieved = True
        w(t, er)
        awaited = True
    if not awaited and not isinstance(er, (CancelledError, StopIteration)):
        # Nobody is waiting: give another task one turn to retrieve it, then report it.
        S.runq.push(t)


def run_until_complete(main_task=None):
    try:
        return _schedule(main_task)
    finally:
        # Also when KeyboardInterrupt or SystemExit ends a task and the loop with it.
        S.current = None


def _schedule(main_task):
    excs = (CancelledError, Exception)
    while True:
        t = _next_due(main_task)
        if t is None:
            return None
        S.current = t
        if not t._running:
            # A finished task queued for its unretrieved exception.
            if not t._retrieved:
                t._retrieved = True
                _report(t)
            continue
        exc = t._pending
        try:
            if exc is None:
                t.coro.send(None)
            else:
                t._pending = None
                t.coro.throw(exc)
        except excs as er:
            if t is main_task:
                if not isinstance(er, StopIteration):
                    t._running = False
                    t._outcome = er
                    t._retrieved = True
                    raise er
                _finish(t, er, True)
                return er.value
            _finish(t, er, False)


def run(coro):
    return run_until_complete(create_task(coro))


async def _stopper():
    pass


class Loop:
    _exc_handler = None
    _stop_task = None

    @staticmethod
    def create_task(coro):
        return create_task(coro)

    @staticmethod
    def run_forever():
        Loop._stop_task = Task(_stopper(), globals())
        run_until_complete(Loop._stop_task)

    @staticmethod
    def run_until_complete(aw):
        return run_until_complete(_promote_to_task(aw))

    @staticmethod
    def stop():
        t = Loop._stop_task
        if t is not None:
            S.runq.push(t)
            Loop._stop_task = None

    @staticmethod
    def close():
        pass

    @staticmethod
    def set_exception_handler(handler):
        Loop._exc_handler = handler

    @staticmethod
    def get_exception_handler():
        return Loop._exc_handler

    @staticmethod
    def default_exception_handler(loop, context):
        print(context["message"], file=sys.stderr)
        print("future:", context["future"], "coro=", context["future"].coro, file=sys.stderr)
        sys.print_exception(context["exception"], sys.stderr)

    @staticmethod
    def call_exception_handler(context):
        (Loop._exc_handler or Loop.default_exception_handler)(Loop, context)


def get_event_loop(runq_len=0, waitq_len=0):
    return Loop


def new_event_loop():
    # A fresh run queue and no pending waits: tasks of the old loop are dropped.
    S.runq = TaskQueue()
    S.io = []
    return Loop


new_event_loop()
