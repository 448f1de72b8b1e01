//! The flash image in the Origin Private File System: files that survive a reload.
//!
//! The simulated board keeps its flash storage (`pyb.Flash`, 1 MiB) in RAM. `worker.js` opens
//! the OPFS file (`createSyncAccessHandle`, which only a worker may do) before the board is
//! built; the image is read from it once, and every block the program writes is written
//! through, synchronously, at the console's flush points (a batch of output, a wait, idle).
//! The block file system on top is power-safe, so a page closed between two flushes loses at
//! most the last writes, never the file system.

use pyrite_core::hardware::FLASH_BLOCK_SIZE;
use pyrite_sim::{SimBoard, FLASH_BYTES};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{FileSystemReadWriteOptions, FileSystemSyncAccessHandle};

/// An open flash image file.
pub struct FlashFile {
    handle: FileSystemSyncAccessHandle,
    /// The file holds a whole image (else the first write writes all of it, so that it never
    /// has holes, which would read as zeros instead of erased flash).
    whole: bool,
    /// A write failed (logged once).
    failed: bool,
}

impl FlashFile {
    /// The file behind `handle`, a `FileSystemSyncAccessHandle`; `None` for `null` (no OPFS).
    pub fn new(handle: JsValue) -> Option<FlashFile> {
        if !handle.is_object() {
            return None;
        }
        Some(FlashFile {
            handle: handle.unchecked_into(),
            whole: false,
            failed: false,
        })
    }

    /// Loads the saved image (if any) into `board`.
    pub fn load(&mut self, board: &mut SimBoard) {
        let size = match self.handle.get_size() {
            Ok(size) => size,
            Err(e) => {
                crate::js::log_err("pyrite: reading the flash image's size failed", &e);
                return;
            }
        };
        if size < 1.0 {
            return;
        }
        let mut image = vec![0u8; (size as usize).min(FLASH_BYTES)];
        let at = FileSystemReadWriteOptions::new();
        at.set_at(0.0);
        match self.handle.read_with_u8_array_and_options(&mut image, &at) {
            Ok(n) => {
                image.truncate(n as usize);
                self.whole = image.len() == FLASH_BYTES;
                board.load_flash(&image);
            }
            Err(e) => crate::js::log_err("pyrite: reading the flash image failed", &e),
        }
    }

    /// Writes the blocks written since the last call.
    pub fn persist(&mut self, board: &mut SimBoard) {
        let dirty = board.take_dirty_blocks();
        if dirty.is_empty() {
            return;
        }
        let at = FileSystemReadWriteOptions::new();
        let mut ok = true;
        if !self.whole {
            at.set_at(0.0);
            ok &= self.write(board.flash_image(), &at);
            self.whole = ok;
        } else {
            for block in dirty {
                if let Some(data) = board.flash_block(block) {
                    at.set_at(f64::from(block) * FLASH_BLOCK_SIZE as f64);
                    ok &= self.write(data, &at);
                }
            }
        }
        if let Err(e) = self.handle.flush() {
            ok = false;
            self.report(&e);
        }
        if ok {
            self.failed = false;
        }
    }

    fn write(&mut self, data: &[u8], at: &FileSystemReadWriteOptions) -> bool {
        match self.handle.write_with_u8_array_and_options(data, at) {
            Ok(n) if n as usize == data.len() => true,
            Ok(_) => {
                self.report(&JsValue::from_str("short write"));
                false
            }
            Err(e) => {
                self.report(&e);
                false
            }
        }
    }

    fn report(&mut self, e: &JsValue) {
        if !self.failed {
            self.failed = true;
            crate::js::log_err("pyrite: writing the flash image failed", e);
        }
    }
}
