import binascii
print(binascii.hexlify(b"\x00\x7f\xff"), binascii.hexlify(b"abc", "-"), binascii.hexlify(b""))
print(binascii.unhexlify(b"00ff7F"), binascii.unhexlify("6869"))
for bad in [b"0", b"gg"]:
    try:
        binascii.unhexlify(bad)
    except ValueError as e:
        print("ValueError", e)
print(binascii.b2a_base64(b"foobar"), binascii.b2a_base64(b"fo", newline=False), binascii.b2a_base64(b""))
print(binascii.a2b_base64(b"Zm9vYmE="), binascii.a2b_base64("Zm\n9v"), binascii.a2b_base64(b"Zg=="))
try:
    binascii.a2b_base64(b"abc")
except ValueError as e:
    print("ValueError", e)
print(hex(binascii.crc32(b"The quick brown fox jumps over the lazy dog")))
print(hex(binascii.crc32(b" world", binascii.crc32(b"hello"))), binascii.crc32(b"") )
