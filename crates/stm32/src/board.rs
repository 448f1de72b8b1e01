//! What `machine` and `pyb` reach on this board: the storage behind `pyb.Flash()` and the
//! chip's facts. Pins, LEDs, the switch and the buses come later (they are stubs in QEMU).
//!
//! The storage is a RAM disk (see `memory/*.x` for where it lives): 512-byte blocks that
//! `pyrite_repl::mount_flash` formats and mounts at `/`. It keeps its files across
//! `machine.reset()`, not across power cycles; the internal-flash driver will replace it on
//! the pyboard.

use pyrite_core::hardware::{Hardware, HwResult, ResetKind, EINVAL, FLASH_BLOCK_SIZE};

extern "C" {
    /// The start of the `DISK` region of `memory/*.x` (a linker symbol: only its address
    /// means anything).
    static mut __disk_start: u8;
    /// Its end.
    static __disk_end: u8;
}

/// The board's hardware.
pub struct Board {
    disk: &'static mut [u8],
    /// The core clock in Hz.
    sysclk: u32,
}

impl Board {
    /// The board; called once, at start-up.
    pub fn new(sysclk: u32) -> Board {
        // SAFETY: the linker script reserves the `DISK` region for the disk and places nothing
        // there; it is readable and writable RAM, any byte value is a valid `u8`, and this
        // runs once, from `main` (which never returns), so the slice is the only reference
        // ever made. No interrupt handler touches it.
        let disk = unsafe {
            let start = core::ptr::addr_of_mut!(__disk_start);
            let len = (core::ptr::addr_of!(__disk_end) as usize).saturating_sub(start as usize);
            core::slice::from_raw_parts_mut(start, len)
        };
        Board { disk, sysclk }
    }

    /// Block `block`'s bytes.
    fn block(&mut self, block: u32) -> HwResult<&mut [u8]> {
        let start = (block as usize)
            .checked_mul(FLASH_BLOCK_SIZE)
            .ok_or(EINVAL)?;
        let end = start.checked_add(FLASH_BLOCK_SIZE).ok_or(EINVAL)?;
        self.disk.get_mut(start..end).ok_or(EINVAL)
    }
}

impl Hardware for Board {
    fn flash_blocks(&self) -> u32 {
        (self.disk.len() / FLASH_BLOCK_SIZE) as u32
    }

    fn flash_read(&mut self, block: u32, buf: &mut [u8]) -> HwResult<()> {
        let data = self.block(block)?;
        let buf = buf.get_mut(..FLASH_BLOCK_SIZE).ok_or(EINVAL)?;
        buf.copy_from_slice(data);
        Ok(())
    }

    fn flash_write(&mut self, block: u32, data: &[u8]) -> HwResult<()> {
        let data = data.get(..FLASH_BLOCK_SIZE).ok_or(EINVAL)?;
        self.block(block)?.copy_from_slice(data);
        Ok(())
    }

    fn unique_id(&self) -> alloc::vec::Vec<u8> {
        crate::chip::unique_id().to_vec()
    }

    fn freq(&self) -> u32 {
        self.sysclk
    }

    /// The main loop carries the reset out once the program has unwound.
    fn request_reset(&mut self, _kind: ResetKind) {}
}
