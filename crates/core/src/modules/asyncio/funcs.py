# asyncio.funcs: wait_for and gather.

from .task import S, CancelledError, TimeoutError
from .core import sleep, sleep_ms, create_task, _promote_to_task


async def _watch(waiter, task):
    # Awaits `task` for `waiter`, which sleeps until the timeout; when `task` ends first,
    # wakes the waiter by cancelling its sleep with a CancelledError carrying the outcome.
    try:
        result = await task
        status = True
    except BaseException as er:
        result = None
        status = er
    if waiter._blocker is None and waiter._pending is None and waiter.cancel():
        # If the waiter is then cancelled from outside, this is replaced by a bare one.
        waiter._pending = CancelledError(status, result)


async def wait_for(aw, timeout, sleep=sleep):
    task = _promote_to_task(aw)
    if timeout is None:
        return await task
    watcher = create_task(_watch(S.current, task))
    try:
        await sleep(timeout)
    except CancelledError as er:
        status = er.args[0] if er.args else None
        if status is None:
            # Cancelled from outside: cancel the awaited task too.
            watcher.cancel()
            raise er
        if status is True:
            return er.args[1]
        raise status
    watcher.cancel()
    await watcher
    raise TimeoutError


def wait_for_ms(aw, timeout):
    return wait_for(aw, timeout, sleep_ms)


class _Gathering:
    # The blocker of a task parked in gather: its sub-tasks' callbacks wake it.
    @staticmethod
    def remove(t):
        pass


def gather(*aws, return_exceptions=False):
    def on_done(t, er):
        nonlocal left
        if me._blocker is not _Gathering:
            # Already woken (by another sub-task's exception, or cancelled).
            return
        if not return_exceptions and not isinstance(er, StopIteration):
            left = er
        else:
            left -= 1
            if left:
                return
        S.runq.push(me)

    tasks = [_promote_to_task(aw) for aw in aws]
    # `left` counts sub-tasks still running; negative means do not wait at all; an exception
    # means stop with it.
    left = 0
    for t in tasks:
        if t._running and t._waiters is None:
            t._waiters = on_done
            left += 1
        elif not t._running:
            if not isinstance(t._outcome, StopIteration) and not return_exceptions:
                left = -len(tasks)
        else:
            raise RuntimeError("can't gather")

    me = S.current
    cancelled = False
    if left > 0:
        me._blocker = _Gathering
        try:
            yield
        except CancelledError as er:
            cancelled = True
            left = er

    for i in range(len(tasks)):
        t = tasks[i]
        if t._waiters is on_done:
            # Still running: unhook, and cancel it if the gather was cancelled.
            t._waiters = None
            if cancelled:
                t.cancel()
        elif isinstance(t._outcome, StopIteration):
            tasks[i] = t._outcome.value
        elif return_exceptions:
            tasks[i] = t._outcome
        elif isinstance(left, int):
            left = t._outcome

    if left:
        raise left
    return tasks
