# MicroPython's emitter decorators run as bytecode; others are a SyntaxError


@micropython.native
def f(x):
    return x + 1


@micropython.viper
def g(x: int) -> int:
    return x * 2


@micropython.bytecode
def h():
    return "bytecode"


print(f(1), g(2), h())
for src in ("@micropython.a\ndef f(): pass", "@micropython.a.b\ndef f(): pass",
            "@micropython.asm_thumb\ndef f(): pass"):
    try:
        exec(src)
    except SyntaxError as e:
        print("SyntaxError", e)
