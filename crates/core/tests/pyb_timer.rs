//! `pyb.Timer` on the test board's clock (which only sleeping moves): construction and its
//! errors, the prescaler and period worked out from a frequency or a period, the counter,
//! callbacks at the timer's rate, `deinit`, and an exception in a callback.

mod common;

use common::{run, run_on, setup, Config};

/// Runs `src` on a fresh board (collecting at every allocation): what it printed.
fn out(src: &str) -> String {
    run(src).0
}

#[test]
fn construction_repr_and_identity() {
    let got = out("from pyb import Timer\n\
         t = Timer(4)\n\
         print(t, t is Timer(4), t is Timer(5), type(t).__name__)\n\
         t.init(freq=10)\n\
         print(t)\n\
         print(Timer(2, freq=100))\n\
         print(Timer(1, freq=1000))\n\
         print(Timer(8, freq=3, deadtime=300, brk=Timer.BRK_LOW, div=4, mode=Timer.DOWN))\n\
         print(Timer(3, prescaler=1, period=2, mode=Timer.CENTER))\n\
         print([Timer(i).source_freq() // 1000000 for i in range(1, 15)])\n\
         print(Timer.UP, Timer.DOWN, Timer.CENTER, Timer.PWM, Timer.BRK_HIGH)\n\
         t.deinit()\n\
         print(t)\n");
    assert_eq!(
        got,
        "Timer(4) True False Timer\n\
         Timer(4, freq=10, prescaler=624, period=13439, mode=UP, div=1)\n\
         Timer(2, freq=100, prescaler=0, period=839999, mode=UP, div=1)\n\
         Timer(1, freq=1000, prescaler=4, period=33599, mode=UP, div=1, deadtime=0, brk=BRK_OFF)\n\
         Timer(8, freq=3, prescaler=3124, period=17919, mode=DOWN, div=4, deadtime=296, brk=BRK_LOW)\n\
         Timer(3, freq=14000000, prescaler=1, period=2, mode=CENTER, div=1)\n\
         [168, 84, 84, 84, 84, 84, 84, 168, 168, 168, 168, 84, 84, 84]\n\
         0 16 32 0 2\n\
         Timer(4)\n"
    );
}

#[test]
fn errors_are_micropythons() {
    let got = out("from pyb import Timer\n\
         def e(f):\n\
         \x20   try:\n\
         \x20       f()\n\
         \x20   except Exception as x:\n\
         \x20       print(type(x).__name__, x)\n\
         for i in (0, 15, -1):\n\
         \x20   e(lambda: Timer(i))\n\
         e(lambda: Timer())\n\
         e(lambda: Timer(4).init())\n\
         e(lambda: Timer(4).init(prescaler=3))\n\
         e(lambda: Timer(4, freq=0))\n\
         e(lambda: Timer(4, freq=-2.5))\n\
         e(lambda: Timer(4, freq=1e-9))\n\
         e(lambda: Timer(4, period=10**9, tick_hz=1))\n\
         e(lambda: Timer(4, period=5, tick_hz=0))\n\
         e(lambda: Timer(4, freq=5, mode=3))\n\
         e(lambda: Timer(4, freq=5, callback=3))\n\
         e(lambda: Timer(4).callback('x'))\n\
         e(lambda: Timer(4, 5))\n\
         e(lambda: Timer(4, freq=5, bogus=1))\n\
         e(lambda: Timer(4).channel(0))\n\
         e(lambda: Timer(4).channel(1, Timer.PWM, pulse_width=10))\n\
         print(Timer(4).channel(2))\n");
    assert_eq!(
        got,
        "ValueError Timer(0) doesn't exist\n\
         ValueError Timer(15) doesn't exist\n\
         ValueError Timer(-1) doesn't exist\n\
         TypeError function missing 1 required positional arguments\n\
         TypeError must specify either freq, period, or prescaler and period\n\
         TypeError must specify either freq, period, or prescaler and period\n\
         ValueError must have positive freq\n\
         ValueError must have positive freq\n\
         ValueError freq too small\n\
         ValueError period too large\n\
         ValueError must have positive freq\n\
         ValueError invalid mode (3)\n\
         ValueError callback must be None or a callable object\n\
         ValueError callback must be None or a callable object\n\
         TypeError extra positional arguments given\n\
         TypeError extra keyword arguments given\n\
         ValueError invalid channel (0)\n\
         NotImplementedError Timer channels (PWM, compare, capture) need a hardware timer\n\
         None\n"
    );
}

#[test]
fn registers_read_back_as_micropythons_tests_expect() {
    // MicroPython's tests/ports/stm32/timer.py and its expected output.
    let got = out("from pyb import Timer\n\
         tim = Timer(4, prescaler=100, period=200)\n\
         print(tim.prescaler())\n\
         print(tim.period())\n\
         tim.prescaler(300)\n\
         print(tim.prescaler())\n\
         tim.period(400)\n\
         print(tim.period())\n\
         tim = Timer(2, freq=100)\n\
         print(tim.freq())\n\
         tim.freq(0.01)\n\
         print('{:.2f}'.format(tim.freq()))\n");
    assert_eq!(got, "100\n200\n300\n400\n100\n0.01\n");
}

#[test]
fn freq_prescaler_and_period_arithmetic() {
    let got = out("from pyb import Timer\n\
         t = Timer(4, period=500, tick_hz=1000)\n\
         print(t.prescaler(), t.period(), t.freq())\n\
         t.freq(2)\n\
         print(t.prescaler(), t.period(), t.freq())\n\
         t = Timer(5, period=1500, tick_hz=1000)\n\
         print(t.prescaler(), t.period(), t.freq())\n\
         t = Timer(9, freq=0.5)\n\
         print(t.prescaler(), t.period(), t.freq())\n\
         t = Timer(4, freq=1000000000)\n\
         print(t.prescaler(), t.period(), t.freq())\n\
         t.prescaler(0x10004); t.period(-1)\n\
         print(t.prescaler(), t.period())\n\
         Timer(2).period(-1); print(Timer(2).period())\n\
         # Every frequency comes out within the rounding of the period.\n\
         bad = []\n\
         for n in (1, 4, 8, 9, 12):\n\
         \x20   t = Timer(n)\n\
         \x20   mask = 0xffffffff if n in (2, 5) else 0xffff\n\
         \x20   for f in (1, 2, 3, 7, 10, 13, 50, 99, 100, 441, 1000, 4097, 20000, 65537, 10**6, 0.1, 0.37, 2.5, 123.4):\n\
         \x20       t.init(freq=f)\n\
         \x20       p, a = t.prescaler(), t.period()\n\
         \x20       got = t.source_freq() / ((p + 1) * (a + 1))\n\
         \x20       if not (0 <= p <= 0xffff and 0 <= a <= mask and abs(got - f) / f < 1 / (a + 1) + 1 / 30000):\n\
         \x20           bad.append((n, f, p, a))\n\
         \x20       if abs(t.freq() - got) > got * 1e-9:\n\
         \x20           bad.append((n, f, t.freq()))\n\
         print(bad)\n");
    assert_eq!(
        got,
        "3124 13439 2\n3124 13439 2\n0 125999999 0.6666666666666666\n\
         6249 53759 0.5\n0 0 84000000\n4 65535\n4294967295\n[]\n"
    );
}

#[test]
fn counter_follows_the_clock() {
    let got = out("import time\n\
         from pyb import Timer\n\
         t = Timer(4, prescaler=83, period=999)\n\
         print(t.counter())\n\
         time.sleep_us(250); print(t.counter())\n\
         time.sleep_us(1000); print(t.counter())\n\
         t.counter(500); time.sleep_us(100); print(t.counter())\n\
         t.init(prescaler=83, period=999, mode=Timer.DOWN)\n\
         time.sleep_us(250); print(t.counter())\n\
         t.init(prescaler=83, period=999, mode=Timer.CENTER)\n\
         time.sleep_us(1200); print(t.counter())\n\
         t.deinit(); c = t.counter(); time.sleep_us(300); print(c == t.counter())\n\
         # A new prescaler: the count goes on from where it was, 10 times slower.\n\
         t.init(prescaler=83, period=999); time.sleep_us(300)\n\
         t.prescaler(839); time.sleep_us(1000); print(t.counter())\n");
    assert_eq!(got, "0\n250\n250\n600\n749\n798\nTrue\n400\n");
}

#[test]
fn callbacks_run_at_the_timers_rate() {
    let got = out("import time\n\
         from pyb import Timer\n\
         t0 = time.ticks_us()\n\
         hits = []\n\
         tim = Timer(4, freq=100, callback=lambda t: hits.append((time.ticks_us() - t0, t is tim)))\n\
         time.sleep_ms(55)\n\
         print(hits)\n\
         # 3 Hz is not a whole number of microseconds: the calls stay on the hardware's rate.\n\
         hits.clear(); t0 = time.ticks_us()\n\
         tim.init(freq=3)\n\
         time.sleep_ms(1001)\n\
         print([h[0] for h in hits])\n\
         # A callback set later runs from the next update event on; init keeps it.\n\
         hits.clear()\n\
         t2 = Timer(7)\n\
         t2.callback(lambda t: hits.append('t2'))\n\
         time.sleep_ms(5); print(hits)\n\
         t2.init(freq=1000); time.sleep_us(2500); print(hits)\n\
         tim.deinit(); t2.deinit()\n\
         # Fast timers run between instructions too.\n\
         hits.clear(); tim.init(freq=20000, callback=lambda t: hits.append(1))\n\
         n = 0\n\
         while len(hits) < 3 and n < 1000:\n\
         \x20   time.sleep_us(10); n += 1\n\
         tim.deinit()\n\
         print(len(hits), n)\n");
    assert_eq!(
        got,
        "[(10000, True), (20000, True), (30000, True), (40000, True), (50000, True)]\n\
         [333334, 666667, 1000000]\n\
         []\n['t2', 't2']\n3 15\n"
    );
}

#[test]
fn updates_missed_while_busy_make_one_call() {
    let got = out("import time, machine\n\
         from pyb import Timer\n\
         t0 = time.ticks_ms()\n\
         hits = []\n\
         tim = Timer(4, freq=100, callback=lambda t: hits.append(time.ticks_ms() - t0))\n\
         s = machine.disable_irq()\n\
         time.sleep_ms(35)\n\
         machine.enable_irq(s)\n\
         time.sleep_ms(7)\n\
         print(hits)\n");
    assert_eq!(got, "[35, 40]\n");
}

#[test]
fn callback_none_and_deinit_stop_the_calls() {
    // After MicroPython's tests/ports/stm32/timer_callback.py.
    let got = out("import time\n\
         from pyb import Timer\n\
         def cb1(t):\n\
         \x20   print('cb1')\n\
         \x20   t.callback(None)\n\
         def cb2(t):\n\
         \x20   print('cb2')\n\
         \x20   t.deinit()\n\
         def cb3(x):\n\
         \x20   y = x\n\
         \x20   def cb4(t):\n\
         \x20       print('cb4', y)\n\
         \x20       t.callback(None)\n\
         \x20   return cb4\n\
         tim = Timer(1, freq=100, callback=cb1)\n\
         time.sleep_ms(5)\n\
         print('before cb1')\n\
         time.sleep_ms(15)\n\
         print(tim)\n\
         tim = Timer(2, freq=100, callback=cb2)\n\
         time.sleep_ms(5)\n\
         print('before cb2')\n\
         time.sleep_ms(15)\n\
         print(tim)\n\
         tim = Timer(4)\n\
         tim.init(freq=100)\n\
         tim.callback(cb1)\n\
         time.sleep_ms(5)\n\
         print('before cb1')\n\
         time.sleep_ms(15)\n\
         tim.callback(cb3(3))\n\
         time.sleep_ms(5)\n\
         print('before cb4')\n\
         time.sleep_ms(15)\n");
    assert_eq!(
        got,
        "before cb1\ncb1\nTimer(1, freq=100, prescaler=124, period=13439, mode=UP, div=1, \
         deadtime=0, brk=BRK_OFF)\nbefore cb2\ncb2\nTimer(2)\nbefore cb1\ncb1\nbefore cb4\ncb4 3\n"
    );
}

#[test]
fn an_exception_in_a_callback_stops_it() {
    let (mut vm, board) = setup(Config::default());
    let got = run_on(
        &mut vm,
        &board,
        "import time\n\
         from pyb import Timer\n\
         n = [0]\n\
         def bad(t):\n\
         \x20   n[0] += 1\n\
         \x20   raise ValueError('boom')\n\
         tim = Timer(4, freq=100, callback=bad)\n\
         time.sleep_ms(50)\n\
         print(n, tim.freq())\n\
         tim.init(freq=100)\n\
         time.sleep_ms(50)\n\
         print(n)\n\
         tim.callback(bad)\n\
         time.sleep_ms(50)\n\
         print(n)\n",
    );
    let header = "Uncaught exception in IRQ callback handler\nTraceback (most recent call last):\n";
    assert_eq!(got.matches(header).count(), 2, "{got}");
    assert!(got.contains(", in bad\nValueError: boom\n"), "{got}");
    assert!(got.contains("boom\n[1] 100\n[1]\nUncaught"), "{got}");
    assert!(got.ends_with("boom\n[2]\n"), "{got}");
}

#[test]
fn works_without_hardware() {
    let (mut vm, board) = setup(Config {
        hardware: false,
        ..Config::default()
    });
    let got = run_on(
        &mut vm,
        &board,
        "import pyb, time\n\
         hits = []\n\
         t = pyb.Timer(6, freq=1000, callback=hits.append)\n\
         time.sleep_ms(3)\n\
         print(len(hits), hits[0] is t)\n",
    );
    assert_eq!(got, "3 True\n");
}

#[test]
fn constants_are_sorted() {
    let c = pyrite_core::types::class_consts(pyrite_core::types::ty::PYB_TIMER);
    assert!(c.windows(2).all(|w| w[0].0 < w[1].0), "{c:?}");
}
