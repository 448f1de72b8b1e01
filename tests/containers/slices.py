# Slicing lists and tuples: steps, negative indices, assignment, deletion, slice objects.
a = list(range(10))
print(a[2:5], a[:3], a[7:], a[-3:], a[:-7], a[::2], a[1::3], a[::-1], a[8:2:-2], a[-1:-4:-1])
print(a[100:], a[-100:2], a[5:2], (0, 1, 2, 3)[1:3], (0, 1, 2, 3)[-2:])
b = a[:]
b[2:4] = ["x", "y", "z"]
print(b)
b[-2:] = []
print(b)
del b[1:3]
print(b)
del b[:2]
print(b)
class Seq:
    def __getitem__(self, k):
        return k
s = Seq()[1:8:3]
print(s.start, s.stop, s.step, a[s], "abcdefgh"[1:8])
print(Seq()[1:2], Seq()[::3], Seq()[1:2, 3])
try:
    a[::0]
except ValueError:
    print("ValueError step 0")
