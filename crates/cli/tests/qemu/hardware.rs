//! The pyboard's hardware as far as QEMU's netduinoplus2 shows it: it models no GPIO and no
//! I2C (their registers read 0 and ignore writes), so these tests check that every pin, LED,
//! bus and UART the pyboard has is there under its name, keeps its state in the board, and
//! answers at once (an I2C transfer times out instead of hanging); that names the board lacks
//! are `ValueError`s; and the SPI controllers and the ADC, which QEMU does model.

use crate::{image, Qemu};

/// Runs `code` in the raw REPL and returns its output, failing on a traceback.
fn run(c: &mut crate::support::Conn, code: &str) -> String {
    let (out, err) = c.exec(code);
    assert_eq!(err, "", "{code}\n-> {out}");
    out
}

/// The header pins of the pyboard v1.1 and their CPU names.
const PINS: &str = "\
names = ['X%d' % i for i in list(range(1, 13)) + list(range(17, 23))]
names += ['Y%d' % i for i in range(1, 13)]
cpu = ['A0', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'B6', 'B7', 'C4', 'C5', 'B3', 'C13',
       'C0', 'C1', 'C2', 'C3', 'C6', 'C7', 'B8', 'B9', 'B12', 'B13', 'B14', 'B15', 'B10',
       'B11', 'B0', 'B1']
";

#[test]
fn pins_leds_and_switch() {
    let Some(image) = image("PYRITE_QEMU_IMAGE") else {
        return;
    };
    let (_qemu, mut c) = Qemu::boot(&image);
    c.raw();
    run(&mut c, PINS);
    // The USR switch (`X17`) is released: its pull-up holds the line high.
    let out = run(
        &mut c,
        "import pyb\nfrom machine import Pin\nsw = pyb.Switch()\nprint(sw(), sw.value(), Pin('SW').value())",
    );
    assert_eq!(out, "False False 1\r\n");
    // Every header pin drives what it is told, by its board name and its CPU name.
    let out = run(
        &mut c,
        "from machine import Pin
ok = 0
for n, a in zip(names, cpu):
    p = Pin(n, Pin.OUT)
    p.value(1)
    q = Pin(a)
    if p.value() == 1 and q.value() == 1 and repr(q).startswith('Pin(' + n):
        p.off()
        ok += p.value() == 0
print(ok, len(names))",
    );
    assert_eq!(out, "30 30\r\n");
    // Inputs with pulls, open drain (QEMU's lines read what the pull makes of them), irq.
    let out = run(
        &mut c,
        "p = Pin('Y3', Pin.IN, Pin.PULL_UP)
d = Pin('Y4', Pin.IN, Pin.PULL_DOWN)
print(p.value(), d.value())
o = Pin('Y5', Pin.OPEN_DRAIN, Pin.PULL_UP)
o.value(0); a = o.value(); o.value(1)
print(a, o.value())
p.irq(lambda p: None, Pin.IRQ_FALLING)
p.irq(None)
print('irq ok')",
    );
    assert_eq!(out, "1 0\r\n0 1\r\nirq ok\r\n");
    // The LEDs keep their state; LED(1) is the red LED's pin.
    let out = run(
        &mut c,
        "import pyb
r = []
for i in range(1, 5):
    l = pyb.LED(i)
    l.on(); r.append(l.intensity())
    l.toggle(); r.append(l.intensity())
    l.toggle(); r.append(l.intensity())
    l.intensity(0); r.append(l.intensity())
print(r == [255, 0, 255, 0] * 4)
pyb.LED(1).on()
print(Pin('LED_RED').value(), Pin('A13').value())
pyb.LED(1).off()
print(Pin('LED_RED').value())",
    );
    assert_eq!(out, "True\r\n1 1\r\n0\r\n");
    // Names the pyboard lacks.
    let out = run(
        &mut c,
        "for f in (lambda: Pin('X13'), lambda: Pin('Z1'), lambda: Pin('A11'), lambda: pyb.LED(5)):
    try:
        f()
    except ValueError:
        print('ValueError')",
    );
    assert_eq!(out, "ValueError\r\n".repeat(4));
}

#[test]
fn buses_adc_and_timers() {
    let Some(image) = image("PYRITE_QEMU_IMAGE") else {
        return;
    };
    let (_qemu, mut c) = Qemu::boot(&image);
    c.raw();
    // I2C: QEMU's controllers never raise a flag, so a scan finds nobody and a transfer
    // times out, on both buses and through both APIs.
    let out = run(
        &mut c,
        "import machine, pyb, errno
from machine import I2C
for bus in (I2C(1), I2C(2, freq=400000), pyb.I2C(1, pyb.I2C.CONTROLLER)):
    print(bus.scan())
i = I2C(1)
for f in (lambda: i.readfrom(0x3c, 2), lambda: i.writeto(0x3c, b'ab'),
          lambda: i.readfrom_mem(0x50, 0, 1), lambda: i.writeto_mem(0x50, 0, b'x')):
    try:
        f()
    except OSError as e:
        print(e.errno == errno.ETIMEDOUT)",
    );
    assert_eq!(out, "[]\r\n[]\r\n[]\r\nTrue\r\nTrue\r\nTrue\r\nTrue\r\n");
    // UARTs 2, 3 and 6 (UART 1 is the REPL's under QEMU); QEMU's USARTs take what is written.
    let out = run(
        &mut c,
        "from machine import UART
for n in (2, 3, 6):
    u = UART(n, 9600)
    print(u.write(b'hello'), u.any(), u.read())
for n in (1, 4, 7):
    try:
        UART(n, 9600)
    except ValueError:
        print('ValueError')
for n in (0, 3):
    try:
        I2C(n)
    except ValueError:
        print('ValueError')",
    );
    assert_eq!(out, "5 0 None\r\n".repeat(3) + &"ValueError\r\n".repeat(5));
    // The ADC on its pins, 16-bit through machine and 12-bit through pyb; a pin without a
    // channel is a ValueError.
    let out = run(
        &mut c,
        "from machine import ADC, Pin
v = [ADC(Pin(n)).read_u16() for n in ('X1', 'X8', 'X11', 'X19', 'Y11', 'Y12')]
print(all(0 <= x <= 65535 for x in v), len(v))
w = pyb.ADC('X2').read()
print(0 <= w <= 4095)
try:
    ADC(Pin('X9'))
except ValueError:
    print('ValueError')",
    );
    assert_eq!(out, "True 6\r\nTrue\r\nValueError\r\n");
    // pyb's clock and machine's soft timers run on the board's SysTick.
    let out = run(
        &mut c,
        "import time
t0 = pyb.millis(); u0 = pyb.micros()
pyb.delay(50)
print(pyb.elapsed_millis(t0) >= 50, pyb.elapsed_micros(u0) >= 50000)
fired = []
t = machine.Timer(-1, mode=machine.Timer.PERIODIC, period=10, callback=lambda t: fired.append(1))
time.sleep_ms(200)
t.deinit()
n = len(fired)
time.sleep_ms(50)
print(n > 2, len(fired) == n)",
    );
    assert_eq!(out, "True True\r\nTrue True\r\n");
}

#[test]
fn spi() {
    let Some(image) = image("PYRITE_QEMU_IMAGE") else {
        return;
    };
    let (_qemu, mut c) = Qemu::boot(&image);
    c.raw();
    // SPI 1 and 2: QEMU models the controllers with nothing on their buses, so every
    // transfer finishes at once (what comes back is QEMU's), through every method, after
    // `init` with other settings and after `deinit`.
    let out = run(
        &mut c,
        "from machine import SPI
for n in (1, 2):
    s = SPI(n, baudrate=1_000_000)
    print(s.write(b'abc'))
    r = s.read(4)
    print(type(r).__name__, len(r), len(s.read(3, 0xff)))
    b = bytearray(3)
    print(s.write_readinto(b'xyz', b), s.readinto(b), len(b))
    s.init(baudrate=328_125, polarity=1, phase=1, firstbit=SPI.LSB)
    s.write(bytes(range(256)) * 4)
    print(len(s.read(2)))
    s.deinit()
    s.init(baudrate=20_000_000)
    s.write(b'again')
    s.deinit()
print('done')",
    );
    assert_eq!(
        out,
        "None\r\nbytes 4 3\r\nNone None 3\r\n2\r\n".repeat(2) + "done\r\n"
    );
    // Buses the pyboard lacks.
    let out = run(
        &mut c,
        "from machine import SPI
for n in (0, 3):
    try:
        SPI(n)
    except ValueError as e:
        print(e)",
    );
    assert_eq!(out, "SPI(0) doesn't exist\r\nSPI(3) doesn't exist\r\n");
}
