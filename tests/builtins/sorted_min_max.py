# sorted, min, max with key, default and reverse; sum, any, all, reversed.
words = ["banana", "Apple", "cherry", "date"]
print(sorted(words), sorted(words, key=str.lower), sorted(words, key=len, reverse=True))
print(sorted([3, 1, 2], reverse=True), sorted((2, 1)), sorted({"b": 1, "a": 2}), sorted("cba"))
print(min(3, 1, 2), max([3, 1, 2]), min("hello"), max(words, key=len), min(words, key=lambda w: w[-1]))
print(min([], default="empty"), max([], default=None), max([5], default=0), min((1, 2), (1, 1)))
print(sum([1, 2, 3]), sum([1, 2], 10), sum([0.5, 0.25]), sum([[1], [2]], []))
print(any([0, "", 1]), any([]), all([1, "x"]), all([]), all([1, 0]))
print(list(reversed([1, 2, 3])), list(reversed("ab")), list(reversed(range(3))))
try:
    min([])
except ValueError:
    print("ValueError min of empty")
try:
    sorted([1, "a"])
except TypeError:
    print("TypeError mixed sort")
