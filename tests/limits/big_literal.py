# skip-gcstress
# A 1 MB string literal in source text compiles and keeps every character; the source is built
# by the test rather than stored.
n = 1 << 20
src = "s = '" + "ab" * (n // 2) + "'\nt = b'" + "z" * 1000 + "'\n"
ns = {}
exec(compile(src, "big.py", "exec"), ns)
del src
s = ns["s"]
print(len(s), s[:4], s[-4:], s.count("ab"), len(ns["t"]))
del ns, s
print(len(eval("'" + "x" * 100000 + "'")))
