# Filling the heap raises MemoryError; once the memory is released the program goes on.
import gc
hog = []
try:
    while True:
        hog.append(bytearray(1024))
except MemoryError:
    count = len(hog)
    hog = None
    print("MemoryError caught")
gc.collect()
print(count > 10)
squares = [i * i for i in range(50)]
print(sum(squares), len(str(squares)))
try:
    bytearray(1 << 40)
except MemoryError:
    print("MemoryError for a huge request")
hog = []
try:
    while True:
        hog.append("x" * 1000 + str(len(hog)))
except MemoryError:
    hog = None
    print("MemoryError again")
gc.collect()
print("still running", [str(i) for i in range(5)])
