//! `pyb.Flash` against a small RAM flash: the block protocol (whole blocks, the extended
//! protocol with offsets, `ioctl`), the hardware calls each transfer makes, its errors, and
//! `vfs.VfsLfs2` on top of it.

mod common;

use common::{run_on, run_with, setup, Config};

/// The test flash: 16 blocks of 512 bytes.
const BLOCKS: u32 = 16;

/// A board with `blocks` blocks of flash, each byte its block number (or a port without
/// hardware), on a 256 KiB heap collecting at every allocation.
fn flash(hardware: bool, blocks: u32) -> Config {
    Config {
        hardware,
        flash_blocks: blocks,
        heap: 256 * 1024,
        ..Config::default()
    }
}

/// Runs `src` on a fresh board with flash: the output and the hardware log.
fn run(src: &str) -> (String, Vec<String>) {
    run_with(flash(true, BLOCKS), src)
}

#[test]
fn whole_blocks() {
    let (out, log) = run("import pyb\n\
         f = pyb.Flash()\n\
         print(f, f.ioctl(4, 0), f.ioctl(5, 0))\n\
         b = bytearray(1024)\n\
         print(f.readblocks(3, b), b[0], b[511], b[512], b[1023])\n\
         print(f.writeblocks(5, b'x' * 512))\n\
         print(f.readblocks(5, b), bytes(b[:2]), b[512])\n\
         # Bytes past the last whole block are left alone, both ways.\n\
         c = bytearray(b'.' * 700)\n\
         print(f.readblocks(7, c), c[511], c[512:514])\n\
         print(f.writeblocks(8, b'y' * 600), f.readblocks(8, c), bytes(c[510:514]))\n\
         print(f.readblocks(9, bytearray(10)), f.writeblocks(9, b'short'))\n");
    assert_eq!(
        out,
        "Flash() 16 512\n0 3 3 4 4\n0\n0 b'xx' 6\n0 7 bytearray(b'..')\n\
         0 0 b'yy..'\n0 0\n"
    );
    assert_eq!(
        log,
        ["r 3", "r 4", "w 5", "r 5", "r 6", "r 7", "w 8", "r 8"]
    );
}

#[test]
fn offsets_read_and_write_any_byte_range() {
    let (out, log) = run("import pyb\n\
         f = pyb.Flash()\n\
         b = bytearray(4)\n\
         print(f.readblocks(2, b, 510), list(b))\n\
         print(f.writeblocks(2, b'AB', 100))\n\
         print(f.readblocks(2, b, 99), bytes(b))\n\
         print(f.writeblocks(3, b'Z' * 514, 510))\n\
         print(f.readblocks(3, b, 508), bytes(b))\n\
         print(f.readblocks(4, b, 510), bytes(b))\n\
         print(f.readblocks(0, memoryview(b)[1:3], 1024), bytes(b))\n\
         print(f.readblocks(1, bytearray(0), 0), f.writeblocks(1, b'', 7))\n");
    assert_eq!(
        out,
        "0 [2, 2, 3, 3]\n0\n0 b'\\x02AB\\x02'\n0\n0 b'\\x03\\x03ZZ'\n0 b'ZZ\\x05\\x05'\n\
         0 b'Z\\x02\\x02\\x05'\n0 0\n"
    );
    // A partial block is read, changed and written back; a whole one is only written.
    assert_eq!(
        log,
        ["r 2", "r 3", "r 2", "w 2", "r 2", "r 3", "w 3", "w 4", "r 3", "r 4", "r 5", "r 2",]
    );
}

#[test]
fn out_of_range_transfers_return_an_errno() {
    let (out, log) = run("import pyb\n\
         f = pyb.Flash()\n\
         b = bytearray(512)\n\
         print(f.readblocks(16, b), f.readblocks(-1, b), f.readblocks(15, bytearray(1024)))\n\
         print(f.writeblocks(16, b), f.writeblocks(-3, b), f.writeblocks(15, bytes(1024)))\n\
         print(f.readblocks(16, b, 0), f.readblocks(-1, b, 0), f.writeblocks(16, b, 0))\n\
         print(f.readblocks(15, b, 1), f.writeblocks(15, b'ab', 511), f.readblocks(0, b, -1))\n\
         print(f.readblocks(1 << 40, b), f.readblocks(0, b, 1 << 62))\n");
    assert_eq!(out, "-5 -5 -5\n-5 -5 -5\n-14 -14 -14\n-5 -5 -5\n-5 -5\n");
    assert!(log.is_empty(), "{log:?}");
}

#[test]
fn hardware_errors_come_back_as_the_errno() {
    let (mut vm, board) = setup(flash(true, BLOCKS));
    board.borrow_mut().bad = Some(4);
    let out = run_on(
        &mut vm,
        &board,
        "import pyb\n\
         f = pyb.Flash()\n\
         b = bytearray(b'.' * 1536)\n\
         print(f.readblocks(3, b), b[0], b[511], b[512], b[1535])\n\
         print(f.writeblocks(4, b'x' * 512), f.writeblocks(4, b'x', 3), f.writeblocks(3, b'y' * 1024))\n",
    );
    assert_eq!(out, "-110 3 3 46 46\n-110 -110 -110\n");
    // The block before the bad one was written.
    assert_eq!(board.borrow().flash[3 * 512], b'y');
}

#[test]
fn ioctl() {
    let (out, log) = run("import pyb\n\
         f = pyb.Flash()\n\
         print([f.ioctl(op, 0) for op in range(8)])\n\
         print(f.ioctl(1, 1), f.ioctl(6, 3))\n");
    assert_eq!(out, "[None, 0, 0, 0, 16, 512, 0, None]\n0 0\n");
    assert_eq!(log, ["sync", "sync"]);
}

#[test]
fn a_part_of_the_flash() {
    let (out, log) = run("import pyb\n\
         p = pyb.Flash(start=1024, len=2048)\n\
         print(p, p.ioctl(4, 0), pyb.Flash(len=512), pyb.Flash(start=7168).ioctl(4, 0))\n\
         b = bytearray(512)\n\
         print(p.readblocks(0, b), b[0], p.readblocks(3, b), b[0], p.readblocks(4, b))\n\
         print(p.writeblocks(1, b'q', 2), p.readblocks(4, b, 0), p.readblocks(3, b, 512))\n\
         for kw in ({'start': 1}, {'len': 0}, {'len': 100}, {'start': 8192}, {'start': -512},\n\
         \x20          {'start': 512, 'len': 8192}, {'len': -2}, {'start': -(1 << 63)}):\n\
         \x20   try:\n\
         \x20       pyb.Flash(**kw)\n\
         \x20   except ValueError as e:\n\
         \x20       print(repr(e), end=' ')\n\
         print()\n");
    assert_eq!(
        out,
        "Flash(start=1024, len=2048) 4 Flash(start=0, len=512) 2\n\
         0 2 0 5 -5\n0 -14 -5\n\
         ValueError() ValueError() ValueError() ValueError() ValueError() ValueError() \
         ValueError() ValueError() \n"
    );
    assert_eq!(log, ["r 2", "r 5", "r 3", "w 3"]);
}

#[test]
fn argument_errors() {
    let (out, log) = run("import pyb\n\
         f = pyb.Flash()\n\
         for args in ((0, b'x' * 512), (0,), (0, bytearray(512), 0, 1), ('0', bytearray(512))):\n\
         \x20   try:\n\
         \x20       f.readblocks(*args)\n\
         \x20   except TypeError as e:\n\
         \x20       print(e)\n\
         try:\n\
         \x20   f.writeblocks(0, 5)\n\
         except TypeError as e:\n\
         \x20   print(e)\n\
         try:\n\
         \x20   pyb.Flash(0)\n\
         except TypeError as e:\n\
         \x20   print(e)\n\
         try:\n\
         \x20   pyb.Flash.ioctl(bytearray(4), 4, 0)\n\
         except Exception as e:\n\
         \x20   print(type(e).__name__)\n");
    assert_eq!(
        out,
        "object with buffer protocol required\n\
         function missing 1 required positional arguments\n\
         function expected at most 4 arguments, got 5\n\
         can't convert str to int\n\
         object with buffer protocol required, not int\n\
         extra positional arguments given\n\
         TypeError\n"
    );
    assert!(log.is_empty());
}

#[test]
fn no_flash_is_enodev() {
    for hardware in [false, true] {
        let (mut vm, board) = setup(flash(hardware, 0));
        let out = run_on(&mut vm, &board, "import pyb\npyb.Flash()\n");
        assert_eq!(out, "OSError: [Errno 19] ENODEV\n");
    }
}

#[test]
fn a_file_system_on_the_flash() {
    let (mut vm, board) = setup(flash(true, BLOCKS));
    let out = run_on(
        &mut vm,
        &board,
        "import pyb, vfs, os\n\
         f = pyb.Flash()\n\
         try:\n\
         \x20   vfs.VfsLfs2(f)\n\
         except OSError as e:\n\
         \x20   print(e)\n\
         vfs.VfsLfs2.mkfs(f)\n\
         vfs.mount(vfs.VfsLfs2(f), '/fl')\n\
         with open('/fl/a.txt', 'w') as fh:\n\
         \x20   fh.write('hello' * 200)\n\
         print(os.listdir('/fl'), len(open('/fl/a.txt').read()))\n\
         vfs.umount('/fl')\n\
         vfs.mount(vfs.VfsLfs2(pyb.Flash()), '/fl')\n\
         print(open('/fl/a.txt').read(5))\n\
         vfs.umount('/fl')\n\
         # Formatting a used flash gives an empty file system, whichever superblock slot the\n\
         # old one used last.\n\
         for i in range(3):\n\
         \x20   vfs.VfsLfs2.mkfs(f)\n\
         \x20   fs = vfs.VfsLfs2(f)\n\
         \x20   print(list(fs.ilistdir('/')), end=' ')\n\
         \x20   fs.mkdir('d')\n\
         print()\n",
    );
    assert_eq!(out, "[Errno 19] ENODEV\n['a.txt'] 1000\nhello\n[] [] [] \n");
    assert!(board.borrow().log.contains(&"sync".to_string()));
}
