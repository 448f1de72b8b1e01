# array.array: typecodes, indexing, slicing, growth, buffers
from array import array

a = array('h', [1, -2, 3])
print(a, len(a), a[0], a[-1], a[1:])
a.append(40000)  # truncated to 16 bits, as MicroPython 1.x does
print(a[-1])
a.extend([5, 6])
a += array('h', [7])
print(a)
a[1] = 100
a[0:2] = array('h', [9, 9, 9])
print(a, list(a))
print(array('B', b'\x01\x02') + b'\x03')
print(bytes(array('H', [0x102, 0x304])))
print(bytearray(array('i', [1])))
print(array('f', [0.5, 1.5]), array('d'))
print(array('q', [-1, 2**63 - 1]), array('Q', [2**64 - 1]))
print(array('b', [1, 2]) == array('B', [1, 2]), array('b', [1]) == b'\x01')
print(array('B', [1, 2]) < array('B', [1, 3]))
try:
    array('f') == array('f')
except NotImplementedError:
    print('NotImplementedError')
try:
    array('z')
except ValueError:
    print('ValueError')
o = array('O')
o.append([1])
o.append('x')
print(o, len(o), o[1])
print(sum(array('i', range(10))), 5 in array('b') if False else 'skip')
