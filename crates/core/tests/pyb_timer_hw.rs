//! `pyb.Timer` on a board with hardware timers (`Hardware::timer_info`): the calls the VM makes
//! on the board's timers (init, registers, the update interrupt, PWM channels, deinit), the
//! counter and registers read back from the board, callbacks on the board's update events,
//! and the timers a soft reset stops. The test board's timers count a 1 MHz clock that only
//! sleeping moves, so every count here is exact.

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
        ["tim 2 ch 1 pwm X1 false 250", "tim 2 ch 2 pwm - true 300"]
    );
}

#[test]
fn channel_errors() {
    let (out, log) = run("from pyb import Timer, Pin\n\
         t = Timer(2, freq=100)\n\
         for f in (lambda: t.channel(5, Timer.PWM), lambda: Timer(6).channel(1, Timer.PWM),\n\
         \x20         lambda: t.channel(1, 12), lambda: t.channel(1, -1),\n\
         \x20         lambda: t.channel(1, Timer.OC_TOGGLE), lambda: t.channel(1, Timer.IC),\n\
         \x20         lambda: t.channel(1, Timer.PWM, pin=Pin('X3')),\n\
         \x20         lambda: t.channel(2, Timer.PWM, pin=Pin('X1')),\n\
         \x20         lambda: Timer(4).channel(1, Timer.PWM, pin=Pin('X1')),\n\
         \x20         lambda: t.channel(1, Timer.PWM, pin='X1'),\n\
         \x20         lambda: t.channel(1, Timer.PWM, callback=print),\n\
         \x20         lambda: t.channel(1, Timer.PWM, pulse_width=2**80),\n\
         \x20         lambda: t.channel(1)):\n\
         \x20   try:\n\
         \x20       print(f())\n\
         \x20   except Exception as e:\n\
         \x20       print(type(e).__name__, e)\n");
    let only_pwm = "channels aren't supported (only PWM and PWM_INVERTED)";
    assert_eq!(
        out,
        format!(
            "ValueError invalid channel (5)\nValueError invalid channel (1)\n\
             ValueError invalid mode (12)\nValueError invalid mode (-1)\n\
             NotImplementedError Timer.OC_TOGGLE {only_pwm}\n\
             NotImplementedError Timer.IC {only_pwm}\n\
             ValueError Pin(X3) doesn't have an alt for Timer(2)\n\
             ValueError Pin(X1) doesn't have an alt for Timer(2) channel 2\n\
             ValueError Pin(X1) doesn't have an alt for Timer(4)\n\
             ValueError pin argument needs to be a Pin type\n\
             NotImplementedError TimerChannel callbacks aren't supported\n\
             OverflowError overflow converting long int to machine word\n\
             None\n"
        )
    );
    assert!(log.iter().all(|l| !l.contains(" ch ")), "{log:?}");
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
