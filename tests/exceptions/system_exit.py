# SystemExit: sys.exit with a code ends the program with that status, running finally blocks.
import sys
try:
    sys.exit(0)
except SystemExit as e:
    print("caught SystemExit", e.args)
try:
    raise SystemExit("message")
except SystemExit as e:
    print("caught", e.args)
try:
    print("exiting with 3")
    sys.exit(3)
finally:
    print("finally runs")
print("not reached")
