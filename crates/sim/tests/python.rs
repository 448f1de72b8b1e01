//! Python's `machine` and `pyb` running on the simulated pyboard: what a program prints,
//! with the board's event log lines between, as the virtual board shows them.

use std::cell::RefCell;
use std::rc::Rc;

use pyrite_core::hardware::Hardware;
use pyrite_core::port::Port;
use pyrite_core::Vm;
use pyrite_sim::SimBoard;

/// A port with a simulated board; standard output, each write after the events logged
/// before it.
struct TestPort {
    board: SimBoard,
    out: Rc<RefCell<String>>,
}

impl Port for TestPort {
    fn stdout(&mut self, data: &[u8]) {
        let mut out = self.out.borrow_mut();
        for event in self.board.take_events() {
            out.push_str(&format!("{event}\n"));
        }
        out.push_str(&String::from_utf8_lossy(data));
    }

    fn hardware(&mut self) -> Option<&mut dyn Hardware> {
        Some(&mut self.board)
    }
}

/// Runs `source` on `board`; its output and events, with the traceback of an uncaught
/// exception.
fn run(board: SimBoard, source: &str) -> String {
    let out = Rc::new(RefCell::new(String::new()));
    let port = TestPort {
        board,
        out: out.clone(),
    };
    let mut vm = Vm::new(64 * 1024, Box::new(port));
    if let Err(e) = vm.run_main(source, "<test>") {
        vm.print_exception(e);
    }
    vm.port.stdout(b"");
    let text = out.borrow().clone();
    text
}

#[test]
fn pins_leds_and_the_i2c_chips() {
    let mut board = SimBoard::new();
    board.set_climate(21.5, 40.0);
    let out = run(
        board,
        "import pyb
from machine import I2C, Pin
i2c = I2C(1)
print(i2c.scan())
pyb.LED(1).on()
print(Pin('LED_RED').value())
Pin('X1', Pin.OUT).value(1)
i2c.writeto(0x44, b'\\x24\\x00')
d = i2c.readfrom(0x44, 6)
print(round(-45 + 175 * (d[0] << 8 | d[1]) / 65535, 1), round(100 * (d[3] << 8 | d[4]) / 65535))
i2c.writeto_mem(0x50, 0x7fff, b'hi', addrsize=16)
# The page write wraps within its page, the read over the end of the memory.
print(i2c.readfrom_mem(0x50, 0x7fff, 2, addrsize=16), i2c.readfrom_mem(0x50, 0x7fc0, 1, addrsize=16))
i2c.writeto_mem(0x42, 8, b'abc')
print(i2c.readfrom_mem(0x42, 9, 2))
print(I2C(2).scan())
",
    );
    assert_eq!(
        out,
        "[60, 66, 68, 80]\nled 1 255\n1\npin X1 0\npin X1 1\n21.5 40\nb'h\\xff' b'i'\nb'bc'\n[]\n"
    );
}
