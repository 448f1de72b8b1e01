//! The pyboard's hardware as far as QEMU's netduinoplus2 shows it: it models no GPIO and no
//! I2C (their registers read 0 and ignore writes), so these tests check that every pin, LED,
//! bus and UART the pyboard has is there under its name, keeps its state in the board, and
//! answers at once (an I2C transfer times out instead of hanging); that names the board lacks
//! are `ValueError`s; and the SPI controllers and the ADC, which QEMU does model.
//!
//! Two windows QEMU opens onto what it does not model are used as well: its monitor reads the
//! timers' registers (TIM2-5 are modelled), which shows what `machine.PWM` and the dimmed
//! LEDs programmed; and its log of writes to unmodelled devices (`-d unimp`) lists every
//! write to the GPIO's BSRR, from which the tests decode the bit-banged I2C and SPI waveforms.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use crate::{image, Qemu, BANNER};

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

/// A free TCP port on the loopback.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free TCP port")
}

/// QEMU's human monitor on a TCP port: reads words of the guest's physical address space,
/// device registers included.
struct Monitor(TcpStream);

impl Monitor {
    /// Boots `image` with its monitor on a free port: the board (its raw REPL entered) and
    /// the monitor.
    fn boot(image: &std::path::Path) -> (Qemu, crate::support::Conn, Monitor) {
        let port = free_port();
        let monitor = format!("tcp:127.0.0.1:{port},server=on,wait=off");
        let (qemu, mut c) = Qemu::boot_with(image, &["-monitor", &monitor], BANNER);
        let m = Monitor::connect(port);
        c.raw();
        (qemu, c, m)
    }

    fn connect(port: u16) -> Monitor {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(s) = TcpStream::connect(("127.0.0.1", port)) {
                s.set_read_timeout(Some(Duration::from_millis(100)))
                    .unwrap();
                return Monitor(s);
            }
            assert!(Instant::now() < deadline, "no monitor on port {port}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The 32-bit word at `addr`.
    fn word(&mut self, addr: u32) -> u32 {
        self.0
            .write_all(format!("xp /1wx {addr:#x}\n").as_bytes())
            .unwrap();
        // The answer is `<16 hex digits of the address>: 0x<8 hex digits>`.
        let marker = format!("{addr:016x}: 0x");
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut text = String::new();
        let mut buf = [0u8; 1024];
        loop {
            if let Some(at) = text.find(&marker) {
                if let Some(hex) = text.get(at + marker.len()..at + marker.len() + 8) {
                    return u32::from_str_radix(hex, 16).expect("a hex word");
                }
            }
            assert!(Instant::now() < deadline, "no answer to xp: {text:?}");
            if let Ok(n) = self.0.read(&mut buf) {
                text.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        }
    }
}

/// A timer's registers, at its base address.
#[derive(Clone, Copy)]
struct Tim(u32);

/// TIM2-5, which QEMU models; `X1`-`X4` are on TIM5, LED 3 on TIM2, `Y11` and LED 4 on TIM3,
/// `X9` on TIM4 (for `machine.PWM`).
const TIM2: Tim = Tim(0x4000_0000);
const TIM3: Tim = Tim(0x4000_0400);
const TIM4: Tim = Tim(0x4000_0800);
const TIM5: Tim = Tim(0x4000_0C00);

/// The timers' clock under QEMU: the reset-default 16 MHz HSI (APB prescalers 1).
const TIMER_HZ: u32 = 16_000_000;

impl Tim {
    fn cr1(self, m: &mut Monitor) -> u32 {
        m.word(self.0)
    }
    fn dier(self, m: &mut Monitor) -> u32 {
        m.word(self.0 + 0x0C)
    }
    fn ccmr1(self, m: &mut Monitor) -> u32 {
        m.word(self.0 + 0x18)
    }
    fn ccmr2(self, m: &mut Monitor) -> u32 {
        m.word(self.0 + 0x1C)
    }
    fn ccer(self, m: &mut Monitor) -> u32 {
        m.word(self.0 + 0x20)
    }
    fn psc(self, m: &mut Monitor) -> u32 {
        m.word(self.0 + 0x28)
    }
    fn arr(self, m: &mut Monitor) -> u32 {
        m.word(self.0 + 0x2C)
    }
    /// CCR of channel `ch` (1-4).
    fn ccr(self, m: &mut Monitor, ch: u32) -> u32 {
        m.word(self.0 + 0x30 + 4 * ch)
    }
}

/// The compare value for `duty`/65535 of a period of `period` counts, as the firmware rounds.
fn compare(duty: u64, period: u64) -> u32 {
    ((duty * period + 32767) / 65535) as u32
}

#[test]
fn pwm_and_led_intensity() {
    let Some(image) = image("PYRITE_QEMU_IMAGE") else {
        return;
    };
    let (_qemu, mut c, mut m) = Monitor::boot(&image);
    // Every pin with a timer channel takes a PWM and reads its settings back; the others are
    // MicroPython's ValueError.
    let out = run(
        &mut c,
        "from machine import PWM, Pin
import pyb
ok = 0
good = ('X1', 'X2', 'X3', 'X4', 'X6', 'X7', 'X8', 'X9', 'X10', 'X17', 'Y1', 'Y2', 'Y3', 'Y4',
        'Y7', 'Y8', 'Y9', 'Y10', 'Y11', 'Y12', 'LED_YELLOW', 'LED_BLUE')
for name in good:
    p = PWM(Pin(name), freq=2000, duty_u16=1000)
    p.duty_u16(40000)
    ok += (p.freq(), p.duty_u16()) == (2000, 40000)
    p.deinit()
print(ok, len(good))
for name in ('X5', 'X11', 'X12', 'X18', 'X19', 'X20', 'X21', 'X22', 'Y5', 'Y6', 'LED_RED'):
    try:
        PWM(name, freq=1000)
    except ValueError as e:
        print(e)",
    );
    let mut expected = String::from("22 22\r\n");
    for name in [
        "X5", "X11", "X12", "X18", "X19", "X20", "X21", "X22", "Y5", "Y6", "LED_RED",
    ] {
        expected += &format!("Pin({name}) doesn't have PWM capabilities\r\n");
    }
    assert_eq!(out, expected);
    // Every channel stopped: the timers too.
    for tim in [TIM2, TIM3, TIM5] {
        assert_eq!((tim.ccer(&mut m), tim.cr1(&mut m) & 1), (0, 0));
    }

    // X1 and X2 share TIM5, a 32-bit timer: prescaler 1, period clock / freq.
    let out = run(
        &mut c,
        "p = PWM('X1', freq=1000, duty_u16=32768)
q = PWM('X2', freq=1000, duty_u16=16384)
for f in (lambda: p.freq(100_000_000), lambda: p.freq(0), lambda: p.duty_u16(65536)):
    try:
        f()
    except ValueError as e:
        print(e)
print(p.freq(), p.duty_u16(), q.freq(), q.duty_u16())",
    );
    assert_eq!(
        out,
        "freq too large\r\nfreq must be positive\r\nduty_u16 must be from 0 to 65535\r\n\
         1000 32768 1000 16384\r\n"
    );
    let period = u64::from(TIMER_HZ / 1000);
    assert_eq!(TIM5.psc(&mut m), 0);
    assert_eq!(u64::from(TIM5.arr(&mut m)), period - 1);
    assert_eq!(TIM5.ccr(&mut m, 1), compare(32768, period));
    assert_eq!(TIM5.ccr(&mut m, 2), compare(16384, period));
    assert_eq!(TIM5.ccer(&mut m), 0b1_0001, "CC1E and CC2E");
    assert_eq!(TIM5.cr1(&mut m), 0x81, "ARPE and CEN");
    // A new frequency on one channel is the timer's: the other's duty follows the period.
    run(&mut c, "p.freq(500)");
    let period = u64::from(TIMER_HZ / 500);
    assert_eq!(u64::from(TIM5.arr(&mut m)), period - 1);
    assert_eq!(TIM5.ccr(&mut m, 1), compare(32768, period));
    assert_eq!(TIM5.ccr(&mut m, 2), compare(16384, period));
    run(&mut c, "p.duty_u16(65535); p.init(invert=True)");
    assert_eq!(TIM5.ccr(&mut m, 1), 0, "inverted full duty");
    run(&mut c, "p.deinit()");
    assert_eq!((TIM5.ccer(&mut m), TIM5.cr1(&mut m) & 1), (0b1_0000, 1));
    run(&mut c, "q.deinit()");
    assert_eq!((TIM5.ccer(&mut m), TIM5.cr1(&mut m) & 1), (0, 0));

    // Y11 on TIM3, a 16-bit timer: 100 Hz takes a prescaler of 5 (160000 counts do not fit).
    run(&mut c, "y = PWM('Y11', freq=100, duty_u16=65535)");
    assert_eq!((TIM3.psc(&mut m), TIM3.arr(&mut m)), (4, 31_999));
    assert_eq!(TIM3.ccr(&mut m, 3), 32_000, "full duty");
    assert_eq!(TIM3.ccer(&mut m), 1 << 8, "CC3E");

    // LEDs 3 and 4 dim on TIM2_CH1 and TIM3_CH1: 100 Hz on an idle timer, the running
    // timer's frequency otherwise; 0 and 255 are the pin's level. LEDs 1 and 2 are on or off.
    let out = run(
        &mut c,
        "l3, l4 = pyb.LED(3), pyb.LED(4)
l3.intensity(128); l4.intensity(1)
print(l3.intensity(), l4.intensity())",
    );
    assert_eq!(out, "128 1\r\n");
    let period = u64::from(TIMER_HZ / 100);
    assert_eq!(
        (TIM2.psc(&mut m), u64::from(TIM2.arr(&mut m))),
        (0, period - 1)
    );
    assert_eq!(TIM2.ccr(&mut m, 1), compare(128 * 257, period));
    assert_eq!(TIM3.ccr(&mut m, 1), compare(257, 32_000));
    assert_eq!(TIM3.ccer(&mut m), 1 << 8 | 1, "CC3E and CC1E");
    let out = run(
        &mut c,
        "l4.intensity(255); r = [l4.intensity()]
l4.toggle(); r.append(l4.intensity())
l1 = pyb.LED(1); l1.intensity(100); r.append(l1.intensity())
l3.intensity(300); r.append(l3.intensity())
l3.intensity(50); r.append(l3.intensity())
print(r)",
    );
    assert_eq!(out, "[255, 0, 255, 255, 50]\r\n");
    assert_eq!(TIM3.ccer(&mut m), 1 << 8, "LED 4 off its channel");
    // X6 shares TIM2_CH1 with LED 3: the last to start has it, the LED goes dark.
    let out = run(
        &mut c,
        "x6 = PWM('X6', freq=1000, duty_u16=4096)
print(l3.intensity())
x6.deinit(); y.deinit()",
    );
    assert_eq!(out, "0\r\n");
    for tim in [TIM2, TIM3] {
        assert_eq!((tim.ccer(&mut m), tim.cr1(&mut m) & 1), (0, 0));
    }
}

#[test]
fn machine_pwm_follows_pyb_timer() {
    let Some(image) = image("PYRITE_QEMU_IMAGE") else {
        return;
    };
    let (_qemu, mut c, mut m) = Monitor::boot(&image);
    // X1 and X2 are TIM5_CH1 and TIM5_CH2, and `pyb.Timer(5)` is the same timer: PWM.freq()
    // reads the frequency the timer makes, whoever set its time base, and a new duty keeps it.
    let out = run(
        &mut c,
        "from machine import PWM, Pin
from pyb import Timer
p = PWM(Pin('X1'), freq=1000, duty_u16=16384)
t = Timer(5)
print(p.freq(), t.freq())
t.init(freq=500)
print(p.freq(), p.duty_u16())
p.duty_u16(32768)
print(p.freq(), t.freq())",
    );
    assert_eq!(out, "1000 1000\r\n500 16384\r\n500 500\r\n");
    let period = u64::from(TIMER_HZ / 500);
    assert_eq!(
        (TIM5.psc(&mut m), u64::from(TIM5.arr(&mut m))),
        (0, period - 1)
    );
    assert_eq!(TIM5.ccr(&mut m, 1), compare(32768, period));
    // A time base machine.PWM would not choose (prescaler 4, not 1) stays as pyb.Timer set
    // it: a PWM asking for the frequency it makes already, `init`, `duty_u16` and `duty_ns`
    // (which converts at the timer's frequency) change only their compare values.
    let out = run(
        &mut c,
        "t.init(prescaler=3, period=9999)
q = PWM('X2', freq=400, duty_u16=8192)
p.init(duty_u16=49152)
print(p.freq(), q.freq(), q.duty_ns(), t.prescaler(), t.period())
t.period(19999)
p.duty_ns(1_250_000)
print(p.freq(), p.duty_u16(), t.prescaler(), t.period())",
    );
    assert_eq!(out, "400 400 312500 3 9999\r\n200 16384 3 19999\r\n");
    assert_eq!((TIM5.psc(&mut m), TIM5.arr(&mut m)), (3, 19_999));
    assert_eq!(TIM5.ccr(&mut m, 1), compare(16384, 20_000));
    assert_eq!(TIM5.ccr(&mut m, 2), compare(8192, 20_000));
    assert_eq!(TIM5.ccer(&mut m), 0b1_0001, "CC1E and CC2E");
    // A new frequency from machine.PWM is the whole timer's, MicroPython's time base for it.
    let out = run(
        &mut c,
        "q.freq(1000)
print(p.freq(), t.freq(), t.prescaler(), t.period())
t.deinit()",
    );
    let period = u64::from(TIMER_HZ / 1000);
    assert_eq!(out, format!("1000 1000 0 {}\r\n", period - 1));
    assert_eq!(TIM5.ccr(&mut m, 1), compare(16384, period));
    assert_eq!(TIM5.ccr(&mut m, 2), compare(8192, period));
    assert_eq!((TIM5.ccer(&mut m), TIM5.cr1(&mut m) & 1), (0, 0));
}

#[test]
fn pyb_timer_on_hardware() {
    let Some(image) = image("PYRITE_QEMU_IMAGE") else {
        return;
    };
    let (_qemu, mut c, mut m) = Monitor::boot(&image);
    // Timer 2, a 32-bit timer: MicroPython's prescaler and period for 1 kHz from the timer
    // clock, in the registers and read back. QEMU's model counts at a clock of its own and
    // never wraps, so of the counter only that it moves is checked.
    //
    // QEMU's model interrupts first after as long as the board had been up when the timer was
    // set, and then about as often, but only if the interrupt is on by the first time: the
    // callback is given at once, and waited for (up to 30 s).
    let out = run(
        &mut c,
        "import pyb, time
from pyb import Timer, Pin
def wait(cond):
    for _ in range(3000):
        if cond():
            break
        time.sleep_ms(10)
n = [0]
def count(t):
    n[0] += 1
t = Timer(2, freq=1000, callback=count)
c0 = t.counter()
time.sleep_ms(5)
print(t)
print(t.counter() != c0, t.source_freq(), t.freq(), t.prescaler(), t.period())",
    );
    let period = TIMER_HZ / 1000 - 1;
    assert_eq!(
        out,
        format!(
            "Timer(2, freq=1000, prescaler=0, period={period}, mode=UP, div=1)\r\n\
             True {TIMER_HZ} 1000 0 {period}\r\n"
        )
    );
    assert_eq!((TIM2.psc(&mut m), TIM2.arr(&mut m)), (0, period));
    assert_eq!(
        (TIM2.cr1(&mut m) & 1, TIM2.dier(&mut m)),
        (1, 1),
        "CEN, UIE"
    );
    // The update interrupt calls the callback between bytecodes: it runs, and not wildly
    // often (QEMU's rate has little to do with the period).
    let out = run(
        &mut c,
        "wait(lambda: n[0] > 0)
print(0 < n[0] < 5000)",
    );
    assert_eq!(out, "True\r\n");
    // deinit stops the counter, the interrupt and the calls.
    let out = run(
        &mut c,
        "t.deinit()
k = n[0]
time.sleep_ms(100)
print(n[0] == k, t)",
    );
    assert_eq!(out, "True Timer(2)\r\n");
    assert_eq!((TIM2.cr1(&mut m) & 1, TIM2.dier(&mut m)), (0, 0));
    // An exception in a (hard) callback is printed as MicroPython prints it and turns the
    // interrupt off; the timer goes on counting.
    let out = run(
        &mut c,
        "def bad(t):
    n[0] += 1
    raise ValueError('boom')
n[0] = 0
t.init(freq=1000, callback=bad)
wait(lambda: n[0] > 0)
time.sleep_ms(100)
print(n[0])",
    );
    assert_eq!(
        out,
        "Uncaught exception in IRQ callback handler\r\nTraceback (most recent call last):\r\n\
         \x20 File \"<stdin>\", line 3, in bad\r\nValueError: boom\r\n1\r\n"
    );
    assert_eq!((TIM2.cr1(&mut m) & 1, TIM2.dier(&mut m)), (1, 0));

    // Channels in PWM mode: the compare register is the pulse width (in counts, or a
    // percentage of the period); PWM_INVERTED is PWM mode 2. X1 is TIM2_CH1.
    let out = run(
        &mut c,
        "ch = t.channel(1, Timer.PWM, pin=Pin('X1'), pulse_width=1234)
print(ch, ch.pulse_width(), t.channel(1) is ch, t.channel(2))
ch.pulse_width_percent(50)
print(ch.pulse_width(), ch.pulse_width_percent(), ch.compare(), ch.capture())
c2 = t.channel(2, Timer.PWM_INVERTED, pulse_width_percent=25.0)
print(c2, c2.pulse_width())",
    );
    assert_eq!(
        out,
        "TimerChannel(timer=2, channel=1, mode=PWM) 1234 True None\r\n\
         8000 50.0 8000 8000\r\n\
         TimerChannel(timer=2, channel=2, mode=PWM_INVERTED) 4000\r\n"
    );
    assert_eq!((TIM2.ccr(&mut m, 1), TIM2.ccr(&mut m, 2)), (8000, 4000));
    assert_eq!(
        TIM2.ccmr1(&mut m),
        0x7868,
        "OC1M PWM 1, OC2M PWM 2, both preloaded"
    );
    assert_eq!(TIM2.ccer(&mut m), 0b1_0001, "CC1E and CC2E");
    // A channel the timer lacks, a bad polarity, an encoder on a timer without one, a pin
    // without that output: errors.
    let out = run(
        &mut c,
        "for f in (lambda: t.channel(5, Timer.PWM), lambda: Timer(9).channel(3, Timer.PWM),
          lambda: Timer(6).channel(1, Timer.PWM), lambda: t.channel(1, 99),
          lambda: t.channel(1, Timer.IC, polarity=1), lambda: Timer(9).channel(1, Timer.ENC_A),
          lambda: t.channel(1, Timer.OC_TOGGLE, polarity=Timer.BOTH),
          lambda: t.channel(1, Timer.PWM, pin=Pin('Y1')),
          lambda: t.channel(1, Timer.PWM, pin=Pin('X2')), lambda: t.channel(1, Timer.PWM, pin=5),
          lambda: t.channel(1, Timer.PWM, callback=5), lambda: ch.callback(5),
          lambda: Timer(15), lambda: Timer(2, freq=0)):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
print(ch.pulse_width(), ch.callback(None))",
    );
    assert_eq!(
        out,
        "ValueError invalid channel (5)\r\nValueError invalid channel (3)\r\n\
         ValueError invalid channel (1)\r\nValueError invalid mode (99)\r\n\
         ValueError invalid polarity (1)\r\nValueError encoder not supported on timer 9\r\n\
         ValueError invalid polarity (10)\r\n\
         ValueError Pin(Y1) doesn't have an alt for Timer(2)\r\n\
         ValueError Pin(X2) doesn't have an alt for Timer(2) channel 1\r\n\
         ValueError pin argument needs to be a Pin type\r\n\
         ValueError callback must be None or a callable object\r\n\
         ValueError callback must be None or a callable object\r\n\
         ValueError Timer(15) doesn't exist\r\nValueError must have positive freq\r\n\
         8000 None\r\n"
    );

    // Output compare on channels 3 and 4 (X3, X4): OC3M toggle, OC4M forced active, neither
    // preloaded; LOW is CC3P. QEMU keeps CCMR, CCER, DIER and CCR as written.
    let out = run(
        &mut c,
        "c3 = t.channel(3, Timer.OC_TOGGLE, pin=Pin('X3'), compare=777, polarity=Timer.LOW)
c4 = t.channel(4, Timer.OC_FORCED_ACTIVE, pin=Pin('X4'), compare=5)
print(c3, c3.compare(), c4.capture())",
    );
    assert_eq!(
        out,
        "TimerChannel(timer=2, channel=3, mode=OC_TOGGLE) 777 5\r\n"
    );
    assert_eq!(
        TIM2.ccmr2(&mut m),
        0x5030,
        "OC3M toggle, OC4M forced active"
    );
    assert_eq!((TIM2.ccr(&mut m, 3), TIM2.ccr(&mut m, 4)), (777, 5));
    assert_eq!(TIM2.ccer(&mut m), 0x1311, "CC1E, CC2E, CC3E and CC3P, CC4E");
    // Input capture on channel 1: CC1S maps IC1 on TI1, CC1P captures falling edges; the PWM
    // output's preload and mode are gone. Channel 2 becomes an output compare.
    run(
        &mut c,
        "ic = t.channel(1, Timer.IC, pin=Pin('X1'), polarity=Timer.FALLING)
t.channel(2, Timer.OC_INACTIVE, compare=9)",
    );
    assert_eq!(
        TIM2.ccmr1(&mut m),
        0x2001,
        "IC1 on TI1, OC2M inactive on match"
    );
    assert_eq!(TIM2.ccer(&mut m) & 0xff, 0x13, "CC1E and CC1P, CC2E");
    // A channel callback turns the channel's interrupt on (CC1IE) beside the update
    // interrupt, and off again. QEMU's model never raises a compare or capture flag, so the
    // callback itself runs only on the pyboard (and on the host's test board).
    run(&mut c, "t.callback(count); ic.callback(print)");
    assert_eq!(TIM2.dier(&mut m), 0b11, "UIE and CC1IE");
    run(
        &mut c,
        "ic.callback(None); c4.callback(print); t.callback(None)",
    );
    assert_eq!(TIM2.dier(&mut m), 1 << 4, "CC4IE");
    // The encoder: both channels inputs on their own pins (CC1S, CC2S = TI1, TI2), enabled;
    // QEMU does not keep SMCR, where the encoder mode goes.
    let out = run(
        &mut c,
        "e = t.channel(1, Timer.ENC_AB, pin=Pin('X2'))
print(e, t.channel(1) is e)",
    );
    assert_eq!(
        out,
        "TimerChannel(timer=2, channel=1, mode=ENC_AB) True\r\n"
    );
    assert_eq!(TIM2.ccmr1(&mut m), 0x0101, "IC1 on TI1, IC2 on TI2");
    assert_eq!(TIM2.ccer(&mut m) & 0xff, 0x11, "CC1E, CC2E, rising edges");
    // Every timer of the chip starts and stops (QEMU has only TIM2-5; the others' registers
    // ignore writes there).
    let out = run(
        &mut c,
        "for i in range(1, 15):
    Timer(i, freq=1000).deinit()
print(t.channel(1))",
    );
    assert_eq!(out, "None\r\n", "deinit forgets the channels");
    assert_eq!((TIM2.ccer(&mut m), TIM2.cr1(&mut m) & 1), (0, 0));
    assert_eq!(TIM2.dier(&mut m), 0, "no channel interrupt left");

    // A soft reset stops every timer the program used, its interrupts and its outputs, and
    // every machine.PWM output (X9 is TIM4_CH1, which QEMU models too).
    run(
        &mut c,
        "Timer(5, freq=10, callback=lambda t: None)
Timer(2, freq=100).channel(3, Timer.PWM, pin=Pin('X3'), pulse_width=10, callback=print)
from machine import PWM
p = PWM(Pin('X9'), freq=1000, duty_u16=1000)",
    );
    assert_eq!((TIM5.cr1(&mut m) & 1, TIM5.dier(&mut m)), (1, 1));
    assert_eq!(TIM2.ccer(&mut m), 1 << 8, "CC3E");
    assert_eq!(TIM2.dier(&mut m), 1 << 3, "CC3IE");
    assert_eq!((TIM4.cr1(&mut m) & 1, TIM4.ccer(&mut m)), (1, 1));
    c.send(b"\x02");
    c.drain(100);
    let reply = c.ask(b"\x04", b">>> ");
    assert!(reply.contains("MPY: soft reboot"), "{reply:?}");
    assert_eq!((TIM5.cr1(&mut m) & 1, TIM5.dier(&mut m)), (0, 0));
    assert_eq!((TIM2.cr1(&mut m) & 1, TIM2.ccer(&mut m)), (0, 0));
    assert_eq!(TIM2.dier(&mut m), 0);
    assert_eq!((TIM4.cr1(&mut m) & 1, TIM4.ccer(&mut m)), (0, 0));
}

/// The bytes a bit-banged bus sent, decoded from the BSRR writes to GPIOB in QEMU's log of
/// unmodelled devices: for I2C (`clock` SCL, `data` SDA), the first byte after each START;
/// for SPI mode 0 (`clock` SCK, `data` MOSI), every byte, MSB first, sampled as SCK rises.
fn decode_gpiob(log: &str, clock: u32, data: u32, i2c: bool) -> Vec<u8> {
    let (mut scl, mut sda) = (i2c, i2c);
    let (mut bits, mut byte, mut listening) = (0, 0u8, !i2c);
    let mut bytes = Vec::new();
    for line in log.lines() {
        let Some(value) = line
            .strip_prefix("GPIOB: unimplemented device write (size 4, offset 0x018, value 0x")
            .and_then(|v| v.strip_suffix(')'))
            .and_then(|v| u32::from_str_radix(v, 16).ok())
        else {
            continue;
        };
        let level = |pin: u32, old: bool| {
            if value & 1 << pin != 0 {
                true
            } else if value & 1 << (pin + 16) != 0 {
                false
            } else {
                old
            }
        };
        let (new_scl, new_sda) = (level(clock, scl), level(data, sda));
        if i2c && scl && new_scl && sda && !new_sda {
            // START: SDA falls while SCL is high.
            (bits, byte, listening) = (0, 0, true);
        }
        if listening && !scl && new_scl {
            byte = byte << 1 | u8::from(new_sda);
            bits += 1;
            if bits == 8 {
                bytes.push(byte);
                (bits, byte, listening) = (0, 0, !i2c);
            }
        }
        (scl, sda) = (new_scl, new_sda);
    }
    bytes
}

#[test]
fn soft_i2c_and_soft_spi() {
    let Some(image) = image("PYRITE_QEMU_IMAGE") else {
        return;
    };
    let log = std::env::temp_dir().join(format!("pyrite-qemu-gpio-{}.log", std::process::id()));
    let _ = std::fs::remove_file(&log);
    let log_arg = log.to_string_lossy().into_owned();
    let (qemu, mut c) = Qemu::boot_with(&image, &["-d", "unimp", "-D", &log_arg], BANNER);
    c.raw();
    // Nothing is on QEMU's lines but the pins' pull-ups: a scan finds nobody, a transfer is
    // ENODEV (the address is not acknowledged), and MISO reads 0; all at once.
    let out = run(
        &mut c,
        "from machine import SoftI2C, SoftSPI, Pin
import errno
i = SoftI2C(scl=Pin('X9'), sda=Pin('X10'), freq=100000)
print(i, i.scan())
for f in (lambda: i.writeto(0x42, b'x'), lambda: i.readfrom_mem(0x50, 0x10, 2)):
    try:
        f()
    except OSError as e:
        print(e.errno == errno.ENODEV)
s = SoftSPI(baudrate=500000, sck=Pin('Y6'), mosi=Pin('Y8'), miso=Pin('Y7'))
s.write(b'\\xa5\\x0f')
b = bytearray(2)
s.write_readinto(b'\\x3c\\x81', b)
print(b, s.read(1, 0x7e))
try:
    SoftI2C(scl='X9', sda='X9')
except OSError as e:
    print(e.errno == errno.EINVAL)",
    );
    assert_eq!(
        out,
        "SoftI2C(scl=X9, sda=X10, freq=100000) []\r\nTrue\r\nTrue\r\n\
         bytearray(b'\\x00\\x00') b'\\x00'\r\nTrue\r\n"
    );
    drop(c);
    drop(qemu);
    let text = std::fs::read_to_string(&log).expect("QEMU's log");
    let _ = std::fs::remove_file(&log);
    // On the wire: SCL is B6 (X9), SDA B7 (X10); the scan's address bytes, then 0x42's and
    // 0x50's, each for writing.
    let mut addresses: Vec<u8> = (0x08..0x78).map(|a| a << 1).collect();
    addresses.extend([0x42 << 1, 0x50 << 1]);
    assert_eq!(decode_gpiob(&text, 6, 7, true), addresses);
    // SCK is B13 (Y6), MOSI B15 (Y8).
    assert_eq!(
        decode_gpiob(&text, 13, 15, false),
        [0xa5, 0x0f, 0x3c, 0x81, 0x7e]
    );
}
