//! `pyb.Timer` on a board with hardware timers (`Hardware::timer_info`): the calls the VM makes
//! on the board's timers (init, registers, the update interrupt, channels in every mode and
//! their interrupts, deinit), the counter and registers read back from the board, callbacks on
//! the board's update and compare events, and what a soft reset stops. The test board's
//! timers count a 1 MHz clock that only sleeping moves, so every count here is exact; a
//! channel's compare interrupt fires each time the counter passes its compare value.

mod common;

use common::{run_on, setup, Config, TIMER_HZ};

/// A board with hardware timers.
fn board() -> Config {
    Config {
        timers: true,
        ..Config::default()
    }
}

/// Runs `src` on a fresh board with hardware timers: the output and the timer calls.
fn run(src: &str) -> (String, Vec<String>) {
    common::run_with(board(), src)
}

#[test]
fn registers_and_counter_are_the_boards() {
    let (out, log) = run("from pyb import Timer\n\
         import time\n\
         t = Timer(2, prescaler=99, period=999)\n\
         time.sleep_ms(25)\n\
         print(t, t.source_freq(), t.counter())\n\
         t.counter(7)\n\
         t.freq(4)\n\
         print(t.prescaler(), t.period(), t.freq())\n\
         t.deinit()\n\
         print(t)\n");
    assert_eq!(
        out,
        format!(
            "Timer(2, freq=10, prescaler=99, period=999, mode=UP, div=1) {TIMER_HZ} 250\n\
             0 249999 4\nTimer(2)\n"
        )
    );
    assert_eq!(
        log,
        [
            "tim 2 init 99 999 0",
            "tim 2 irq false",
            "tim 2 registers 0 249999",
            "tim 2 deinit"
        ]
    );
}

#[test]
fn callbacks_run_on_the_boards_update_events() {
    // 1 kHz: an update every millisecond, so at most one call per poll while sleeping.
    let (out, log) = run("from pyb import Timer\n\
         import time\n\
         calls = []\n\
         t = Timer(3, freq=1000, callback=calls.append)\n\
         time.sleep_ms(10)\n\
         n = len(calls)\n\
         print(0 < n <= 10, calls[0] is t)\n\
         t.callback(None)\n\
         time.sleep_ms(10)\n\
         print(len(calls) == n)\n");
    assert_eq!(out, "True True\nTrue\n");
    assert_eq!(
        log,
        ["tim 3 init 0 999 0", "tim 3 irq true", "tim 3 irq false"]
    );
}

#[test]
fn an_exception_in_a_callback_turns_the_interrupt_off() {
    let (out, log) = run("from pyb import Timer\n\
         import time\n\
         n = [0]\n\
         def bad(t):\n\
         \x20   n[0] += 1\n\
         \x20   raise ValueError('boom')\n\
         t = Timer(4, freq=1000, callback=bad)\n\
         time.sleep_ms(10)\n\
         print(n[0], t.freq())\n");
    assert!(
        out.starts_with("Uncaught exception in IRQ callback handler\nTraceback"),
        "{out}"
    );
    assert!(out.ends_with("ValueError: boom\n1 1000\n"), "{out}");
    assert_eq!(
        log,
        ["tim 4 init 0 999 0", "tim 4 irq true", "tim 4 irq false"]
    );
}

#[test]
fn pwm_channels_keep_their_pulse_width_on_the_board() {
    let (out, log) = run("from pyb import Timer, Pin\n\
         t = Timer(2, prescaler=0, period=999)\n\
         a = t.channel(1, Timer.PWM, pin=Pin('X1'), pulse_width=250)\n\
         b = t.channel(2, Timer.PWM_INVERTED, pulse_width_percent=30)\n\
         print(a, a.pulse_width(), b.pulse_width(), b.pulse_width_percent())\n\
         a.pulse_width_percent(12.5)\n\
         print(a.compare(), a.capture(), t.channel(1) is a, t.channel(3))\n\
         b.pulse_width(1000)\n\
         print(b.pulse_width_percent())\n");
    assert_eq!(
        out,
        "TimerChannel(timer=2, channel=1, mode=PWM) 250 300 30.0\n125 125 True None\n100.0\n"
    );
    assert_eq!(
        &log[2..],
        [
            "tim 2 ch 1 X1 Pwm { inverted: false } 250",
            "tim 2 ch 2 - Pwm { inverted: true } 300"
        ]
    );
}

#[test]
fn channel_errors() {
    let (out, log) = run("from pyb import Timer, Pin\n\
         t = Timer(2, freq=100)\n\
         for f in (lambda: t.channel(5, Timer.PWM), lambda: Timer(6).channel(1, Timer.PWM),\n\
         \x20         lambda: t.channel(1, 12), lambda: t.channel(1, -1),\n\
         \x20         lambda: t.channel(1, Timer.OC_TOGGLE, polarity=Timer.BOTH),\n\
         \x20         lambda: t.channel(1, Timer.IC, polarity=1),\n\
         \x20         lambda: t.channel(1, Timer.ENC_AB, polarity=4),\n\
         \x20         lambda: Timer(9).channel(1, Timer.ENC_A),\n\
         \x20         lambda: t.channel(1, Timer.PWM, pin=Pin('X3')),\n\
         \x20         lambda: t.channel(2, Timer.PWM, pin=Pin('X1')),\n\
         \x20         lambda: t.channel(3, Timer.IC, pin=Pin('X1')),\n\
         \x20         lambda: Timer(4).channel(1, Timer.PWM, pin=Pin('X1')),\n\
         \x20         lambda: t.channel(1, Timer.PWM, pin='X1'),\n\
         \x20         lambda: t.channel(1, Timer.PWM, callback=3),\n\
         \x20         lambda: t.channel(1, Timer.PWM, pulse_width=2**80),\n\
         \x20         lambda: t.channel(1)):\n\
         \x20   try:\n\
         \x20       print(f())\n\
         \x20   except Exception as e:\n\
         \x20       print(type(e).__name__, e)\n");
    assert_eq!(
        out,
        "ValueError invalid channel (5)\nValueError invalid channel (1)\n\
         ValueError invalid mode (12)\nValueError invalid mode (-1)\n\
         ValueError invalid polarity (10)\nValueError invalid polarity (1)\n\
         ValueError invalid polarity (4)\nValueError encoder not supported on timer 9\n\
         ValueError Pin(X3) doesn't have an alt for Timer(2)\n\
         ValueError Pin(X1) doesn't have an alt for Timer(2) channel 2\n\
         ValueError Pin(X1) doesn't have an alt for Timer(2) channel 3\n\
         ValueError Pin(X1) doesn't have an alt for Timer(4)\n\
         ValueError pin argument needs to be a Pin type\n\
         ValueError callback must be None or a callable object\n\
         OverflowError overflow converting long int to machine word\n\
         None\n"
    );
    assert!(log.iter().all(|l| !l.contains(" ch ")), "{log:?}");
}

#[test]
fn output_compare_modes_program_the_board() {
    // MicroPython's modes and their OCxM field: frozen 0, active 1, inactive 2, toggle 3,
    // forced inactive 4, forced active 5; polarity LOW is active low.
    let (out, log) = run("from pyb import Timer, Pin\n\
         t = Timer(2, prescaler=0, period=999)\n\
         modes = (Timer.OC_TIMING, Timer.OC_ACTIVE, Timer.OC_INACTIVE, Timer.OC_TOGGLE,\n\
         \x20        Timer.OC_FORCED_ACTIVE, Timer.OC_FORCED_INACTIVE)\n\
         for i, m in enumerate(modes):\n\
         \x20   c = t.channel(1 + i % 2, m, compare=100 * i, polarity=(Timer.HIGH, Timer.LOW)[i % 2])\n\
         \x20   print(c, c.compare(), c.capture(), c.pulse_width())\n\
         c = t.channel(1, Timer.OC_TOGGLE, pin=Pin('X1'), compare=2**32 + 7)\n\
         c.compare(321)\n\
         print(c.compare(), t.channel(1) is c)\n");
    assert_eq!(
        out,
        "TimerChannel(timer=2, channel=1, mode=OC_TIMING) 0 0 0\n\
         TimerChannel(timer=2, channel=2, mode=OC_ACTIVE) 100 100 100\n\
         TimerChannel(timer=2, channel=1, mode=OC_INACTIVE) 200 200 200\n\
         TimerChannel(timer=2, channel=2, mode=OC_TOGGLE) 300 300 300\n\
         TimerChannel(timer=2, channel=1, mode=OC_FORCED_ACTIVE) 400 400 400\n\
         TimerChannel(timer=2, channel=2, mode=OC_FORCED_INACTIVE) 500 500 500\n\
         321 True\n"
    );
    assert_eq!(
        &log[2..],
        [
            "tim 2 ch 1 - Compare { ocm: 0, low: false } 0",
            "tim 2 ch 2 - Compare { ocm: 1, low: true } 100",
            "tim 2 ch 1 - Compare { ocm: 2, low: false } 200",
            "tim 2 ch 2 - Compare { ocm: 3, low: true } 300",
            "tim 2 ch 1 - Compare { ocm: 5, low: false } 400",
            "tim 2 ch 2 - Compare { ocm: 4, low: true } 500",
            "tim 2 ch 1 X1 Compare { ocm: 3, low: false } 7",
        ]
    );
}

#[test]
fn input_capture_and_encoder_modes_program_the_board() {
    // RISING, FALLING and BOTH are the edges captured; an encoder counts on input 1, 2 or
    // both, on either pin of its two channels, and leaves the compare registers alone.
    let (out, log) = run("from pyb import Timer, Pin\n\
         t = Timer(2, prescaler=0, period=999)\n\
         a = t.channel(1, Timer.PWM, pulse_width=42)\n\
         for p in (Timer.RISING, Timer.FALLING, Timer.BOTH):\n\
         \x20   c = t.channel(1, Timer.IC, polarity=p)\n\
         print(c, c.capture())\n\
         t.channel(2, Timer.IC, pin=Pin('X2'))\n\
         for m, p in ((Timer.ENC_A, Pin('X1')), (Timer.ENC_B, Pin('X2')), (Timer.ENC_AB, None)):\n\
         \x20   e = t.channel(1, m, pin=p, polarity=Timer.FALLING)\n\
         print(e, Timer(8).channel(3, Timer.ENC_AB))\n");
    assert_eq!(
        out,
        "TimerChannel(timer=2, channel=1, mode=IC) 42\n\
         TimerChannel(timer=2, channel=1, mode=ENC_AB) \
         TimerChannel(timer=8, channel=3, mode=ENC_AB)\n"
    );
    assert_eq!(
        &log[3..],
        [
            "tim 2 ch 1 - Capture { edges: 1 } 0",
            "tim 2 ch 1 - Capture { edges: 2 } 0",
            "tim 2 ch 1 - Capture { edges: 3 } 0",
            "tim 2 ch 2 X2 Capture { edges: 1 } 0",
            "tim 2 ch 1 X1 Encoder { inputs: 1, edges: 2 } 0",
            "tim 2 ch 1 X2 Encoder { inputs: 2, edges: 2 } 0",
            "tim 2 ch 1 - Encoder { inputs: 3, edges: 2 } 0",
            "tim 8 ch 3 - Encoder { inputs: 3, edges: 1 } 0",
        ]
    );
}

#[test]
fn channel_callbacks_run_on_the_boards_compare_events() {
    // 1 kHz: the counter passes a compare value of 500 once a millisecond; one beyond the
    // period is never reached. The callback is given the timer.
    let (out, log) = run("from pyb import Timer\n\
         import time\n\
         calls, late = [], []\n\
         t = Timer(2, prescaler=0, period=999)\n\
         c = t.channel(1, Timer.OC_TOGGLE, compare=500, callback=calls.append)\n\
         time.sleep_ms(10)\n\
         k = len(calls)\n\
         n = t.channel(2, Timer.IC)\n\
         n.callback(late.append)\n\
         n.compare(5000)\n\
         print(0 < k <= 10, calls[0] is t, late)\n\
         c.callback(None)\n\
         time.sleep_ms(10)\n\
         print(len(calls) == k)\n\
         e = t.channel(3, Timer.ENC_AB, callback=print)\n\
         time.sleep_ms(3)\n\
         t.deinit()\n");
    assert_eq!(out, "True True []\nTrue\n");
    assert_eq!(
        &log[1..],
        [
            "tim 2 irq false",
            "tim 2 ch 1 - Compare { ocm: 3, low: false } 500",
            "tim 2 ch 1 irq true",
            "tim 2 ch 2 - Capture { edges: 1 } 0",
            "tim 2 ch 2 irq true",
            "tim 2 ch 1 irq false",
            // An encoder's channels raise no interrupt.
            "tim 2 ch 3 - Encoder { inputs: 3, edges: 1 } 0",
            "tim 2 deinit",
        ]
    );
}

#[test]
fn an_exception_in_a_channel_callback_turns_its_interrupt_off() {
    // The timer's own callback and the other channels' go on.
    let (out, log) = run("from pyb import Timer\n\
         import time\n\
         n, ups, good = [0], [], []\n\
         def bad(t):\n\
         \x20   n[0] += 1\n\
         \x20   raise ValueError('boom')\n\
         t = Timer(3, prescaler=0, period=999, callback=ups.append)\n\
         c = t.channel(1, Timer.PWM, pulse_width=100, callback=bad)\n\
         d = t.channel(2, Timer.PWM, pulse_width=200, callback=good.append)\n\
         time.sleep_ms(10)\n\
         print(n[0], len(ups) > 1, len(good) > 1)\n");
    assert!(
        out.starts_with("Uncaught exception in IRQ callback handler\nTraceback"),
        "{out}"
    );
    assert!(out.ends_with("ValueError: boom\n1 True True\n"), "{out}");
    assert_eq!(
        &log[1..],
        [
            "tim 3 irq true",
            "tim 3 ch 1 - Pwm { inverted: false } 100",
            "tim 3 ch 1 irq true",
            "tim 3 ch 2 - Pwm { inverted: false } 200",
            "tim 3 ch 2 irq true",
            "tim 3 ch 1 irq false",
        ]
    );
}

#[test]
fn a_soft_reset_stops_the_timers_the_program_used() {
    let (mut vm, board) = setup(board());
    run_on(
        &mut vm,
        &board,
        "from pyb import Timer\n\
         a = Timer(5, freq=10, callback=lambda t: None)\n\
         b = Timer(7)\n\
         b.callback(print)\n\
         c = Timer(8)\n\
         Timer(9, freq=10).channel(1, Timer.PWM)\n",
    );
    board.borrow_mut().log.clear();
    vm.soft_reset();
    let mut log = std::mem::take(&mut board.borrow_mut().log);
    log.sort();
    // Timer 8 was only named: a PWM output may be using it.
    assert_eq!(log, ["tim 5 deinit", "tim 7 deinit", "tim 9 deinit"]);
}

#[test]
fn a_soft_reset_stops_channel_callbacks_and_pwm_outputs() {
    let (mut vm, board) = setup(board());
    run_on(
        &mut vm,
        &board,
        "from pyb import Timer\n\
         from machine import PWM, Pin\n\
         calls = []\n\
         Timer(4).channel(2, Timer.OC_TOGGLE, compare=10, callback=calls.append)\n\
         p = PWM(Pin('X9'), freq=1000, duty_u16=100)\n\
         q = PWM(Pin('X10'), freq=1000, duty_u16=100)\n\
         q.deinit()\n\
         r = PWM(Pin('X1'))\n",
    );
    board.borrow_mut().log.clear();
    vm.soft_reset();
    let log = std::mem::take(&mut board.borrow_mut().log);
    // X10 was stopped already and X1 never started.
    assert_eq!(log, ["pwm X9 0 0", "tim 4 deinit"]);
}
