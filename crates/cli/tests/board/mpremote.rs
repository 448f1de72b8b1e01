//! The real `mpremote` (PyPI, installed by `setup.sh`) against the virtual board.

use std::process::Command;
use std::time::Instant;

use crate::{support, Board};

/// Runs `mpremote connect DEVICE ARGS` against `board`: (success, stdout, stderr).
fn run(board: &Board, args: &[&str]) -> (bool, String, String) {
    support::mpremote(&board.device, args)
}

/// Runs mpremote against `board` and expects success; its standard output.
fn ok(board: &Board, args: &[&str]) -> String {
    support::mpremote_ok(&board.device, args)
}

#[test]
fn mpremote_exec_eval_run_and_resets() {
    let board = Board::start(&[]);
    assert_eq!(ok(&board, &["exec", "print('hello', 6 * 7)"]), "hello 42\n");
    assert_eq!(ok(&board, &["eval", "1 << 70"]), "1180591620717411303424\n");
    let dir = support::temp_dir("run");
    let script = dir.join("script.py");
    std::fs::write(
        &script,
        "import sys\nprint('ran as', __name__, sys.platform)\n",
    )
    .unwrap();
    assert_eq!(
        ok(&board, &["run", script.to_str().unwrap()]),
        "ran as __main__ pyboard\n"
    );
    // Errors come back as the board's traceback, and mpremote fails.
    let (success, out, _) = run(&board, &["exec", "1/0"]);
    assert!(!success);
    assert!(out.contains("ZeroDivisionError: divide by zero"), "{out}");
    // soft-reset clears the interpreter; resume keeps it.
    ok(&board, &["exec", "x = 1"]);
    assert_eq!(ok(&board, &["resume", "eval", "x"]), "1\n");
    let (_, out, _) = run(&board, &["soft-reset", "eval", "x"]);
    assert!(out.contains("NameError"), "{out}");
    // Several commands in one session.
    let out = ok(&board, &["exec", "a = 2", "+", "resume", "eval", "a * 21"]);
    assert_eq!(out, "42\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn mpremote_file_system_commands() {
    let board = Board::start(&[]);
    let dir = support::temp_dir("fs");
    // A binary file with all 256 byte values, several times, round-trips unchanged.
    let data: Vec<u8> = (0..4096).map(|i| (i % 256) as u8).collect();
    let src = dir.join("all.bin");
    std::fs::write(&src, &data).unwrap();
    ok(&board, &["fs", "cp", src.to_str().unwrap(), ":all.bin"]);
    assert_eq!(std::fs::read(board.fs.join("all.bin")).unwrap(), data);
    let back = dir.join("back.bin");
    ok(&board, &["fs", "cp", ":all.bin", back.to_str().unwrap()]);
    assert_eq!(std::fs::read(&back).unwrap(), data);
    // sha256sum is computed on the board.
    let out = ok(&board, &["fs", "sha256sum", ":all.bin"]);
    let expected = sha256_hex(&data);
    assert!(out.contains(&expected), "{out} vs {expected}");
    // mkdir, touch, ls, cat, rm, rmdir.
    ok(&board, &["fs", "mkdir", ":sub"]);
    ok(&board, &["fs", "touch", ":sub/empty.txt"]);
    let text = dir.join("t.txt");
    std::fs::write(&text, "line one\nline two\n").unwrap();
    ok(&board, &["fs", "cp", text.to_str().unwrap(), ":sub/t.txt"]);
    let out = ok(&board, &["fs", "ls", ":sub"]);
    assert!(out.contains("empty.txt") && out.contains("t.txt"), "{out}");
    let out = ok(&board, &["fs", "cat", ":sub/t.txt"]);
    assert!(out.ends_with("line one\nline two\n"), "{out:?}");
    let out = ok(&board, &["fs", "ls"]);
    assert!(out.contains("sub/") && out.contains("all.bin"), "{out}");
    ok(&board, &["fs", "rm", ":sub/empty.txt", ":sub/t.txt"]);
    ok(&board, &["fs", "rmdir", ":sub"]);
    assert!(!board.fs.join("sub").exists());
    // A missing file is an error, not a crash; the board answers the next command.
    let (success, _, err) = run(&board, &["fs", "cat", ":nothing.txt"]);
    assert!(!success && err.contains("No such file"), "{err}");
    assert_eq!(ok(&board, &["eval", "2 + 2"]), "4\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn mpremote_hostile_file_names_stay_inside_the_board() {
    let board = Board::start(&[]);
    let dir = support::temp_dir("hostile");
    let src = dir.join("x.txt");
    std::fs::write(&src, "x").unwrap();
    // Climbing out of the board's folder ends at its top.
    let outside = board.fs.parent().unwrap().join("pyrite-escaped.txt");
    let _ = std::fs::remove_file(&outside);
    run(
        &board,
        &["fs", "cp", src.to_str().unwrap(), ":../pyrite-escaped.txt"],
    );
    assert!(!outside.exists(), "a file escaped the board's folder");
    // Names with quotes, backslashes, newlines or escape sequences get an answer, never a hang.
    for name in [
        ":a'b\"c",
        ":back\\slash",
        ":new\nline",
        ":\u{1b}[2J",
        ":\u{7f}\u{3}\u{4}",
    ] {
        let _ = run(&board, &["fs", "cp", src.to_str().unwrap(), name]);
        assert_eq!(
            ok(&board, &["eval", "'alive'"]),
            "alive\n",
            "after {name:?}"
        );
    }
    let (success, _, _) = run(&board, &["fs", "rmdir", ":/"]);
    assert!(!success);
    assert_eq!(ok(&board, &["eval", "'alive'"]), "alive\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn mpremote_cp_throughput() {
    // pyserial's `socket://` handler reads a byte at a time with a poll each: the pty is the
    // figure that shows the board, TCP the one that shows that handler.
    for serial in ["pty", "tcp:127.0.0.1:0"] {
        cp_throughput(serial);
    }
}

fn cp_throughput(serial: &str) {
    let board = Board::start_on(serial, &[]);
    let dir = support::temp_dir(&format!("speed-{}", serial.len()));
    let data: Vec<u8> = (0..64 * 1024).map(|i| (i * 7 % 251) as u8).collect();
    let src = dir.join("big.bin");
    std::fs::write(&src, &data).unwrap();
    let start = Instant::now();
    ok(&board, &["fs", "cp", src.to_str().unwrap(), ":big.bin"]);
    let up = start.elapsed();
    let back = dir.join("back.bin");
    let start = Instant::now();
    ok(&board, &["fs", "cp", ":big.bin", back.to_str().unwrap()]);
    let down = start.elapsed();
    assert_eq!(std::fs::read(&back).unwrap(), data);
    // A figure for the record, not a bound.
    println!(
        "mpremote fs cp of 64 KiB over {serial}: to the board {:.0} KiB/s, from it {:.0} KiB/s",
        64.0 / up.as_secs_f64(),
        64.0 / down.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// SHA-256 in hex, by the host's `sha256sum`.
fn sha256_hex(data: &[u8]) -> String {
    use std::io::Write;
    let mut child = Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(data).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout)[..64].to_string()
}
