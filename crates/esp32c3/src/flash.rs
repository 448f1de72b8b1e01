//! The file system's storage: the `vfs` data partition of the SPI flash, as 4096-byte blocks
//! (`pyb.Flash()`, which `pyrite_repl::mount_flash` mounts at `/`).
//!
//! A block is one of the flash's 4 KiB erase sectors, so writing a block erases and programs
//! that sector only: no other block shares it, and a power cut during a write can damage only
//! the block being written. The file system never writes over a block its committed state
//! uses (it writes into free blocks, then commits with a superblock in the slot not in use),
//! so after a cut every file is wholly old or wholly new.
//!
//! Writes go straight to the flash (nothing is cached, `sync` has nothing to do). A write that
//! changes nothing is skipped, and one that only clears bits is programmed without an erase.
//!
//! The partition is found in the partition table by its label `vfs` (as in MicroPython's ESP32
//! partition tables), or else as the first data partition of a file-system subtype.

use alloc::boxed::Box;

use esp_bootloader_esp_idf::partitions::{self, DataPartitionSubType, PartitionType};
use esp_storage::FlashStorage;
use pyrite_core::hardware::{HwResult, EINVAL, EIO};

/// The flash's erase unit, and the file system's block size.
pub const SECTOR_BYTES: usize = 4096;

/// A sector's bytes, word-aligned as the flash ROM routines need (an unaligned buffer would
/// make esp-storage copy it through a 4 KiB buffer on the stack).
#[repr(C, align(4))]
struct Sector([u8; SECTOR_BYTES]);

/// The file system's partition, one block per sector.
pub struct FlashFs {
    storage: FlashStorage<'static>,
    /// The partition's first byte in flash.
    base: u32,
    blocks: u32,
    /// Room for one sector, for the transfers (the callers' buffers are not word-aligned).
    buf: Box<Sector>,
}

impl FlashFs {
    /// Finds the file system's partition; `None` when the partition table has none.
    pub fn open(mut storage: FlashStorage<'static>) -> Option<FlashFs> {
        let mut table = [0u8; partitions::PARTITION_TABLE_MAX_LEN];
        let (base, len) = {
            let table = partitions::read_partition_table(&mut storage, &mut table).ok()?;
            let is_fs = |t: PartitionType| {
                matches!(
                    t,
                    PartitionType::Data(
                        DataPartitionSubType::Fat
                            | DataPartitionSubType::Spiffs
                            | DataPartitionSubType::LittleFs
                    )
                )
            };
            let entry = table
                .iter()
                .find(|p| p.label_as_str() == "vfs")
                .or_else(|| table.iter().find(|p| is_fs(p.partition_type())))?;
            (entry.offset(), entry.len())
        };
        let sectors = len / SECTOR_BYTES as u32;
        if base % SECTOR_BYTES as u32 != 0 || sectors == 0 {
            return None;
        }
        Some(FlashFs {
            storage,
            base,
            blocks: sectors,
            buf: Box::new(Sector([0xFF; SECTOR_BYTES])),
        })
    }

    /// How many 4096-byte blocks the partition holds.
    pub fn blocks(&self) -> u32 {
        self.blocks
    }

    /// Where block `block` starts in flash; `EINVAL` past the partition's end.
    fn addr(&self, block: u32) -> HwResult<u32> {
        if block >= self.blocks {
            return Err(EINVAL);
        }
        Ok(self.base + block * SECTOR_BYTES as u32)
    }

    /// Reads block `block` into `buf` (one block long).
    pub fn read(&mut self, block: u32, buf: &mut [u8]) -> HwResult<()> {
        let addr = self.addr(block)?;
        if buf.len() != SECTOR_BYTES {
            return Err(EINVAL);
        }
        self.storage
            .read_nor(addr, &mut self.buf.0)
            .map_err(|_| EIO)?;
        buf.copy_from_slice(&self.buf.0);
        Ok(())
    }

    /// Writes `data` (one block long) as block `block`: its sector is erased (unless the
    /// change only clears bits) and programmed.
    pub fn write(&mut self, block: u32, data: &[u8]) -> HwResult<()> {
        let addr = self.addr(block)?;
        if data.len() != SECTOR_BYTES {
            return Err(EINVAL);
        }
        self.storage
            .read_nor(addr, &mut self.buf.0)
            .map_err(|_| EIO)?;
        if self.buf.0[..] == *data {
            return Ok(());
        }
        // Programming only clears bits; a bit to set needs the sector erased.
        let needs_erase = self.buf.0.iter().zip(data).any(|(&o, &n)| !o & n != 0);
        self.buf.0.copy_from_slice(data);
        if needs_erase {
            self.storage
                .erase(addr, addr + SECTOR_BYTES as u32)
                .map_err(|_| EIO)?;
        }
        self.storage.write_nor(addr, &self.buf.0).map_err(|_| EIO)
    }
}
