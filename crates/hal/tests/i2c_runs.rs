//! How `i2c_runs` splits a transaction into runs for a byte-by-byte controller.

use pyrite_core::hardware::I2cOp;
use pyrite_hal::bus::{i2c_runs, I2cRun};

fn run(read: bool, ops: std::ops::Range<usize>, bytes: usize, last: bool) -> I2cRun {
    I2cRun {
        read,
        ops,
        bytes,
        last,
    }
}

#[test]
fn a_probe_has_no_runs() {
    assert_eq!(i2c_runs(&[]), []);
    assert_eq!(i2c_runs(&[I2cOp::Write(&[])]), []);
    let mut none = [0u8; 0];
    assert_eq!(i2c_runs(&[I2cOp::Read(&mut none), I2cOp::Write(&[])]), []);
}

#[test]
fn a_change_of_direction_starts_a_run() {
    let mut buf = [0u8; 3];
    // `readfrom_mem`: the register address, then the bytes after a repeated start.
    assert_eq!(
        i2c_runs(&[I2cOp::Write(&[0x10, 0x20]), I2cOp::Read(&mut buf)]),
        [run(false, 0..1, 2, false), run(true, 1..2, 3, true)]
    );
    // A read, then a write: the read's last byte is followed by a repeated start.
    let mut one = [0u8; 1];
    assert_eq!(
        i2c_runs(&[I2cOp::Read(&mut one), I2cOp::Write(&[7])]),
        [run(true, 0..1, 1, false), run(false, 1..2, 1, true)]
    );
}

#[test]
fn operations_in_one_direction_continue_a_run() {
    // `writevto`: two buffers, one run.
    assert_eq!(
        i2c_runs(&[I2cOp::Write(&[0x40]), I2cOp::Write(&[1, 2])]),
        [run(false, 0..2, 3, true)]
    );
    // An empty write between two reads breaks nothing: one run of three bytes.
    let (mut a, mut b) = ([0u8; 1], [0u8; 2]);
    assert_eq!(
        i2c_runs(&[I2cOp::Read(&mut a), I2cOp::Write(&[]), I2cOp::Read(&mut b)]),
        [run(true, 0..3, 3, true)]
    );
    // Empty operations before the first byte belong to no run; after the last, to the last.
    let mut c = [0u8; 2];
    assert_eq!(
        i2c_runs(&[I2cOp::Write(&[]), I2cOp::Read(&mut c), I2cOp::Write(&[])]),
        [run(true, 1..3, 2, true)]
    );
}
