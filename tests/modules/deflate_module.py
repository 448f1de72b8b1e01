# deflate.DeflateIO: reading all three formats, readline/readinto, errors.
import deflate, io

text = b"line one\nline two\n" + b"hello " * 40 + b"\nend"
# zlib.compress(text, wbits=...) from CPython: raw (-15), zlib (15), gzip (31)
packed = {
    deflate.RAW: b'\xcb\xc9\xccKU\xc8\xcfK\xe5\xca\x011J\xca\xf3\xb92Rsr\xf2\x15F\x0e\xc9\x95\x9a\x97\x02\x00',
    deflate.ZLIB: b'x\xda\xcb\xc9\xccKU\xc8\xcfK\xe5\xca\x011J\xca\xf3\xb92Rsr\xf2\x15F\x0e\xc9\x95\x9a\x97\x02\x00.\xa7_\xa2',
    deflate.GZIP: b'\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\xcb\xc9\xccKU\xc8\xcfK\xe5\xca\x011J\xca\xf3\xb92Rsr\xf2\x15F\x0e\xc9\x95\x9a\x97\x02\x00\x80\x82\xe5\xfd\x06\x01\x00\x00',
}
b = io.BytesIO(packed[deflate.RAW])
with deflate.DeflateIO(b, deflate.RAW) as d:
    print(d.readline())
    buf = bytearray(5)
    print(d.readinto(buf), buf)
    print(d.readline())
    print(len(d.read(7)), d.read())
    print(d.read())

for fmt in (deflate.RAW, deflate.ZLIB, deflate.GZIP):
    print(deflate.DeflateIO(io.BytesIO(packed[fmt]), fmt).read() == text)
    if fmt != deflate.RAW:
        print(deflate.DeflateIO(io.BytesIO(packed[fmt])).read() == text)

for bad in (b"", b"\x78", b"\x78\x9c\xff\xff", b"\x00\x01\x02\x03", b"\x1f\x8b\x09\x00"):
    try:
        print(deflate.DeflateIO(io.BytesIO(bad)).read())
    except (OSError, EOFError) as e:
        print(type(e).__name__)
for args in ((5,), (0, 4), (0, 16)):
    try:
        deflate.DeflateIO(io.BytesIO(), *args)
    except ValueError as e:
        print("ValueError", e)
print(deflate.AUTO, deflate.RAW, deflate.ZLIB, deflate.GZIP)
