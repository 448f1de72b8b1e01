import errno, platform, select, io
print(errno.ENOENT, errno.EINVAL, errno.errorcode[errno.EIO], len(errno.errorcode))
print(OSError(errno.ENOENT), OSError(errno.EIO, "details"), OSError(9999))
print(type(platform.platform()), type(platform.python_compiler()), type(platform.libc_ver()))


class Pollable(io.IOBase):
    def __init__(self, state):
        self.state = state

    def ioctl(self, cmd, arg):
        if cmd == 10:  # MP_STREAM_GET_FILENO: not a file descriptor
            return -1
        print("ioctl", cmd, arg)
        return self.state & arg


s = Pollable(select.POLLIN)
p = select.poll()
p.register(s, select.POLLIN)
print(p, p.poll(0) == [(s, select.POLLIN)])
p.modify(s, select.POLLOUT)
print(p.poll(0))
p.unregister(s)
print(p.poll(0), list(p.ipoll(0)))
try:
    p.modify(s, select.POLLIN)
except OSError as e:
    print(e.errno == errno.ENOENT)
p.register(1, select.POLLOUT)
print(p.poll(0))
