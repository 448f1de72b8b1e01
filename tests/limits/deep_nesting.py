# skip-gcstress
# Pathological nesting gives a clean exception, never a crash: 10,000-deep brackets and unary
# operators in source text, and 10,000-deep nested lists at run time.
ERRORS = (SyntaxError, RuntimeError, MemoryError)
for opener, closer in (("(", ")"), ("[", "]"), ("{", "}")):
    try:
        exec("x = " + opener * 10000 + closer * 10000)
        print(opener, "compiled")
    except ERRORS:
        print(opener, "clean error")
try:
    exec("x = " + "-" * 10000 + "1")
except ERRORS:
    pass
print("10,000 unary minus: no crash")
print(eval("(" * 20 + "7" + ")" * 20), eval("[" * 20 + "]" * 20))
nested = []
for _ in range(10000):
    nested = [nested]
try:
    repr(nested)
except RuntimeError:
    print("repr: RuntimeError")
import gc
gc.collect()
other = []
for _ in range(10000):
    other = [other]
try:
    nested == other
except RuntimeError:
    pass
print("==: no crash")
