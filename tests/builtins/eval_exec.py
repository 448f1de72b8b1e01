# eval, exec and compile with globals/locals dictionaries.
print(eval("1 + 2 * 3"), eval("x * 2", {"x": 21}), eval("[i for i in range(3)]"))
g = {}
exec("y = 10\ndef f(n):\n    return n + y\n", g)
print(g["y"], g["f"](5))
code = compile("z = 7 * 6", "<string>", "exec")
ns = {}
exec(code, ns)
print(ns["z"])
e = compile("3 ** 3", "<string>", "eval")
print(eval(e))
x = 5
exec("x = x + 1")
print(x)
try:
    eval("1 +")
except SyntaxError:
    print("SyntaxError")
try:
    exec("def f(:\n    pass")
except SyntaxError:
    print("SyntaxError in exec")
