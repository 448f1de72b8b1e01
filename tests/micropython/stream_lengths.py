# An exception raised from its own __init__ is incomplete: TypeError. A stream whose write or
# readinto claims more bytes than it was given fails with OSError(EIO).
import io, json


class Early(Exception):
    def __init__(self):
        raise self


try:
    Early()
except TypeError:
    print("TypeError")


class Liar(io.IOBase):
    def write(self, buf):
        return len(buf) + 1

    def readinto(self, buf):
        return len(buf) + 2

    def ioctl(self, cmd, arg):
        return 0


for what, f in (("write", lambda: print("x", file=Liar())), ("read", lambda: json.load(Liar()))):
    try:
        f()
        print(what, "ok")
    except OSError as e:
        print(what, "errno", e.errno)
