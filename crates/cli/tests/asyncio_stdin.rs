//! asyncio reading standard input: other tasks keep running while nothing has been typed.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

const PROGRAM: &str = r#"
import asyncio, sys

async def ticker():
    for i in range(3):
        print("tick", i)
        await asyncio.sleep_ms(50)

async def reader():
    line = await asyncio.StreamReader(sys.stdin).readline()
    print("read", line)

async def main():
    await asyncio.gather(ticker(), reader())

asyncio.run(main())
"#;

#[test]
fn ticks_run_while_stdin_waits() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pyrite"))
        .args(["-c", PROGRAM])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pyrite runs");
    // The line arrives well after the ticker has finished.
    std::thread::sleep(Duration::from_millis(600));
    let mut stdin = child.stdin.take().expect("stdin is piped");
    stdin.write_all(b"hello\n").expect("stdin accepts the line");
    drop(stdin);
    let out = child.wait_with_output().expect("pyrite ends");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "tick 0\ntick 1\ntick 2\nread b'hello\\n'\n"
    );
}
