//! The board's file system on the simulated pyboard's flash: formatted on first use, files
//! kept through soft resets and through a saved and reloaded image, a corrupted image
//! reformatted.

use std::cell::RefCell;
use std::rc::Rc;

use pyrite_core::hardware::{Hardware, ResetKind, EIO};
use pyrite_core::port::Port;
use pyrite_core::Vm;
use pyrite_repl::{mount_flash, Action, BoardInfo, Repl};
use pyrite_sim::{SimBoard, FLASH_BYTES};

/// The board's flash, shared with the test so that it can save and corrupt the image; a
/// broken one fails every transfer.
struct Flash(Rc<RefCell<SimBoard>>, bool);

impl Hardware for Flash {
    fn flash_blocks(&self) -> u32 {
        self.0.borrow().flash_blocks()
    }

    fn flash_read(&mut self, block: u32, buf: &mut [u8]) -> Result<(), i32> {
        if self.1 {
            return Err(EIO);
        }
        self.0.borrow_mut().flash_read(block, buf)
    }

    fn flash_write(&mut self, block: u32, data: &[u8]) -> Result<(), i32> {
        if self.1 {
            return Err(EIO);
        }
        self.0.borrow_mut().flash_write(block, data)
    }
}

struct TestPort {
    flash: Option<Flash>,
    out: Rc<RefCell<String>>,
}

impl Port for TestPort {
    fn stdout(&mut self, data: &[u8]) {
        self.out
            .borrow_mut()
            .push_str(&String::from_utf8_lossy(data));
    }

    fn hardware(&mut self) -> Option<&mut dyn Hardware> {
        self.flash.as_mut().map(|h| h as &mut dyn Hardware)
    }
}

/// A VM on `board` (or on a port without hardware), collecting at every allocation, and its
/// output.
fn vm_on(board: Option<&Rc<RefCell<SimBoard>>>) -> (Vm, Rc<RefCell<String>>) {
    vm_with(board.map(|b| Flash(b.clone(), false)))
}

fn vm_with(flash: Option<Flash>) -> (Vm, Rc<RefCell<String>>) {
    let out = Rc::new(RefCell::new(String::new()));
    let port = TestPort {
        flash,
        out: out.clone(),
    };
    let mut vm = Vm::new(256 * 1024, Box::new(port));
    vm.heap.stress = true;
    (vm, out)
}

/// Runs `source`; what it printed, or the traceback's last line.
fn run(vm: &mut Vm, out: &Rc<RefCell<String>>, source: &str) -> String {
    if let Err(e) = vm.run_main(source, "<test>") {
        let text = vm.format_exception(e);
        out.borrow_mut().push_str(text.lines().last().unwrap_or(""));
    }
    std::mem::take(&mut out.borrow_mut())
}

const LIST: &str = "import os\nprint(sorted(os.listdir('/')))\n";

#[test]
fn first_mount_formats_and_files_survive_a_soft_reset() {
    let board = Rc::new(RefCell::new(SimBoard::new()));
    let (mut vm, out) = vm_on(Some(&board));
    assert_eq!(mount_flash(&mut vm), Ok(true));
    assert_eq!(
        run(
            &mut vm,
            &out,
            "import os, sys\n\
             print(sorted(os.listdir('/')), os.getcwd(), sys.path)\n\
             print(repr(open('boot.py').read()))\n\
             print(repr(open('/main.py').read()))\n\
             f = open('data.txt', 'w')\n\
             print(f.write('kept'))\n\
             f.close()\n\
             os.mkdir('lib')\n\
             with open('lib/util.py', 'w') as f:\n\
             \x20   f.write('X = 42\\n')\n\
             with open('main.py', 'w') as f:\n\
             \x20   f.write('print(\"main says hi\")\\n')\n"
        ),
        "['boot.py', 'main.py'] / ['', '/lib']\n\
         '# boot.py -- run on boot-up\\n'\n\
         '# main.py -- put your code here!\\n'\n4\n"
    );

    vm.soft_reset();
    assert_eq!(mount_flash(&mut vm), Ok(true));
    // The storage is not formatted again: `main.py` is the program's, and `/lib` imports.
    assert_eq!(
        run(
            &mut vm,
            &out,
            "import util\nprint(open('data.txt').read(), util.X)\n"
        ),
        "kept 42\n"
    );
    assert_eq!(
        run(&mut vm, &out, LIST),
        "['boot.py', 'data.txt', 'lib', 'main.py']\n"
    );

    // The REPL runs the stored `main.py` when it starts.
    vm.soft_reset();
    assert_eq!(mount_flash(&mut vm), Ok(true));
    let mut repl = Repl::new(BoardInfo {
        board: "PYBv1.1",
        mcu: "STM32F405RG",
        max_source: 4096,
    });
    repl.start(&mut vm, None);
    let text = out.borrow().clone();
    assert!(text.starts_with("main says hi\n"), "{text:?}");
}

/// Types `text` at the REPL; the last action.
fn type_in(repl: &mut Repl, vm: &mut Vm, text: &[u8]) -> Action {
    let mut last = Action::None;
    for &b in text {
        last = repl.feed(vm, b);
    }
    last
}

#[test]
fn files_left_open_are_committed_at_a_soft_reset() {
    // As MicroPython's boards close every file at a soft reset: what a program wrote to a
    // file it never closed, reachable or garbage, is kept through Ctrl-D.
    let board = Rc::new(RefCell::new(SimBoard::new()));
    let (mut vm, out) = vm_on(Some(&board));
    assert_eq!(mount_flash(&mut vm), Ok(true));
    let mut repl = Repl::new(BoardInfo {
        board: "PYBv1.1",
        mcu: "STM32F405RG",
        max_source: 4096,
    });
    repl.start(&mut vm, None);
    type_in(
        &mut repl,
        &mut vm,
        b"f = open('log.txt', 'w')\r\
          f.write('unclosed')\r\
          open('data.bin', 'wb').write(b'garbage')\r",
    );
    let action = type_in(&mut repl, &mut vm, b"\x04");
    assert!(
        matches!(action, Action::Reset(ResetKind::Soft)),
        "{}",
        out.borrow()
    );
    vm.soft_reset();
    assert_eq!(mount_flash(&mut vm), Ok(true));
    out.borrow_mut().clear();
    assert_eq!(
        run(
            &mut vm,
            &out,
            "print(open('log.txt').read(), open('data.bin', 'rb').read())\n"
        ),
        "unclosed b'garbage'\n"
    );
}

#[test]
fn files_survive_a_saved_and_reloaded_image() {
    let board = Rc::new(RefCell::new(SimBoard::new()));
    let (mut vm, out) = vm_on(Some(&board));
    assert_eq!(mount_flash(&mut vm), Ok(true));
    run(
        &mut vm,
        &out,
        "with open('notes.txt', 'w') as f:\n    f.write('persisted')\n",
    );
    let image = board.borrow().flash_image().to_vec();
    assert_eq!(image.len(), FLASH_BYTES);

    let mut fresh = SimBoard::new();
    fresh.load_flash(&image);
    let board = Rc::new(RefCell::new(fresh));
    let (mut vm, out) = vm_on(Some(&board));
    assert_eq!(mount_flash(&mut vm), Ok(true));
    assert_eq!(
        run(&mut vm, &out, "print(open('notes.txt').read())\n"),
        "persisted\n"
    );
}

/// A deterministic stream of pseudo-random bytes.
fn noise(n: usize, mut seed: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 56) as u8
        })
        .collect()
}

#[test]
fn a_corrupted_image_is_reformatted() {
    for image in [noise(FLASH_BYTES, 1), noise(5000, 2), vec![0; FLASH_BYTES]] {
        let mut b = SimBoard::new();
        b.load_flash(&image);
        let board = Rc::new(RefCell::new(b));
        let (mut vm, out) = vm_on(Some(&board));
        assert_eq!(mount_flash(&mut vm), Ok(true));
        assert_eq!(run(&mut vm, &out, LIST), "['boot.py', 'main.py']\n");
    }

    // A valid file system whose metadata was damaged afterwards: every block the file
    // system wrote, except the superblocks, overwritten with noise.
    let board = Rc::new(RefCell::new(SimBoard::new()));
    let (mut vm, out) = vm_on(Some(&board));
    assert_eq!(mount_flash(&mut vm), Ok(true));
    run(&mut vm, &out, "open('lost.txt', 'w').close()\n");
    let mut b = board.borrow_mut();
    let damaged = b.take_dirty_blocks();
    assert!(damaged.len() > 2);
    let junk = noise(512, 3);
    for block in damaged.into_iter().filter(|&n| n > 1) {
        b.flash_write(block, &junk).unwrap();
    }
    drop(b);
    let (mut vm, out) = vm_on(Some(&board));
    assert_eq!(mount_flash(&mut vm), Ok(true));
    assert_eq!(run(&mut vm, &out, LIST), "['boot.py', 'main.py']\n");
}

#[test]
fn a_board_without_flash_mounts_nothing() {
    let (mut vm, out) = vm_on(None);
    assert_eq!(mount_flash(&mut vm), Ok(false));
    assert_eq!(run(&mut vm, &out, "import sys\nprint(sys.path)\n"), "[]\n");
}

#[test]
fn a_mount_that_fails_reports_the_exception() {
    let board = Rc::new(RefCell::new(SimBoard::new()));
    let (mut vm, out) = vm_with(Some(Flash(board, true)));
    let err = mount_flash(&mut vm).unwrap_err();
    assert!(err.starts_with("Traceback"), "{err}");
    assert!(err.trim_end().ends_with("OSError: [Errno 5] EIO"), "{err}");
    // The board goes on without files.
    assert_eq!(
        run(
            &mut vm,
            &out,
            "import os, sys\nprint(os.listdir('/'), sys.path)\n"
        ),
        "[] ['', '/lib']\n"
    );
}

/// The simulated flash seen as 4096-byte blocks (eight of its own each), as a board whose
/// blocks are its flash's erase sectors (the ESP32-C3).
struct SectorBlocks(Rc<RefCell<SimBoard>>);

/// The simulated flash's blocks in one of [`SectorBlocks`]'.
const PER_SECTOR: u32 = 8;

impl Hardware for SectorBlocks {
    fn flash_block_size(&self) -> u32 {
        4096
    }

    fn flash_blocks(&self) -> u32 {
        self.0.borrow().flash_blocks() / PER_SECTOR
    }

    fn flash_read(&mut self, block: u32, buf: &mut [u8]) -> Result<(), i32> {
        let mut b = self.0.borrow_mut();
        for (i, part) in buf.chunks_mut(512).enumerate() {
            b.flash_read(block * PER_SECTOR + i as u32, part)?;
        }
        Ok(())
    }

    fn flash_write(&mut self, block: u32, data: &[u8]) -> Result<(), i32> {
        let mut b = self.0.borrow_mut();
        for (i, part) in data.chunks(512).enumerate() {
            b.flash_write(block * PER_SECTOR + i as u32, part)?;
        }
        Ok(())
    }
}

/// A VM on a port whose hardware is `hw`, and its output.
fn vm_on_hardware(hw: SectorBlocks) -> (Vm, Rc<RefCell<String>>) {
    struct HwPort(SectorBlocks, Rc<RefCell<String>>);
    impl Port for HwPort {
        fn stdout(&mut self, data: &[u8]) {
            self.1.borrow_mut().push_str(&String::from_utf8_lossy(data));
        }
        fn hardware(&mut self) -> Option<&mut dyn Hardware> {
            Some(&mut self.0)
        }
    }
    let out = Rc::new(RefCell::new(String::new()));
    let mut vm = Vm::new(256 * 1024, Box::new(HwPort(hw, out.clone())));
    vm.heap.stress = true;
    (vm, out)
}

#[test]
fn the_file_system_takes_the_boards_block_size() {
    let board = Rc::new(RefCell::new(SimBoard::new()));
    let (mut vm, out) = vm_on_hardware(SectorBlocks(board.clone()));
    assert_eq!(mount_flash(&mut vm), Ok(true));
    let stat = "import os\nst = os.statvfs('/')\nprint(st[0], st[2], sorted(os.listdir('/')))\n";
    assert_eq!(
        run(
            &mut vm,
            &out,
            &format!("{stat}open('data.txt', 'w').write('x' * 5000)\n")
        ),
        "4096 256 ['boot.py', 'main.py']\n"
    );
    vm.soft_reset();
    assert_eq!(mount_flash(&mut vm), Ok(true));
    assert_eq!(
        run(&mut vm, &out, "print(len(open('data.txt').read()))\n"),
        "5000\n"
    );
    // The same flash offered as 512-byte blocks holds no file system of that block size: it
    // is formatted again.
    let (mut vm, out) = vm_on(Some(&board));
    assert_eq!(mount_flash(&mut vm), Ok(true));
    assert_eq!(
        run(&mut vm, &out, stat),
        "512 2048 ['boot.py', 'main.py']\n"
    );
}
