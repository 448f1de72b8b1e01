# asyncio.lock: Lock. Releasing hands the lock straight to the first waiter, so `_owner` is
# 0 (free), 1 (held) or the waiting task it was handed to (not yet resumed).

from .task import S, CancelledError, _park


class Lock:
    def __init__(self):
        self._owner = 0
        self._waiting = []

    def locked(self):
        return self._owner == 1

    def release(self):
        if self._owner != 1:
            raise RuntimeError("Lock not acquired")
        if self._waiting:
            nxt = self._waiting.pop(0)
            self._owner = nxt
            S.runq.push(nxt)
        else:
            self._owner = 0

    async def acquire(self):
        if self._owner != 0:
            me = S.current
            self._waiting.append(me)
            me._blocker = self._waiting
            try:
                await _park()
            except CancelledError:
                if self._owner is me:
                    # Cancelled after the lock was handed over: pass it on.
                    self._owner = 1
                    self.release()
                raise
        self._owner = 1
        return True

    async def __aenter__(self):
        return await self.acquire()

    async def __aexit__(self, exc_type, exc, tb):
        return self.release()
