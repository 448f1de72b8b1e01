//! The DfuSe files of `pyrite_link::dfu`: their layout against ST's UM0391, the CRC against a
//! bit-by-bit computation, round trips, and an error (never a panic) for malformed files.

use pyrite_link::dfu::{build, crc, parse, DfuError, Element, Place, Target, UsbId};

/// The CRC bit by bit, straight from the polynomial: independent of the core's table.
fn crc_bitwise(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    crc
}

/// Bytes that look like firmware: (i * 31 + 7) mod 251.
fn firmware(len: usize) -> Vec<u8> {
    (0..len).map(|i| ((i * 31 + 7) % 251) as u8).collect()
}

/// One element of `data` at 0x08000000 in target 0 named "Internal Flash".
fn single(data: &[u8]) -> Vec<u8> {
    let targets = [Target {
        alt: 0,
        name: Some(b"Internal Flash"),
        elements: vec![Element {
            address: 0x0800_0000,
            data,
        }],
    }];
    build(&targets, UsbId::ST_DFU).unwrap()
}

/// Rewrites the suffix's CRC after a test changed the file.
fn reseal(mut file: Vec<u8>) -> Vec<u8> {
    let n = file.len();
    if n >= 4 {
        let crc = crc(&file[..n - 4]);
        file[n - 4..].copy_from_slice(&crc.to_le_bytes());
    }
    file
}

/// Sets the u32 at `at`, then reseals.
fn patch32(mut file: Vec<u8>, at: usize, value: u32) -> Vec<u8> {
    file[at..at + 4].copy_from_slice(&value.to_le_bytes());
    reseal(file)
}

fn u32_at(file: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(file[at..at + 4].try_into().unwrap())
}

fn u16_at(file: &[u8], at: usize) -> u16 {
    u16::from_le_bytes(file[at..at + 2].try_into().unwrap())
}

#[test]
fn crc_is_dfu_utils() {
    // The CRC-32 check value (zlib.crc32(b"123456789") == 0xcbf43926), inverted as
    // dfu-util stores it.
    assert_eq!(!crc(b"123456789"), 0xcbf4_3926);
    let data = firmware(3000);
    assert_eq!(crc(&data), crc_bitwise(&data));
    let file = single(&data);
    let n = file.len();
    assert_eq!(u32_at(&file, n - 4), crc_bitwise(&file[..n - 4]));
}

#[test]
fn layout_follows_um0391() {
    let data = firmware(1001);
    let file = single(&data);
    let image = 11 + 274 + 8 + data.len();
    assert_eq!(file.len(), image + 16);
    // Prefix.
    assert_eq!(&file[..5], b"DfuSe");
    assert_eq!(file[5], 1);
    assert_eq!(u32_at(&file, 6) as usize, image);
    assert_eq!(file[10], 1);
    // Target prefix.
    assert_eq!(&file[11..17], b"Target");
    assert_eq!(file[17], 0);
    assert_eq!(u32_at(&file, 18), 1);
    assert_eq!(&file[22..36], b"Internal Flash");
    assert!(file[36..277].iter().all(|&b| b == 0));
    assert_eq!(u32_at(&file, 277) as usize, 8 + data.len());
    assert_eq!(u32_at(&file, 281), 1);
    // Element.
    assert_eq!(u32_at(&file, 285), 0x0800_0000);
    assert_eq!(u32_at(&file, 289) as usize, data.len());
    assert_eq!(&file[293..293 + data.len()], data.as_slice());
    // Suffix.
    let s = image;
    assert_eq!(u16_at(&file, s), 0xffff);
    assert_eq!(u16_at(&file, s + 2), 0xdf11);
    assert_eq!(u16_at(&file, s + 4), 0x0483);
    assert_eq!(u16_at(&file, s + 6), 0x011a);
    assert_eq!(&file[s + 8..s + 11], b"UFD");
    assert_eq!(file[s + 11], 16);
}

#[test]
fn round_trip() {
    let a = firmware(4096);
    let b = firmware(7);
    let c = firmware(300);
    let targets = vec![
        Target {
            alt: 0,
            name: Some(b"Internal Flash"),
            elements: vec![
                Element {
                    address: 0x0800_0000,
                    data: &a,
                },
                Element {
                    address: 0x0802_0000,
                    data: &b,
                },
                Element {
                    address: 0x0804_0000,
                    data: &[],
                },
            ],
        },
        Target {
            alt: 1,
            name: None,
            elements: vec![],
        },
        Target {
            alt: 3,
            name: Some(&[b'x'; 255]),
            elements: vec![Element {
                address: 0xffff_ff00,
                data: &c[..256],
            }],
        },
    ];
    let usb = UsbId {
        vendor: 0x1234,
        product: 0x5678,
        device: 0x0200,
    };
    let file = build(&targets, usb).unwrap();
    let parsed = parse(&file).unwrap();
    assert_eq!(parsed.usb, usb);
    assert_eq!(parsed.targets, targets);
    assert_eq!(build(&parsed.targets, parsed.usb).unwrap(), file);
    // No targets at all is a valid (empty) file too.
    let empty = build(&[], UsbId::ST_DFU).unwrap();
    assert_eq!(empty.len(), 11 + 16);
    assert_eq!(parse(&empty).unwrap().targets, vec![]);
}

#[test]
fn build_refuses_what_does_not_fit() {
    let t0 = Place {
        target: 0,
        element: None,
    };
    let named = |name: &'static [u8]| {
        [Target {
            alt: 0,
            name: Some(name),
            elements: vec![],
        }]
    };
    assert_eq!(
        build(&named(&[b'x'; 256]), UsbId::ST_DFU),
        Err(DfuError::BadName(t0))
    );
    assert_eq!(
        build(&named(b"a\0b"), UsbId::ST_DFU),
        Err(DfuError::BadName(t0))
    );
    let many: Vec<Target> = (0..256)
        .map(|_| Target {
            alt: 0,
            name: None,
            elements: vec![],
        })
        .collect();
    assert_eq!(
        build(&many, UsbId::ST_DFU),
        Err(DfuError::TooManyTargets(256))
    );
    let past_end = [Target {
        alt: 0,
        name: None,
        elements: vec![Element {
            address: 0xffff_fffe,
            data: &[1, 2, 3],
        }],
    }];
    assert!(matches!(
        build(&past_end, UsbId::ST_DFU),
        Err(DfuError::AddressOverflow { .. })
    ));
}

#[test]
fn malformed_files_are_named() {
    let data = firmware(100);
    let good = single(&data);
    let n = good.len();
    let t0 = Place {
        target: 0,
        element: None,
    };
    let e0 = Place {
        target: 0,
        element: Some(0),
    };
    assert_eq!(parse(b""), Err(DfuError::TooShort { len: 0 }));
    assert_eq!(parse(b"DfuSe\x01"), Err(DfuError::TooShort { len: 6 }));
    assert_eq!(parse(&[0x55; 40]), Err(DfuError::NotDfuSe));
    let mut plain = data.clone();
    plain.extend_from_slice(&good[n - 16..]);
    assert_eq!(parse(&plain), Err(DfuError::NotDfuSe));

    let mut no_suffix = good.clone();
    no_suffix[n - 8] = b'X';
    assert_eq!(parse(&no_suffix), Err(DfuError::NoSuffix));
    assert_eq!(parse(&good[..n - 1]), Err(DfuError::NoSuffix));
    let mut length = good.clone();
    length[n - 5] = 20;
    assert_eq!(parse(&reseal(length)), Err(DfuError::SuffixLength(20)));
    let mut bcd = good.clone();
    bcd[n - 10] = 0x00;
    bcd[n - 9] = 0x01;
    assert_eq!(parse(&reseal(bcd)), Err(DfuError::DfuVersion(0x0100)));

    let mut flipped = good.clone();
    flipped[300] ^= 1;
    let computed = crc(&flipped[..n - 4]);
    assert_eq!(
        parse(&flipped),
        Err(DfuError::Crc {
            stored: u32_at(&good, n - 4),
            computed
        })
    );

    let mut version = good.clone();
    version[5] = 2;
    assert_eq!(parse(&reseal(version)), Err(DfuError::Version(2)));
    assert_eq!(
        parse(&patch32(good.clone(), 6, 5)),
        Err(DfuError::ImageSize {
            stated: 5,
            actual: n - 16
        })
    );
    // dfu-util's `dfuse-pack` counts the suffix in the image size.
    assert_eq!(
        parse(&patch32(good.clone(), 6, n as u32)).map(|f| f.targets.len()),
        Ok(1)
    );
    assert_eq!(
        parse(&patch32(good.clone(), 6, n as u32 + 1)),
        Err(DfuError::ImageSize {
            stated: n as u32 + 1,
            actual: n - 16
        })
    );

    let mut signature = good.clone();
    signature[11] = b't';
    assert_eq!(
        parse(&reseal(signature)),
        Err(DfuError::TargetSignature(t0))
    );
    // Two targets announced, one there.
    let mut two = good.clone();
    two[10] = 2;
    assert_eq!(
        parse(&reseal(two)),
        Err(DfuError::Truncated {
            place: Place {
                target: 1,
                element: None
            },
            need: 274,
            left: 0
        })
    );
    // No target announced, one there.
    let mut none = good.clone();
    none[10] = 0;
    assert_eq!(
        parse(&reseal(none)),
        Err(DfuError::TrailingBytes(274 + 8 + 100))
    );
    // The element's size beyond the image.
    assert_eq!(
        parse(&patch32(good.clone(), 289, 101)),
        Err(DfuError::Truncated {
            place: e0,
            need: 101,
            left: 100
        })
    );
    assert_eq!(
        parse(&patch32(good.clone(), 289, u32::MAX)),
        Err(DfuError::Truncated {
            place: e0,
            need: u64::from(u32::MAX),
            left: 100
        })
    );
    // Two elements announced, one there.
    assert_eq!(
        parse(&patch32(good.clone(), 281, 2)),
        Err(DfuError::Truncated {
            place: Place {
                target: 0,
                element: Some(1)
            },
            need: 8,
            left: 0
        })
    );
    // The element's size short of its data (its target's size then no longer adds up),
    // the target's size wrong.
    assert_eq!(
        parse(&patch32(good.clone(), 289, 99)),
        Err(DfuError::TargetSize {
            place: t0,
            stated: 108,
            actual: 107
        })
    );
    assert_eq!(
        parse(&patch32(good.clone(), 277, 100)),
        Err(DfuError::TargetSize {
            place: t0,
            stated: 100,
            actual: 108
        })
    );
    assert_eq!(
        parse(&patch32(good.clone(), 285, 0xffff_ffc0)),
        Err(DfuError::AddressOverflow {
            place: e0,
            address: 0xffff_ffc0,
            size: 100
        })
    );
    // Every error says something.
    for e in [DfuError::NotDfuSe, DfuError::TrailingBytes(3)] {
        assert!(!e.to_string().is_empty());
    }
    assert_eq!(
        DfuError::TargetSize {
            place: t0,
            stated: 100,
            actual: 108
        }
        .to_string(),
        "target 0: its prefix gives a size of 100 bytes, its elements take 108"
    );
}

/// Any input gives `Ok` or an error, never a panic: every prefix of a file, every byte of
/// it changed (with the CRC made right again, so the structure is what gets checked), and
/// pseudo-random files with a valid prefix signature and suffix.
#[test]
fn no_input_panics() {
    let a = firmware(40);
    let targets = [
        Target {
            alt: 0,
            name: Some(b"a"),
            elements: vec![
                Element {
                    address: 0x0800_0000,
                    data: &a,
                },
                Element {
                    address: 0,
                    data: &a[..3],
                },
            ],
        },
        Target {
            alt: 1,
            name: None,
            elements: vec![],
        },
    ];
    let good = build(&targets, UsbId::ST_DFU).unwrap();
    let parsed = parse(&good).unwrap();
    assert_eq!(good.len(), 11 + 274 + 8 + 40 + 8 + 3 + 274 + 16);
    for n in 0..good.len() {
        let _ = parse(&good[..n]);
        let _ = parse(&reseal(good[..n].to_vec()));
    }
    for at in 0..good.len() {
        for value in [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff] {
            let mut bad = good.clone();
            bad[at] = value;
            let _ = parse(&bad);
            let bad = reseal(bad);
            // What a parse may ignore: the rest of target 0's named flag, its name after
            // the NUL, the name field of the unnamed target 1.
            let ignored =
                (18..22).contains(&at) || (24..277).contains(&at) || (355..610).contains(&at);
            if bad != good && !ignored {
                assert_ne!(
                    parse(&bad),
                    Ok(parsed.clone()),
                    "byte {at} = {value} went unnoticed"
                );
            }
        }
    }
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for len in (27..2000).step_by(7) {
        let mut file: Vec<u8> = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                (seed >> 56) as u8
            })
            .collect();
        file[..6].copy_from_slice(b"DfuSe\x01");
        let suffix = &good[good.len() - 16..];
        file[len - 16..].copy_from_slice(suffix);
        let _ = parse(&reseal(file));
    }
}
