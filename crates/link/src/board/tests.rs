//! The raw REPL protocol against scripted boards, byte for byte.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::*;
use crate::error::errno;
use crate::fake::{dev, enter, host, paste_exec, paste_ok, PasteBoard, Scripted};
use crate::transport::block_on;

fn board(steps: Vec<crate::fake::Step>) -> Board<Scripted> {
    Board::new(Scripted::new(steps))
}

fn script(parts: impl IntoIterator<Item = Vec<crate::fake::Step>>) -> Vec<crate::fake::Step> {
    parts.into_iter().flatten().collect()
}

#[test]
fn enter_raw_then_exec_with_raw_paste() {
    let mut b = board(script([enter(), paste_ok(b"print(123)", b"123\r\n")]));
    let (out, err) = block_on(b.exec(b"print(123)")).unwrap();
    assert_eq!(out, b"123\r\n");
    assert_eq!(err, b"");
    assert!(b.in_raw_repl());
    b.into_transport().assert_done();
}

#[test]
fn example_from_the_micropython_docs() {
    // docs/reference/repl.rst: host `\x01\x05A\x01print(123)\x04`, board
    // `\r\nraw REPL; CTRL-B to exit\r\n>R\x01\x80\x00\x01\x04123\r\n\x04\x04>`.
    let mut b = board(vec![
        host(b"\r\x03"),
        host(b"\r\x01"),
        dev(b"\r\nraw REPL; CTRL-B to exit\r\n>"),
        host(b"\x05A\x01"),
        dev(b"R\x01\x80\x00\x01"),
        host(b"print(123)\x04"),
        dev(b"\x04123\r\n\x04\x04>"),
    ]);
    assert_eq!(block_on(b.exec_checked(b"print(123)")).unwrap(), b"123\r\n");
    b.into_transport().assert_done();
}

#[test]
fn raw_paste_honours_window_grants() {
    // 300 bytes with a 128-byte increment: 256 may go at once (the window plus the extra
    // grant), the rest only after the board's next `\x01`.
    let source: Vec<u8> = (0..300).map(|i| b'a' + (i % 26) as u8).collect();
    let mut steps = enter();
    steps.extend([
        host(b"\x05A\x01"),
        dev(b"R\x01\x80\x00\x01"),
        host(&source[..128]),
        host(&source[128..256]),
        dev(b"\x01"),
        host(&source[256..]),
        host(b"\x04"),
        dev(b"\x01\x04"),
        dev(b"\x04\x04>"),
    ]);
    let mut b = board(steps);
    block_on(b.exec_checked(&source)).unwrap();
    let t = b.into_transport();
    t.assert_done();
}

#[test]
fn raw_paste_window_model() {
    for increment in [1u16, 7, 16, 128, 512] {
        let source: Vec<u8> = (0..5000u32).map(|i| b'0' + (i % 10) as u8).collect();
        let mut b = Board::new(PasteBoard::new(increment));
        b.assume_raw();
        let out = block_on(b.exec_checked(&source)).unwrap();
        assert_eq!(out, b"done\r\n");
        assert_eq!(b.transport_mut().source, source, "increment {increment}");
    }
}

#[test]
fn raw_paste_abort_stops_sending() {
    let source = [b'x'; 2000];
    let mut device = PasteBoard::new(128);
    device.abort_after = Some(100);
    let mut b = Board::new(device);
    b.assume_raw();
    let (out, err) = block_on(b.exec(&source)).unwrap();
    assert_eq!(out, b"");
    assert!(String::from_utf8_lossy(&err).contains("SyntaxError"));
    let device = b.into_transport();
    // The host sent at most what was granted (two windows) before it saw the abort.
    assert!(device.source.len() + device.after_abort <= 256);
}

#[test]
fn raw_paste_abort_byte_exact() {
    let source = [b'y'; 400];
    let mut steps = enter();
    steps.extend([
        host(b"\x05A\x01"),
        dev(b"R\x01\x80\x00\x01"),
        host(&source[..256]),
        dev(b"\x04"),
        host(b"\x04"),
        dev(b"\x04Traceback (most recent call last):\r\n  File \"<stdin>\", line 1\r\nSyntaxError: invalid syntax\r\n\x04>"),
    ]);
    let mut b = board(steps);
    let err = block_on(b.exec_checked(&source)).unwrap_err();
    assert_eq!(err.exception_line(), Some("SyntaxError: invalid syntax"));
    assert!(b.in_raw_repl());
    b.into_transport().assert_done();
}

#[test]
fn fallback_for_firmware_without_raw_paste() {
    // Old firmware takes `\x05A` as data and Ctrl-A as "reset the raw REPL".
    let source: Vec<u8> = (0..600).map(|i| b'A' + (i % 26) as u8).collect();
    let mut steps = enter();
    steps.extend([
        host(b"\x05A\x01"),
        dev(b"raw REPL; CTRL-B to exit\r\n>"),
        host(&source),
        host(b"\x04"),
        dev(b"OKhi\r\n\x04\x04>"),
        // The next exec does not try raw-paste again.
        host(b"print(2)\x04"),
        dev(b"OK2\r\n\x04\x04>"),
    ]);
    let mut b = board(steps);
    assert_eq!(block_on(b.exec_checked(&source)).unwrap(), b"hi\r\n");
    assert!(!b.uses_raw_paste());
    assert_eq!(block_on(b.exec_checked(b"print(2)")).unwrap(), b"2\r\n");
    let t = b.into_transport();
    // One 10 ms pause after each of the three 256-byte chunks, one after the short one.
    assert_eq!(t.reads.iter().filter(|&&ms| ms == 10).count(), 4);
    t.assert_done();
}

#[test]
fn fallback_when_raw_paste_is_declined() {
    let mut steps = enter();
    steps.extend([
        host(b"\x05A\x01"),
        dev(b"R\x00>"),
        host(b"1/0\x04"),
        dev(b"OK\x04Traceback (most recent call last):\r\n  File \"<stdin>\", line 1, in <module>\r\nZeroDivisionError: divide by zero\r\n\x04>"),
    ]);
    let mut b = board(steps);
    let (out, err) = block_on(b.exec(b"1/0")).unwrap();
    assert_eq!(out, b"");
    assert!(err.ends_with(b"ZeroDivisionError: divide by zero\r\n"));
    b.into_transport().assert_done();
}

#[test]
fn fallback_rejects_missing_ok() {
    let mut steps = enter();
    steps.extend([
        host(b"\x05A\x01"),
        dev(b"R\x00>"),
        host(b"x\x04"),
        dev(b"NO"),
    ]);
    let mut b = board(steps);
    let err = block_on(b.exec(b"x")).unwrap_err();
    assert_eq!(
        err,
        LinkError::Protocol("could not exec command (response: b'NO')".into())
    );
    assert!(!b.in_raw_repl());
}

#[test]
fn exception_carries_traceback_and_errno() {
    let tb = "Traceback (most recent call last):\r\n  File \"<stdin>\", line 1, in <module>\r\nOSError: [Errno 2] ENOENT\r\n";
    let mut reply = b"partial\x04".to_vec();
    reply.extend_from_slice(tb.as_bytes());
    reply.extend_from_slice(b"\x04>");
    let mut b = board(script([enter(), paste_exec(b"open('x')", &reply)]));
    let err = block_on(b.exec_checked(b"open('x')")).unwrap_err();
    assert_eq!(
        err,
        LinkError::Exception {
            traceback: tb.into()
        }
    );
    assert_eq!(err.errno(), Some(errno::ENOENT));
    assert_eq!(err.exception_line(), Some("OSError: [Errno 2] ENOENT"));
    // The board is still in the raw REPL, at its prompt.
    assert!(b.in_raw_repl());
}

#[test]
fn soft_reset_sequence() {
    let mut b = board(vec![
        host(b"\r\x03"),
        dev(b"\r\n>>> "),
        host(b"\r\x01"),
        dev(b"\r\nraw REPL; CTRL-B to exit\r\n>"),
        host(b"\x04"),
        dev(b"OK\r\nMPY: soft reboot\r\n"),
        dev(b"boot.py says hi\r\nraw REPL; CTRL-B to exit\r\n>"),
    ]);
    block_on(b.soft_reset()).unwrap();
    assert!(b.in_raw_repl());
}

#[test]
fn exit_raw_and_interrupt() {
    let mut b = board(vec![
        host(b"\r\x02"),
        dev(b"\r\nMicroPython v1.22\r\n>>> "),
        host(b"\r\x03"),
        dev(b"\r\n>>> "),
    ]);
    b.assume_raw();
    block_on(b.exit_raw()).unwrap();
    assert!(!b.in_raw_repl());
    let drained = block_on(b.interrupt()).unwrap();
    assert_eq!(drained, b"\r\nMicroPython v1.22\r\n>>> \r\n>>> ");
    b.into_transport().assert_done();
}

#[test]
fn eval_parses_the_repr() {
    let mut b = board(script([
        enter(),
        paste_ok(
            b"print(repr((1, 'a', b'\\x00')))",
            b"(1, 'a', b'\\x00')\r\n",
        ),
    ]));
    let v = block_on(b.eval("(1, 'a', b'\\x00')")).unwrap();
    assert_eq!(
        v,
        Value::Tuple(vec![
            Value::Int(1),
            Value::Str("a".into()),
            Value::Bytes(vec![0])
        ])
    );
}

#[test]
fn streaming_passes_chunks_and_can_interrupt() {
    let mut steps = enter();
    steps.extend([
        host(b"\x05A\x01"),
        dev(b"R\x01\x80\x00\x01"),
        host(b"while 1: print('tick')"),
        host(b"\x04"),
        dev(b"\x04tick\r\n"),
        host(b"\x03"),
        dev(b"tick\r\n\x04Traceback (most recent call last):\r\nKeyboardInterrupt: \r\n\x04>"),
    ]);
    let mut b = board(steps);
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    let err = block_on(b.exec_stream(b"while 1: print('tick')", None, |chunk| {
        chunks.push(chunk.to_vec());
        if chunk.is_empty() {
            Flow::Interrupt
        } else {
            Flow::Continue
        }
    }))
    .unwrap();
    assert_eq!(chunks, [&b"tick\r\n"[..], b"", b"tick\r\n"]);
    assert!(err.ends_with(b"KeyboardInterrupt: \r\n"));
    b.into_transport().assert_done();
}

#[test]
fn silent_board_times_out_on_entry() {
    let mut b = board(vec![host(b"\r\x03"), host(b"\r\x01"), dev(b"garbage")]);
    let err = block_on(b.enter_raw(false)).unwrap_err();
    assert_eq!(
        err,
        LinkError::Timeout {
            waiting_for: "the raw REPL banner",
            received: b"garbage".to_vec(),
        }
    );
    let t = b.into_transport();
    assert!(t.clock() <= 10_000, "waited {} ms", t.clock());
}

#[test]
fn chatty_board_cannot_stall_entry() {
    let noise = vec![b'.'; SKIP_CAP + 10];
    let mut b = board(vec![host(b"\r\x03"), host(b"\r\x01"), dev(&noise)]);
    let err = block_on(b.enter_raw(false)).unwrap_err();
    assert!(matches!(err, LinkError::Protocol(_)), "{err:?}");
}

#[test]
fn program_silence_times_out_and_forces_resync() {
    let mut steps = enter();
    steps.extend([
        host(b"\x05A\x01"),
        dev(b"R\x01\x80\x00\x01"),
        host(b"import time; time.sleep(60)\x04"),
        dev(b"\x04"),
    ]);
    let mut b = board(steps);
    let err = block_on(b.exec(b"import time; time.sleep(60)")).unwrap_err();
    assert!(matches!(
        err,
        LinkError::Timeout {
            waiting_for: "the program's output to end",
            ..
        }
    ));
    assert!(!b.in_raw_repl());
    let t = b.into_transport();
    assert!(t.clock() >= 10_000 && t.clock() < 11_000, "{}", t.clock());
}

#[test]
fn unexpected_byte_during_raw_paste() {
    let mut steps = enter();
    steps.extend([
        host(b"\x05A\x01"),
        dev(b"R\x01\x02\x00\x01"),
        host(b"ab"),
        host(b"cd"),
        dev(b"Z"),
    ]);
    let mut b = board(steps);
    let err = block_on(b.exec(b"abcdef")).unwrap_err();
    assert_eq!(
        err,
        LinkError::Protocol("unexpected byte 0x5a during raw paste".into())
    );
}

#[test]
fn timeout_message_is_clear() {
    let e = LinkError::Timeout {
        waiting_for: "the raw REPL banner",
        received: b"\r\n>>> ".to_vec(),
    };
    assert_eq!(
        alloc::format!("{e}"),
        "timed out waiting for the raw REPL banner (last received: b'\\r\\n>>> ')"
    );
}
