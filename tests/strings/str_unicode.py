# Unicode strings: lengths count code points, indexing and slicing by code point, escapes.
s = "héllo wörld ✓ 𝄞"
print(s, len(s), s[1], s[-1], s[12:], s[6:].upper() == s[6:].upper())
print(len(s.encode()), s.encode()[:3], "é".encode("utf-8"))
print(ord("é"), ord("✓"), ord("𝄞"), chr(233), chr(0x2713), chr(0x1D11E))
print("\u00e9" == "é", "°", "\x41\101")
print(b"\xc3\xa9".decode(), str(b"caf\xc3\xa9", "utf-8"), s.find("ö"), s.index("✓"))
print("ÄÖÜ", repr("ü"), "ñ" in "España", "a✓b".split("✓"))
for ch in "añ✓":
    print(ch, ord(ch), len(ch.encode()))
