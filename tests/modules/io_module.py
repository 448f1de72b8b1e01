import io

s = io.StringIO('line1\nline2\n')
print(s.readline(), end='')
print(s.read(), end='')
s.write('x')
print(repr(s.getvalue()), s.tell())
s.seek(0)
print([l for l in s])
with io.StringIO() as t:
    print('hello', 'world', file=t)
    print(repr(t.getvalue()))
b = io.BytesIO(b'abc')
b.seek(5)
b.write(b'z')
print(b.getvalue(), b.seek(0), b.read(2))
buf = bytearray(4)
print(b.readinto(buf), buf)
try:
    b.seek(-1)
except OSError as e:
    print('OSError', e.args[0])

class W(io.IOBase):
    def write(self, data):
        print('write', len(data))
        return len(data)

print('a', 'b', file=W())
