# Importing a module from a file: import, from-import, aliases, caching in sys.modules.
import sys
import helper_mod
print(helper_mod.VALUE, helper_mod.greet("world"), helper_mod.Thing.kind, helper_mod.__name__)
import helper_mod as hm
print(hm is helper_mod, "helper_mod" in sys.modules)
from helper_mod import greet, VALUE as V
print(greet("again"), V)
from helper_mod import *
print(Thing().kind, "_private" in dir())
try:
    import no_such_module_here
except ImportError as e:
    print("ImportError", isinstance(e, ImportError))
try:
    from helper_mod import missing_name
except ImportError:
    print("ImportError for missing name")
