import micropython
r = micropython.RingIO(10)
print(r.write(b"ab\ncd\nef"), r.any())
print(r.readline(), r.readline(1), r.readline())
b = bytearray(4)
print(r.readinto(b), b, r.any())
print(r.write(b"0123456789", 3), r.write(b"0123456789", 5, 2), r.read(2), r.read())
print(r.read(), r.readline(), r.readinto(b))
r.close()
print(type(r), isinstance(r, micropython.RingIO))
for a in (None, b"xx", 1, 65535):
    try:
        print(micropython.RingIO(a))
    except Exception as e:
        print(type(e).__name__, e)
