# The built-in exception hierarchy as MicroPython has it; user exception classes.
pairs = [
    (ZeroDivisionError, ArithmeticError), (OverflowError, ArithmeticError),
    (KeyError, LookupError), (IndexError, LookupError), (LookupError, Exception),
    (UnicodeError, ValueError), (NotImplementedError, RuntimeError), (RecursionError if False else RuntimeError, Exception),
    (StopIteration, Exception), (GeneratorExit, BaseException), (KeyboardInterrupt, BaseException),
    (SystemExit, BaseException), (Exception, BaseException), (AssertionError, Exception),
    (AttributeError, Exception), (ImportError, Exception), (MemoryError, Exception),
    (NameError, Exception), (OSError, Exception), (SyntaxError, Exception), (IndentationError, SyntaxError),
    (TypeError, Exception), (ValueError, Exception), (EOFError, Exception),
    (KeyboardInterrupt, Exception), (SystemExit, Exception), (GeneratorExit, Exception),
]
for sub, base in pairs:
    print(sub.__name__, base.__name__, issubclass(sub, base))
class AppError(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code
class NetError(AppError):
    pass
try:
    raise NetError(503, "unavailable")
except AppError as e:
    print(type(e).__name__, e.code, e.args, str(e), isinstance(e, Exception))
print(repr(ValueError()), str(ValueError("m")), ValueError(1, 2).args)
