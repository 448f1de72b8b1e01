# raise ... from raises the new exception; the cause is not printed (no chaining warning either).
class ConfigError(Exception):
    pass
def load():
    try:
        int("not a number")
    except ValueError as e:
        raise ConfigError("bad config") from e
try:
    load()
except ConfigError as e:
    print(type(e).__name__, e.args)
try:
    raise RuntimeError("outer") from None
except RuntimeError as e:
    print("from None:", e)
def wrap():
    try:
        {}["missing"]
    except KeyError:
        raise ValueError("converted")
try:
    wrap()
except ValueError as e:
    print("converted:", e)
