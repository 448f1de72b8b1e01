# List, dict and set comprehensions and generator expressions, nested and filtered.
print([x * x for x in range(6)])
print([x for x in range(20) if x % 3 == 0 if x % 2 == 0])
print([(i, j) for i in range(3) for j in range(i)])
print([[j for j in range(i)] for i in range(4)])
print({k: len(k) for k in ["a", "bb", "ccc"]})
print(sorted({c.upper() for c in "hello"}))
print(sum(x for x in range(101)), list(x + 1 for x in (1, 2)), max(len(w) for w in ["a", "abc"]))
g = (x * 2 for x in range(3))
print(type(g).__name__, next(g), list(g), list(g))
x = "outer"
print([x for x in "ab"], x)
n = 10
print([n * i for i in range(3)], [lambda: i for i in range(3)][0]())
matrix = [[1, 2, 3], [4, 5, 6]]
print([list(row) for row in zip(*matrix)], [v for row in matrix for v in row])
print({(a, b): a * b for a in range(2) for b in range(2)})
