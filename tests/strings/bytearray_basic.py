# bytearray: a mutable bytes; memoryview over it.
ba = bytearray(b"hello")
ba[0] = 72
ba.append(33)
ba.extend(b" ok")
print(ba, len(ba), ba[0], ba[1:4], bytes(ba))
ba[1:3] = b"EE"
print(ba)
ba[0:1] = b""
print(ba, ba.find(b"l"), ba.decode(), ba + b"!", bytearray(3), bytearray([1, 2]))
print(bytearray(b"abc") == b"abc", b"x" in bytearray(b"xyz"), list(bytearray(b"ab")))
ba2 = bytearray(b"0123456789")
ba2[2:5] = b""
print(ba2, ba2[-1])
mv = memoryview(ba2)
print(len(mv), mv[0], bytes(mv[1:3]))
mv[0] = 65
print(ba2)
