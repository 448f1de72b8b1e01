# Exceptions can be built with the heap locked (MicroPython's emergency buffer).
import micropython


def catch(f):
    micropython.heap_lock()
    try:
        f()
    except Exception as e:
        r = e
    micropython.heap_unlock()
    print(repr(r))


def raise_value():
    raise ValueError(1)


def raise_name():
    undefined_name


def raise_bad():
    raise 0


catch(raise_value)
catch(raise_name)
catch(raise_bad)


def many():
    # Too many arguments for the emergency buffer: args is empty.
    micropython.heap_lock()
    e = Exception(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    micropython.heap_unlock()
    print(repr(e))


many()

# A preallocated exception reused with its traceback cleared.
pre = StopIteration()


def g():
    micropython.heap_lock()
    pre.__traceback__ = None
    try:
        raise pre
    except StopIteration:
        print("StopIteration")
    micropython.heap_unlock()


g()


# Swapping through the stack does not allocate.
def h(a, b, c):
    micropython.heap_lock()
    a, b = b, a
    a, b, c = c, a, b
    micropython.heap_unlock()
    print(a, b, c)


h(1, 2, 3)

# No allocation for empty concatenation, unchanged replace, BytesIO writes within its size.
import io


def no_alloc(buf):
    micropython.heap_lock()
    x = b"" + b"ab"
    y = "cd" + ""
    z = "foo".replace(",", "_")
    buf.write(b"12345678")
    micropython.heap_unlock()
    print(x, y, z, buf.getvalue())


no_alloc(io.BytesIO(8))


def grow(ba):
    micropython.heap_lock()
    try:
        ba[:] = b"0123456789"
    except MemoryError:
        print("MemoryError")
    micropython.heap_unlock()
    print(ba)


grow(bytearray(4))
