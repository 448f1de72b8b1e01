//! The board's flash storage (`pyb.Flash`): 1 MiB of 512-byte blocks in RAM, erased (0xFF)
//! at first.
//!
//! The image is allocated at the first write or load, so a board whose program never touches
//! the storage costs nothing. Written blocks are remembered until a port takes them
//! ([`SimBoard::take_dirty_blocks`]) to persist them (the browser writes them into its
//! origin-private file); [`SimBoard::load_flash`] restores a saved image.

use alloc::vec::Vec;

use pyrite_core::hardware::{HwResult, EINVAL, FLASH_BLOCK_SIZE};

use crate::board::SimBoard;

/// How many blocks the storage has (1 MiB).
pub const FLASH_BLOCKS: u32 = 2048;

/// The storage's size in bytes.
pub const FLASH_BYTES: usize = FLASH_BLOCKS as usize * FLASH_BLOCK_SIZE;

/// An erased block.
static ERASED: [u8; FLASH_BLOCK_SIZE] = [0xff; FLASH_BLOCK_SIZE];

/// The storage's state.
pub(crate) struct Flash {
    /// The whole image, or empty while every block is erased.
    image: Vec<u8>,
    /// One bit per block written since the dirty blocks were last taken.
    dirty: [u64; FLASH_BLOCKS as usize / 64],
}

impl Flash {
    /// An erased storage.
    pub(crate) fn new() -> Flash {
        Flash {
            image: Vec::new(),
            dirty: [0; FLASH_BLOCKS as usize / 64],
        }
    }

    /// The bytes of block `block`, if it exists.
    fn block(&self, block: u32) -> Option<&[u8]> {
        if block >= FLASH_BLOCKS {
            return None;
        }
        let at = block as usize * FLASH_BLOCK_SIZE;
        Some(self.image.get(at..at + FLASH_BLOCK_SIZE).unwrap_or(&ERASED))
    }

    pub(crate) fn read(&self, block: u32, buf: &mut [u8]) -> HwResult<()> {
        match self.block(block) {
            Some(b) if buf.len() == b.len() => {
                buf.copy_from_slice(b);
                Ok(())
            }
            _ => Err(EINVAL),
        }
    }

    pub(crate) fn write(&mut self, block: u32, data: &[u8]) -> HwResult<()> {
        if block >= FLASH_BLOCKS || data.len() != FLASH_BLOCK_SIZE {
            return Err(EINVAL);
        }
        if self.image.is_empty() {
            self.image = alloc::vec![0xff; FLASH_BYTES];
        }
        let at = block as usize * FLASH_BLOCK_SIZE;
        if let Some(b) = self.image.get_mut(at..at + FLASH_BLOCK_SIZE) {
            b.copy_from_slice(data);
        }
        self.dirty[block as usize / 64] |= 1 << (block % 64);
        Ok(())
    }
}

impl SimBoard {
    /// The flash storage's image: [`FLASH_BYTES`] long, or empty while nothing was ever
    /// written or loaded (every byte erased, 0xFF). [`SimBoard::load_flash`] of either gives
    /// the same storage back.
    pub fn flash_image(&self) -> &[u8] {
        &self.flash.image
    }

    /// Block `block` of the flash storage (512 bytes), to persist a dirty block; `None` past
    /// the last.
    pub fn flash_block(&self, block: u32) -> Option<&[u8]> {
        self.flash.block(block)
    }

    /// Replaces the flash storage with a saved image: a shorter one fills the start (the rest
    /// is erased), a longer one is cut. No block is dirty afterwards.
    pub fn load_flash(&mut self, image: &[u8]) {
        let f = &mut self.flash;
        f.dirty = [0; FLASH_BLOCKS as usize / 64];
        if image.is_empty() {
            f.image = Vec::new();
            return;
        }
        f.image.clear();
        f.image
            .extend_from_slice(image.get(..FLASH_BYTES).unwrap_or(image));
        f.image.resize(FLASH_BYTES, 0xff);
    }

    /// The blocks written since the last call, in increasing order, each once.
    pub fn take_dirty_blocks(&mut self) -> Vec<u32> {
        let mut out = Vec::new();
        for (i, word) in self.flash.dirty.iter_mut().enumerate() {
            let mut w = core::mem::take(word);
            while w != 0 {
                out.push(i as u32 * 64 + w.trailing_zeros());
                w &= w - 1;
            }
        }
        out
    }
}
