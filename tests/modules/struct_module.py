import struct

print(struct.calcsize('<bI'), struct.calcsize('bI'), struct.calcsize('>2h3x'))
print(struct.pack('<hI', -2, 65536), struct.pack('>q', -1), struct.pack('!H', 258))
print(struct.unpack('<bI', b'\x80\x00\x00\x01\x00'))
print(struct.unpack('>Q', b'\xff' * 8))
print(struct.pack('4s', b'ab'), struct.unpack('<2sh', b'xy\x01\x00'))
print(struct.pack('<f', 1.5), struct.unpack('<d', struct.pack('<d', 0.1)))
print(struct.unpack('<e', struct.pack('<e', 2.5)))
buf = bytearray(8)
struct.pack_into('<HH', buf, 2, 1, 2)
print(buf, struct.unpack_from('<H', buf, -4))
try:
    struct.unpack('<I', b'12')
except ValueError:
    print('ValueError')
try:
    struct.pack('<y', 1)
except ValueError:
    print('ValueError')
