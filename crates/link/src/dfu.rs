//! DfuSe files (ST's UM0391): the images `dfu-util -D` and MicroPython's `pydfu.py` write into a
//! board sitting in ST's ROM DFU bootloader (`0483:df11`), which is how a pyboard takes new
//! firmware over USB. The host builds them from a firmware's binary; the browser IDE reads them
//! to flash a board over WebUSB.
//!
//! Layout, every number little-endian:
//!
//! | part          | bytes  | fields                                                                  |
//! |---------------|--------|-------------------------------------------------------------------------|
//! | prefix        | 11     | `"DfuSe"`, version 1, image size (u32: the file without its suffix), target count (u8) |
//! | target prefix | 274    | `"Target"`, alternate setting (u8), named (u32, 0 or 1), name (255 bytes, NUL-padded), target size (u32: its elements with their headers), element count (u32) |
//! | element       | 8 + n  | address (u32), size n (u32), the n bytes to write there                 |
//! | suffix        | 16     | bcdDevice, idProduct, idVendor (u16 each; 0xffff matches any), bcdDFU 0x011a, `"UFD"`, length 16, CRC (u32) |
//!
//! Targets follow the prefix, each target's elements follow its prefix. The CRC is dfu-util's:
//! the reflected IEEE CRC-32 of every byte before it, started at 0xffffffff and not inverted at
//! the end (the bitwise NOT of zlib's `crc32`).
//!
//! Writers disagree on the image size: MicroPython's `dfu.py` and fwupd count the file without
//! its suffix, dfu-util's `dfuse-pack` (after UM0391's "total DFU file length") with it, and
//! neither dfu-util nor `pydfu.py` reads the field. [`build`] writes MicroPython's; [`parse`]
//! takes either.
//!
//! [`parse`] borrows the element data from the file and checks every size against the bytes
//! there are, so any input, however malformed, gives a [`DfuError`] and never a panic.

use alloc::vec::Vec;
use core::fmt;

use pyrite_core::modules::deflate_codec::crc32_update;

/// The bytes of the file prefix.
const PREFIX_LEN: usize = 11;
/// The bytes of a target prefix.
const TARGET_PREFIX_LEN: usize = 274;
/// The bytes of the name field in a target prefix.
const NAME_LEN: usize = 255;
/// The bytes of an element header (address and size).
const ELEMENT_HEADER_LEN: usize = 8;
/// The bytes of the DFU suffix.
const SUFFIX_LEN: usize = 16;
/// The suffix's bcdDFU for a DfuSe file (plain DFU 1.1 files have 0x0100).
const BCD_DFUSE: u16 = 0x011a;

/// The USB identity a file is meant for, from its suffix; 0xffff in a field matches any device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UsbId {
    /// idVendor.
    pub vendor: u16,
    /// idProduct.
    pub product: u16,
    /// bcdDevice, the device's release number.
    pub device: u16,
}

impl UsbId {
    /// ST's ROM DFU bootloader (STM32F4 and others; the pyboard after `machine.bootloader()` or
    /// with BOOT0 high), any release.
    pub const ST_DFU: UsbId = UsbId {
        vendor: 0x0483,
        product: 0xdf11,
        device: 0xffff,
    };
}

/// Bytes to write at an address of the device's memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Element<'a> {
    /// Where the first byte goes.
    pub address: u32,
    /// The bytes.
    pub data: &'a [u8],
}

/// The elements for one alternate setting of the DFU interface (on ST's bootloader, 0 is the
/// internal flash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target<'a> {
    /// The alternate setting (`dfu-util -a`).
    pub alt: u8,
    /// The target's name (up to its first NUL), or `None` when the file marks it unnamed.
    pub name: Option<&'a [u8]>,
    /// The elements, in file order.
    pub elements: Vec<Element<'a>>,
}

/// A parsed DfuSe file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DfuFile<'a> {
    /// The device the suffix names.
    pub usb: UsbId,
    /// The targets, in file order.
    pub targets: Vec<Target<'a>>,
}

/// Where in a file something is: a target, or an element of one (both counted from 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    /// The target's index.
    pub target: usize,
    /// The element's index within the target, if the place is an element.
    pub element: Option<usize>,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "target {}", self.target)?;
        if let Some(e) = self.element {
            write!(f, ", element {e}")?;
        }
        Ok(())
    }
}

/// Why bytes are not a DfuSe file, or why elements cannot become one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DfuError {
    /// Shorter than a prefix and a suffix.
    TooShort {
        /// The file's length.
        len: usize,
    },
    /// The file does not start with `"DfuSe"`.
    NotDfuSe,
    /// The prefix's format version is not 1.
    Version(u8),
    /// The last bytes are not a DFU suffix (no `"UFD"`).
    NoSuffix,
    /// The suffix's length field is not 16.
    SuffixLength(u8),
    /// The suffix's bcdDFU is not 0x011a: a plain DFU file, or not one at all.
    DfuVersion(u16),
    /// The CRC in the suffix is not the CRC of the file.
    Crc {
        /// The suffix's value.
        stored: u32,
        /// The value computed over the file.
        computed: u32,
    },
    /// The prefix's image size is the length of the file neither without its suffix nor with it.
    ImageSize {
        /// The prefix's value.
        stated: u32,
        /// The bytes before the suffix.
        actual: usize,
    },
    /// A target does not start with `"Target"`.
    TargetSignature(Place),
    /// A target prefix, an element header or an element's data runs past the image.
    Truncated {
        /// What is cut off.
        place: Place,
        /// The bytes it needs.
        need: u64,
        /// The bytes the image has left.
        left: usize,
    },
    /// A target's size field is not the bytes its elements take.
    TargetSize {
        /// The target.
        place: Place,
        /// The target prefix's value.
        stated: u32,
        /// The bytes its elements (with their headers) take.
        actual: u64,
    },
    /// An element ends past the 32-bit address space.
    AddressOverflow {
        /// The element.
        place: Place,
        /// Its address.
        address: u32,
        /// Its size in bytes.
        size: u64,
    },
    /// Bytes between the last target and the suffix.
    TrailingBytes(usize),
    /// More than 255 targets to build.
    TooManyTargets(usize),
    /// A target name longer than the 255-byte field, or with a NUL in it.
    BadName(Place),
    /// An element, a target or the image is over 4 GiB.
    TooLarge(Place),
}

impl fmt::Display for DfuError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DfuError::TooShort { len } => write!(
                f,
                "not a DfuSe file: {len} bytes, fewer than a prefix and a suffix ({})",
                PREFIX_LEN + SUFFIX_LEN
            ),
            DfuError::NotDfuSe => f.write_str("not a DfuSe file: it does not start with \"DfuSe\""),
            DfuError::Version(v) => write!(f, "DfuSe format version {v} (only 1 is known)"),
            DfuError::NoSuffix => f.write_str("no DFU suffix: the file does not end with \"UFD\", its length and a CRC"),
            DfuError::SuffixLength(n) => write!(f, "bad DFU suffix: length {n}, expected 16"),
            DfuError::DfuVersion(v) => {
                write!(f, "bad DFU suffix: bcdDFU 0x{v:04x}, expected 0x011a (DfuSe)")
            }
            DfuError::Crc { stored, computed } => write!(
                f,
                "CRC mismatch: the suffix has 0x{stored:08x}, the file's CRC is 0x{computed:08x}"
            ),
            DfuError::ImageSize { stated, actual } => write!(
                f,
                "the prefix gives an image size of {stated} bytes, the file has {actual} before its suffix ({} with it)",
                actual + SUFFIX_LEN
            ),
            DfuError::TargetSignature(place) => {
                write!(f, "{place}: does not start with \"Target\"")
            }
            DfuError::Truncated { place, need, left } => write!(
                f,
                "{place}: needs {need} bytes, only {left} are left before the suffix"
            ),
            DfuError::TargetSize {
                place,
                stated,
                actual,
            } => write!(
                f,
                "{place}: its prefix gives a size of {stated} bytes, its elements take {actual}"
            ),
            DfuError::AddressOverflow {
                place,
                address,
                size,
            } => write!(
                f,
                "{place}: {size} bytes at 0x{address:08x} run past the end of the address space"
            ),
            DfuError::TrailingBytes(n) => {
                write!(f, "{n} bytes between the last target and the suffix")
            }
            DfuError::TooManyTargets(n) => write!(f, "{n} targets, at most 255 fit a DfuSe file"),
            DfuError::BadName(place) => write!(
                f,
                "{place}: a name must be at most 255 bytes, without NUL"
            ),
            DfuError::TooLarge(place) => write!(f, "{place}: over 4 GiB"),
        }
    }
}

impl core::error::Error for DfuError {}

/// The CRC dfu-util puts in the suffix: see the module documentation.
pub fn crc(data: &[u8]) -> u32 {
    crc32_update(0xffff_ffff, data)
}

/// A DfuSe file holding `targets`, for the device `usb`.
///
/// Element data is written as given (no padding); target names are NUL-padded to 255 bytes.
pub fn build(targets: &[Target<'_>], usb: UsbId) -> Result<Vec<u8>, DfuError> {
    let count = u8::try_from(targets.len()).map_err(|_| DfuError::TooManyTargets(targets.len()))?;
    let mut out = Vec::new();
    out.extend_from_slice(b"DfuSe");
    out.push(1);
    out.extend_from_slice(&[0; 4]); // The image size, known at the end.
    out.push(count);
    for (t, target) in targets.iter().enumerate() {
        let here = Place {
            target: t,
            element: None,
        };
        let mut size = 0u64;
        for (e, element) in target.elements.iter().enumerate() {
            let place = Place {
                target: t,
                element: Some(e),
            };
            let len = u32::try_from(element.data.len()).map_err(|_| DfuError::TooLarge(place))?;
            if u64::from(element.address) + u64::from(len) > 1 << 32 {
                return Err(DfuError::AddressOverflow {
                    place,
                    address: element.address,
                    size: u64::from(len),
                });
            }
            size += (ELEMENT_HEADER_LEN as u64) + u64::from(len);
        }
        let size = u32::try_from(size).map_err(|_| DfuError::TooLarge(here))?;
        let elements =
            u32::try_from(target.elements.len()).map_err(|_| DfuError::TooLarge(here))?;
        let mut name = [0u8; NAME_LEN];
        if let Some(given) = target.name {
            if given.len() > NAME_LEN || given.contains(&0) {
                return Err(DfuError::BadName(here));
            }
            name.get_mut(..given.len())
                .ok_or(DfuError::BadName(here))?
                .copy_from_slice(given);
        }
        out.extend_from_slice(b"Target");
        out.push(target.alt);
        out.extend_from_slice(&u32::from(target.name.is_some()).to_le_bytes());
        out.extend_from_slice(&name);
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&elements.to_le_bytes());
        for element in &target.elements {
            // The length fits: checked above.
            out.extend_from_slice(&element.address.to_le_bytes());
            out.extend_from_slice(&(element.data.len() as u32).to_le_bytes());
            out.extend_from_slice(element.data);
        }
    }
    let image = u32::try_from(out.len()).map_err(|_| {
        DfuError::TooLarge(Place {
            target: targets.len().saturating_sub(1),
            element: None,
        })
    })?;
    if let Some(field) = out.get_mut(6..10) {
        field.copy_from_slice(&image.to_le_bytes());
    }
    out.extend_from_slice(&usb.device.to_le_bytes());
    out.extend_from_slice(&usb.product.to_le_bytes());
    out.extend_from_slice(&usb.vendor.to_le_bytes());
    out.extend_from_slice(&BCD_DFUSE.to_le_bytes());
    out.extend_from_slice(b"UFD");
    out.push(SUFFIX_LEN as u8);
    let crc = crc(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    Ok(out)
}

/// Reads bytes off the front of the image, each read checked against what is left.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// The next `n` bytes, or `Truncated` about `place`, which needs `need` bytes from here.
    fn take(&mut self, n: usize, place: Place, need: u64) -> Result<&'a [u8], DfuError> {
        let truncated = DfuError::Truncated {
            place,
            need,
            left: self.rest.len(),
        };
        if n > self.rest.len() {
            return Err(truncated);
        }
        let (head, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(head)
    }
}

/// The little-endian u32 at the start of `b` (0 if `b` is shorter, which callers rule out).
fn le32(b: &[u8]) -> u32 {
    match b.get(..4) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
        _ => 0,
    }
}

/// The little-endian u16 at `at` in `b` (0 past the end, which callers rule out).
fn le16(b: &[u8], at: usize) -> u16 {
    match b.get(at..at + 2) {
        Some(&[x, y]) => u16::from_le_bytes([x, y]),
        _ => 0,
    }
}

/// The targets and elements of a DfuSe file, checked: signatures, the suffix and its CRC, and
/// that every size adds up to the bytes there are.
pub fn parse(file: &[u8]) -> Result<DfuFile<'_>, DfuError> {
    if file.len() < PREFIX_LEN + SUFFIX_LEN {
        return Err(if file.starts_with(b"DfuSe") || file.is_empty() {
            DfuError::TooShort { len: file.len() }
        } else {
            DfuError::NotDfuSe
        });
    }
    let (image, suffix) = file.split_at(file.len() - SUFFIX_LEN);
    let (prefix, body) = image.split_at(PREFIX_LEN);
    if !prefix.starts_with(b"DfuSe") {
        return Err(DfuError::NotDfuSe);
    }
    if suffix.get(8..11) != Some(b"UFD".as_slice()) {
        return Err(DfuError::NoSuffix);
    }
    let length = suffix.get(11).copied().unwrap_or(0);
    if usize::from(length) != SUFFIX_LEN {
        return Err(DfuError::SuffixLength(length));
    }
    let bcd = le16(suffix, 6);
    if bcd != BCD_DFUSE {
        return Err(DfuError::DfuVersion(bcd));
    }
    let stored = le32(suffix.get(12..).unwrap_or_default());
    let computed = crc(file.get(..file.len() - 4).unwrap_or_default());
    if stored != computed {
        return Err(DfuError::Crc { stored, computed });
    }
    let version = prefix.get(5).copied().unwrap_or(0);
    if version != 1 {
        return Err(DfuError::Version(version));
    }
    let stated = le32(prefix.get(6..).unwrap_or_default());
    let sizes = [image.len(), file.len()];
    if !sizes.iter().any(|&len| u32::try_from(len) == Ok(stated)) {
        return Err(DfuError::ImageSize {
            stated,
            actual: image.len(),
        });
    }
    let count = prefix.get(10).copied().unwrap_or(0);
    let usb = UsbId {
        device: le16(suffix, 0),
        product: le16(suffix, 2),
        vendor: le16(suffix, 4),
    };

    let mut reader = Reader { rest: body };
    let mut targets = Vec::with_capacity(usize::from(count));
    for t in 0..usize::from(count) {
        let here = Place {
            target: t,
            element: None,
        };
        let head = reader.take(TARGET_PREFIX_LEN, here, TARGET_PREFIX_LEN as u64)?;
        if !head.starts_with(b"Target") {
            return Err(DfuError::TargetSignature(here));
        }
        let alt = head.get(6).copied().unwrap_or(0);
        let named = le32(head.get(7..).unwrap_or_default()) != 0;
        let name_field = head.get(11..11 + NAME_LEN).unwrap_or_default();
        let name_len = name_field
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(name_field.len());
        let name = named.then(|| name_field.get(..name_len).unwrap_or_default());
        let size = le32(head.get(266..).unwrap_or_default());
        let count = le32(head.get(270..).unwrap_or_default());

        let mut elements = Vec::new();
        let mut taken = 0u64;
        for e in 0..count {
            let place = Place {
                target: t,
                element: Some(e as usize),
            };
            let header = reader.take(ELEMENT_HEADER_LEN, place, ELEMENT_HEADER_LEN as u64)?;
            let address = le32(header);
            let len = le32(header.get(4..).unwrap_or_default());
            let data = match usize::try_from(len) {
                Ok(n) => reader.take(n, place, u64::from(len))?,
                Err(_) => {
                    return Err(DfuError::Truncated {
                        place,
                        need: u64::from(len),
                        left: reader.rest.len(),
                    })
                }
            };
            if u64::from(address) + u64::from(len) > 1 << 32 {
                return Err(DfuError::AddressOverflow {
                    place,
                    address,
                    size: u64::from(len),
                });
            }
            taken += (ELEMENT_HEADER_LEN as u64) + u64::from(len);
            elements.push(Element { address, data });
        }
        if taken != u64::from(size) {
            return Err(DfuError::TargetSize {
                place: here,
                stated: size,
                actual: taken,
            });
        }
        targets.push(Target {
            alt,
            name,
            elements,
        });
    }
    if !reader.rest.is_empty() {
        return Err(DfuError::TrailingBytes(reader.rest.len()));
    }
    Ok(DfuFile { usb, targets })
}
