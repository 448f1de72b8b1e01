//! The board's file system at start-up: the flash storage (`pyb.Flash()`) mounted at `/` with
//! `vfs.VfsLfs2`, as MicroPython's boards mount theirs before `boot.py` runs.
//!
//! Storage that holds no file system (new, corrupted, or made with another block size) is
//! formatted in the board's block size (`Hardware::flash_block_size`, which `pyb.Flash`
//! reports as `ioctl(5)`: 512 bytes, or 4096 where a block is a flash erase sector), and a
//! fresh one gets MicroPython's starter `boot.py` and `main.py`. The board calls
//! [`mount_flash`] on every fresh VM (power-up and each soft reset), before
//! [`crate::Repl::start`].

use alloc::string::String;

use pyrite_core::{Mode as Compile, Vm};

/// Mounts the storage; Python, so that it goes through the same block protocol and file
/// system code as a program's own `vfs.mount`.
const MOUNT_FLASH: &str = "\
import os, pyb, vfs
bdev = pyb.Flash()
try:
    fs = vfs.VfsLfs2(bdev)
    fresh = False
except OSError:
    vfs.VfsLfs2.mkfs(bdev)
    fs = vfs.VfsLfs2(bdev)
    fresh = True
vfs.mount(fs, '/')
os.chdir('/')
if fresh:
    for name, text in (('boot.py', '# boot.py -- run on boot-up\\n'),
                       ('main.py', '# main.py -- put your code here!\\n')):
        with open(name, 'w') as f:
            f.write(text)
";

/// Mounts the board's flash storage at `/` (formatting it if it holds no file system), makes
/// `/` the current directory and puts `""` and `/lib` on `sys.path`.
///
/// `Ok(false)` when the board has no flash storage (nothing is changed); `Err` with the
/// formatted exception when mounting failed (the board then runs without files).
pub fn mount_flash(vm: &mut Vm) -> Result<bool, String> {
    let has_flash = vm.port.hardware().is_some_and(|h| h.flash_blocks() > 0);
    if !has_flash {
        return Ok(false);
    }
    let r = vm.new_dict().and_then(|ns| {
        vm.heap.keep(ns);
        let code = vm.compile_source(MOUNT_FLASH, "<flash>", Compile::Exec)?;
        vm.run_code(code, ns, ns)
    });
    let r = match r {
        Ok(_) => Ok(true),
        Err(e) => Err(vm.format_exception(e)),
    };
    // As a board with its file system at the root: the current folder, then `/lib`.
    let _ = vm.push_path("");
    let _ = vm.push_path("/lib");
    vm.safepoint();
    r
}
