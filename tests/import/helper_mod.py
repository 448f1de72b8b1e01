# A plain module imported by the import tests (not a test itself: it has no .exp).
print("helper_mod loading")
VALUE = 42
_private = "hidden"
def greet(name):
    return "hello " + name
class Thing:
    kind = "thing"
