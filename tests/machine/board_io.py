# machine and pyb on the simulated pyboard that `pyrite` carries.
import machine, pyb, time

p = machine.Pin('X1', machine.Pin.OUT)
p.value(1)
print(p.value(), p())
p.off()
print(p.value())
p.toggle()
print(p.value())
print(p)

led = pyb.LED(1)
led.on()
print(led.intensity())
led.off()
print(led.intensity())
try:
    pyb.LED(5)
except ValueError as e:
    print('ValueError', e)

# An input follows its pull when nothing drives it.
b = machine.Pin('Y1', machine.Pin.IN, machine.Pin.PULL_UP)
print(b.value())
b.init(machine.Pin.IN, machine.Pin.PULL_DOWN)
print(b.value())

i2c = machine.I2C(1)
print(i2c.scan())
i2c.writeto_mem(0x42, 2, b'\x10\x20')
print(i2c.readfrom_mem(0x42, 2, 2))
buf = bytearray(2)
i2c.readfrom_mem_into(0x42, 2, buf)
print(buf)
print(i2c.writeto(0x42, b'\x05abc'))
print(i2c.readfrom_mem(0x42, 5, 3))
# The EEPROM takes 16-bit addresses.
i2c.writeto_mem(0x50, 0x0100, b'pyrite', addrsize=16)
time.sleep_ms(5)
print(i2c.readfrom_mem(0x50, 0x0100, 6, addrsize=16))
try:
    i2c.readfrom(0x10, 1)
except OSError as e:
    print('OSError', e)

# pyb.I2C speaks the same bus.
pi2c = pyb.I2C(1, pyb.I2C.CONTROLLER)
print(pi2c.scan())
print(pi2c.is_ready(0x42), pi2c.is_ready(0x11))
print(pi2c.mem_read(2, 0x42, 2))

# A one-shot timer fires while the program sleeps.
fired = []
t = machine.Timer(-1, mode=machine.Timer.ONE_SHOT, period=10, callback=lambda t: fired.append(1))
time.sleep_ms(50)
print(fired)
t.deinit()

print(len(machine.unique_id()), machine.freq() > 0)
print(pyb.millis() >= 0, pyb.elapsed_millis(pyb.millis()) >= 0)
