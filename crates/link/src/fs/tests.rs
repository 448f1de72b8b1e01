//! File operations against scripted boards: the exact snippets mpremote sends, and the
//! parsing of what comes back.

use alloc::format;
use alloc::vec::Vec;

use super::*;
use crate::error::errno;
use crate::fake::{enter, paste_exec, paste_ok, Scripted, Step};
use crate::transport::block_on;

fn board(parts: impl IntoIterator<Item = Vec<Step>>) -> Board<Scripted> {
    let mut steps = enter();
    steps.extend(parts.into_iter().flatten());
    Board::new(Scripted::new(steps))
}

fn oserror(n: i32, name: &str) -> Vec<u8> {
    format!(
        "\x04Traceback (most recent call last):\r\n  File \"<stdin>\", line 2, in <module>\r\nOSError: [Errno {n}] {name}\r\n\x04>"
    )
    .into_bytes()
}

#[test]
fn ls_parses_ilistdir_tuples() {
    let mut b = board([paste_ok(
        b"import os\nfor f in os.ilistdir('/flash'):\n print(repr(f), end=',')",
        b"('boot.py', 32768, 0, 139),('lib', 16384, 0, 0),(\"it's\", 32768, 0),",
    )]);
    let entries = block_on(b.ls("/flash")).unwrap();
    assert_eq!(
        entries,
        [
            Entry {
                name: "boot.py".into(),
                is_dir: false,
                size: 139
            },
            Entry {
                name: "lib".into(),
                is_dir: true,
                size: 0
            },
            Entry {
                name: "it's".into(),
                is_dir: false,
                size: 0
            },
        ]
    );
    b.into_transport().assert_done();
}

#[test]
fn ls_of_the_current_directory_and_of_nothing() {
    let mut b = board([
        paste_ok(
            b"import os\nfor f in os.ilistdir():\n print(repr(f), end=',')",
            b"",
        ),
        paste_exec(
            b"import os\nfor f in os.ilistdir('nope'):\n print(repr(f), end=',')",
            &oserror(2, "ENOENT"),
        ),
    ]);
    assert_eq!(block_on(b.ls("")).unwrap(), []);
    let err = block_on(b.ls("nope")).unwrap_err();
    assert!(matches!(
        &err,
        LinkError::Os { errno: errno::ENOENT, path, .. } if path == "nope"
    ));
    assert_eq!(format!("{err}"), "[Errno 2] ENOENT: 'nope'");
}

#[test]
fn stat_reads_the_tuple() {
    let mut b = board([
        paste_ok(b"import os", b""),
        paste_ok(
            b"print(repr(tuple(os.stat('main.py'))))",
            b"(32768, 0, 0, 0, 0, 0, 1234, 0, 1700000000, 0)\r\n",
        ),
    ]);
    let st = block_on(b.stat("main.py")).unwrap();
    assert_eq!(
        st,
        Stat {
            mode: 0x8000,
            size: 1234,
            mtime: 1_700_000_000
        }
    );
    assert!(!st.is_dir());
}

#[test]
fn read_file_in_chunks() {
    let mut b = board([
        paste_ok(b"f=open('data.bin','rb')\nr=f.read", b""),
        paste_ok(b"print(repr(r(256)))", b"b'\\x00\\x01\\n\"'\r\n"),
        paste_ok(b"print(repr(r(256)))", b"b\"'\\xff\"\r\n"),
        paste_ok(b"print(repr(r(256)))", b"b''\r\n"),
        paste_ok(b"f.close()", b""),
    ]);
    assert_eq!(
        block_on(b.read_file("data.bin")).unwrap(),
        b"\x00\x01\n\"'\xff"
    );
    b.into_transport().assert_done();
}

#[test]
fn write_file_in_chunks_of_256() {
    let data: Vec<u8> = (0..=255u8).chain(0..10).collect();
    let mut b = board([
        paste_ok(b"f=open('/a b.bin','wb')\nw=f.write", b""),
        paste_ok(
            format!("w({})", crate::literal::encode_bytes(&data[..256])).as_bytes(),
            b"",
        ),
        paste_ok(
            b"w(b'\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\t')",
            b"",
        ),
        paste_ok(b"f.close()", b""),
    ]);
    block_on(b.write_file("/a b.bin", &data)).unwrap();
    b.into_transport().assert_done();
}

#[test]
fn write_error_names_the_path() {
    let mut b = board([paste_exec(
        b"f=open('/ro/x','wb')\nw=f.write",
        b"\x04Traceback (most recent call last):\r\n  File \"<stdin>\", line 1, in <module>\r\nOSError: 30\r\n\x04>",
    )]);
    let err = block_on(b.write_file("/ro/x", b"data")).unwrap_err();
    assert_eq!(err.errno(), Some(errno::EROFS));
}

#[test]
fn simple_path_operations() {
    let mut b = board([
        paste_ok(b"import os\nos.mkdir('d')", b""),
        paste_ok(b"f=open('d/f','a')\nf.close()", b""),
        paste_ok(b"import os\nos.remove('d/f')", b""),
        paste_exec(b"import os\nos.rmdir('d')", &oserror(39, "ENOTEMPTY")),
        paste_ok(b"import os;print(os.getcwd())", b"/flash\r\n"),
    ]);
    block_on(b.mkdir("d")).unwrap();
    block_on(b.touch("d/f")).unwrap();
    block_on(b.rm("d/f")).unwrap();
    assert_eq!(block_on(b.rmdir("d")).unwrap_err().errno(), Some(39));
    assert_eq!(block_on(b.getcwd()).unwrap(), "/flash");
    b.into_transport().assert_done();
}

fn hash_loop(path: &str) -> Vec<u8> {
    format!(
        "buf = memoryview(bytearray(256))\nwith open({path}, 'rb') as f:\n while True:\n  n = f.readinto(buf)\n  if n == 0:\n   break\n  h.update(buf if n == 256 else buf[:n])\n"
    )
    .into_bytes()
}

#[test]
fn sha256_on_the_board() {
    let digest = sha256::digest(b"abc");
    let mut b = board([
        paste_ok(b"import hashlib\nh = hashlib.sha256()", b""),
        paste_ok(&hash_loop("'abc.txt'"), b""),
        paste_ok(
            b"print(repr(h.digest()))",
            format!("{}\r\n", crate::literal::encode_bytes(&digest)).as_bytes(),
        ),
    ]);
    assert_eq!(block_on(b.sha256("abc.txt")).unwrap(), digest);
    b.into_transport().assert_done();
}

#[test]
fn sha256_falls_back_to_reading_the_file() {
    let mut b = board([
        paste_exec(
            b"import hashlib\nh = hashlib.sha256()",
            b"\x04Traceback (most recent call last):\r\n  File \"<stdin>\", line 1, in <module>\r\nImportError: no module named 'hashlib'\r\n\x04>",
        ),
        paste_ok(b"f=open('abc.txt','rb')\nr=f.read", b""),
        paste_ok(b"print(repr(r(256)))", b"b'abc'\r\n"),
        paste_ok(b"print(repr(r(256)))", b"b''\r\n"),
        paste_ok(b"f.close()", b""),
    ]);
    assert_eq!(
        block_on(b.sha256("abc.txt")).unwrap(),
        sha256::digest(b"abc")
    );
    b.into_transport().assert_done();
}

#[test]
fn unexpected_replies_are_parse_errors() {
    let mut b = board([
        paste_ok(
            b"import os\nfor f in os.ilistdir():\n print(repr(f), end=',')",
            b"(1, 2),",
        ),
        paste_ok(b"import os", b""),
        paste_ok(b"print(repr(tuple(os.stat('x'))))", b"(1, 2)\r\n"),
    ]);
    assert!(matches!(block_on(b.ls("")), Err(LinkError::Parse(_))));
    assert!(matches!(block_on(b.stat("x")), Err(LinkError::Parse(_))));
}
