# finally runs on return, break, continue and exceptions; a return in finally wins.
def f():
    try:
        return "from try"
    finally:
        print("finally on return")
print(f())
def g():
    try:
        raise ValueError
    finally:
        return "finally swallowed the exception"
print(g())
for i in range(3):
    try:
        if i == 0:
            continue
        if i == 2:
            break
        print("body", i)
    finally:
        print("finally", i)
def nested():
    try:
        try:
            raise KeyError("k")
        finally:
            print("inner finally")
    except KeyError:
        print("outer except")
        return 1
    finally:
        print("outer finally")
print(nested())
def counter():
    n = 0
    while True:
        try:
            n += 1
            if n == 3:
                return n
        finally:
            print("loop finally", n)
print(counter())
