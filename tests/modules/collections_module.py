from collections import deque, namedtuple, OrderedDict

d = deque((1, 2, 3), 3)
d.append(4)
d.appendleft(0)
print(list(d), len(d), d[0], d[-1])
print(d.pop(), d.popleft(), list(d))
d.extend([7, 8, 9])
print(list(d), bool(deque((), 1)))
q = deque((), 1, True)
q.append(1)
try:
    q.append(2)
except IndexError as e:
    print('IndexError', e)

P = namedtuple('P', 'x y')
p = P(1, y=2)
print(p, p.x, p.y, p[0], len(p), isinstance(p, tuple))
print(p + (3,), p == (1, 2))
try:
    P(1)
except TypeError:
    print('TypeError')

od = OrderedDict([('b', 1), ('a', 2)])
od['c'] = 3
print(od, list(od.keys()), len(od), od['a'])
print(od == OrderedDict([('a', 2), ('b', 1), ('c', 3)]), od.popitem())
