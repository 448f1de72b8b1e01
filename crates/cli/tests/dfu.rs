//! End-to-end tests of `pyrite --dfu-from-bin` and `pyrite --dfu-info`: the file made from a
//! binary holds it at its address for ST's bootloader, its CRC is zlib's (through Python) and,
//! where dfu-util is installed, `dfu-suffix -c` accepts it; bad arguments and bad files are
//! reported, not crashed on.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use pyrite_link::dfu::{self, UsbId};

fn pyrite(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pyrite"))
        .args(args)
        .output()
        .expect("pyrite runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temporary path")
}

/// A binary that looks like firmware: (i * 13 + 5) mod 253.
fn firmware(len: usize) -> Vec<u8> {
    (0..len).map(|i| ((i * 13 + 5) % 253) as u8).collect()
}

#[test]
fn dfu_from_bin_holds_the_binary() {
    let dir = support::temp_dir("dfu-from-bin");
    let bin = dir.join("firmware.bin");
    let out = dir.join("firmware.dfu");
    let data = firmware(70_001);
    std::fs::write(&bin, &data).unwrap();

    let run = pyrite(&["--dfu-from-bin", path(&bin), "0x08000000", path(&out)]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let file = std::fs::read(&out).unwrap();
    let parsed = dfu::parse(&file).unwrap();
    assert_eq!(parsed.usb, UsbId::ST_DFU);
    assert_eq!(parsed.targets.len(), 1);
    let target = &parsed.targets[0];
    assert_eq!(target.alt, 0);
    assert_eq!(target.elements.len(), 1);
    assert_eq!(target.elements[0].address, 0x0800_0000);
    assert_eq!(target.elements[0].data, data.as_slice());

    // A decimal address works as well.
    let run = pyrite(&["--dfu-from-bin", path(&bin), "134348800", path(&out)]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let file = std::fs::read(&out).unwrap();
    assert_eq!(
        dfu::parse(&file).unwrap().targets[0].elements[0].address,
        0x0802_0000
    );

    let info = pyrite(&["--dfu-info", path(&out)]);
    assert!(info.status.success(), "{}", text(&info.stderr));
    assert_eq!(
        text(&info.stdout),
        format!(
            "DfuSe file for 0483:df11 (bcdDevice 0xffff), 1 target(s)\n\
             target 0: alternate setting 0, \"Internal Flash\", 1 element(s)\n  \
             0x08020000  {} bytes\n",
            data.len()
        )
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// The suffix's CRC against zlib's, and the whole file against dfu-util's own check.
#[test]
fn dfu_file_passes_independent_checks() {
    let dir = support::temp_dir("dfu-checks");
    let bin = dir.join("firmware.bin");
    let out = dir.join("firmware.dfu");
    std::fs::write(&bin, firmware(12_345)).unwrap();
    let run = pyrite(&["--dfu-from-bin", path(&bin), "0x08000000", path(&out)]);
    assert!(run.status.success(), "{}", text(&run.stderr));

    // dfu-util's CRC is the bitwise NOT of zlib's crc32 over all but the last 4 bytes.
    let check = "import sys, zlib\n\
                 d = open(sys.argv[1], 'rb').read()\n\
                 assert int.from_bytes(d[-4:], 'little') == ~zlib.crc32(d[:-4]) & 0xffffffff\n\
                 print('crc ok')\n";
    match Command::new("python3")
        .args(["-c", check, path(&out)])
        .output()
    {
        Ok(py) => assert!(
            py.status.success() && text(&py.stdout) == "crc ok\n",
            "{}",
            text(&py.stderr)
        ),
        Err(err) => eprintln!("python3 not run ({err}): zlib's CRC not compared"),
    }

    match Command::new("dfu-suffix").args(["-c", path(&out)]).output() {
        Ok(check) => assert!(
            check.status.success(),
            "dfu-suffix -c refused the file:\n{}{}",
            text(&check.stdout),
            text(&check.stderr)
        ),
        Err(err) => eprintln!("dfu-suffix not run ({err}): install dfu-util to check with it"),
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn dfu_errors_are_reported() {
    let dir = support::temp_dir("dfu-errors");
    let bin = dir.join("firmware.bin");
    let out = dir.join("firmware.dfu");
    std::fs::write(&bin, firmware(1000)).unwrap();

    let run = pyrite(&["--dfu-from-bin", path(&bin), "0x08000000"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("--dfu-from-bin FILE.bin ADDRESS OUT.dfu"));

    let run = pyrite(&["--dfu-from-bin", path(&bin), "flash", path(&out)]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(text(&run.stderr), "pyrite: invalid address: flash\n");

    let missing = dir.join("missing.bin");
    let run = pyrite(&["--dfu-from-bin", path(&missing), "0", path(&out)]);
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stderr).contains("can't read"));

    // Past the end of the address space.
    let run = pyrite(&["--dfu-from-bin", path(&bin), "0xfffffe00", path(&out)]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        text(&run.stderr).contains("run past the end of the address space"),
        "{}",
        text(&run.stderr)
    );

    let run = pyrite(&["--dfu-info", path(&bin)]);
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stderr).contains("not a DfuSe file"));

    let run = pyrite(&["--dfu-from-bin", path(&bin), "0x08000000", path(&out)]);
    assert!(run.status.success());
    let mut file = std::fs::read(&out).unwrap();
    file[400] ^= 0x40;
    std::fs::write(&out, &file).unwrap();
    let run = pyrite(&["--dfu-info", path(&out)]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        text(&run.stderr).contains("CRC mismatch"),
        "{}",
        text(&run.stderr)
    );
    std::fs::remove_dir_all(&dir).ok();
}
