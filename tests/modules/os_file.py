# open() on the host folder and the os functions through the mount table
import os

d = "pyrite_os_file_test_dir"
os.mkdir(d)
print(d in os.listdir())
print(os.stat(d)[0] & 0x4000 != 0)
name = d + "/data.bin"
with open(name, "wb") as f:
    print(f.write(bytes(range(256))))
with open(name, "rb") as f:
    print(f.read() == bytes(range(256)))
with open(name, "rb") as f:
    b = bytearray(10)
    print(f.readinto(b), b[:3])
    print(f.seek(-2, 2), f.read())
    print(f.tell())
with open(d + "/t.txt", "w") as f:
    print(type(f).__name__)
    f.write("héllo\nwörld\n")
with open(d + "/t.txt") as f:
    print(f.read(2))
    print(f.readline(), end="")
    print(f.readlines())
with open(d + "/t.txt", "a") as f:
    f.write("more\n")
print(len(open(d + "/t.txt").read()))
f = open(d + "/t.txt")
f.close()
try:
    f.read()
except ValueError:
    print("closed")
try:
    open(d + "/missing")
except OSError as e:
    print("missing", e.errno)
os.rename(d + "/t.txt", d + "/u.txt")
print(sorted(os.listdir(d)))
print(sorted(x[0] for x in os.ilistdir(d)))
os.remove(d + "/u.txt")
os.remove(name)
os.rmdir(d)
print(d in os.listdir())
print(os.sep, len(os.urandom(5)), type(os.getcwd()))
