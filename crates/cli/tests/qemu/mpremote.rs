//! The real `mpremote` (PyPI, installed by `setup.sh`) against the firmware in QEMU.

use crate::{image, support, Qemu};

/// Runs `mpremote connect socket://127.0.0.1:PORT ARGS` against the board in `qemu`.
fn run(qemu: &Qemu, args: &[&str]) -> (bool, String, String) {
    support::mpremote(&format!("socket://127.0.0.1:{}", qemu.port), args)
}

/// Runs mpremote and expects success; its standard output.
fn ok(qemu: &Qemu, args: &[&str]) -> String {
    support::mpremote_ok(&format!("socket://127.0.0.1:{}", qemu.port), args)
}

#[test]
fn mpremote_exec_files_and_soft_reset() {
    let Some(image) = image("PYRITE_QEMU_IMAGE") else {
        return;
    };
    let (qemu, c) = Qemu::boot(&image);
    // mpremote makes its own connection.
    drop(c);
    assert_eq!(ok(&qemu, &["exec", "print('hello', 6 * 7)"]), "hello 42\n");
    assert_eq!(ok(&qemu, &["eval", "1 << 70"]), "1180591620717411303424\n");
    let (success, out, _) = run(&qemu, &["exec", "1/0"]);
    assert!(
        !success && out.contains("ZeroDivisionError: divide by zero"),
        "{out}"
    );

    let dir = std::env::temp_dir().join(format!("pyrite-qemu-mpremote-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // A binary file with every byte value, to the board and back.
    let data: Vec<u8> = (0..4096).map(|i| (i * 7 % 256) as u8).collect();
    let src = dir.join("all.bin");
    std::fs::write(&src, &data).unwrap();
    ok(&qemu, &["fs", "cp", src.to_str().unwrap(), ":all.bin"]);
    let back = dir.join("back.bin");
    ok(&qemu, &["fs", "cp", ":all.bin", back.to_str().unwrap()]);
    assert_eq!(std::fs::read(&back).unwrap(), data);
    ok(&qemu, &["fs", "mkdir", ":lib"]);
    let module = dir.join("greet.py");
    std::fs::write(&module, "def hello():\n    return 'hi from lib'\n").unwrap();
    ok(
        &qemu,
        &["fs", "cp", module.to_str().unwrap(), ":lib/greet.py"],
    );
    let out = ok(&qemu, &["fs", "ls"]);
    assert!(
        out.contains("4096 all.bin") && out.contains("lib/") && out.contains("boot.py"),
        "{out}"
    );
    // /lib is on sys.path, as on a pyboard.
    assert_eq!(
        ok(&qemu, &["exec", "import greet; print(greet.hello())"]),
        "hi from lib\n"
    );
    // soft-reset clears the interpreter; resume keeps it.
    ok(&qemu, &["exec", "x = 1"]);
    assert_eq!(ok(&qemu, &["resume", "eval", "x"]), "1\n");
    let (_, out, _) = run(&qemu, &["soft-reset", "eval", "x"]);
    assert!(out.contains("NameError"), "{out}");
    ok(&qemu, &["fs", "rm", ":all.bin"]);
    assert!(!ok(&qemu, &["fs", "ls"]).contains("all.bin"));
    let _ = std::fs::remove_dir_all(&dir);
}
