# skip-gcstress
# Runaway recursion raises RuntimeError (maximum recursion depth exceeded), never a crash;
# the program then goes on normally.
def down(n):
    return down(n + 1)
try:
    down(0)
except RuntimeError as e:
    print("RuntimeError:", e)
def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)
print(depth(100))
try:
    depth(100000)
except RuntimeError:
    print("100000-deep recursion: RuntimeError")
def ping(n):
    return pong(n + 1)
def pong(n):
    return ping(n + 1)
try:
    ping(0)
except RuntimeError:
    print("mutual recursion: RuntimeError")
class Loop:
    def __repr__(self):
        return "<%r>" % self
try:
    repr(Loop())
except RuntimeError:
    print("recursive __repr__: RuntimeError")
print(depth(50))
