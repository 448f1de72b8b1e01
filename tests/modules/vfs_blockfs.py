# Pyrite's block-device file system under MicroPython's VfsLfs2 name: a RAM block device in
# Python, all 256 byte values, a power cut at every write of an update, a full disk.
import os, vfs


class RAMBlockDevice:
    def __init__(self, blocks, size=128):
        self.size = size
        self.data = bytearray(blocks * size)
        self.writes_left = -1

    def readblocks(self, block, buf, off=0):
        a = block * self.size + off
        buf[:] = self.data[a : a + len(buf)]

    def writeblocks(self, block, buf, off=0):
        if self.writes_left == 0:
            raise OSError(5)  # the power is gone: nothing more reaches the flash
        if self.writes_left > 0:
            self.writes_left -= 1
        a = block * self.size + off
        self.data[a : a + len(buf)] = buf

    def ioctl(self, op, arg):
        if op == 4:
            return len(self.data) // self.size
        if op == 5:
            return self.size
        return 0


bdev = RAMBlockDevice(40)
vfs.VfsLfs2.mkfs(bdev)
vfs.mount(bdev, "/flash")
print(os.listdir("/flash"))

# all byte values round-trip
data = bytes(range(256))
with open("/flash/bytes.bin", "wb") as f:
    print(f.write(data))
with open("/flash/bytes.bin", "rb") as f:
    print(f.read() == data)
print(os.stat("/flash/bytes.bin")[6])

# text files, lines, seek and tell
with open("/flash/t.txt", "w") as f:
    f.write("one\ntwo\nthree\n")
with open("/flash/t.txt") as f:
    print(f.readline(), end="")
    print(f.tell())
    f.seek(0)
    print([line for line in f])
os.mkdir("/flash/d")
os.rename("/flash/t.txt", "/flash/d/t.txt")
print(sorted(os.listdir("/flash")), os.listdir("/flash/d"))
os.chdir("/flash/d")
print(os.getcwd(), open("t.txt").read(3))
os.chdir("/")

# a power cut at every write of an update: after "reboot" the file is old or new
old, new = b"o" * 300, b"n" * 500
with open("/flash/f", "wb") as f:
    f.write(old)
vfs.umount("/flash")
results = set()
n = 0
while True:
    bdev.writes_left = n
    fs = vfs.VfsLfs2(bdev)
    try:
        with fs.open("f", "wb") as f:
            f.write(new)
        done = True
    except OSError:
        done = False
    bdev.writes_left = -1
    got = vfs.VfsLfs2(bdev).open("f", "rb").read()  # reboot
    results.add("old" if got == old else "new" if got == new else "torn")
    if done:
        break
    # put the old contents back for the next cut
    with vfs.VfsLfs2(bdev).open("f", "wb") as f:
        f.write(old)
    n += 1
print(n > 3, sorted(results))

# a full disk raises ENOSPC and keeps what is there
fs = vfs.VfsLfs2(bdev)
try:
    with fs.open("big", "wb") as f:
        f.write(bytes(8000))
except OSError as e:
    print("full", e.errno == 28)
print(fs.open("f", "rb").read() == new)

# read-only mount
vfs.mount(fs, "/ro", readonly=True)
try:
    open("/ro/x", "w")
except OSError as e:
    print("read-only", e.errno == 30)
print(open("/ro/f", "rb").read(3))
vfs.umount("/ro")
