# asyncio: MicroPython's cooperative scheduler, written for Pyrite.
#
# task.py (Task, the run queue), core.py (sleep, the scheduler loop, Loop), event.py (Event,
# ThreadSafeFlag), lock.py (Lock), funcs.py (wait_for, gather), stream.py (Stream).

from .task import Task, TaskQueue, CancelledError, TimeoutError
from .core import (
    Loop,
    create_task,
    current_task,
    get_event_loop,
    new_event_loop,
    run,
    run_until_complete,
    sleep,
    sleep_ms,
)
from .event import Event, ThreadSafeFlag
from .lock import Lock
from .funcs import gather, wait_for, wait_for_ms
from .stream import Stream, StreamReader, StreamWriter, open_connection, start_server

__version__ = (3, 0, 0)
