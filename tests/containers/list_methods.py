# list: construction, mutation methods, sorting, operators.
a = [3, 1, 2]
a.append(5)
a.extend([9, 0])
a.insert(1, 7)
a.insert(-1, 8)
a.insert(100, 6)
print(a, len(a), a.index(9), a.count(1))
print(a.pop(), a.pop(0), a)
a.remove(9)
a.reverse()
print(a)
a.sort()
print(a)
a.sort(reverse=True)
print(a)
words = ["pear", "Fig", "apple", "kiwifruit"]
words.sort(key=len)
print(words, sorted(words, key=str.lower))
b = a.copy()
b[0] = 100
print(a[0], b[0], a == b, [1, 2] < [1, 3], [1, 2] + [3], [0] * 3, 2 in [1, 2])
a.clear()
print(a, list(), list("ab"), list(range(3)), list((1, 2)))
nested = [[0] * 2 for _ in range(2)]
nested[0][0] = 1
print(nested, [1, [2, [3]]])
del b[1]
del b[-2:]
print(b)
c = [1, 2, 3]
c += [4]
c *= 2
print(c, c.index(3, 3))
try:
    [].pop()
except IndexError:
    print("IndexError")
try:
    [1].remove(2)
except ValueError:
    print("ValueError")
