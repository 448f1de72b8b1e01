# uctypes: scalar, float, bit-field, array, nested-struct and pointer fields over buffers.
# (Pyrite's byte arrays are memoryviews rather than bytearrays: print them through bytes().)
import uctypes

HDR = {
    "magic": uctypes.UINT16 | 0,
    "ver": uctypes.BFUINT8 | 2 | 0 << uctypes.BF_POS | 4 << uctypes.BF_LEN,
    "flags": uctypes.BFUINT8 | 2 | 4 << uctypes.BF_POS | 4 << uctypes.BF_LEN,
    "len": uctypes.INT32 | 4,
    "name": (uctypes.ARRAY | 8, uctypes.UINT8 | 4),
    "words": (uctypes.ARRAY | 12, uctypes.INT16 | 2),
    "sub": (16, {"x": uctypes.UINT8 | 0, "y": uctypes.INT8 | 1}),
    "pts": (uctypes.ARRAY | 18, 2, {"x": uctypes.UINT8 | 0, "y": uctypes.UINT8 | 1}),
    "f": uctypes.FLOAT32 | 24,
    "d": uctypes.FLOAT64 | 32,
    "big": uctypes.UINT64 | 40,
}

for layout in ("LITTLE_ENDIAN", "BIG_ENDIAN", "NATIVE"):
    lay = getattr(uctypes, layout)
    buf = bytearray(uctypes.sizeof(HDR, lay))
    s = uctypes.struct(uctypes.addressof(buf), HDR, lay)
    s.magic = 0xCAFE
    s.ver = 3
    s.flags = 0xA
    s.len = -2
    s.name[0] = ord("p")
    s.words[1] = -300
    s.sub.y = -5
    s.pts[1].x = 7
    s.f = 1.5
    s.d = -0.25
    s.big = 2**64 - 1
    print(layout, uctypes.sizeof(s), bytes(buf))
    print(hex(s.magic), s.ver, s.flags, s.len, bytes(s.name), s.words[0], s.words[1])
    print(s.sub.x, s.sub.y, s.pts[1].x, s.f, s.d, s.big, uctypes.sizeof(s.pts))

# Pointers hold addresses; indexing one reads through it.
data = bytearray(b"\x01\x02\x03\x04")
cell = bytearray(8)
p = uctypes.struct(uctypes.addressof(cell), {"p": (uctypes.PTR | 0, uctypes.UINT16)})
cell[:] = uctypes.addressof(data).to_bytes(8, "little")
print(int(p.p) == uctypes.addressof(data), hex(p.p[0]), hex(p.p[1]))
print(uctypes.bytes_at(uctypes.addressof(data) + 1, 2))

for bad in ([], (), ("x",), (uctypes.ARRAY | 0,), 5):
    try:
        uctypes.sizeof(bad)
    except TypeError:
        print("TypeError")
try:
    p[0]
except TypeError:
    print("TypeError")
try:
    s.pts[2]
except IndexError:
    print("IndexError")
