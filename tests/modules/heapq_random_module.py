import heapq, random
h = []
for x in [5, 1, 4, 1, 5, 9, 2, 6]:
    heapq.heappush(h, x)
print(h, [heapq.heappop(h) for _ in range(len(h))])
h = [9, 8, 7, 6, 5, 4, 3]
heapq.heapify(h)
print(h)
for f, a in ((heapq.heappop, ([],)), (heapq.heappush, ((), 1)), (heapq.heapify, ("ab",))):
    try:
        f(*a)
    except (IndexError, TypeError) as e:
        print(type(e).__name__, e)
random.seed(42)
print([random.getrandbits(8) for _ in range(8)], random.getrandbits(32), random.getrandbits(0))
print(random.randrange(10), random.randrange(5, 10), random.randrange(10, 0, -3), random.randint(-3, 3))
print(random.choice("abcdef"), random.random(), random.uniform(1, 2))
random.seed(1)
a = random.getrandbits(16)
random.seed(1)
print(a == random.getrandbits(16))
for f, a in ((random.getrandbits, (33,)), (random.randrange, (0,)), (random.randint, (2, 1)), (random.choice, ([],))):
    try:
        f(*a)
    except (ValueError, IndexError) as e:
        print(repr(e))
