# printf-style % formatting for str and bytes.
print("%d %i %s %r" % (1, 2, "three", "four"))
print("%5d|%-5d|%05d|%+d|% d" % (42, 42, 42, 42, 42))
print("%x %X %o %#x %#o" % (255, 255, 8, 255, 8))
print("%.2f %8.3f %-8.1f| %e %.3e %g %G" % (3.14159, 2.71828, 1.5, 12345.678, 0.000123, 1e-5, 1e20))
print("%c%c %s %%" % (72, "i", None))
print("%(a)s and %(b)d" % {"a": "x", "b": 7})
print("%s" % [1, 2], "%s" % (3,), "%s-%s" % ("a", "b"))
print("%*d|%-*d|%.*f" % (5, 1, 5, 2, 2, 3.14159))
print(b"%d %s %x" % (10, b"hi", 255))
try:
    "%d %d" % (1,)
except TypeError:
    print("TypeError")
