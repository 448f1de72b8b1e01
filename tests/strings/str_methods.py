# str methods as MicroPython has them.
s = "  Hello, World  "
print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()), repr("xxaxx".strip("x")))
t = "Hello, World"
print(t.upper(), t.lower(), t.find("o"), t.rfind("o"), t.find("z"), t.index("W"), t.rindex("l"))
print(t.count("l"), t.count(""), t.startswith("Hell"), t.endswith(("x", "ld")), t.startswith("W", 7))
print(t.replace("l", "L"), t.replace("l", "L", 2), t.split(", "), t.split("o", 1), t.rsplit("o", 1))
print("a b  c".split(), " a\tb\nc ".split(), "a,b,,c".split(","), "".split(","))
print("-".join(["a", "b", "c"]), "".join([]), ", ".join("xyz"))
print(t.partition(", "), t.rpartition("o"), t.partition("#"))
print("abc".isalpha(), "123".isdigit(), " \t".isspace(), "ABC".isupper(), "abc".islower(), "a1".isalpha())
print(repr("x".center(7)), "line1\nline2\r\nline3".splitlines())
print("%s|%s" % ("ab" * 3, "-" * 5), "abc" < "abd", "Z" < "a", "abc" == "abc", "b" in "abc")
print(len(t), t[0], t[-1], t[-5:], t[2:5], t[:-7], min("hello"), max("hello"))
print(str(123), str(None), str([1, "a"]), repr("it's"), repr('say "hi"'), repr("tab\there\n"))
print("abc".encode(), str(b"xyz", "utf-8"), ord("A"), chr(97), "Ab" * 2)
it = iter("ab")
print(next(it), next(it), list("hey"), sorted("banana"))
try:
    "abc".index("z")
except ValueError:
    print("ValueError")
try:
    "a" + 1
except TypeError:
    print("TypeError")
