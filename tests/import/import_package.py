# Packages: __init__, submodules, relative imports, nested packages.
import pkg
print(pkg.PKG_NAME)
import pkg.mod_a
print(pkg.mod_a.a())
from pkg.sub import SUB
print(SUB)
from pkg.sub.deep import where
print(where())
import pkg.sub.deep as deep
print(deep.where() == where(), deep.__name__)
from pkg import mod_b
print(mod_b.b(), pkg.mod_b is mod_b)
