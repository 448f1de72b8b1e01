//! `machine` and `pyb` against a small recording board: the calls each Python operation
//! makes on the hardware, the errors it maps, and the callbacks the VM runs (timers on a clock
//! the test drives, pin edges, the switch).

mod common;

use common::{run, run_on, setup, Config, Device};
use pyrite_core::hardware::ResetKind;

#[test]
fn pin_drives_and_reads() {
    let (out, log) = run("from machine import Pin\n\
         p = Pin('X1', Pin.OUT)\n\
         print(p)\n\
         p.on(); print(p.value())\n\
         p.off(); print(p())\n\
         p.toggle(); print(p.value())\n\
         p(0); p.value(1); p.high(); p.low()\n\
         q = Pin(1, Pin.IN, Pin.PULL_UP)\n\
         print(q, q.mode() == Pin.IN, q.pull() == Pin.PULL_UP, q.name())\n\
         print(Pin.OUT, Pin.OPEN_DRAIN, Pin.IRQ_RISING | Pin.IRQ_FALLING, p.OUT_PP)\n\
         Pin('X3', Pin.OUT, value=1)\n");
    assert_eq!(
        out,
        "Pin(X1, mode=Pin.OUT)\n1\n0\n1\n\
         Pin(X2, mode=Pin.IN, pull=Pin.PULL_UP) True True X2\n1 17 3 1\n"
    );
    assert_eq!(
        log,
        [
            "init X1 Output None",
            "write X1 1",
            "write X1 0",
            "write X1 1",
            "write X1 0",
            "write X1 1",
            "write X1 1",
            "write X1 0",
            "init X2 Input Up",
            "write X3 1",
            "init X3 Output None",
        ]
    );
}

#[test]
fn pin_errors() {
    let (out, _) = run("from machine import Pin\n\
         for a in (('Z9',), (42,), ('X1', 99)):\n\
         \x20   try:\n\
         \x20       Pin(*a)\n\
         \x20   except ValueError as e:\n\
         \x20       print(e)\n\
         try:\n\
         \x20   Pin('X1', mode=Pin.OUT, bogus=1)\n\
         except TypeError as e:\n\
         \x20   print(e)\n\
         try:\n\
         \x20   Pin('X1').on(1)\n\
         except TypeError as e:\n\
         \x20   print(e)\n");
    assert_eq!(
        out,
        "Pin(Z9) doesn't exist\nPin(42) doesn't exist\ninvalid pin mode: 99\n\
         extra keyword arguments given\nfunction takes 1 positional arguments but 2 were given\n"
    );
}

#[test]
fn without_hardware_imports_work_and_peripherals_are_enodev() {
    let (mut vm, board) = setup(Config {
        hardware: false,
        ..Config::default()
    });
    let out = run_on(
        &mut vm,
        &board,
        "import machine, pyb\n\
         for f in (lambda: machine.Pin('X1'), lambda: pyb.LED(1), lambda: machine.I2C(1),\n\
         \x20         lambda: machine.unique_id()):\n\
         \x20   try:\n\
         \x20       f()\n\
         \x20   except OSError as e:\n\
         \x20       print(e)\n\
         print(machine.Timer(-1), machine.RTC())\n",
    );
    assert_eq!(
        out,
        "[Errno 19] ENODEV\n[Errno 19] ENODEV\n[Errno 19] ENODEV\n[Errno 19] ENODEV\n\
         Timer(mode=PERIODIC, period=1000) <RTC>\n"
    );
}

#[test]
fn led_on_off_toggle_intensity() {
    let (out, log) = run("import pyb\n\
         l = pyb.LED(2)\n\
         print(l)\n\
         l.on(); print(l.intensity())\n\
         l.toggle(); print(l.intensity())\n\
         l.intensity(300); print(l.intensity())\n\
         l.intensity(40); l.toggle(); print(l.intensity())\n\
         l.off()\n\
         for n in (0, 5):\n\
         \x20   try:\n\
         \x20       pyb.LED(n)\n\
         \x20   except ValueError as e:\n\
         \x20       print(e)\n");
    assert_eq!(
        out,
        "LED(2)\n255\n0\n255\n0\nLED(0) doesn't exist\nLED(5) doesn't exist\n"
    );
    assert_eq!(
        log,
        [
            "led 2 255",
            "led 2 0",
            "led 2 255",
            "led 2 40",
            "led 2 0",
            "led 2 0"
        ]
    );
}

/// A board with an EEPROM-like device at 0x50.
fn run_i2c(src: &str, nack_data: bool) -> (String, Vec<String>) {
    let (mut vm, board) = setup(Config::default());
    board.borrow_mut().devices.push(Device {
        addr: 0x50,
        mem: std::array::from_fn(|i| i as u8),
        ptr: 0,
        nack_data,
    });
    let out = run_on(&mut vm, &board, src);
    let log = std::mem::take(&mut board.borrow_mut().log);
    (out, log)
}

#[test]
fn i2c_bus_operations() {
    let (out, log) = run_i2c(
        "from machine import I2C\n\
         i2c = I2C(1, freq=100000)\n\
         print(i2c, i2c.scan())\n\
         print(i2c.readfrom_mem(0x50, 0x10, 3))\n\
         print(i2c.readfrom_mem(0x50, 0x0102, 2, addrsize=16))\n\
         i2c.writeto_mem(0x50, 0x20, b'\\xaa\\xbb')\n\
         b = bytearray(2)\n\
         i2c.readfrom_mem_into(0x50, 0x20, b)\n\
         print(b)\n\
         print(i2c.writeto(0x50, b'\\x30\\x01\\x02'))\n\
         print(i2c.readfrom(0x50, 2))\n\
         print(i2c.writevto(0x50, (b'\\x40', b'', b'\\x05')))\n\
         m = memoryview(bytearray(4))\n\
         i2c.readfrom_into(0x50, m[1:3])\n\
         print(bytes(m))\n",
        false,
    );
    assert_eq!(
        out,
        "I2C(1, freq=100000, timeout=50000) [80]\n\
         b'\\x10\\x11\\x12'\n\
         b'\\x02\\x03'\n\
         bytearray(b'\\xaa\\xbb')\n\
         3\n\
         b'23'\n\
         2\n\
         b'\\x00AB\\x00'\n"
    );
    assert_eq!(
        log,
        [
            "i2c open 1 100000",
            "i2c0 0x50 W[10] R3",
            "i2c0 0x50 W[01 02] R2",
            "i2c0 0x50 W[20] W[aa bb]",
            "i2c0 0x50 W[20] R2",
            "i2c0 0x50 W[30 01 02]",
            "i2c0 0x50 R2",
            "i2c0 0x50 W[40] W[05]",
            "i2c0 0x50 R2",
        ]
    );
}

#[test]
fn i2c_errors_map_to_oserror() {
    let (out, _) = run_i2c(
        "from machine import I2C\n\
         i2c = I2C(1)\n\
         for f in (lambda: i2c.readfrom(0x42, 1), lambda: i2c.writeto(0x42, b'x'),\n\
         \x20         lambda: i2c.writeto_mem(0x50, 0, b'x'),\n\
         \x20         lambda: i2c.readfrom_mem(0x50, 0, 1, addrsize=12)):\n\
         \x20   try:\n\
         \x20       f()\n\
         \x20   except (OSError, ValueError) as e:\n\
         \x20       print(type(e).__name__, e)\n\
         try:\n\
         \x20   I2C(3)\n\
         except ValueError as e:\n\
         \x20   print(e)\n",
        true,
    );
    assert_eq!(
        out,
        "OSError [Errno 19] ENODEV\nOSError [Errno 19] ENODEV\nOSError [Errno 5] EIO\n\
         ValueError invalid addrsize\nI2C(3) doesn't exist\n"
    );
}

#[test]
fn i2c_primitives_replay_as_transactions() {
    let (out, log) = run_i2c(
        "from machine import SoftI2C, Pin\n\
         i2c = SoftI2C(scl=Pin('X9'), sda='X10')\n\
         print(i2c)\n\
         i2c.start(); print(i2c.write(bytes([0x50 << 1, 0x05, 0x77]))); i2c.stop()\n\
         i2c.start(); print(i2c.write(bytes([0x50 << 1, 0x04])))\n\
         i2c.start(); print(i2c.write(bytes([0x50 << 1 | 1])))\n\
         b = bytearray(3); i2c.readinto(b); i2c.stop()\n\
         print(b)\n\
         i2c.start(); print(i2c.write(bytes([0x42 << 1, 1, 2]))); i2c.stop()\n\
         i2c.start(); i2c.write(bytes([0x50 << 1])); i2c.write(b'\\x60'); i2c.write(b'\\x61\\x62'); i2c.stop()\n",
        false,
    );
    assert_eq!(
        out,
        "SoftI2C(scl=X9, sda=X10, freq=400000)\n3\n2\n1\nbytearray(b'\\x04w\\x06')\n0\n"
    );
    assert_eq!(
        log,
        [
            "i2c open soft 3 4 400000",
            "i2c1 0x50 W[05 77]",
            "i2c1 0x50 W[04] R3",
            "i2c1 0x50 W[60 61 62]",
        ]
    );
}

#[test]
fn pyb_i2c_api() {
    let (out, log) = run_i2c(
        "import pyb\n\
         i2c = pyb.I2C(1)\n\
         print(i2c)\n\
         try:\n\
         \x20   i2c.scan()\n\
         except TypeError as e:\n\
         \x20   print(e)\n\
         i2c.init(pyb.I2C.CONTROLLER, baudrate=100000)\n\
         print(i2c, i2c.scan(), i2c.is_ready(0x50), i2c.is_ready(0x51))\n\
         print(i2c.mem_read(2, 0x50, 0x10))\n\
         b = bytearray(1)\n\
         print(i2c.mem_read(b, 0x50, 0x0203, addr_size=16) is b, b)\n\
         i2c.mem_write(0x99, 0x50, 0x08)\n\
         i2c.send(b'\\x08', 0x50)\n\
         print(i2c.recv(1, 0x50))\n\
         try:\n\
         \x20   i2c.send(1, 0x33)\n\
         except OSError as e:\n\
         \x20   print(e)\n\
         try:\n\
         \x20   i2c.send(1)\n\
         except TypeError as e:\n\
         \x20   print(e)\n\
         print(pyb.I2C(1, pyb.I2C.MASTER))\n",
        false,
    );
    assert_eq!(
        out,
        "I2C(1)\nI2C must be a controller\n\
         I2C(1, I2C.CONTROLLER, baudrate=100000) [80] True False\n\
         b'\\x10\\x11'\nTrue bytearray(b'\\x03')\nb'\\x99'\n[Errno 5] EIO\n\
         addr argument required\nI2C(1, I2C.CONTROLLER, baudrate=400000)\n"
    );
    assert_eq!(
        log,
        [
            "i2c open 1 400000",
            "i2c open 1 100000",
            "i2c0 0x50 W[10] R2",
            "i2c0 0x50 W[02 03] R1",
            "i2c0 0x50 W[08] W[99]",
            "i2c0 0x50 W[08]",
            "i2c0 0x50 R1",
            "i2c0 0x33 W[01]",
            "i2c open 1 400000",
        ]
    );
}

#[test]
fn spi_and_uart() {
    let (mut vm, board) = setup(Config::default());
    board.borrow_mut().uart_rx.extend(b"hi\nthere");
    let out = run_on(
        &mut vm,
        &board,
        "from machine import SPI, UART\n\
         s = SPI(1, baudrate=2000000, polarity=1)\n\
         print(s)\n\
         print(s.read(2, 0x10))\n\
         s.write(b'\\x01\\x02')\n\
         r = bytearray(2); s.write_readinto(b'\\x05\\x06', r); print(r)\n\
         s.init(firstbit=SPI.LSB); print(s.read(1, 0x01))\n\
         try:\n\
         \x20   s.write_readinto(b'ab', bytearray(1))\n\
         except ValueError as e:\n\
         \x20   print(e)\n\
         u = UART(2, 115200)\n\
         print(u.any(), u.readline(), u.read(3), u.read(), u.read())\n\
         print(u.write('ok'))\n\
         try:\n\
         \x20   UART(4)\n\
         except ValueError as e:\n\
         \x20   print(e)\n",
    );
    assert_eq!(
        out,
        "SPI(1, baudrate=2000000, polarity=1, phase=0, bits=8)\n\
         b'\\x11\\x11'\nbytearray(b'\\x06\\x07')\nb'\\x81'\nbuffers must be the same length\n\
         8 b'hi\\n' b'the' b're' None\n2\nUART(4) doesn't exist\n"
    );
    let log = std::mem::take(&mut board.borrow_mut().log);
    assert_eq!(
        log,
        [
            "spi open 1 2000000 1 0",
            "spi W[10 10] R2",
            "spi W[01 02] R0",
            "spi W[05 06] R2",
            "spi open 1 2000000 1 0",
            "spi W[80] R1",
            "uart open 2 115200",
            "uart W[6f 6b]",
        ]
    );
}

#[test]
fn adc_and_pwm() {
    let (out, log) = run("from machine import ADC, PWM, Pin\n\
         import pyb\n\
         a = ADC(Pin('X1'))\n\
         print(a.read_u16(), pyb.ADC('X1').read())\n\
         try:\n\
         \x20   ADC('X2')\n\
         except ValueError as e:\n\
         \x20   print(e)\n\
         p = PWM('X3', freq=500, duty_u16=16384)\n\
         print(p.freq(), p.duty_u16(), p.duty_ns())\n\
         p.duty_ns(1000000); print(p.duty_u16())\n\
         p.freq(1000); p.deinit()\n\
         print(p)\n");
    assert_eq!(
        out,
        "34661 2166\nPin(X2) doesn't have ADC capabilities\n500 16384 500000\n32768\n\
         PWM(Pin(X3), freq=1000, duty_u16=32768)\n"
    );
    assert_eq!(
        log,
        [
            "pwm X3 500 16384",
            "pwm X3 500 32768",
            "pwm X3 1000 32768",
            "pwm X3 0 0"
        ]
    );
}

#[test]
fn pwm_errors_are_value_errors() {
    let (out, log) = run("from machine import PWM\n\
         p = PWM('X1', freq=1000, duty_u16=100)\n\
         for f in (lambda: PWM('Y1', freq=1000), lambda: p.freq(100_000_000), lambda: p.freq(2),\n\
         \x20         lambda: p.freq(0), lambda: PWM('Y1').deinit()):\n\
         \x20   try:\n\
         \x20       f()\n\
         \x20   except ValueError as e:\n\
         \x20       print(e)\n\
         print(p.freq())\n");
    assert_eq!(
        out,
        "Pin(Y1) doesn't have PWM capabilities\nfreq too large\nfreq too small\n\
         freq must be positive\nPin(Y1) doesn't have PWM capabilities\n1000\n"
    );
    assert_eq!(log, ["pwm X1 1000 100"]);
}

#[test]
fn soft_spi_opens_on_its_pins() {
    let (out, log) = run("from machine import SoftSPI, SPI, Pin\n\
         s = SoftSPI(baudrate=100000, polarity=1, sck=Pin('X1'), mosi='X2', miso='X3')\n\
         print(s.read(1, 0x41))\n\
         s.init(baudrate=200000, sck='X9', mosi='X10', miso='Y1')\n\
         try:\n\
         \x20   SoftSPI(sck='X1', mosi='X2')\n\
         except ValueError as e:\n\
         \x20   print(e)\n");
    assert_eq!(out, "b'B'\nmust specify all of sck/mosi/miso\n");
    assert_eq!(
        log,
        [
            "spi open soft 0 1 2 100000 1 0",
            "spi W[41] R1",
            "spi open soft 3 4 5 200000 0 0",
        ]
    );
}

#[test]
fn timers_fire_from_the_vm() {
    let (mut vm, board) = setup(Config::default());
    let out = run_on(
        &mut vm,
        &board,
        "import time\n\
         from machine import Timer\n\
         hits = []\n\
         t1 = Timer(-1, mode=Timer.ONE_SHOT, period=50, callback=lambda t: hits.append(('one', time.ticks_ms())))\n\
         t2 = Timer(-1, period=20, callback=lambda t: hits.append(('per', time.ticks_ms(), t is t2)))\n\
         print(t1, t2)\n\
         time.sleep_ms(75)\n\
         t2.deinit()\n\
         time.sleep_ms(100)\n\
         print(hits)\n\
         t3 = Timer(freq=100, callback=lambda t: hits.append('busy'))\n\
         hits.clear()\n\
         while len(hits) < 3:\n\
         \x20   time.sleep_us(100)\n\
         t3.deinit()\n\
         print(hits)\n",
    );
    assert_eq!(
        out,
        "Timer(mode=ONE_SHOT, period=50) Timer(mode=PERIODIC, period=20)\n\
         [('per', 20, True), ('per', 40, True), ('one', 50), ('per', 60, True)]\n\
         ['busy', 'busy', 'busy']\n"
    );
}

#[test]
fn callback_errors_are_printed_and_hard_ones_stop() {
    let (mut vm, board) = setup(Config::default());
    let out = run_on(
        &mut vm,
        &board,
        "import time\n\
         from machine import Timer\n\
         n = [0]\n\
         def bad(t):\n\
         \x20   n[0] += 1\n\
         \x20   raise ValueError('boom')\n\
         t = Timer(period=10, callback=bad, hard=True)\n\
         time.sleep_ms(50)\n\
         print(n)\n",
    );
    assert!(
        out.contains("Uncaught exception in IRQ callback handler\n"),
        "{out}"
    );
    assert!(out.contains("ValueError: boom\n"), "{out}");
    assert!(out.ends_with("[1]\n"), "{out}");
}

#[test]
fn pin_irq_handler_runs_at_the_poll_point() {
    let (mut vm, board) = setup(Config::default());
    board.borrow_mut().events.extend([1, 2, 1]);
    let out = run_on(
        &mut vm,
        &board,
        "from machine import Pin\n\
         seen = []\n\
         p = Pin('X2', Pin.IN)\n\
         print(p.irq(lambda pin: seen.append(pin), Pin.IRQ_FALLING))\n\
         i = 0\n\
         while len(seen) < 2 and i < 100000:\n\
         \x20   i += 1\n\
         print(len(seen), seen[0] is p, seen[1])\n\
         p.irq(None)\n",
    );
    assert_eq!(out, "None\n2 True Pin(X2, mode=Pin.IN)\n");
    let log = std::mem::take(&mut board.borrow_mut().log);
    assert_eq!(log, ["init X2 Input None", "irq X2 2", "irq X2 0"]);
}

#[test]
fn switch_callback_on_press() {
    let (mut vm, board) = setup(Config::default());
    let b2 = board.clone();
    let out = run_on(
        &mut vm,
        &board,
        "import pyb\n\
         sw = pyb.Switch()\n\
         print(sw, sw(), sw.value())\n\
         presses = []\n\
         sw.callback(lambda: presses.append(1))\n",
    );
    assert_eq!(out, "Switch() False False\n");
    // Press, hold across polls, release, press again: two calls.
    for down in [true, true, false, true] {
        b2.borrow_mut().switch = down;
        vm.service_events().unwrap();
    }
    let out = run_on(&mut vm, &board, "print(presses)\n");
    assert_eq!(out, "[1, 1]\n");
}

#[test]
fn reset_requests_end_the_program() {
    for (call, kind) in [
        ("machine.reset()", ResetKind::Hard),
        ("machine.soft_reset()", ResetKind::Soft),
        ("machine.bootloader()", ResetKind::Bootloader),
        ("pyb.hard_reset()", ResetKind::Hard),
    ] {
        let (mut vm, board) = setup(Config::default());
        let src = format!("import machine, pyb\n{call}\nprint('not reached')\n");
        let err = vm.run_main(&src, "<test>").unwrap_err();
        assert_eq!(vm.exc_name(err), "SystemExit");
        assert_eq!(vm.take_reset_request(), Some(kind));
        assert_eq!(vm.take_reset_request(), None);
        assert_eq!(board.borrow().resets, [kind]);
    }
    // From a timer callback too.
    let (mut vm, _board) = setup(Config::default());
    let err = vm
        .run_main(
            "import machine, time\n\
             machine.Timer(period=5, callback=lambda t: machine.reset())\n\
             time.sleep_ms(20)\n\
             print('not reached')\n",
            "<test>",
        )
        .unwrap_err();
    assert_eq!(vm.exc_name(err), "SystemExit");
    assert_eq!(vm.take_reset_request(), Some(ResetKind::Hard));
}

#[test]
fn chip_functions_and_rtc() {
    let (out, _) = run("import machine, pyb\n\
         print(machine.unique_id(), machine.freq(), pyb.freq(), machine.reset_cause() == machine.HARD_RESET)\n\
         s = machine.disable_irq(); print(s); machine.enable_irq(s)\n\
         r = machine.RTC()\n\
         r.datetime((2024, 2, 29, 0, 23, 59, 58, 0))\n\
         print(r.datetime())\n\
         pyb.delay(2500)\n\
         print(r.datetime())\n\
         r.init((2000, 1, 1))\n\
         print(r.datetime()[:7])\n\
         t = pyb.millis(); pyb.udelay(3000); print(pyb.elapsed_millis(t), pyb.elapsed_micros(pyb.micros()))\n\
         print(sorted(dir(machine.Pin))[:4])\n");
    assert_eq!(
        out,
        "b'\\x01\\x02\\x03' 168000000 168000000 True\n0\n\
         (2024, 2, 29, 4, 23, 59, 58, 0)\n(2024, 3, 1, 5, 0, 0, 0, 500000)\n\
         (2000, 1, 1, 6, 0, 0, 0)\n3 0\n['AF_OD', 'AF_PP', 'ALT', 'ALT_OPEN_DRAIN']\n"
    );
}

#[test]
fn class_constant_tables_are_sorted() {
    use pyrite_core::types::{class_consts, ty};
    for t in [ty::PIN, ty::SPI, ty::TIMER, ty::PYB_I2C] {
        let c = class_consts(t);
        assert!(!c.is_empty());
        assert!(c.windows(2).all(|w| w[0].0 < w[1].0), "{c:?}");
    }
}

#[test]
fn scheduled_work_runs_while_sleeping_and_ctrl_c_leaves() {
    let (mut vm, board) = setup(Config::default());
    let out = run_on(
        &mut vm,
        &board,
        "import micropython, time\n\
         from machine import Timer\n\
         done = []\n\
         t = Timer(mode=Timer.ONE_SHOT, period=10, hard=True,\n\
         \x20         callback=lambda t: micropython.schedule(done.append, time.ticks_ms()))\n\
         time.sleep(1)\n\
         print(done)\n\
         Timer(period=10, callback=lambda t: exec('raise KeyboardInterrupt'))\n\
         time.sleep(1)\n\
         print('not reached')\n",
    );
    assert_eq!(out, "[10]\nKeyboardInterrupt: \n");
}

#[test]
fn soft_reset_stops_pin_interrupts() {
    let (mut vm, board) = setup(Config::default());
    run_on(
        &mut vm,
        &board,
        "from machine import Pin, Timer\n\
         Pin('X1').irq(print)\n\
         Timer(period=10, callback=print)\n",
    );
    board.borrow_mut().log.clear();
    vm.soft_reset();
    assert_eq!(board.borrow().log, ["irq X1 0"]);
}

#[test]
fn huge_reads_are_memory_errors() {
    let (out, _) = run_i2c(
        "from machine import I2C, SPI\n\
         import pyb\n\
         for f in (lambda: I2C(1).readfrom(0x50, 1 << 40), lambda: SPI(1).read(-1),\n\
         \x20         lambda: pyb.I2C(1, pyb.I2C.CONTROLLER).recv(1 << 29, 0x50)):\n\
         \x20   try:\n\
         \x20       f()\n\
         \x20   except MemoryError:\n\
         \x20       print('MemoryError')\n",
        false,
    );
    assert_eq!(out, "MemoryError\nMemoryError\nMemoryError\n");
}
