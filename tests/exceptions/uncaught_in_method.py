# A traceback through a method, a lambda and a generator; output printed before it stays.
class Service:
    def handle(self, items):
        return [self.convert(i) for i in items]
    def convert(self, item):
        return (lambda v: 100 // v)(item)
def gen():
    yield from (Service().handle([1, 0]))
print("start")
for x in gen():
    print(x)
