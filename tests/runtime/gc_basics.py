# The gc module: collect, enable/disable, and memory figures that behave sensibly.
import gc
gc.collect()
free0 = gc.mem_free()
alloc0 = gc.mem_alloc()
print(free0 > 0, alloc0 > 0)
garbage = [bytes(100) for _ in range(50)]
print(gc.mem_alloc() > alloc0)
del garbage
gc.collect()
print(gc.mem_alloc() < alloc0 + 3000)
gc.disable()
print(gc.isenabled())
gc.enable()
print(gc.isenabled())
cycle = []
cycle.append(cycle)
del cycle
gc.collect()
print("collected a cycle")
