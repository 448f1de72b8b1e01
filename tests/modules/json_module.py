import json, io
print(json.dumps([1, 2.5, "a\"b\\c\n\x01", None, True, False, (1, 2), {}]))
print(json.dumps({"k": [1, {"n": None}]}))
print(json.dumps({1: 2}), json.dumps(b"xy"))
print(json.dumps([1, {"a": 2}], separators=(",", ":")))
print(json.loads('{"a": [1, 2.5, -3e2, "x\\u00e9\\n", null, true, false]}'))
print(json.loads(b"[1, [2, [3]]]"), json.loads(" 7 "), json.loads('"s"'))
print(json.loads("123456789012345678901234567890"))
for bad in ["", "[1, 2", "[1]]", "{\"a\" [1]}", "nul", "\"abc", "1 2", "{[1]: 2}"]:
    try:
        json.loads(bad)
    except ValueError as e:
        print(repr(bad), e)
s = io.StringIO()
json.dump({"x": [1, 2]}, s)
print(s.getvalue())
print(json.load(io.StringIO('[{"b": 1}]')))
