//! `pyb.Timer` and its channels on the simulated pyboard: Python programs on a board whose
//! clock only their sleeps move, so every count is exact, while the outside world drives pins
//! at given moments. What they print comes with the board's event log lines, as the virtual
//! board shows them.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use pyrite_core::hardware::Hardware;
use pyrite_core::port::Port;
use pyrite_core::Vm;
use pyrite_sim::SimBoard;

/// A level the outside world drives onto a pin at a moment, in microseconds.
type Drive = (u64, &'static str, bool);

/// A port with a simulated board and a clock that sleeping moves; the drives happen as the
/// clock passes them.
struct ClockPort {
    board: SimBoard,
    clock: Rc<Cell<u64>>,
    drives: VecDeque<Drive>,
    out: Rc<RefCell<String>>,
}

impl Port for ClockPort {
    fn stdout(&mut self, data: &[u8]) {
        let mut out = self.out.borrow_mut();
        for event in self.board.take_events() {
            out.push_str(&format!("{event}\n"));
        }
        out.push_str(&String::from_utf8_lossy(data));
    }

    fn ticks_us(&mut self) -> u64 {
        self.clock.get()
    }

    fn sleep_us(&mut self, us: u64) {
        let end = self.clock.get() + us;
        while let Some(&(at, name, high)) = self.drives.front().filter(|d| d.0 <= end) {
            self.drives.pop_front();
            self.clock.set(at.max(self.clock.get()));
            let pin = self.board.pin_by_name(name).unwrap();
            self.board.set_input(pin, high);
        }
        self.clock.set(end);
    }

    fn hardware(&mut self) -> Option<&mut dyn Hardware> {
        Some(&mut self.board)
    }
}

/// A VM on a fresh board whose pins `low` are driven low from the start, with `drives` to
/// come; and its output.
fn vm(low: &[&str], drives: &[Drive]) -> (Vm, Rc<RefCell<String>>) {
    let clock = Rc::new(Cell::new(0));
    let mut board = SimBoard::new();
    let c = clock.clone();
    board.set_clock(move || c.get());
    for name in low {
        let pin = board.pin_by_name(name).unwrap();
        board.set_input(pin, false);
    }
    board.take_events();
    let out = Rc::new(RefCell::new(String::new()));
    let port = ClockPort {
        board,
        clock,
        drives: drives.iter().copied().collect(),
        out: out.clone(),
    };
    (Vm::new(64 * 1024, Box::new(port)), out)
}

/// Runs `source` on `vm`: its output and events since the last run, with the traceback of an
/// uncaught exception.
fn run_on(vm: &mut Vm, out: &Rc<RefCell<String>>, source: &str) -> String {
    if let Err(e) = vm.run_main(source, "<test>") {
        vm.print_exception(e);
    }
    vm.port.stdout(b"");
    out.take()
}

/// Runs `source` on a fresh board (see [`vm`]).
fn run(low: &[&str], drives: &[Drive], source: &str) -> String {
    let (mut vm, out) = vm(low, drives);
    run_on(&mut vm, &out, source)
}

#[test]
fn the_counter_update_callback_and_registers_follow_the_clock() {
    // Timer 5 at 84 MHz / 84: a count every microsecond, an update every millisecond.
    let out = run(
        &[],
        &[],
        "from pyb import Timer
import time
calls = []
t = Timer(5, prescaler=83, period=999, callback=lambda t: calls.append(t.counter()))
print(t, t.source_freq())
time.sleep_us(250)
print(t.counter())
time.sleep_ms(3)
print(len(calls), t.counter())
t.counter(900)
t.freq(2000)
print(t.prescaler(), t.period(), t.freq(), t.counter())
print(Timer(1, freq=1000), Timer(1).source_freq())
t.deinit()
time.sleep_ms(2)
print(len(calls), t.counter(), t)
",
    );
    assert_eq!(
        out,
        "Timer(5, freq=1000, prescaler=83, period=999, mode=UP, div=1) 84000000\n\
         250\n\
         3 250\n\
         0 41999 2000 900\n\
         Timer(1, freq=1000, prescaler=4, period=33599, mode=UP, div=1, deadtime=0, brk=BRK_OFF) \
         168000000\n\
         3 0 Timer(5)\n"
    );
}

#[test]
fn pwm_shows_its_duty_on_pins_and_leds() {
    let out = run(
        &[],
        &[],
        "from pyb import Timer, Pin, LED
t = Timer(2, freq=1000)
a = t.channel(1, Timer.PWM, pin=Pin('X1'), pulse_width_percent=25)
print(a, a.pulse_width())
a.pulse_width(42000)
t.freq(500)
b = Timer(3, freq=100).channel(1, Timer.PWM_INVERTED, pin=Pin('LED_BLUE'), pulse_width_percent=25)
print(LED(4).intensity(), b.pulse_width_percent())
# X6 is TIM2_CH1 too: it takes the channel, and X1 becomes a low output.
t.channel(1, Timer.PWM, pin=Pin('X6'), pulse_width=0)
t.deinit()
print(LED(4).intensity())
Timer(3).deinit()
print(LED(4).intensity())
",
    );
    assert_eq!(
        out,
        "pwm X1 1000 16383\n\
         TimerChannel(timer=2, channel=1, mode=PWM) 21000\n\
         pwm X1 1000 32767\n\
         pwm X1 500 16383\n\
         led 4 192\n\
         192 25.0\n\
         pwm X1 off\n\
         pin X1 0\n\
         pwm X6 500 0\n\
         pwm X6 off\n\
         192\n\
         led 4 0\n\
         0\n"
    );
}

#[test]
fn output_compares_drive_their_pin_and_call_back_once_per_poll() {
    // Timer 4 counts microseconds; each sleep polls every millisecond, so each match (at
    // 0.5 ms into each period) makes one call, the pin toggling with it.
    let out = run(
        &[],
        &[],
        "from pyb import Timer, Pin
import time, machine
t = Timer(4, prescaler=83, period=999)
calls = []
c = t.channel(3, Timer.OC_TOGGLE, pin=Pin('Y3'), compare=500, callback=calls.append)
print(Pin('Y3').value())
time.sleep_ms(3)
print(len(calls), calls[0] is t, Pin('Y3').value())
# Four matches while interrupts are off make one call, and toggle the pin back to where it was.
state = machine.disable_irq()
time.sleep_ms(4)
machine.enable_irq(state)
time.sleep_us(1)
print(len(calls))
a = t.channel(4, Timer.OC_ACTIVE, pin=Pin('Y4'), compare=100)
print(Pin('Y4').value())
time.sleep_us(200)
print(Pin('Y4').value())
t.channel(4, Timer.OC_FORCED_INACTIVE)
t.channel(1, Timer.OC_FORCED_ACTIVE, pin=Pin('X9'), polarity=Timer.LOW)
t.channel(2, Timer.OC_TIMING, pin=Pin('X10'), compare=10)
time.sleep_ms(1)
print(Pin('X9').value(), Pin('X10').value())
",
    );
    assert_eq!(
        out,
        "pin Y3 0\n\
         0\n\
         pin Y3 1\n\
         pin Y3 0\n\
         pin Y3 1\n\
         3 True 1\n\
         4\n\
         pin Y4 0\n\
         0\n\
         pin Y4 1\n\
         1\n\
         pin Y4 0\n\
         pin X9 0\n\
         pin X10 0\n\
         pin Y3 0\n\
         0 0\n"
    );
}

#[test]
fn input_capture_stores_the_counter_at_each_edge() {
    // Timer 2 (32 bits) counts microseconds; X1 goes high at 1.5 ms, low at 4.25 ms, high at
    // 7 ms.
    let drives = [(1500, "X1", true), (4250, "X1", false), (7000, "X1", true)];
    let src = |polarity: &str| {
        format!(
            "from pyb import Timer, Pin
import time
t = Timer(2, prescaler=83, period=0xffffffff)
got = []
ic = t.channel(1, Timer.IC, pin=Pin('X1'), polarity=Timer.{polarity},
               callback=lambda t: got.append(ic.capture()))
time.sleep_ms(10)
print(got, ic.capture(), t.counter())
"
        )
    };
    assert_eq!(
        run(&["X1"], &drives, &src("RISING")),
        "[1500, 7000] 7000 10000\n"
    );
    assert_eq!(
        run(&["X1"], &drives, &src("FALLING")),
        "[4250] 4250 10000\n"
    );
    assert_eq!(
        run(&["X1"], &drives, &src("BOTH")),
        "[1500, 4250, 7000] 7000 10000\n"
    );
}

/// The levels of encoder inputs A and B going `steps` quarter-steps forward (positive) or
/// back from (low, low), one every 100 µs from `at`, and the next moment and levels.
fn quadrature(
    at: u64,
    from: (bool, bool),
    steps: i32,
    a: &'static str,
    b: &'static str,
) -> (Vec<Drive>, u64, (bool, bool)) {
    // Forward: (0,0) (1,0) (1,1) (0,1).
    let order = [(false, false), (true, false), (true, true), (false, true)];
    let mut i = order.iter().position(|&s| s == from).unwrap() as i32;
    let (mut t, mut drives) = (at, Vec::new());
    for _ in 0..steps.abs() {
        let next = (i + steps.signum()).rem_euclid(4);
        let (was, now) = (order[i as usize], order[next as usize]);
        if was.0 != now.0 {
            drives.push((t, a, now.0));
        }
        if was.1 != now.1 {
            drives.push((t, b, now.1));
        }
        i = next;
        t += 100;
    }
    (drives, t, order[i as usize])
}

#[test]
fn encoders_count_quadrature_edges() {
    // Ten quarter-steps forward, then three back, then eight more back (below 0: the counter
    // wraps under the period).
    let (mut drives, t, s) = quadrature(1000, (false, false), 10, "X7", "X8");
    let (back, t, s) = quadrature(t, s, -3, "X7", "X8");
    drives.extend(back);
    let mid = t;
    let (back, _, _) = quadrature(t + 1000, s, -8, "X7", "X8");
    drives.extend(back);
    let src = |mode: &str| {
        format!(
            "from pyb import Timer, Pin
import time
t = Timer(3, prescaler=0, period=0xffff)
t.channel(1, Timer.{mode}, pin=Pin('X7'))
t.channel(2, Timer.{mode}, pin=Pin('X8'))
time.sleep_us({mid})
print(t.counter())
time.sleep_ms(5)
print(t.counter())
"
        )
    };
    assert_eq!(run(&["X7", "X8"], &drives, &src("ENC_AB")), "7\n65535\n");
    // Only A's edges (half of them), or only B's.
    assert_eq!(run(&["X7", "X8"], &drives, &src("ENC_A")), "4\n0\n");
    assert_eq!(run(&["X7", "X8"], &drives, &src("ENC_B")), "3\n65535\n");
}

#[test]
fn bad_channels_are_value_errors() {
    let out = run(
        &[],
        &[],
        "from pyb import Timer, Pin
t = Timer(2, freq=100)
for f in (lambda: t.channel(5, Timer.PWM), lambda: Timer(6).channel(1, Timer.PWM),
          lambda: Timer(12).channel(3, Timer.PWM), lambda: t.channel(1, 12),
          lambda: t.channel(1, Timer.IC, polarity=7),
          lambda: Timer(9).channel(1, Timer.ENC_A),
          lambda: t.channel(1, Timer.PWM, pin=Pin('X5')),
          lambda: t.channel(2, Timer.PWM, pin=Pin('X1')),
          lambda: Timer(4).channel(1, Timer.ENC_AB, pin=Pin('Y3')),
          lambda: t.channel(1, Timer.PWM, pin='X1'),
          lambda: t.channel(1, Timer.PWM, pulse_width=2**80),
          lambda: t.channel(1)):
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
",
    );
    assert_eq!(
        out,
        "ValueError invalid channel (5)\n\
         ValueError invalid channel (1)\n\
         ValueError invalid channel (3)\n\
         ValueError invalid mode (12)\n\
         ValueError invalid polarity (7)\n\
         ValueError encoder not supported on timer 9\n\
         ValueError Pin(X5) doesn't have an alt for Timer(2)\n\
         ValueError Pin(X1) doesn't have an alt for Timer(2) channel 2\n\
         ValueError Pin(Y3) doesn't have an alt for Timer(4) channel 1\n\
         ValueError pin argument needs to be a Pin type\n\
         OverflowError overflow converting long int to machine word\n\
         None\n"
    );
}

#[test]
fn a_soft_reset_stops_the_timers_and_their_outputs() {
    let (mut vm, out) = vm(&[], &[]);
    let first = run_on(
        &mut vm,
        &out,
        "from pyb import Timer, Pin
t = Timer(2, prescaler=83, period=999)
t.channel(1, Timer.PWM, pin=Pin('X1'), pulse_width=500)
t.channel(2, Timer.OC_TOGGLE, pin=Pin('X2'), compare=0)
",
    );
    assert_eq!(first, "pwm X1 1000 32767\npin X2 0\n");
    vm.soft_reset();
    let after = run_on(
        &mut vm,
        &out,
        "from pyb import Timer, Pin
import time
time.sleep_ms(3)
print(Timer(2).counter(), Pin('X2').value())
",
    );
    assert_eq!(after, "pwm X1 off\n0 0\n");
}

#[test]
fn a_ui_sees_output_compares_move_when_it_runs_the_timers() {
    use pyrite_core::hardware::{ChannelMode, TimerConfig};
    let clock = Rc::new(Cell::new(0));
    let mut b = SimBoard::new();
    let c = clock.clone();
    b.set_clock(move || c.get());
    let config = TimerConfig {
        prescaler: 83,
        period: 999,
        mode: 0,
        div: 1,
        dtg: 0,
        brk: 0,
    };
    b.timer_init(4, &config).unwrap();
    let y3 = b.pin_by_name("Y3").unwrap();
    let toggle = ChannelMode::Compare { ocm: 3, low: false };
    b.timer_channel(4, 3, Some(y3), toggle, 500).unwrap();
    clock.set(600);
    assert!(!b.pin(y3).unwrap().level(), "nothing moves until looked at");
    b.run_timers();
    assert!(b.pin(y3).unwrap().level());
    // A million periods later (an even number of toggles), at once.
    clock.set(1_000_000_600);
    b.run_timers();
    assert!(b.pin(y3).unwrap().level());
    assert_eq!(b.timer_counter(4), 600);
    clock.set(1_000_001_600);
    b.run_timers();
    assert!(!b.pin(y3).unwrap().level());
    // A reset stops the timers and gives their pins back.
    b.reset(pyrite_core::hardware::ResetKind::Soft);
    assert_eq!(
        b.pin(y3).unwrap().mode,
        pyrite_core::hardware::PinMode::Input
    );
    clock.set(1_000_002_000);
    assert_eq!((b.timer_counter(4), b.timer_registers(4)), (0, (0, 0)));
    // Without a clock, time stands still.
    let mut still = SimBoard::new();
    still.timer_init(2, &config).unwrap();
    assert_eq!(still.timer_counter(2), 0);
}

#[test]
fn machine_pwm_shares_its_timer_with_pyb_timer() {
    // X1's machine.PWM output is TIM5_CH1, X2's TIM5_CH2: whoever sets TIM5's time base sets
    // it for both, and PWM.freq() reads it.
    let out = run(
        &[],
        &[],
        "from machine import PWM, Pin
from pyb import Timer
p = PWM(Pin('X1'), freq=1000, duty_u16=16384)
t = Timer(5)
print(p.freq(), t.freq(), t.prescaler(), t.period())
t.init(freq=500)
print(p.freq(), p.duty_u16(), t.period())
# A new duty keeps the timer's frequency.
p.duty_u16(32768)
print(p.freq(), t.freq(), t.period())
# A new frequency is the whole timer's.
q = PWM('X2', freq=2000, duty_u16=8192)
print(p.freq(), q.freq(), t.period())
t.freq(250)
print(p.freq(), q.freq(), p.duty_ns())
t.deinit()
",
    );
    assert_eq!(
        out,
        "pwm X1 1000 16384\n\
         1000 1000 0 83999\n\
         pwm X1 500 16384\n\
         500 16384 167999\n\
         pwm X1 500 32768\n\
         500 500 167999\n\
         pwm X1 2000 32768\n\
         pwm X2 2000 8192\n\
         2000 2000 41999\n\
         pwm X1 250 32768\n\
         pwm X2 250 8192\n\
         250 250 2000000\n\
         pwm X1 off\n\
         pwm X2 off\n"
    );
}

#[test]
fn machine_pwm_needs_a_timer_output_and_a_frequency_it_can_make() {
    let out = run(
        &[],
        &[],
        "from machine import PWM
for f in (lambda: PWM('X5', freq=1000), lambda: PWM('LED_RED', freq=10),
          lambda: PWM('Y6', freq=10), lambda: PWM('X1', freq=100_000_000)):
    try:
        f()
    except ValueError as e:
        print(e)
",
    );
    assert_eq!(
        out,
        "Pin(X5) doesn't have PWM capabilities\n\
         Pin(LED_RED) doesn't have PWM capabilities\n\
         Pin(Y6) doesn't have PWM capabilities\n\
         freq too large\n"
    );
}

#[test]
fn dimmed_leds_run_at_their_timers_frequency() {
    use pyrite_core::hardware::TimerConfig;
    use pyrite_sim::Pwm;
    let clock = Rc::new(Cell::new(0));
    let mut b = SimBoard::new();
    let c = clock.clone();
    b.set_clock(move || c.get());
    let pin = |b: &SimBoard, name| b.pin_by_name(name).unwrap();
    let (yellow, blue, x6, y11) = (
        pin(&b, "LED_YELLOW"),
        pin(&b, "LED_BLUE"),
        pin(&b, "X6"),
        pin(&b, "Y11"),
    );
    let pwm = |b: &SimBoard, pin| b.pin(pin).unwrap().pwm;
    // LED 3 on TIM2_CH1, a 32-bit timer not running yet: 100 Hz.
    b.led_set(3, 128);
    let dimmed = |freq| {
        Some(Pwm {
            freq,
            duty_u16: 128 * 257,
        })
    };
    assert_eq!(pwm(&b, yellow), dimmed(100));
    assert_eq!(b.timer_registers(2), (0, 839_999));
    // pyb.Timer's time base is the LED's too, at the same intensity.
    let khz = TimerConfig {
        prescaler: 83,
        period: 999,
        mode: 0,
        div: 1,
        dtg: 0,
        brk: 0,
    };
    b.timer_init(2, &khz).unwrap();
    assert_eq!(pwm(&b, yellow), dimmed(1000));
    assert_eq!((b.led_get(3), b.timer_compare(2, 1)), (128, 502));
    // LED 4 on TIM3_CH1, which machine.PWM on Y11 (TIM3_CH3) already runs at 50 Hz.
    b.pwm_set(y11, 50, 0x8000).unwrap();
    assert_eq!(b.timer_registers(3), (124, 13_439));
    b.led_set(4, 1);
    assert_eq!(pwm(&b, blue).map(|p| (p.freq, p.duty_u16)), Some((50, 257)));
    // X6 is TIM2_CH1 too: it takes the channel at the frequency the timer makes already (the
    // time base stays pyb.Timer's), and LED 3 goes dark.
    b.pwm_set(x6, 1000, 4096).unwrap();
    assert_eq!(b.led_get(3), 0);
    assert_eq!(pwm(&b, yellow), None);
    assert_eq!(b.timer_registers(2), (83, 999));
    // TIM3 runs while one of its channels does; then it stops, and LED 4 starts it again at
    // 100 Hz.
    b.pwm_set(y11, 0, 0).unwrap();
    clock.set(1000);
    let running = b.timer_counter(3);
    clock.set(1100);
    assert_ne!(b.timer_counter(3), running);
    b.led_set(4, 0);
    let stopped = b.timer_counter(3);
    clock.set(1500);
    assert_eq!(b.timer_counter(3), stopped);
    b.led_set(4, 10);
    assert_eq!(pwm(&b, blue).map(|p| p.freq), Some(100));
    assert_eq!(b.timer_registers(3), (24, 33_599));
    // pyb.Timer initialised TIM2: it keeps counting without channels.
    b.pwm_set(x6, 0, 0).unwrap();
    let counted = b.timer_counter(2);
    clock.set(1600);
    assert_ne!(b.timer_counter(2), counted);
}
