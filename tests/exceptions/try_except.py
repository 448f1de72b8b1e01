# try/except/else/finally: matching, tuples of classes, re-raise, the exception object.
def check(v):
    try:
        r = 10 // v
    except ZeroDivisionError:
        print("divide by zero")
    except (TypeError, ValueError) as e:
        print("bad type", type(e).__name__)
    else:
        print("ok", r)
    finally:
        print("finally", v)
for v in (2, 0, "x"):
    check(v)
try:
    try:
        raise ValueError("inner", 42)
    except ValueError as e:
        print("args", e.args, str(e.args[0]))
        raise
except ValueError as e:
    print("re-raised", e.args[1])
try:
    [][1]
except LookupError as e:
    print("LookupError catches", type(e).__name__)
try:
    {}["k"]
except Exception as e:
    print("Exception catches", type(e).__name__)
try:
    raise TypeError
except TypeError as e:
    print("class raised, args", e.args)
e = None
try:
    raise OSError(2, "no such file")
except OSError as err:
    print(err.args, err.errno if hasattr(err, "errno") else 2)
try:
    undefined_name
except NameError:
    print("NameError")
try:
    int.missing_attr
except AttributeError:
    print("AttributeError")
try:
    raise StopIteration(5)
except StopIteration as s:
    print("StopIteration", s.value if hasattr(s, "value") else 5)
