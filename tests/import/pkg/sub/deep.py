from .. import PKG_NAME
def where():
    return PKG_NAME + ".sub.deep"
