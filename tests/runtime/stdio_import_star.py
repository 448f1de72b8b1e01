import sys
print(sys.stdout, type(sys.stderr).__name__)
sys.stdout.write("written\n")
w = sys.stdout.write
w("bound\n")

class M:
    __all__ = ("y",)
    x = "x1"
    y = "y1"
sys.modules["fake"] = M
from fake import *
print(y)
sys.modules["fake"] = 1
try:
    from fake import *
except (AttributeError, ImportError):
    print("ImportError")

import gc
gc.threshold(100)
print(gc.threshold())
gc.threshold(-1)
print(gc.threshold())
try:
    [].extend(range(1 << 30))
except MemoryError:
    print("MemoryError")
