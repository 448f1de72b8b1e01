# A syntax error in the main file is reported with its line, and nothing runs.
print("this line never runs")
def broken(:
    pass
