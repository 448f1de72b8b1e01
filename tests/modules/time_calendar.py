# gmtime, mktime and their range (the unix port's epoch: 1970-01-01 UTC).
import time

for t in (0, -1, 86399, 951782400, 1000000000, 4102444800, -62167219200, 2**40, 1.9, -1.9):
    print(t, time.gmtime(t)[:8])

for d in (
    (1970, 1, 1, 0, 0, 0, 0, 0),
    (2000, 1, 1, 0, 0, 0, 0, 0),
    (2000, 2, 29, 12, 30, 45, 0, 0, -1),
    (2020, 14, 35, 25, 61, 61, 0, 0),
    (2021, 0, 0, -1, -1, -1, 0, 0),
    (1900, 3, 1, 0, 0, 0, 0, 0),
    [2024, 12, 31, 23, 59, 59, 0, 0],
):
    print(d, time.gmtime(time.mktime(d))[:8] if time.mktime(d) != -1 else None, time.mktime(d))

# every day of a leap cycle round-trips
t = 946684800
for i in range(4 * 366):
    d = time.gmtime(t)
    assert time.mktime(d) == t, d
    t += 86400 + 3607
print("round trip ok")

for bad in ((1, 2, 3), (2000, 1, 1, 0, 0, 0, 0, 0, 0, 0)):
    try:
        time.mktime(bad)
    except TypeError as e:
        print("TypeError", e)
print(type(time.localtime()), len(time.gmtime()) >= 8)
