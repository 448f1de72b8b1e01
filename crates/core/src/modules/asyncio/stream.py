# asyncio.stream: Stream (StreamReader/StreamWriter) over a stream object such as sys.stdin.
#
# A read waits until `select.poll` says the stream is readable (the port tells for stdin), so
# other tasks keep running while nothing has been typed.

import select

from .task import S, _park


class _IoWait:
    def __init__(self, task, stream, events):
        self._task = task
        self._s = stream
        self._events = events

    def _ready(self):
        try:
            p = select.poll()
            p.register(self._s, self._events)
            return bool(p.poll(0))
        except Exception:
            # A stream select cannot ask counts as ready: the read finds out.
            return True

    def remove(self, t):
        if self in S.io:
            S.io.remove(self)


async def _wait_io(stream, events=select.POLLIN):
    me = S.current
    w = _IoWait(me, stream, events)
    S.io.append(w)
    me._blocker = w
    await _park()


class Stream:
    def __init__(self, s, e={}):
        self.s = s
        self.e = e
        self.out_buf = b""

    def get_extra_info(self, v):
        return self.e[v]

    def close(self):
        pass

    async def wait_closed(self):
        self.s.close()

    async def aclose(self):
        await self.wait_closed()

    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc, tb):
        await self.aclose()

    async def read(self, n=-1):
        await _wait_io(self.s)
        if n < 0:
            return self.s.read()
        return self.s.read(n)

    async def readinto(self, buf):
        await _wait_io(self.s)
        return self.s.readinto(buf)

    async def readexactly(self, n):
        r = b""
        while n:
            await _wait_io(self.s)
            b = self.s.read(n)
            if not b:
                raise EOFError
            r += b
            n -= len(b)
        return r

    async def readline(self):
        # Always bytes, as MicroPython's, even from a text stream.
        await _wait_io(self.s)
        line = self.s.readline()
        return line.encode() if isinstance(line, str) else line

    def write(self, buf):
        # Writes what the stream takes now; the rest waits in out_buf for drain().
        if not self.out_buf:
            n = self.s.write(buf)
            if n == len(buf):
                return
            if n is not None:
                buf = buf[n:]
        self.out_buf += buf

    async def drain(self):
        while self.out_buf:
            await _wait_io(self.s, select.POLLOUT)
            n = self.s.write(self.out_buf)
            if n is not None:
                self.out_buf = self.out_buf[n:]

    async def awrite(self, buf, off=0, sz=-1):
        if off or sz != -1:
            buf = memoryview(buf)
            buf = buf[off:] if sz == -1 else buf[off : off + sz]
        self.write(buf)
        await self.drain()

    async def awritestr(self, s):
        await self.awrite(s.encode())


StreamReader = Stream
StreamWriter = Stream


async def open_connection(host, port, ssl=None, server_hostname=None):
    raise OSError("no sockets on this port")


async def start_server(cb, host, port, backlog=5, ssl=None):
    raise OSError("no sockets on this port")
