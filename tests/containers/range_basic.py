# range: iteration, indexing, slicing, membership, len.
print(list(range(5)), list(range(2, 8)), list(range(10, 0, -3)), list(range(0)))
r = range(3, 20, 4)
print(len(r), r[0], r[-1], r[1:3], 7 in r, 8 in r, r.start, r.stop, r.step)
print(range(5), range(1, 5), range(1, 5, 2), list(range(5)[::-1]))
print(sum(range(101)), max(range(7)), list(reversed(range(3))))
total = 0
for i in range(1000):
    total += i
print(total)
try:
    range(1, 2, 0)
except ValueError:
    print("ValueError")
