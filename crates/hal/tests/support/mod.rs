//! Running Python on a `HalBoard`, for the tests that go end to end.

use std::cell::RefCell;
use std::rc::Rc;

use pyrite_core::hardware::Hardware;
use pyrite_core::port::Port;
use pyrite_core::Vm;
use pyrite_hal::HalBoard;

/// A port with a board and a captured standard output.
struct TestPort {
    board: HalBoard,
    out: Rc<RefCell<Vec<u8>>>,
}

impl Port for TestPort {
    fn stdout(&mut self, data: &[u8]) {
        self.out.borrow_mut().extend_from_slice(data);
    }

    fn hardware(&mut self) -> Option<&mut dyn Hardware> {
        Some(&mut self.board)
    }
}

/// Runs `source` on `board`; what it printed, with the traceback of an uncaught exception.
pub fn run(board: HalBoard, source: &str) -> String {
    let out = Rc::new(RefCell::new(Vec::new()));
    let port = TestPort {
        board,
        out: out.clone(),
    };
    let mut vm = Vm::new(64 * 1024, Box::new(port));
    if let Err(e) = vm.run_main(source, "<test>") {
        vm.print_exception(e);
    }
    let text = String::from_utf8_lossy(&out.borrow()).into_owned();
    text
}
