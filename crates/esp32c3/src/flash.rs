//! The file system's storage: the `vfs` data partition of the SPI flash, as 512-byte blocks
//! (`pyb.Flash()`, which `pyrite_repl::mount_flash` mounts at `/`).
//!
//! The flash erases 4 KiB sectors, eight blocks each. Writes go to a one-sector cache, which
//! is written back when a block of another sector is written and at `flash_sync`. Writing back
//! erases the sector only when some bit must go from 0 to 1; otherwise (a block written into
//! erased space, the usual case for the log-structured file system) only the changed blocks
//! are programmed, and the other blocks of the sector are never at risk.
//!
//! A power cut during an erase and rewrite can lose the sector's other blocks, which the file
//! system's own power-loss safety (it assumes one block is written at a time) does not cover.
//!
//! The partition is found in the partition table by its label `vfs` (as in MicroPython's ESP32
//! partition tables), or else as the first data partition of a file-system subtype.

use alloc::boxed::Box;

use esp_bootloader_esp_idf::partitions::{self, DataPartitionSubType, PartitionType};
use esp_storage::FlashStorage;
use pyrite_core::hardware::{HwResult, EINVAL, EIO, FLASH_BLOCK_SIZE};

/// The flash's erase unit.
const SECTOR_BYTES: usize = 4096;
const BLOCKS_PER_SECTOR: u32 = (SECTOR_BYTES / FLASH_BLOCK_SIZE) as u32;

/// A sector's bytes, word-aligned as the flash ROM routines need (an unaligned buffer would
/// make esp-storage copy it through a 4 KiB buffer on the stack).
#[repr(C, align(4))]
struct Sector([u8; SECTOR_BYTES]);

/// A block, word-aligned for the same reason.
#[repr(C, align(4))]
struct Block([u8; FLASH_BLOCK_SIZE]);

/// The file system's partition, through a one-sector write-back cache.
pub struct FlashFs {
    storage: FlashStorage<'static>,
    /// The partition's first byte in flash.
    base: u32,
    blocks: u32,
    cache: Box<Sector>,
    /// The sector (within the partition) the cache holds.
    cached: Option<u32>,
    /// Blocks of the cached sector changed since it was read (bit `i` for block `i`).
    dirty: u8,
    /// Some changed bit must go from 0 to 1: writing back needs an erase.
    needs_erase: bool,
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
            blocks: sectors * BLOCKS_PER_SECTOR,
            cache: Box::new(Sector([0xFF; SECTOR_BYTES])),
            cached: None,
            dirty: 0,
            needs_erase: false,
        })
    }

    /// How many 512-byte blocks the partition holds.
    pub fn blocks(&self) -> u32 {
        self.blocks
    }

    fn sector_addr(&self, sector: u32) -> u32 {
        self.base + sector * SECTOR_BYTES as u32
    }

    /// Reads block `block` into `buf` (one block long).
    pub fn read(&mut self, block: u32, buf: &mut [u8]) -> HwResult<()> {
        if block >= self.blocks || buf.len() != FLASH_BLOCK_SIZE {
            return Err(EINVAL);
        }
        let (sector, index) = (
            block / BLOCKS_PER_SECTOR,
            (block % BLOCKS_PER_SECTOR) as usize,
        );
        if self.cached == Some(sector) {
            let at = index * FLASH_BLOCK_SIZE;
            let data = self.cache.0.get(at..at + FLASH_BLOCK_SIZE).ok_or(EIO)?;
            buf.copy_from_slice(data);
            return Ok(());
        }
        let mut tmp = Block([0; FLASH_BLOCK_SIZE]);
        let addr = self.base + block * FLASH_BLOCK_SIZE as u32;
        self.storage.read_nor(addr, &mut tmp.0).map_err(|_| EIO)?;
        buf.copy_from_slice(&tmp.0);
        Ok(())
    }

    /// Writes `data` (one block long) as block `block`, into the cache.
    pub fn write(&mut self, block: u32, data: &[u8]) -> HwResult<()> {
        if block >= self.blocks || data.len() != FLASH_BLOCK_SIZE {
            return Err(EINVAL);
        }
        let (sector, index) = (
            block / BLOCKS_PER_SECTOR,
            (block % BLOCKS_PER_SECTOR) as usize,
        );
        if self.cached != Some(sector) {
            self.sync()?;
            self.cached = None;
            let addr = self.sector_addr(sector);
            self.storage
                .read_nor(addr, &mut self.cache.0)
                .map_err(|_| EIO)?;
            self.cached = Some(sector);
        }
        let at = index * FLASH_BLOCK_SIZE;
        let old = self.cache.0.get_mut(at..at + FLASH_BLOCK_SIZE).ok_or(EIO)?;
        if old == data {
            return Ok(());
        }
        // Programming only clears bits; a bit to set needs the sector erased. (Compared with
        // the cache, which may hold an earlier write of this block: that can only ask for an
        // erase that was not strictly needed, never miss one.)
        if old.iter().zip(data).any(|(&o, &n)| !o & n != 0) {
            self.needs_erase = true;
        }
        old.copy_from_slice(data);
        self.dirty |= 1 << index;
        Ok(())
    }

    /// Writes the cached sector back, if it changed.
    pub fn sync(&mut self) -> HwResult<()> {
        let Some(sector) = self.cached else {
            return Ok(());
        };
        if self.dirty == 0 {
            return Ok(());
        }
        let addr = self.sector_addr(sector);
        if self.needs_erase {
            self.storage
                .erase(addr, addr + SECTOR_BYTES as u32)
                .map_err(|_| EIO)?;
            self.storage
                .write_nor(addr, &self.cache.0)
                .map_err(|_| EIO)?;
        } else {
            for i in 0..BLOCKS_PER_SECTOR as usize {
                if self.dirty & (1 << i) == 0 {
                    continue;
                }
                let at = i * FLASH_BLOCK_SIZE;
                let data = self.cache.0.get(at..at + FLASH_BLOCK_SIZE).ok_or(EIO)?;
                self.storage
                    .write_nor(addr + at as u32, data)
                    .map_err(|_| EIO)?;
            }
        }
        self.dirty = 0;
        self.needs_erase = false;
        Ok(())
    }
}
