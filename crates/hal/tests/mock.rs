//! `HalBoard` against `embedded-hal-mock` drivers: each test states the exact driver calls a
//! `Hardware` call must make.

use embedded_hal::i2c::{ErrorKind, NoAcknowledgeSource};
use embedded_hal_mock::eh1::digital::{Mock as PinMock, State, Transaction as PinT};
use embedded_hal_mock::eh1::i2c::{Mock as I2cMock, Transaction as I2cT};
use embedded_hal_mock::eh1::spi::{Mock as SpiMock, Transaction as SpiT};
use pyrite_core::hardware::{
    Hardware, I2cId, I2cOp, PinMode, Pull, ResetKind, EINVAL, EIO, ENODEV, IRQ_RISING,
};
use pyrite_hal::{i2c_errno, HalBoard, Input, OpenDrain, Output};

fn nack(source: NoAcknowledgeSource) -> ErrorKind {
    ErrorKind::NoAcknowledge(source)
}

#[test]
fn i2c_transactions_map_to_the_drivers_calls() {
    let expectations = [
        I2cT::write_read(0x50, vec![0x00, 0x10], vec![7, 8]),
        I2cT::write(0x3c, vec![0x80, 0xaf]),
        I2cT::read(0x44, vec![1, 2, 3]),
        I2cT::write(0x42, vec![]),
        // `writevto` of two buffers: one transaction.
        I2cT::transaction_start(0x3c),
        I2cT::write(0x3c, vec![0x40]),
        I2cT::write(0x3c, vec![1, 2]),
        I2cT::transaction_end(0x3c),
    ];
    let mut i2c = I2cMock::new(&expectations);
    let mut board = HalBoard::new();
    board.add_i2c(I2cId::Hard(1), i2c.clone());
    assert_eq!(board.i2c_open(I2cId::Hard(2), 400_000), Err(ENODEV));
    let bus = board.i2c_open(I2cId::Hard(1), 400_000).unwrap();
    let mut buf = [0; 2];
    board
        .i2c_transaction(
            bus,
            0x50,
            &mut [I2cOp::Write(&[0x00, 0x10]), I2cOp::Read(&mut buf)],
        )
        .unwrap();
    assert_eq!(buf, [7, 8]);
    board
        .i2c_transaction(bus, 0x3c, &mut [I2cOp::Write(&[0x80, 0xaf])])
        .unwrap();
    let mut three = [0; 3];
    board
        .i2c_transaction(bus, 0x44, &mut [I2cOp::Read(&mut three)])
        .unwrap();
    assert_eq!(three, [1, 2, 3]);
    board.i2c_transaction(bus, 0x42, &mut []).unwrap();
    board
        .i2c_transaction(
            bus,
            0x3c,
            &mut [I2cOp::Write(&[0x40]), I2cOp::Write(&[1, 2])],
        )
        .unwrap();
    assert_eq!(board.i2c_transaction(9, 0x3c, &mut []), Err(ENODEV));
    i2c.done();
}

#[test]
fn i2c_errors_become_errno() {
    let expectations = [
        I2cT::write(0x51, vec![]).with_error(nack(NoAcknowledgeSource::Address)),
        I2cT::write(0x50, vec![1, 2]).with_error(nack(NoAcknowledgeSource::Data)),
        I2cT::write_read(0x44, vec![0xf3], vec![0; 2]).with_error(ErrorKind::Bus),
    ];
    let mut i2c = I2cMock::new(&expectations);
    let mut board = HalBoard::new();
    let (scl, sda) = (3, 4);
    board.add_i2c(I2cId::Soft { scl, sda }, i2c.clone());
    let bus = board.i2c_open(I2cId::Soft { scl, sda }, 100_000).unwrap();
    assert_eq!(board.i2c_transaction(bus, 0x51, &mut []), Err(ENODEV));
    assert_eq!(
        board.i2c_transaction(bus, 0x50, &mut [I2cOp::Write(&[1, 2])]),
        Err(EIO)
    );
    let mut buf = [0; 2];
    assert_eq!(
        board.i2c_transaction(
            bus,
            0x44,
            &mut [I2cOp::Write(&[0xf3]), I2cOp::Read(&mut buf)]
        ),
        Err(EIO)
    );
    i2c.done();
    assert_eq!(i2c_errno(nack(NoAcknowledgeSource::Unknown)), ENODEV);
    assert_eq!(i2c_errno(ErrorKind::ArbitrationLoss), EIO);
    assert_eq!(i2c_errno(ErrorKind::Overrun), EIO);
    assert_eq!(i2c_errno(ErrorKind::Other), EIO);
}

#[test]
fn output_pins_and_leds() {
    let expectations = [
        // `add_led` reads the LED's level.
        PinT::get_state(State::Low),
        PinT::set(State::High),
        PinT::set(State::Low),
        PinT::get_state(State::Low),
        PinT::set(State::High),
        PinT::set(State::Low),
    ];
    let mut pin = PinMock::new(&expectations);
    let mut board = HalBoard::new();
    let led = board.add_pin("LED", Some(8), Output(pin.clone()));
    assert_eq!(board.add_led(led, false), 1);
    assert_eq!(board.pin_by_name("LED"), Some(led));
    assert_eq!(board.pin_by_number(8), Some(led));
    assert_eq!(board.pin_name(led), "LED");
    board.pin_init(led, PinMode::Output, Pull::None).unwrap();
    assert_eq!(board.pin_init(led, PinMode::Input, Pull::Up), Err(EINVAL));
    board.pin_write(led, true);
    assert_eq!(board.led_get(1), 255);
    board.pin_write(led, false);
    assert!(!board.pin_read(led));
    assert_eq!(board.led_get(1), 0);
    board.led_set(1, 30);
    assert_eq!(board.led_get(1), 255);
    board.led_set(1, 0);
    assert_eq!(board.led_count(), 1);
    board.led_set(2, 255);
    pin.done();
}

#[test]
fn active_low_led() {
    let expectations = [PinT::get_state(State::High), PinT::set(State::Low)];
    let mut pin = PinMock::new(&expectations);
    let mut board = HalBoard::new();
    let p = board.add_pin("LED_BLUE", None, Output(pin.clone()));
    board.add_led(p, true);
    assert_eq!(board.led_get(1), 0);
    board.led_set(1, 255);
    assert_eq!(board.led_get(1), 255);
    pin.done();
}

#[test]
fn input_pins_switch_and_polled_interrupts() {
    let expectations = [
        PinT::get(State::High), // pin_irq
        PinT::get(State::Low),  // take_pin_event: a falling edge, not watched
        PinT::get(State::High), // take_pin_event: a rising edge
        PinT::get(State::High), // take_pin_event: no change
        PinT::get(State::Low),  // switch_pressed
    ];
    let mut pin = PinMock::new(&expectations);
    let mut board = HalBoard::new();
    let sw = board.add_pin("SW", None, Input(pin.clone()));
    board.add_alias("BOOT", sw);
    assert_eq!(board.pin_by_name("BOOT"), Some(sw));
    assert_eq!(board.pin_init(sw, PinMode::Output, Pull::None), Err(EINVAL));
    board.pin_init(sw, PinMode::Input, Pull::Up).unwrap();
    board.set_switch(sw, true);
    board.pin_irq(sw, IRQ_RISING).unwrap();
    assert_eq!(board.take_pin_event(), None);
    assert_eq!(board.take_pin_event(), Some(sw));
    assert_eq!(board.take_pin_event(), None);
    assert_eq!(board.switch_pressed(), Some(true));
    pin.done();
    assert_eq!(HalBoard::new().switch_pressed(), None);
}

#[test]
fn open_drain_pins() {
    let expectations = [
        PinT::set(State::High), // Pin.IN releases the line
        PinT::set(State::Low),  // Pin.OPEN_DRAIN with the value written while released
        PinT::get(State::Low),
        PinT::set(State::High),
    ];
    let mut pin = PinMock::new(&expectations);
    let mut board = HalBoard::new();
    let p = board.add_pin("SDA", None, OpenDrain::new(pin.clone()));
    board.pin_init(p, PinMode::Input, Pull::None).unwrap();
    board.pin_write(p, false);
    board.pin_init(p, PinMode::OpenDrain, Pull::None).unwrap();
    assert!(!board.pin_read(p));
    board.pin_write(p, true);
    assert_eq!(board.pin_init(p, PinMode::Analog, Pull::None), Err(EINVAL));
    pin.done();
}

#[test]
fn spi() {
    let expectations = [
        SpiT::transfer(vec![1, 2], vec![3, 4]),
        SpiT::flush(),
        SpiT::write_vec(vec![9]),
        SpiT::flush(),
    ];
    let mut spi = SpiMock::new(&expectations);
    let mut board = HalBoard::new();
    board.add_spi(1, spi.clone());
    assert_eq!(board.spi_open(2, 1_000_000, 0, 0), Err(ENODEV));
    let bus = board.spi_open(1, 1_000_000, 0, 0).unwrap();
    let mut r = [0; 2];
    board.spi_transfer(bus, &[1, 2], &mut r).unwrap();
    assert_eq!(r, [3, 4]);
    board.spi_transfer(bus, &[9], &mut []).unwrap();
    spi.done();
}

#[test]
fn the_chip() {
    let mut board = HalBoard::new();
    assert_eq!(board.pin_init(0, PinMode::Input, Pull::None), Err(ENODEV));
    assert_eq!(board.pin_by_name("X1"), None);
    board.set_unique_id(&[1, 2, 3, 4, 5, 6]);
    board.set_freq(160_000_000);
    assert_eq!(board.unique_id(), [1, 2, 3, 4, 5, 6]);
    assert_eq!(board.freq(), 160_000_000);
    assert_eq!(board.reset_cause(), 1);
    board.set_reset_cause(2);
    assert_eq!(board.reset_cause(), 2);
    board.request_reset(ResetKind::Bootloader);
    assert_eq!(board.take_reset(), Some(ResetKind::Bootloader));
    assert_eq!(board.take_reset(), None);
}
