# asyncio.event: Event (tasks wait until it is set) and ThreadSafeFlag (one waiter, woken
# at the scheduler's next poll point, as an interrupt-set flag would be).

from .task import S, _park


class Event:
    def __init__(self):
        self._set = False
        self._waiting = []

    def is_set(self):
        return self._set

    def set(self):
        waiting = self._waiting
        self._waiting = []
        for t in waiting:
            S.runq.push(t)
        self._set = True

    def clear(self):
        self._set = False

    async def wait(self):
        if not self._set:
            me = S.current
            self._waiting.append(me)
            me._blocker = self._waiting
            await _park()
        return True


class ThreadSafeFlag:
    def __init__(self):
        self._flag = False
        self._task = None

    def _ready(self):
        return self._flag

    def remove(self, t):
        # Cancelling the waiter.
        if self._task is t:
            self._task = None
            if self in S.io:
                S.io.remove(self)

    def set(self):
        self._flag = True

    def clear(self):
        self._flag = False

    async def wait(self):
        if not self._flag:
            if self._task is not None:
                raise RuntimeError("can't wait")
            me = S.current
            self._task = me
            S.io.append(self)
            me._blocker = self
            await _park()
        self._flag = False
