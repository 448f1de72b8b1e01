import re
m = re.match(r"(\d+)-(\d+)", "12-345 rest")
print(m, m.group(0), m.group(1), m.group(2))
print(re.search(r"[a-c]+", "xxbcaz").group(0), re.search(r"^b", "ab"), re.match("a|b", "b").group(0))
print(re.match(r"a*?b", "aaab").group(0), re.match(r"a+?", "aaa").group(0), re.match(r"(?:ab)+", "ababx").group(0))
print(re.match(r"(a)(x)?", "ab").group(2), re.match(r"[^\s]+\s*(\w+)", "foo  bar_1").group(1))
p = re.compile(r"\s+")
print(p.split("a b  c   d"), p.split("a b  c", 1), re.compile(b",").split(b"1,2"))
print(p.match("  x", 1), p.search("ab  c", 0, 3))
print(re.sub(r"(\w)(\d)", r"\2\1\g<1>", "a1 b2 c3"))
print(re.sub(r"\d", lambda m: str(int(m.group(0)) * 2), "a1b2c3", 2))
print(re.sub("z", "y", "abc"), re.sub(b"a", b"b", b"aa"))
print(re.match("{", "{").group(0), re.match("é", "é").group(0))
for bad in ["?", "*", "(", ")", "[a", "a**", "(a)" * 64]:
    try:
        re.compile(bad)
        print("ok", bad)
    except ValueError as e:
        print("ValueError", e)
try:
    re.match("(a*)*", "aaa")
except RuntimeError as e:
    print("RuntimeError")
try:
    re.match("a", "a").group(2)
except IndexError as e:
    print("IndexError", e)
try:
    re.compile("(a)b").split("ab")
except NotImplementedError as e:
    print("NotImplementedError", e)
