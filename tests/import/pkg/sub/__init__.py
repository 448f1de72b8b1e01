from ..mod_b import b as parent_b
SUB = "sub:" + parent_b()
