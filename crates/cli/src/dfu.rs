//! `pyrite --dfu-from-bin` and `pyrite --dfu-info`: DfuSe files for ST's ROM DFU bootloader,
//! made and read by `pyrite_link::dfu`, the same code the IDE reads them with. The pyboard
//! firmware's build (`crates/stm32/images.sh`) makes its `.dfu` this way, without a Python tool.

use pyrite_link::dfu::{self, Element, Target, UsbId};

/// The name the file gives its one target: the flash is alternate setting 0 of ST's bootloader.
const TARGET_NAME: &[u8] = b"Internal Flash";

/// An address as `0x` hex or decimal.
pub fn parse_address(s: &str) -> Option<u32> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// Writes `out`, a DfuSe file for ST's bootloader (`0483:df11`, any release) that puts the bytes
/// of `bin` at `address` through alternate setting 0. Returns the exit status.
pub fn from_bin(bin: &str, address: u32, out: &str) -> u8 {
    let data = match std::fs::read(bin) {
        Ok(data) => data,
        Err(err) => {
            eprintln!("pyrite: can't read '{bin}': {err}");
            return 1;
        }
    };
    let targets = [Target {
        alt: 0,
        name: Some(TARGET_NAME),
        elements: vec![Element {
            address,
            data: &data,
        }],
    }];
    let file = match dfu::build(&targets, UsbId::ST_DFU) {
        Ok(file) => file,
        Err(err) => {
            eprintln!("pyrite: {bin}: {err}");
            return 1;
        }
    };
    if let Err(err) = std::fs::write(out, file) {
        eprintln!("pyrite: can't write '{out}': {err}");
        return 1;
    }
    0
}

/// Prints what the DfuSe file at `path` holds, after checking it whole (CRC included): the
/// device it is for, then each target and its elements. Returns the exit status.
pub fn info(path: &str) -> u8 {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("pyrite: can't read '{path}': {err}");
            return 1;
        }
    };
    let file = match dfu::parse(&bytes) {
        Ok(file) => file,
        Err(err) => {
            eprintln!("pyrite: {path}: {err}");
            return 1;
        }
    };
    let usb = file.usb;
    println!(
        "DfuSe file for {:04x}:{:04x} (bcdDevice 0x{:04x}), {} target(s)",
        usb.vendor,
        usb.product,
        usb.device,
        file.targets.len()
    );
    for (i, target) in file.targets.iter().enumerate() {
        let name = match target.name {
            Some(name) => format!("\"{}\"", String::from_utf8_lossy(name).escape_debug()),
            None => "unnamed".into(),
        };
        println!(
            "target {i}: alternate setting {}, {name}, {} element(s)",
            target.alt,
            target.elements.len()
        );
        for element in &target.elements {
            println!("  0x{:08x}  {} bytes", element.address, element.data.len());
        }
    }
    0
}
