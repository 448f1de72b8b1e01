import hashlib, binascii
for algo in (hashlib.sha256, hashlib.sha1, hashlib.md5):
    for data in (b"", b"abc", b"a" * 55, b"a" * 56, b"a" * 64, b"x" * 1000):
        print(binascii.hexlify(algo(data).digest()))
    h = algo()
    h.update(b"ab")
    h.update(b"c")
    print(h, type(h), h.digest() == algo(b"abc").digest())
    try:
        h.update(b"x")
    except ValueError as e:
        print("ValueError", e)
    try:
        h.digest()
    except ValueError as e:
        print("ValueError", e)
