# A big-int power computed in full before the heap budget is checked, then printed: decimal
# conversion is quadratic. Took ~9 s under the sanitizer with a 256 KiB heap (libFuzzer timeout).
print(pow(3, 1000007))
