# memoryview over arrays keeps the item type; slices share memory
from array import array

a = array('i', [1, 2, 3, 4])
m = memoryview(a)
print(len(m), m.itemsize, list(m), list(m[1:3]))
m[0] = -5
m[2:4] = array('i', [7, 8])
print(a)
b = bytearray(b'abcdef')
v = memoryview(b)[2:]
v[0] = 0x5a
print(b, bytes(v), v.hex())
try:
    memoryview(b'xy')[0] = 1
except TypeError:
    print('TypeError')
try:
    v[0:2] = b'123'
except ValueError:
    print('ValueError')
print(memoryview(b'abc') == b'abc', list(memoryview(array('h', [-1, 256]))))
