//! Flash storage with a board's own block size (`Hardware::flash_block_size`): 4096-byte
//! blocks, as the ESP32-C3 uses (one block per erase sector). `pyb.Flash` speaks that size in
//! both block protocols, `vfs.VfsLfs2` formats and mounts it, files and directories survive a
//! remount, a commit writes data and metadata before the superblock, and a power cut at any
//! write leaves each file wholly old or wholly new.

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::{run_on, setup, Board, Config};
use pyrite_core::Vm;

/// The block size under test.
const BS: usize = 4096;

/// A board with 24 blocks of 4096 bytes (each byte its block number), on a 512 KiB heap.
fn board(stress: bool) -> (Vm, Rc<RefCell<Board>>) {
    setup(Config {
        flash_blocks: 24,
        flash_block_size: BS,
        heap: 512 * 1024,
        stress,
        ..Config::default()
    })
}

#[test]
fn the_block_protocol_speaks_the_boards_block_size() {
    let (mut vm, board) = board(true);
    let out = run_on(
        &mut vm,
        &board,
        "import pyb\n\
         f = pyb.Flash()\n\
         print(f.ioctl(4, 0), f.ioctl(5, 0), pyb.Flash(start=8192, len=4096))\n\
         b = bytearray(4096 + 100)\n\
         print(f.readblocks(3, b), b[0], b[4095], b[4096])\n\
         print(f.writeblocks(5, b'x' * 4096), f.readblocks(5, b), b[4095], b[4096])\n\
         c = bytearray(4)\n\
         print(f.writeblocks(6, b'AB', 4095), f.readblocks(6, c, 4094), bytes(c))\n\
         print(f.readblocks(24, b), f.readblocks(23, c, 4093), f.readblocks(23, c, 4092))\n\
         try:\n\
         \x20   pyb.Flash(start=512)\n\
         except ValueError:\n\
         \x20   print('ValueError')\n",
    );
    assert_eq!(
        out,
        "24 4096 Flash(start=8192, len=4096)\n0 3 3 0\n0 0 120 0\n\
         0 0 b'\\x06AB\\x07'\n-5 -5 0\nValueError\n"
    );
    // Whole blocks are written without a read; a partial one is read, changed, written back.
    let log = board.borrow().log.clone();
    assert_eq!(
        log,
        ["r 3", "w 5", "r 5", "r 6", "w 6", "r 7", "w 7", "r 6", "r 7", "r 23"]
    );
    assert_eq!(board.borrow().flash[6 * BS + 4095], b'A');
}

#[test]
fn files_and_directories_on_4096_byte_blocks() {
    let (mut vm, board) = board(false);
    let out = run_on(
        &mut vm,
        &board,
        "import pyb, vfs, os\n\
         f = pyb.Flash()\n\
         vfs.VfsLfs2.mkfs(f)\n\
         vfs.mount(vfs.VfsLfs2(f), '/fl')\n\
         os.mkdir('/fl/lib')\n\
         os.mkdir('/fl/lib/pkg')\n\
         data = bytes(range(256)) * 40\n\
         with open('/fl/lib/pkg/big.bin', 'wb') as fh:\n\
         \x20   fh.write(data)\n\
         with open('/fl/small.txt', 'w') as fh:\n\
         \x20   fh.write('hi')\n\
         os.rename('/fl/lib/pkg', '/fl/lib/moved')\n\
         st = os.statvfs('/fl')\n\
         print(st[0], st[2], st[3])\n\
         vfs.umount('/fl')\n\
         vfs.mount(vfs.VfsLfs2(pyb.Flash()), '/fl')\n\
         print(sorted(os.listdir('/fl')), os.listdir('/fl/lib'))\n\
         print(open('/fl/lib/moved/big.bin', 'rb').read() == data, open('/fl/small.txt').read())\n\
         print(os.stat('/fl/lib/moved/big.bin')[6])\n\
         os.remove('/fl/small.txt')\n\
         os.remove('/fl/lib/moved/big.bin')\n\
         os.rmdir('/fl/lib/moved')\n\
         print(os.listdir('/fl/lib'), os.statvfs('/fl')[3])\n",
    );
    // 10240 bytes take 3 blocks, the small file 1, the metadata 1, the superblocks 2.
    assert_eq!(
        out,
        "4096 24 17\n['lib', 'small.txt'] ['moved']\nTrue hi\n10240\n[] 21\n"
    );
}

#[test]
fn a_commit_writes_the_superblock_last() {
    let (mut vm, board) = board(false);
    run_on(
        &mut vm,
        &board,
        "import pyb, vfs\nvfs.VfsLfs2.mkfs(pyb.Flash())\n",
    );
    board.borrow_mut().log.clear();
    let out = run_on(
        &mut vm,
        &board,
        "import pyb, vfs\n\
         fs = vfs.VfsLfs2(pyb.Flash())\n\
         with fs.open('f', 'wb') as fh:\n\
         \x20   fh.write(b'z' * 5000)\n",
    );
    assert_eq!(out, "");
    let writes: Vec<String> = board
        .borrow()
        .log
        .iter()
        .filter(|l| !l.starts_with("r "))
        .cloned()
        .collect();
    // Opening makes the empty file, closing writes its contents: two commits, each writing
    // into free blocks (the second: two data blocks and a metadata block), a sync, the
    // superblock slot the current state does not use, a sync.
    let commits: Vec<&[String]> = writes.split_inclusive(|w| w == "sync").collect();
    assert_eq!(commits.len(), 4, "{writes:?}");
    let mut slots = Vec::new();
    for pair in commits.chunks(2) {
        let (body, sb) = (pair[0], pair[1]);
        assert!(body.len() > 1, "{writes:?}");
        assert!(body[..body.len() - 1]
            .iter()
            .all(|w| w != "w 0" && w != "w 1"));
        assert_eq!(sb.len(), 2, "{writes:?}");
        assert!(sb[0] == "w 0" || sb[0] == "w 1", "{writes:?}");
        slots.push(sb[0].clone());
    }
    assert_eq!(commits[2].len(), 4, "{writes:?}");
    assert_ne!(slots[0], slots[1]);
}

/// Writes `files` (name, contents) into the mounted file system at `/fl`.
fn write_files(files: &[(&str, Vec<u8>)]) -> String {
    let mut src = String::from("import pyb, vfs\nvfs.mount(vfs.VfsLfs2(pyb.Flash()), '/fl')\n");
    for (name, data) in files {
        src.push_str(&format!(
            "with open('/fl/{name}', 'wb') as fh:\n    fh.write({data:?})\n",
            data = PyBytes(data)
        ));
    }
    src
}

/// Bytes as a Python literal.
struct PyBytes<'a>(&'a [u8]);

impl std::fmt::Debug for PyBytes<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bytes([")?;
        for b in self.0 {
            write!(f, "{b},")?;
        }
        write!(f, "])")
    }
}

/// The contents of `/fl/{name}` on a board with `flash` (a fresh VM: a reboot), or `None` if
/// the file is missing.
fn read_after_reboot(flash: &[u8], name: &str) -> Option<Vec<u8>> {
    let (mut vm, board) = board(false);
    board.borrow_mut().flash = flash.to_vec();
    let out = run_on(
        &mut vm,
        &board,
        &format!(
            "import pyb, vfs\n\
             vfs.mount(vfs.VfsLfs2(pyb.Flash()), '/fl')\n\
             try:\n\
             \x20   print(list(open('/fl/{name}', 'rb').read()))\n\
             except OSError:\n\
             \x20   print('missing')\n"
        ),
    );
    let line = out.trim();
    if line == "missing" {
        return None;
    }
    let inner = line.strip_prefix('[')?.strip_suffix(']')?;
    Some(
        inner
            .split(", ")
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().expect("a byte"))
            .collect(),
    )
}

#[test]
fn a_power_cut_at_any_write_leaves_old_or_new_files() {
    let old: Vec<u8> = (0..6000u32).map(|i| (i % 251) as u8).collect();
    let new: Vec<u8> = (0..9000u32).map(|i| (i % 13) as u8).collect();
    let keep: Vec<u8> = b"untouched".to_vec();
    // The starting state: a formatted flash with `a` (old) and `keep`.
    let (mut vm, b) = board(false);
    let setup_src = format!(
        "import pyb, vfs\nvfs.VfsLfs2.mkfs(pyb.Flash())\n{}",
        write_files(&[("a", old.clone()), ("keep", keep.clone())])
    );
    assert_eq!(run_on(&mut vm, &b, &setup_src), "");
    let start = b.borrow().flash.clone();
    let mut cut = 0;
    loop {
        let (mut vm, b) = board(false);
        b.borrow_mut().flash = start.clone();
        b.borrow_mut().writes_left = Some(cut);
        let out = run_on(&mut vm, &b, &write_files(&[("a", new.clone())]));
        let finished = out.is_empty();
        let flash = b.borrow().flash.clone();
        let got = read_after_reboot(&flash, "a").expect("the file survives");
        assert!(
            got == old || got == new,
            "cut at write {cut}: {} bytes",
            got.len()
        );
        assert_eq!(read_after_reboot(&flash, "keep"), Some(keep.clone()));
        if finished {
            assert_eq!(got, new);
            break;
        }
        assert!(out.contains("OSError"), "{out}");
        cut += 1;
    }
    // Three data blocks, a metadata block, the superblock.
    assert!(cut >= 5, "{cut}");
}
