# asyncio.task: tasks, the time-ordered run queue, and the scheduler's shared state.
#
# A task is in exactly one of these places while it runs:
#   - on the run queue (`S.runq`), keyed by the tick at which it may resume;
#   - parked on a blocker: another Task it awaits, a list of waiters (Event, Lock), or an
#     object with `remove(task)` (ThreadSafeFlag, stream waits, gather);
#   - running: it is `S.current`.
# `_blocker` records the parking place so that `cancel()` can take the task out of it.

from time import ticks_ms as ticks, ticks_diff


class CancelledError(BaseException):
    pass


class TimeoutError(Exception):
    pass


class _State:
    # The current task (None outside the scheduler) and the run queue.
    current = None
    runq = None
    # Objects that wake a task at the next poll point: each has `_ready()` and `_task`.
    io = []


S = _State


class TaskQueue:
    # Tasks ordered by wake tick; tasks with equal ticks stay first in, first out.

    def __init__(self):
        self._items = []

    def peek(self):
        items = self._items
        return items[0] if items else None

    def push(self, t, key=None):
        # Queueing a task clears what it was parked on and any exception meant for it.
        if key is None:
            key = ticks()
        t._key = key
        t._blocker = None
        t._pending = None
        items = self._items
        i = len(items)
        while i and ticks_diff(items[i - 1]._key, key) > 0:
            i -= 1
        items.insert(i, t)

    def pop(self):
        return self._items.pop(0)

    def remove(self, t):
        items = self._items
        for i in range(len(items)):
            if items[i] is t:
                del items[i]
                return


def _park():
    # Suspends the running task once; whoever parked it is responsible for waking it.
    yield


class Task:
    def __init__(self, coro, globals=None):
        self.coro = coro
        self._running = True
        # Once done: StopIteration(value) for a return, else the exception it raised.
        self._outcome = None
        # Whether someone took the outcome (an exception nobody took gets reported).
        self._retrieved = False
        # None, a list of tasks awaiting this one, or gather's completion callback.
        self._waiters = None
        self._blocker = None
        # An exception (class or instance) to throw into the coroutine when it resumes.
        self._pending = None
        self._key = 0

    def __await__(self):
        w = self._waiters
        if not self._running:
            self._retrieved = True
        elif w is None:
            self._waiters = []
        elif type(w) is not list:
            raise RuntimeError("can't wait")
        while self._running:
            me = S.current
            self._waiters.append(me)
            me._blocker = self
            yield
        out = self._outcome
        if isinstance(out, StopIteration):
            return out.value
        raise out

    __iter__ = __await__

    def done(self):
        return not self._running

    def cancel(self):
        if not self._running:
            return False
        if self is S.current:
            raise RuntimeError("can't cancel self")
        # A task awaiting another task is cancelled through the task it awaits.
        t = self
        while isinstance(t._blocker, Task):
            t = t._blocker
        b = t._blocker
        if b is not None:
            b.remove(t)
            S.runq.push(t)
        elif ticks_diff(t._key, ticks()) > 0:
            # Sleeping: bring it forward to now.
            S.runq.remove(t)
            S.runq.push(t)
        t._pending = CancelledError
        return True
