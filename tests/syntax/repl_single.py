# compile(..., "single") takes one statement: a second one on a later line is a SyntaxError,
# simple statements sharing the first line are fine.
for src in ("a = 1; b = 2\n", "if 1:\n    x = 1\ny = 2\n", "for i in range(2):\n    pass\n"):
    try:
        compile(src, "<stdin>", "single")
        print("ok")
    except SyntaxError:
        print("SyntaxError")
