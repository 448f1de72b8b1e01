//! Block files a program leaves open are closed for it, as MicroPython's file finalisers do:
//! when they become garbage (from the dispatch loop or `gc.collect()`, never inside an
//! allocation) and at a soft reset. Expected outputs of the scripts come from MicroPython's
//! unix port.

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::{run_on, setup, Board, Config};
use pyrite_core::Vm;

/// A VM on a board with 64 blocks of flash, which outlives a soft reset, and a heap of `heap`
/// bytes (collecting at every allocation if `stress`).
fn vm(heap: usize, stress: bool) -> (Vm, Rc<RefCell<Board>>) {
    setup(Config {
        flash_blocks: 64,
        heap,
        stress,
        ..Config::default()
    })
}

/// A RAM block device in Python that does not allocate (MicroPython runs finalisers with its
/// heap locked), with a switch that makes writes fail.
const RAM: &str = "\
import gc, os, vfs


class RAM:
    def __init__(self, blocks):
        self.data = bytearray(blocks * 512)
        self.fail = False
        self.collect = False

    def readblocks(self, block, buf, off=0):
        if self.collect:
            gc.collect()
        a = block * 512 + off
        for i in range(len(buf)):
            buf[i] = self.data[a + i]

    def writeblocks(self, block, buf, off=None):
        if self.fail:
            raise OSError(5)
        a = block * 512 + (off or 0)
        for i in range(len(buf)):
            self.data[a + i] = buf[i]

    def ioctl(self, op, arg):
        if op == 4:
            return len(self.data) // 512
        if op == 5:
            return 512
        return 0


def write(path, text):
    open(path, 'w').write(text)

";

/// Runs `body` after `RAM`, once on a normal heap and once collecting at every allocation;
/// both print the same.
fn run_both(body: &str) -> String {
    let src = format!("{RAM}{body}");
    let (mut a, out_a) = vm(256 * 1024, false);
    let (mut b, out_b) = vm(256 * 1024, true);
    let normal = run_on(&mut a, &out_a, &src);
    assert_eq!(normal, run_on(&mut b, &out_b, &src));
    normal
}

#[test]
fn garbage_files_are_committed_when_collected() {
    let out = run_both(
        "for cls in (vfs.VfsLfs2, vfs.VfsFat):\n\
         \x20   bdev = RAM(64)\n\
         \x20   cls.mkfs(bdev)\n\
         \x20   vfs.mount(cls(bdev), '/m')\n\
         \x20   write('/m/a', 'kept')\n\
         \x20   f = open('/m/b', 'w')\n\
         \x20   f.write('still open')\n\
         \x20   gc.collect()\n\
         \x20   print(cls.__name__, open('/m/a').read(), repr(open('/m/b').read()))\n\
         \x20   f.close()\n\
         \x20   print(open('/m/b').read())\n\
         \x20   open('/m/a')\n\
         \x20   gc.collect()\n\
         \x20   print(open('/m/a').read())\n\
         \x20   vfs.umount('/m')\n",
    );
    assert_eq!(
        out,
        "VfsLfs2 kept ''\nstill open\nkept\nVfsFat kept ''\nstill open\nkept\n"
    );
}

#[test]
fn a_finaliser_error_is_printed_and_the_program_goes_on() {
    let out = run_both(
        "bdev = RAM(64)\n\
         vfs.VfsLfs2.mkfs(bdev)\n\
         vfs.mount(bdev, '/m')\n\
         f = open('/m/c', 'w')\n\
         f.write('lost')\n\
         bdev.fail = True\n\
         f = None\n\
         gc.collect()\n\
         print('goes on')\n\
         bdev.fail = False\n\
         print(os.listdir('/m'), repr(open('/m/c').read()))\n",
    );
    assert_eq!(
        out,
        "Traceback (most recent call last):\n  \
         File \"t.py\", line 19, in writeblocks\n\
         OSError: [Errno 5] EIO\n\
         goes on\n['c'] ''\n"
    );
}

#[test]
fn a_file_system_in_use_is_not_reentered() {
    // The collection inside `readblocks` finds the garbage file while its file system is
    // busy opening another: the file is committed after that, not refused with EBUSY.
    // (MicroPython re-enters littlefs here and crashes.)
    let out = run_both(
        "bdev = RAM(64)\n\
         vfs.VfsLfs2.mkfs(bdev)\n\
         vfs.mount(bdev, '/m')\n\
         with open('/m/b', 'w') as f:\n\
         \x20   f.write('other')\n\
         write('/m/a', 'later')\n\
         bdev.collect = True\n\
         print(open('/m/b').read())\n\
         bdev.collect = False\n\
         print(sorted(os.listdir('/m')), open('/m/a').read())\n",
    );
    assert_eq!(out, "other\n['a', 'b'] later\n");
}

#[test]
fn finalisers_wait_for_the_heap_lock() {
    let out = run_both(
        "import micropython\n\
         bdev = RAM(64)\n\
         vfs.VfsLfs2.mkfs(bdev)\n\
         vfs.mount(bdev, '/m')\n\
         write('/m/a', 'after unlock')\n\
         micropython.heap_lock()\n\
         gc.collect()\n\
         micropython.heap_unlock()\n\
         print(open('/m/a').read())\n",
    );
    assert_eq!(out, "after unlock\n");
}

#[test]
fn the_list_of_open_files_keeps_no_garbage_alive() {
    // Files opened for reading hold the whole file; left open on a small heap, each must be
    // freed at the next collection. Files written and dropped are each committed in turn.
    let (mut vm, out) = vm(48 * 1024, false);
    let src = format!(
        "{RAM}\
         bdev = RAM(48)\n\
         vfs.VfsLfs2.mkfs(bdev)\n\
         vfs.mount(bdev, '/m')\n\
         with open('/m/big', 'wb') as f:\n\
         \x20   f.write(bytes(4000))\n\
         for i in range(40):\n\
         \x20   open('/m/big', 'rb').read(1)\n\
         for i in range(20):\n\
         \x20   write('/m/n', str(i))\n\
         gc.collect()\n\
         print(open('/m/n').read())\n"
    );
    assert_eq!(run_on(&mut vm, &out, &src), "19\n");
}

#[test]
fn a_soft_reset_commits_open_files() {
    for stress in [false, true] {
        let (mut vm, out) = vm(64 * 1024, stress);
        assert_eq!(
            run_on(
                &mut vm,
                &out,
                "import micropython, pyb, vfs\n\
                 vfs.VfsLfs2.mkfs(pyb.Flash())\n\
                 vfs.mount(pyb.Flash(), '/')\n\
                 f = open('/kept', 'w')\n\
                 f.write('open at reset')\n\
                 open('/dropped', 'w').write('garbage at reset')\n\
                 micropython.heap_lock()\n"
            ),
            ""
        );
        vm.soft_reset();
        assert_eq!(
            run_on(
                &mut vm,
                &out,
                "import micropython, pyb, vfs\n\
                 print(micropython.heap_locked())\n\
                 vfs.mount(pyb.Flash(), '/')\n\
                 print(open('/kept').read(), open('/dropped').read())\n"
            ),
            "0\nopen at reset garbage at reset\n"
        );
        assert_eq!(vm.heap.stress, stress);
    }
}
