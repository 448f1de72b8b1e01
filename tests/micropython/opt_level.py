# micropython.opt_level: asserts, __debug__ and line numbers of code compiled afterwards
import micropython
import sys

print(micropython.opt_level())
micropython.opt_level(1)
print(micropython.opt_level())
exec("print(__debug__)")
exec("assert 0")
micropython.opt_level(0)
exec("print(__debug__)")
try:
    exec("assert 0, 'boom'")
except AssertionError as e:
    print("AssertionError", e)
micropython.opt_level(3)
exec("""
def f():

    xyz
try:
    f()
except NameError as e:
    sys.print_exception(e)
""")
micropython.opt_level(0)
