# Syntax MicroPython rejects or accepts differently from recent CPython.
def check(src):
    try:
        exec(src)
        print("ok")
    except SyntaxError:
        print("SyntaxError")
check("f(y=1, *(3,))")
check("f(**{}, *(2,))")
check("() = []")
check("[] = []")
check("del ()")
check(r"'\x0'")
check(r"'\u000'")
check(r"b'\u000'")
# line ends: \r and \r\n count as \n
exec("x = 1\rprint(x + 1)\r\nprint(x + 2)")
try:
    compile("\\\n", "f", "single")
except SyntaxError:
    print("SyntaxError")
# nested f-strings may reuse the same quotes (3.12)
x = 1
print(f"a{f"b{f"c{x}d"}e"}f", f"{'q':>3}", f"{x:{'>'}4}")
# a bare annotation makes a name local
def g():
    y: int
    try:
        print(y)
    except NameError:
        print("NameError")
g()
def h():
    z = 1
    def inner():
        nonlocal z
        del z
    inner()
    try:
        inner()
    except NameError:
        print("NameError")
h()
