# print with sep, end and file; sys.stdout.write; str and repr of builtins.
import sys
print("a", "b", "c", sep="-")
print("no newline", end="")
print(" <- joined")
print(1, 2, sep="", end="!\n")
print()
print("to stderr", file=sys.stderr)
print("to stdout", file=sys.stdout)
sys.stdout.write("written\n")
print(*[1, 2, 3], sep=", ")
print("x", None, True, 1.0, [1, "a"], (2,), {"k": (1, 2)}, b"b")
