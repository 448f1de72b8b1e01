# micropython.heap_lock: every allocation fails until heap_unlock
import micropython

l = [1, 2]

def loop():
    for i in range(3):  # for loops and calls still work
        len(l)
    return i


micropython.heap_lock()
micropython.heap_lock()
try:
    [0]
except MemoryError:
    print("MemoryError list")
try:
    {1: 2}
except MemoryError:
    print("MemoryError dict")
try:
    l.extend(range(100))
except MemoryError:
    print("MemoryError extend")
print(loop())
print(micropython.heap_unlock())
print(micropython.heap_unlock())
print(l, [i for i in range(3)])
t = micropython.mem_total()
c = micropython.mem_current()
x = list(range(1000))
print(micropython.mem_total() > t, micropython.mem_current() > c, micropython.mem_peak() >= c)
