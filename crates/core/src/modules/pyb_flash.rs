//! `pyb.Flash`: the board's flash storage as a block device, for `vfs.VfsLfs2` (the board
//! mounts it at `/` at start-up) or a program's own storage scheme.
//!
//! The methods speak MicroPython's block protocol (`vfs.AbstractBlockDev`) over
//! `Hardware::flash_read`/`flash_write`: `readblocks`/`writeblocks` move whole blocks (bytes
//! of the buffer past its last whole block are left alone), or with an `offset`
//! (the extended protocol) any byte range, a partial block being read, changed and written
//! back. As in MicroPython, a transfer reports failure by returning a negative errno rather
//! than raising: `-EIO` for blocks past the end or a hardware error, `-EFAULT` when an
//! extended call's block is past the end; success is 0.
//!
//! Blocks are the board's own size (`Hardware::flash_block_size`, `ioctl(5)`): 512 bytes, or
//! the flash's erase sector where the board writes sectors directly (4096 on the ESP32-C3).
//!
//! Unlike the stm32 port's `Flash()` there is no virtual partition table in front: block 0 is
//! the storage's first block, and every `Flash` object speaks both protocols.

use alloc::string::String;
use alloc::vec::Vec;

use crate::hardware::{HwResult, EIO, ENODEV};
use crate::native::{Kw, PyResult};
use crate::types::ty;
use crate::value::Obj;
use crate::vm::Vm;

use super::machine::{
    arity, fill_buf, hw, int_or, new_periph, parse, periph, read_buf, write_buf_len, wrong_self,
    Periph, KW_ONLY,
};

/// `EFAULT`: an extended transfer's block is outside the device.
const EFAULT: i32 = 14;

/// A `Flash` object: a run of the storage's blocks.
#[derive(Clone, Copy)]
pub struct FlashObj {
    /// The storage block that is this device's block 0.
    start: u32,
    /// How many blocks the device has.
    len: u32,
    /// The block size in bytes (the board's, a power of two).
    bs: u32,
    /// Made as `Flash()`, the whole storage (for `repr`).
    whole: bool,
}

/// `repr`: `Flash()`, or `Flash(start=..., len=...)` in bytes, as MicroPython prints them.
pub fn repr(f: &FlashObj) -> String {
    if f.whole {
        return String::from("Flash()");
    }
    let bs = i64::from(f.bs);
    let (start, len) = (i64::from(f.start) * bs, i64::from(f.len) * bs);
    alloc::format!("Flash(start={start}, len={len})")
}

/// `Flash(*, start=-1, len=-1)`: the whole storage, or `len` bytes of it from byte `start`
/// (both multiples of the block size; `ValueError` otherwise). `OSError(ENODEV)` on a board
/// without flash storage.
pub fn flash_new(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    let [start, len] = parse(vm, args, kw, &[("start", KW_ONLY), ("len", KW_ONLY)])?;
    let (start, len) = (int_or(vm, start, -1)?, int_or(vm, len, -1)?);
    let h = hw(vm)?;
    let (blocks, bs) = (h.flash_blocks(), h.flash_block_size());
    if blocks == 0 || bs == 0 {
        return Err(crate::vfs::os_error(vm, ENODEV));
    }
    let (total, bsi) = (i64::from(blocks) * i64::from(bs), i64::from(bs));
    let whole = start == -1 && len == -1;
    let start = if start == -1 { 0 } else { start };
    let len = if len == -1 {
        total.saturating_sub(start)
    } else {
        len
    };
    let fits = (0..total).contains(&start) && len > 0 && len <= total - start;
    if !fits || start % bsi != 0 || len % bsi != 0 {
        return Err(vm.exc(ty::VALUE_ERROR, ""));
    }
    let f = FlashObj {
        start: (start / bsi) as u32,
        len: (len / bsi) as u32,
        bs,
        whole,
    };
    new_periph(vm, Periph::Flash(f))
}

/// The `Flash` a method was called on.
fn this(vm: &mut Vm, args: &[Obj]) -> PyResult<FlashObj> {
    match args.first().and_then(|&o| periph(vm, o)) {
        Some(Periph::Flash(f)) => Ok(*f),
        _ => Err(wrong_self(vm, "Flash")),
    }
}

/// Where a transfer of `n` bytes at `block` (and `offset` bytes into it) starts: the storage
/// block and the byte within it; the errno to report when it does not fit the device.
fn locate(f: &FlashObj, block: i64, offset: Option<i64>, n: usize) -> Result<(u32, usize), i32> {
    if offset.is_some() && !(0..i64::from(f.len)).contains(&block) {
        return Err(EFAULT);
    }
    let (off, bs) = (offset.unwrap_or(0), i64::from(f.bs));
    let addr = block.saturating_mul(bs).saturating_add(off);
    let end = addr.saturating_add(n as i64);
    if block < 0 || off < 0 || end > i64::from(f.len) * bs {
        return Err(EIO);
    }
    Ok((f.start + (addr / bs) as u32, (addr % bs) as usize))
}

/// The protocol's result: 0, or the negative errno.
fn status(r: HwResult<()>) -> Obj {
    Obj::small_int_unchecked(r.err().map_or(0, |e| -e.clamp(1, 0xffff)))
}

/// `readblocks` and `writeblocks`: moves the bytes of `buf` (args[2]) from or to the storage,
/// a block at a time.
fn transfer(vm: &mut Vm, args: &[Obj], kw: Kw, write: bool) -> PyResult<Obj> {
    arity(vm, args, kw, 3, 4)?;
    let f = this(vm, args)?;
    let block = vm.index_value(args[1])?;
    let offset = match args.get(3) {
        Some(&o) => Some(vm.index_value(o)?),
        None => None,
    };
    let mut data = if write {
        read_buf(vm, args[2])?
    } else {
        let len = write_buf_len(vm, args[2])?;
        let mut v = Vec::new();
        if v.try_reserve_exact(len).is_err() {
            return Err(vm.memory_error());
        }
        v.resize(len, 0);
        v
    };
    // Without an offset only whole blocks move; the buffer's tail is left alone.
    let bs = f.bs as usize;
    let n = match offset {
        Some(_) => data.len(),
        None => data.len() - data.len() % bs,
    };
    let (mut block, mut skip) = match locate(&f, block, offset, n) {
        Ok(at) => at,
        Err(e) => return Ok(status(Err(e))),
    };
    let mut buf = Vec::new();
    if n > 0 {
        if buf.try_reserve_exact(bs).is_err() {
            return Err(vm.memory_error());
        }
        buf.resize(bs, 0);
    }
    let h = hw(vm)?;
    let mut r = Ok(());
    let mut done = 0;
    while done < n {
        let take = (bs - skip).min(n - done);
        let part = &mut data[done..done + take];
        // A write of part of a block keeps the rest of it.
        if !write || take < bs {
            r = h.flash_read(block, &mut buf);
            if r.is_err() {
                break;
            }
        }
        if write {
            buf[skip..skip + take].copy_from_slice(part);
            r = h.flash_write(block, &buf);
            if r.is_err() {
                break;
            }
        } else {
            part.copy_from_slice(&buf[skip..skip + take]);
        }
        (done, block, skip) = (done + take, block + 1, 0);
    }
    if !write {
        fill_buf(vm, args[2], &data[..done]);
    }
    Ok(status(r))
}

/// `readblocks(block, buf[, offset])`: fills `buf` from the storage.
fn flash_readblocks(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    transfer(vm, args, kw, false)
}

/// `writeblocks(block, buf[, offset])`: writes `buf` into the storage.
fn flash_writeblocks(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    transfer(vm, args, kw, true)
}

/// `ioctl(op, arg)`: 1 init, 2 deinit and 3 sync (both sync), 4 the block count, 5 the block
/// size, 6 erase (a write erases, so nothing to do); `None` for other operations.
fn flash_ioctl(vm: &mut Vm, args: &[Obj], kw: Kw) -> PyResult<Obj> {
    arity(vm, args, kw, 3, 3)?;
    let f = this(vm, args)?;
    let r = match vm.index_value(args[1])? {
        1 | 6 => 0,
        2 | 3 => {
            let r = hw(vm)?.flash_sync();
            return Ok(status(r));
        }
        4 => return vm.new_int(i64::from(f.len)),
        5 => return vm.new_int(i64::from(f.bs)),
        _ => return Ok(Obj::NONE),
    };
    Ok(Obj::small_int_unchecked(r))
}

crate::native_table!(pub METHODS = [
    ("ioctl", flash_ioctl),
    ("readblocks", flash_readblocks),
    ("writeblocks", flash_writeblocks),
]);
