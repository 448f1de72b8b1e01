//! The storage behind `pyb.Flash()`, which `pyrite_repl::mount_flash` formats and mounts at
//! `/`: 512-byte blocks.
//!
//! On the pyboard the blocks live in the STM32F405's internal flash, sectors 9, 10 and 11
//! (0x080A0000..0x08100000, 3 × 128 KiB; `memory/pyboard.x` keeps the firmware below), as
//! `pyrite_hal::block_log`'s power-loss-safe log: 384 blocks (192 KiB), each write appended as
//! a record, one sector kept as the spare for garbage collection. The chip erases only whole
//! sectors, so blocks cannot be written in place without risking their neighbours. The flash
//! is unlocked only for the length of each program or erase, after which the flash interface's
//! data cache is reset (it may hold bytes from before). Programming (a byte at a time,
//! the HAL's ×8 parallelism) takes about 8 ms per block; a garbage collection copies up to a
//! sector's worth of blocks and erases a sector, a second or two in which the CPU, fetching
//! from the same flash bank, stalls.
//!
//! Under QEMU, which models no flash controller, it is a RAM disk (`memory/qemu.x` places it):
//! it keeps its files across `machine.reset()`, not across power cycles, and QEMU's
//! `-device loader` may fill it.

use pyrite_core::hardware::HwResult;
use stm32f4xx_hal::pac;

/// The board's storage.
pub struct Storage {
    #[cfg(not(feature = "qemu"))]
    log: Option<pyrite_hal::BlockLog<internal::InternalFlash>>,
    #[cfg(feature = "qemu")]
    disk: &'static mut [u8],
}

#[cfg(not(feature = "qemu"))]
mod internal {
    //! The internal flash as `embedded-storage` NOR flash, and where the log lives in it.

    use embedded_storage::nor_flash::{
        ErrorType, NorFlash, NorFlashError, NorFlashErrorKind, ReadNorFlash,
    };
    use pyrite_hal::block_log::Geometry;
    use stm32f4xx_hal::flash::FlashExt;
    use stm32f4xx_hal::pac;

    /// Sectors 9, 10 and 11: offsets from the flash's start (0x08000000).
    pub const GEOMETRY: Geometry = Geometry {
        start: 0x000A_0000,
        sector_size: 128 * 1024,
        sectors: 3,
        blocks: 384,
    };

    /// A read out of range, or a program or erase the controller refused.
    #[derive(Debug)]
    pub struct FlashError;

    impl NorFlashError for FlashError {
        fn kind(&self) -> NorFlashErrorKind {
            NorFlashErrorKind::Other
        }
    }

    /// The chip's flash through the HAL, locked except during each program or erase.
    pub struct InternalFlash(pub pac::FLASH);

    impl InternalFlash {
        /// Clears the controller's error flags, which stay set until cleared (the HAL does not,
        /// and would report an old error for every later operation).
        fn clear_errors(&self) {
            self.0.sr().write(|w| {
                w.operr().clear();
                w.wrperr().clear();
                w.pgaerr().clear();
                w.pgperr().clear();
                w.pgserr().clear()
            });
        }

        /// Empties the flash interface's data cache, which may hold lines of bytes a program
        /// or erase just changed (RM0090: reset it after changing flash the CPU reads).
        fn reset_data_cache(&self) {
            let acr = self.0.acr();
            let on = acr.read().dcen().bit_is_set();
            acr.modify(|_, w| w.dcen().clear_bit());
            acr.modify(|_, w| w.dcrst().set_bit());
            acr.modify(|_, w| w.dcrst().clear_bit());
            if on {
                acr.modify(|_, w| w.dcen().set_bit());
            }
        }
    }

    impl ErrorType for InternalFlash {
        type Error = FlashError;
    }

    impl ReadNorFlash for InternalFlash {
        const READ_SIZE: usize = 1;

        fn read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), FlashError> {
            let all = FlashExt::read(&self.0);
            let at = offset as usize;
            let src = all.get(at..at + bytes.len()).ok_or(FlashError)?;
            bytes.copy_from_slice(src);
            Ok(())
        }

        fn capacity(&self) -> usize {
            FlashExt::len(&self.0)
        }
    }

    impl NorFlash for InternalFlash {
        const WRITE_SIZE: usize = 1;
        /// The sectors the log uses are 128 KiB (the chip's first five are smaller).
        const ERASE_SIZE: usize = 128 * 1024;

        fn erase(&mut self, from: u32, to: u32) -> Result<(), FlashError> {
            self.clear_errors();
            let r = NorFlash::erase(&mut self.0.unlocked(), from, to);
            self.reset_data_cache();
            r.map_err(|_| FlashError)
        }

        fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), FlashError> {
            self.clear_errors();
            let r = NorFlash::write(&mut self.0.unlocked(), offset, bytes);
            self.reset_data_cache();
            r.map_err(|_| FlashError)
        }
    }
}

#[cfg(not(feature = "qemu"))]
impl Storage {
    /// Mounts the log in the internal flash (an empty one on a new board). A board whose
    /// flash cannot be read runs without storage.
    pub fn new(flash: pac::FLASH) -> Storage {
        let flash = internal::InternalFlash(flash);
        Storage {
            log: pyrite_hal::BlockLog::mount(flash, internal::GEOMETRY).ok(),
        }
    }

    /// How many blocks there are (0: no storage).
    pub fn blocks(&self) -> u32 {
        self.log.as_ref().map_or(0, |l| l.blocks())
    }

    /// Reads block `block` into `buf` (512 bytes).
    pub fn read(&mut self, block: u32, buf: &mut [u8]) -> HwResult<()> {
        let log = self.log.as_mut().ok_or(pyrite_core::hardware::ENODEV)?;
        log.read(block, buf)
    }

    /// Writes `data` (512 bytes) as block `block`; it is on the flash when this returns.
    pub fn write(&mut self, block: u32, data: &[u8]) -> HwResult<()> {
        let log = self.log.as_mut().ok_or(pyrite_core::hardware::ENODEV)?;
        log.write(block, data)
    }
}

#[cfg(feature = "qemu")]
extern "C" {
    /// The start of the `DISK` region of `memory/qemu.x` (a linker symbol: only its address
    /// means anything).
    static mut __disk_start: u8;
    /// Its end.
    static __disk_end: u8;
}

#[cfg(feature = "qemu")]
impl Storage {
    /// The RAM disk; called once, at start-up (QEMU has no flash controller to use).
    pub fn new(_flash: pac::FLASH) -> Storage {
        // SAFETY: the linker script reserves the `DISK` region for the disk and places nothing
        // there; it is readable and writable RAM, any byte value is a valid `u8`, and `new`
        // runs once, from `main` (the board is made once), so the slice is the only reference
        // ever made to the region. No interrupt handler touches it.
        let disk = unsafe {
            let start = core::ptr::addr_of_mut!(__disk_start);
            let len = (core::ptr::addr_of!(__disk_end) as usize).saturating_sub(start as usize);
            core::slice::from_raw_parts_mut(start, len)
        };
        Storage { disk }
    }

    /// How many blocks there are.
    pub fn blocks(&self) -> u32 {
        (self.disk.len() / BLOCK) as u32
    }

    /// Block `block`'s bytes.
    fn block(&mut self, block: u32) -> HwResult<&mut [u8]> {
        use pyrite_core::hardware::EINVAL;
        let start = (block as usize).checked_mul(BLOCK).ok_or(EINVAL)?;
        let end = start.checked_add(BLOCK).ok_or(EINVAL)?;
        self.disk.get_mut(start..end).ok_or(EINVAL)
    }

    /// Reads block `block` into `buf` (512 bytes).
    pub fn read(&mut self, block: u32, buf: &mut [u8]) -> HwResult<()> {
        let data = self.block(block)?;
        let buf = buf.get_mut(..BLOCK).ok_or(pyrite_core::hardware::EINVAL)?;
        buf.copy_from_slice(data);
        Ok(())
    }

    /// Writes `data` (512 bytes) as block `block`.
    pub fn write(&mut self, block: u32, data: &[u8]) -> HwResult<()> {
        let data = data.get(..BLOCK).ok_or(pyrite_core::hardware::EINVAL)?;
        self.block(block)?.copy_from_slice(data);
        Ok(())
    }
}

/// The block size.
#[cfg(feature = "qemu")]
const BLOCK: usize = pyrite_core::hardware::FLASH_BLOCK_SIZE;
