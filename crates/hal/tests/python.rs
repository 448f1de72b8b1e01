//! Python's `machine.I2C` and `machine.Pin` running on a `HalBoard` over mock drivers: the
//! driver calls a program makes, end to end.

mod support;

use embedded_hal::i2c::{ErrorKind, NoAcknowledgeSource};
use embedded_hal_mock::eh1::digital::{Mock as PinMock, State, Transaction as PinT};
use embedded_hal_mock::eh1::i2c::{Mock as I2cMock, Transaction as I2cT};
use pyrite_core::hardware::I2cId;
use pyrite_hal::{HalBoard, Output};
use support::run;

#[test]
fn machine_i2c_and_pin_on_mock_drivers() {
    let nack = ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address);
    let mut expectations = vec![
        I2cT::write_read(0x50, vec![0x10], vec![7, 8]),
        I2cT::write(0x3c, vec![0x80, 0xaf]),
        I2cT::read(0x44, vec![1, 2, 3]),
        I2cT::transaction_start(0x42),
        I2cT::write(0x42, vec![2]),
        I2cT::write(0x42, vec![0x10]),
        I2cT::transaction_end(0x42),
        I2cT::write(0x51, b"x".to_vec()).with_error(nack),
        I2cT::write(0x50, b"xy".to_vec())
            .with_error(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data)),
    ];
    for addr in 0x08..0x78 {
        let probe = I2cT::write(addr, vec![]);
        expectations.push(if addr == 0x3c || addr == 0x50 {
            probe
        } else {
            probe.with_error(nack)
        });
    }
    let mut i2c = I2cMock::new(&expectations);
    let mut led = PinMock::new(&[
        PinT::get_state(State::Low),
        PinT::set(State::High),
        PinT::get_state(State::High),
        PinT::set(State::Low),
    ]);
    let mut board = HalBoard::new();
    board.add_i2c(I2cId::Hard(1), i2c.clone());
    let p = board.add_pin("LED", None, Output(led.clone()));
    board.add_led(p, false);
    let out = run(
        board,
        "from machine import I2C, Pin
i2c = I2C(1)
print(i2c.readfrom_mem(0x50, 0x10, 2))
print(i2c.writeto(0x3c, b'\\x80\\xaf'))
print(i2c.readfrom(0x44, 3))
i2c.writeto_mem(0x42, 2, b'\\x10')
for addr, data in ((0x51, b'x'), (0x50, b'xy')):
    try:
        i2c.writeto(addr, data)
    except OSError as e:
        print('OSError', e.errno)
print([hex(a) for a in i2c.scan()])
led = Pin('LED', Pin.OUT, value=1)
print(led.value())
led.off()
try:
    I2C(2)
except Exception as e:
    print(type(e).__name__)
",
    );
    assert_eq!(
        out,
        "b'\\x07\\x08'\n2\nb'\\x01\\x02\\x03'\nOSError 19\nOSError 5\n['0x3c', '0x50']\n1\n\
         ValueError\n"
    );
    i2c.done();
    led.done();
}
