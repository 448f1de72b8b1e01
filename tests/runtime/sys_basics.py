# The sys module's basics.
import sys
print(sys.argv, sys.implementation.name, type(sys.version).__name__)
print(sys.version_info[0], sys.version_info[0] == 3, len(sys.version_info) >= 3)
print(sys.byteorder, sys.maxsize > 2 ** 30, type(sys.maxsize).__name__)
print(isinstance(sys.path, list), isinstance(sys.modules, dict), "sys_basics" in sys.modules)
print(type(sys.platform).__name__, hasattr(sys.stdout, "write"), hasattr(sys.stdin, "read"))
try:
    raise ValueError("printed by print_exception")
except ValueError as e:
    sys.print_exception(e)
sys.stderr.write("stderr ok\n")
