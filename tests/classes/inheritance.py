# Single and multiple inheritance, method resolution order, super(), isinstance/issubclass.
class Animal:
    def __init__(self, name):
        self.name = name
    def speak(self):
        return self.name + " makes a sound"
    def kind(self):
        return "animal"
class Dog(Animal):
    def __init__(self, name, breed):
        super().__init__(name)
        self.breed = breed
    def speak(self):
        return super().speak() + " (woof)"
d = Dog("Rex", "lab")
print(d.speak(), d.kind(), d.breed, isinstance(d, Animal), issubclass(Dog, Animal), issubclass(Animal, Dog))
class A:
    def who(self):
        return "A"
    def chain(self):
        return ["A"]
class B(A):
    def who(self):
        return "B"
    def chain(self):
        return ["B"] + super().chain()
class Mixin:
    def who(self):
        return "Mixin"
    def extra(self):
        return "extra"
class D(B, Mixin):
    def chain(self):
        return ["D"] + super().chain()
print(D().who(), D().chain(), D().extra())
print(isinstance(D(), Mixin), issubclass(D, (int, A)), issubclass(B, Mixin))
class Base:
    count = 0
    @classmethod
    def make(cls):
        cls.count += 1
        return cls()
class Derived(Base):
    pass
print(type(Derived.make()).__name__, Derived.count, Base.count)
class MyList(list):
    def total(self):
        return sum(self)
ml = MyList([1, 2, 3])
ml.append(4)
print(ml.total(), len(ml), isinstance(ml, list))
class MyErr(ValueError):
    pass
try:
    raise MyErr("custom")
except ValueError as e:
    print("caught", type(e).__name__, e)
