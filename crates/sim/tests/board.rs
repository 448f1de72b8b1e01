//! The simulated pyboard through the `Hardware` trait, as `machine` and `pyb` use it, and
//! through the methods a UI uses.

use pyrite_core::hardware::{
    Hardware, I2cId, I2cOp, PinMode, Pull, ResetKind, EIO, ENODEV, IRQ_FALLING, IRQ_RISING,
};
use pyrite_sim::devices::crc8;
use pyrite_sim::{Event, SimBoard};

fn pin(b: &SimBoard, name: &str) -> u16 {
    b.pin_by_name(name).unwrap()
}

fn lines(b: &mut SimBoard) -> Vec<String> {
    b.take_events().iter().map(|e| e.to_string()).collect()
}

#[test]
fn names() {
    let b = SimBoard::new();
    assert_eq!(pin(&b, "X1"), pin(&b, "A0"));
    assert_eq!(pin(&b, "LED_RED"), pin(&b, "A13"));
    assert_eq!(b.pin_name(pin(&b, "A0")), "X1");
    assert_eq!(b.pin_name(pin(&b, "B4")), "LED_BLUE");
    assert_eq!(b.pin_name(pin(&b, "C14")), "C14");
    assert_eq!(b.pin_by_name("X23"), None);
}

#[test]
fn output_pins_log_their_level() {
    let mut b = SimBoard::new();
    assert!(b.take_events().is_empty());
    let x1 = pin(&b, "X1");
    b.pin_write(x1, true);
    assert!(
        lines(&mut b).is_empty(),
        "an input does not drive its output register"
    );
    b.pin_init(x1, PinMode::Output, Pull::None).unwrap();
    b.pin_write(x1, true);
    b.pin_write(x1, false);
    b.pin_write(x1, false);
    assert_eq!(lines(&mut b), ["pin X1 1", "pin X1 0"]);
    assert!(!b.pin_read(x1));
    b.pin_init(x1, PinMode::Input, Pull::None).unwrap();
    assert!(lines(&mut b).is_empty());
}

#[test]
fn inputs_read_the_outside_or_their_pull() {
    let mut b = SimBoard::new();
    let y1 = pin(&b, "Y1");
    assert!(!b.pin_read(y1));
    b.pin_init(y1, PinMode::Input, Pull::Up).unwrap();
    assert!(b.pin_read(y1));
    b.set_input(y1, false);
    assert!(!b.pin_read(y1));
    b.disconnect(y1);
    assert!(b.pin_read(y1));
    b.pin_init(y1, PinMode::Input, Pull::Down).unwrap();
    assert!(!b.pin_read(y1));
    // An open-drain output reads low while it pulls low, else what the line does.
    b.pin_init(y1, PinMode::OpenDrain, Pull::Up).unwrap();
    b.pin_write(y1, true);
    assert!(b.pin_read(y1));
    b.set_input(y1, false);
    assert!(!b.pin_read(y1));
    b.set_input(y1, true);
    b.pin_write(y1, false);
    assert!(!b.pin_read(y1));
}

#[test]
fn led_pins_and_leds_agree() {
    let mut b = SimBoard::new();
    let red = pin(&b, "LED_RED");
    assert_eq!(b.led_count(), 4);
    b.pin_write(red, true);
    assert_eq!((b.led_get(1), b.leds()[0]), (255, 255));
    assert_eq!(lines(&mut b), ["led 1 255"]);
    b.led_set(1, 0);
    assert!(!b.pin_read(red));
    b.led_set(2, 255);
    assert!(b.pin_read(pin(&b, "LED_GREEN")));
    // LEDs 1 and 2 are only on or off; 3 and 4 dim by PWM.
    b.led_set(1, 100);
    b.led_set(4, 100);
    assert_eq!((b.led_get(1), b.led_get(4)), (255, 100));
    let blue = b.pin(pin(&b, "LED_BLUE")).unwrap();
    assert_eq!(blue.mode, PinMode::Alt);
    assert_eq!(blue.pwm.map(|p| p.duty_u16 >> 8), Some(100));
    assert_eq!(
        lines(&mut b),
        ["led 1 0", "led 2 255", "led 1 255", "led 4 100"]
    );
    // machine.PWM on an LED pin shows as its intensity.
    let yellow = pin(&b, "LED_YELLOW");
    b.pwm_set(yellow, 1000, 0x8000).unwrap();
    assert_eq!(b.led_get(3), 0x80);
    b.pin_init(yellow, PinMode::Output, Pull::None).unwrap();
    assert_eq!(b.led_get(3), 0);
    assert_eq!(lines(&mut b), ["led 3 128", "led 3 0"]);
}

#[test]
fn switch() {
    let mut b = SimBoard::new();
    let sw = pin(&b, "SW");
    assert_eq!(sw, pin(&b, "X17"));
    assert_eq!(b.switch_pressed(), Some(false));
    assert!(b.pin_read(sw));
    b.press(true);
    assert_eq!(b.switch_pressed(), Some(true));
    assert!(!b.pin_read(sw));
    b.press(false);
    assert_eq!(b.switch_pressed(), Some(false));
}

#[test]
fn pin_interrupts() {
    let mut b = SimBoard::new();
    let x2 = pin(&b, "X2");
    let x3 = pin(&b, "X3");
    b.pin_irq(x2, IRQ_FALLING).unwrap();
    b.pin_irq(x3, IRQ_RISING | IRQ_FALLING).unwrap();
    b.set_input(x2, true);
    assert_eq!(b.take_pin_event(), None);
    b.set_input(x3, true);
    b.set_input(x2, false);
    // Edges before the handler ran are one event, as a pending interrupt flag.
    b.set_input(x3, false);
    assert_eq!(b.take_pin_event(), Some(x3));
    assert_eq!(b.take_pin_event(), Some(x2));
    assert_eq!(b.take_pin_event(), None);
    // An output's own edges count too.
    b.pin_init(x2, PinMode::Output, Pull::None).unwrap();
    b.pin_write(x2, true);
    b.pin_write(x2, false);
    assert_eq!(b.take_pin_event(), Some(x2));
    b.pin_irq(x2, 0).unwrap();
    b.pin_write(x2, true);
    b.pin_write(x2, false);
    assert_eq!(b.take_pin_event(), None);
    b.press(true);
    assert_eq!(b.take_pin_event(), None);
    assert_eq!(b.pin_irq(999, IRQ_RISING), Err(ENODEV));
}

fn scan(b: &mut SimBoard, bus: u8) -> Vec<u8> {
    (0x08..0x78)
        .filter(|&a| b.i2c_transaction(bus, a, &mut [I2cOp::Write(&[])]).is_ok())
        .collect()
}

#[test]
fn i2c_buses() {
    let mut b = SimBoard::new();
    let bus1 = b.i2c_open(I2cId::Hard(1), 400_000).unwrap();
    assert_eq!(scan(&mut b, bus1), [0x3c, 0x42, 0x44, 0x50]);
    assert_eq!(
        b.i2c_transaction(bus1, 0x51, &mut [I2cOp::Write(&[0])]),
        Err(ENODEV)
    );
    let bus2 = b.i2c_open(I2cId::Hard(2), 400_000).unwrap();
    assert!(scan(&mut b, bus2).is_empty());
    assert_eq!(b.i2c_open(I2cId::Hard(3), 400_000), Err(ENODEV));
    // Software I2C on Y9/Y10 is bus 2; on any other pins, bus 1.
    let (y9, y10) = (pin(&b, "Y9"), pin(&b, "Y10"));
    let soft = b
        .i2c_open(I2cId::Soft { scl: y9, sda: y10 }, 100_000)
        .unwrap();
    assert!(scan(&mut b, soft).is_empty());
    let (x1, x2) = (pin(&b, "X1"), pin(&b, "X2"));
    let soft = b
        .i2c_open(I2cId::Soft { scl: x1, sda: x2 }, 100_000)
        .unwrap();
    assert_eq!(scan(&mut b, soft).len(), 4);
    assert_eq!(b.pin(pin(&b, "X9")).unwrap().mode, PinMode::AltOpenDrain);
}

#[test]
fn i2c_log_and_a_wired_device() {
    let mut b = SimBoard::new();
    b.i2c_bus_mut(2)
        .unwrap()
        .add(Box::new(pyrite_sim::Memory::new(0x10)));
    let bus2 = b.i2c_open(I2cId::Hard(2), 400_000).unwrap();
    b.set_log_i2c(true);
    let mut buf = [0; 3];
    b.i2c_transaction(bus2, 0x10, &mut [I2cOp::Write(&[4]), I2cOp::Read(&mut buf)])
        .unwrap();
    let _ = b.i2c_transaction(bus2, 0x11, &mut []);
    assert_eq!(
        lines(&mut b),
        ["i2c 2 0x10 w1 r3", "i2c 2 0x11 w0 r0 ENODEV"]
    );
}

#[test]
fn sht31_through_the_board() {
    let mut b = SimBoard::new();
    b.set_climate(-10.0, 80.0);
    let bus = b.i2c_open(I2cId::Hard(1), 400_000).unwrap();
    b.i2c_transaction(bus, 0x44, &mut [I2cOp::Write(&[0x24, 0x00])])
        .unwrap();
    let mut r = [0; 6];
    b.i2c_transaction(bus, 0x44, &mut [I2cOp::Read(&mut r)])
        .unwrap();
    assert!(crc8(&r[..2]) == r[2] && crc8(&r[3..5]) == r[5]);
    let t = -45.0 + 175.0 * f32::from(u16::from_be_bytes([r[0], r[1]])) / 65535.0;
    let rh = 100.0 * f32::from(u16::from_be_bytes([r[3], r[4]])) / 65535.0;
    assert!(
        (t + 10.0).abs() < 0.01 && (rh - 80.0).abs() < 0.01,
        "{t} {rh}"
    );
    // A command the sensor does not know is not acknowledged.
    assert_eq!(
        b.i2c_transaction(bus, 0x44, &mut [I2cOp::Write(&[0xab, 0xcd])]),
        Err(EIO)
    );
}

#[test]
fn oled_through_the_board() {
    let mut b = SimBoard::new();
    let bus = b.i2c_open(I2cId::Hard(1), 400_000).unwrap();
    for c in [0x8d, 0x14, 0xa1, 0xc8, 0xaf, 0xb0, 0x00, 0x10] {
        b.i2c_transaction(bus, 0x3c, &mut [I2cOp::Write(&[0x80, c])])
            .unwrap();
    }
    let before = b.oled().unwrap().revision();
    b.i2c_transaction(bus, 0x3c, &mut [I2cOp::Write(&[0x40, 0x01, 0x02])])
        .unwrap();
    let oled = b.oled().unwrap();
    assert_ne!(oled.revision(), before);
    assert!(oled.pixel(0, 0) && oled.pixel(1, 1) && !oled.pixel(1, 0));
}

#[test]
fn spi_loopback() {
    let mut b = SimBoard::new();
    let mut r = [0; 3];
    assert_eq!(b.spi_transfer(1, &[1, 2, 3], &mut r), Err(ENODEV));
    let spi = b.spi_open(1, 1_000_000, 0, 0).unwrap();
    b.spi_transfer(spi, &[1, 2, 3], &mut r).unwrap();
    assert_eq!(r, [1, 2, 3]);
    b.spi_transfer(spi, &[9], &mut []).unwrap();
    let soft = b.spi_open(-1, 500_000, 1, 1).unwrap();
    b.spi_transfer(soft, &[7], &mut r[..1]).unwrap();
    assert_eq!(r[0], 7);
    assert_eq!(b.spi_open(3, 1_000_000, 0, 0), Err(ENODEV));
    assert_eq!(b.pin(pin(&b, "X6")).unwrap().mode, PinMode::Alt);
}

#[test]
fn uarts() {
    let mut b = SimBoard::new();
    assert_eq!(b.uart_open(5, 9600), Err(ENODEV));
    assert_eq!(b.uart_open(7, 9600), Err(ENODEV));
    assert_eq!(b.uart_write(1, b"x"), Err(ENODEV));
    let u = b.uart_open(1, 115_200).unwrap();
    assert_eq!(b.uart_write(u, b"hello\n"), Ok(6));
    assert_eq!(b.uart_any(u), 6);
    let mut buf = [0; 4];
    assert_eq!(b.uart_read(u, &mut buf), Ok(4));
    assert_eq!(&buf, b"hell");
    assert_eq!(b.uart_read(u, &mut buf), Ok(2));
    assert_eq!(b.uart_read(u, &mut buf), Ok(0));
    assert_eq!(lines(&mut b), ["uart 1 b'hello\\n'"]);
    // The outside sends; with loopback off, what is written does not come back.
    let u6 = b.uart_open(6, 9600).unwrap();
    let outside = b.uart_mut(6).unwrap();
    outside.loopback = false;
    outside.receive(b"ok");
    b.uart_write(u6, b"AT").unwrap();
    assert_eq!(b.uart_read(u6, &mut buf), Ok(2));
    assert_eq!(&buf[..2], b"ok");
    assert_eq!(b.uart(6).unwrap().baudrate, 9600);
}

#[test]
fn adc_and_pwm() {
    let mut b = SimBoard::new();
    let x1 = pin(&b, "X1");
    b.set_analog(x1, 12345);
    assert_eq!(b.adc_read_u16(x1), Ok(12345));
    let x19 = pin(&b, "X19");
    assert_eq!(b.adc_read_u16(x19), Ok(0));
    b.set_input(x19, true);
    assert_eq!(b.adc_read_u16(x19), Ok(65535));
    assert_eq!(b.adc_read_u16(pin(&b, "Y1")), Err(ENODEV));
    b.pwm_set(x1, 1000, 0x4000).unwrap();
    b.pwm_set(x1, 1000, 0x4000).unwrap();
    b.pwm_set(x1, 0, 0).unwrap();
    b.pwm_set(x1, 50, 0xffff).unwrap();
    b.pin_init(x1, PinMode::Input, Pull::None).unwrap();
    assert_eq!(
        lines(&mut b),
        [
            "pwm X1 1000 16384",
            "pwm X1 off",
            "pwm X1 50 65535",
            "pwm X1 off"
        ]
    );
}

#[test]
fn the_chip_and_resets() {
    let mut b = SimBoard::new();
    assert_eq!(b.unique_id().len(), 12);
    assert_eq!(b.freq(), 168_000_000);
    assert_eq!(b.reset_cause(), 1);
    b.request_reset(ResetKind::Hard);
    assert_eq!(b.take_reset(), Some(ResetKind::Hard));
    assert_eq!(b.take_reset(), None);
    let x1 = pin(&b, "X1");
    b.pin_init(x1, PinMode::Output, Pull::None).unwrap();
    b.pin_irq(x1, IRQ_RISING).unwrap();
    b.led_set(2, 255);
    b.pwm_set(pin(&b, "X2"), 10, 1).unwrap();
    b.take_events();
    b.reset(ResetKind::Soft);
    assert_eq!(lines(&mut b), ["pwm X2 off"]);
    assert_eq!(b.reset_cause(), 1);
    assert_eq!(b.led_get(2), 255);
    b.pin_write(x1, true);
    assert_eq!(b.take_pin_event(), None);
    assert_eq!(lines(&mut b), ["pin X1 1"]);
    b.reset(ResetKind::Hard);
    assert_eq!(lines(&mut b), ["led 2 0"]);
    assert_eq!(b.reset_cause(), 2);
    assert_eq!(b.pin(x1).unwrap().mode, PinMode::Input);
    assert_eq!(b.led_get(2), 0);
}

#[test]
fn events_print_as_lines() {
    let e = Event::Led { n: 4, intensity: 7 };
    assert_eq!(e.to_string(), "led 4 7");
}
