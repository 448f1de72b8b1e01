# micropython.schedule: callbacks run soon, one at a time, at most 4 queued
import micropython

done = 0


def inner(arg):
    global done
    print("inner", arg)
    done += 1


def outer(arg):
    global done
    micropython.schedule(inner, arg + 1)
    for i in range(2000):
        pass
    print("outer", arg)
    done += 1


micropython.schedule(outer, 1)
while done != 2:
    pass


def fill(arg):
    global done
    try:
        for i in range(10):
            micropython.schedule(lambda x: x, None)
    except RuntimeError as e:
        print("RuntimeError", e)
    done = True


done = False
micropython.schedule(fill, None)
while not done:
    pass
for i in range(20000):  # let the queued lambdas run
    pass


def bad(arg):
    raise ValueError(arg)


done = False
micropython.schedule(bad, 5)
micropython.schedule(lambda x: print("after", x), 6)
for i in range(5000):
    pass
print("end")
