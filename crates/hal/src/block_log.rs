//! A power-loss-safe block store on NOR flash with large erase sectors: fixed-size virtual
//! blocks (what `pyb.Flash()` offers the file system) kept as a log of records.
//!
//! NOR flash programs bits only from 1 to 0 and erases whole sectors (128 KiB on the
//! STM32F405). Writing 512-byte blocks in place would erase and rewrite a sector shared with
//! other blocks for every write, and a power cut there loses them. Here no write ever touches
//! a record that holds current data: a block's new contents are appended as a new record, and
//! the newest valid record of a block is its contents.
//!
//! Layout, over `sectors` erase sectors of `sector_size` bytes (integers little-endian):
//!
//! | offset in a sector | contents |
//! |--------------------|----------|
//! | 0 | sector header (16 bytes): magic `PBLK` (u32), sector sequence (u32), block size (u16), block count (u16), CRC-32 of the first 12 bytes (u32) |
//! | 16 + i × 528 | record slot `i` |
//!
//! A record is a header (16 bytes: virtual block number (u16), 0 (u16), record sequence
//! (u32), 0 (u32), CRC-32 of the header's first 12 bytes and the data (u32)) and the block's
//! 512 bytes. A slot whose bytes are all 0xFF is free. Sectors with a valid header are in use;
//! the one with the highest sector sequence is the head, where records are appended. The
//! others are free (erased before use). One free sector is always kept as the spare.
//!
//! Writing a block: the header (with the CRC), then the data, into the head's next free slot
//! (the header first, so that a started slot never reads as free). A cut tears at most that
//! slot, which fails its CRC: the block keeps its old record.
//!
//! Garbage collection, when the head is full and only the spare is free: the spare gets a
//! header (the new head), the oldest sector's live records (those the index points at) are
//! copied into it unchanged (same record sequence), then the oldest sector is erased and is
//! the new spare. A cut during the copy or the erase leaves no free sector, which mounting
//! recognises: it finishes the copy (equal sequences are resolved in favour of the newer
//! sector, so a copy is the live record as soon as it is complete) and erases the old sector,
//! or, if torn slots left too little room for the rest, erases the half-filled new head (it
//! holds only copies) and starts again.
//!
//! RAM: the index, 2 bytes per virtual block (each block's newest record, as sector × slots
//! per sector + slot), and a few words per sector.

use alloc::vec;
use alloc::vec::Vec;

use embedded_storage::nor_flash::NorFlash;
use pyrite_core::hardware::{HwResult, EINVAL, EIO};
use pyrite_core::modules::deflate_codec::crc32_update;

/// The size of a virtual block in bytes.
pub const BLOCK_SIZE: usize = 512;

/// The size of a sector header and of a record header.
const HEADER: usize = 16;
/// The size of a record slot.
const RECORD: usize = HEADER + BLOCK_SIZE;
/// A sector header's magic number: `PBLK`.
const MAGIC: u32 = u32::from_le_bytes(*b"PBLK");
/// An index entry of a block that has never been written (it reads as erased flash, 0xFF).
const NONE: u16 = u16::MAX;
/// `ENOSPC`: garbage collection found no room (only after repeated power cuts).
const ENOSPC: i32 = 28;
/// The size of the chunks records are read and copied in (keeps the stack small).
const CHUNK: usize = 64;

/// Where the store lives in the flash, and how many blocks it offers.
#[derive(Clone, Copy, Debug)]
pub struct Geometry {
    /// The offset of the first sector in the flash (a multiple of the flash's erase size).
    pub start: u32,
    /// The size of a sector (a multiple of the flash's erase size).
    pub sector_size: u32,
    /// How many sectors (at least 2: one of them is always the spare).
    pub sectors: u16,
    /// How many virtual blocks; at most [`Geometry::max_blocks`].
    pub blocks: u16,
}

impl Geometry {
    /// Record slots per sector.
    pub fn slots(&self) -> u32 {
        (self.sector_size as usize).saturating_sub(HEADER) as u32 / RECORD as u32
    }

    /// The most virtual blocks the sectors hold with the spare kept free and, in every other
    /// sector taken together, at least one slot left over for garbage collection to gain.
    pub fn max_blocks(&self) -> u32 {
        (self.slots() * u32::from(self.sectors.saturating_sub(1))).saturating_sub(1)
    }
}

/// The store: a flash and the index of its blocks' newest records.
pub struct BlockLog<F> {
    flash: F,
    geo: Geometry,
    /// Record slots per sector.
    slots: u32,
    /// Each virtual block's newest record (sector × `slots` + slot), or [`NONE`].
    index: Vec<u16>,
    /// Each sector's sequence number if it is in use (has a valid header).
    sector_seq: Vec<Option<u32>>,
    /// The head sector and its first free slot; `None` before the first write.
    head: Option<(u16, u32)>,
    /// The sequence number of the next record.
    next_seq: u32,
}

/// CRC-32 (IEEE) of `parts` in order.
fn crc32(parts: &[&[u8]]) -> u32 {
    !parts.iter().fold(!0, |c, p| crc32_update(c, p))
}

fn get_u16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn get_u32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// A record slot read back: its header fields, and whether it is wholly erased or valid.
struct Slot {
    block: u16,
    seq: u32,
    erased: bool,
    valid: bool,
}

impl<F: NorFlash> BlockLog<F> {
    /// Mounts the store in `flash` as `geo` says: reads every sector, builds the index and
    /// finishes a garbage collection a power cut interrupted. Flash without the store (new, or
    /// another geometry) is an empty store: every block reads 0xFF until written.
    ///
    /// `EINVAL` for a geometry the flash cannot hold, `EIO` for a flash error.
    pub fn mount(flash: F, geo: Geometry) -> HwResult<BlockLog<F>> {
        let erase = F::ERASE_SIZE.max(1) as u32;
        let slots = geo.slots();
        let end = u64::from(geo.start) + u64::from(geo.sector_size) * u64::from(geo.sectors);
        let ok = geo.sectors >= 2
            && geo.blocks > 0
            && u32::from(geo.blocks) <= geo.max_blocks()
            && u64::from(slots) * u64::from(geo.sectors) < u64::from(NONE)
            && geo.start.is_multiple_of(erase)
            && geo.sector_size.is_multiple_of(erase)
            && HEADER.is_multiple_of(F::WRITE_SIZE.max(1))
            && end <= flash.capacity() as u64;
        if !ok {
            return Err(EINVAL);
        }
        let mut log = BlockLog {
            flash,
            geo,
            slots,
            index: vec![NONE; usize::from(geo.blocks)],
            sector_seq: vec![None; usize::from(geo.sectors)],
            head: None,
            next_seq: 0,
        };
        // Each round either finds a consistent state, or finishes or undoes an interrupted
        // garbage collection (erasing a sector), after which it reads the sectors again.
        for _ in 0..=geo.sectors {
            log.scan()?;
            if log.sector_seq.iter().any(Option::is_none) {
                return Ok(log);
            }
            log.recover()?;
        }
        Err(EIO)
    }

    /// The flash, given back.
    pub fn release(self) -> F {
        self.flash
    }

    /// How many virtual blocks the store offers.
    pub fn blocks(&self) -> u32 {
        u32::from(self.geo.blocks)
    }

    /// Reads block `block` into `buf` ([`BLOCK_SIZE`] bytes).
    pub fn read(&mut self, block: u32, buf: &mut [u8]) -> HwResult<()> {
        let i = self.check(block, buf.len())?;
        match self.index[i] {
            NONE => buf.fill(0xFF),
            at => {
                let addr = self.slot_addr(at) + HEADER as u32;
                self.flash.read(addr, buf).map_err(|_| EIO)?;
            }
        }
        Ok(())
    }

    /// Writes `data` ([`BLOCK_SIZE`] bytes) as block `block`. When this returns, the new
    /// contents are on the flash; if the power fails before, the block keeps its old ones.
    pub fn write(&mut self, block: u32, data: &[u8]) -> HwResult<()> {
        let i = self.check(block, data.len())?;
        if self.holds(i, data)? {
            return Ok(());
        }
        let (sector, slot) = self.free_slot()?;
        let at = (u32::from(sector) * self.slots + slot) as u16;
        let addr = self.slot_addr(at);
        // The slot is used from here on, even if the write fails part-way.
        self.head = Some((sector, slot + 1));
        let seq = self.next_seq;
        let mut head = [0u8; HEADER];
        head[0..2].copy_from_slice(&(i as u16).to_le_bytes());
        head[4..8].copy_from_slice(&seq.to_le_bytes());
        let crc = crc32(&[&head[..12], data]);
        head[12..16].copy_from_slice(&crc.to_le_bytes());
        self.flash.write(addr, &head).map_err(|_| EIO)?;
        self.flash
            .write(addr + HEADER as u32, data)
            .map_err(|_| EIO)?;
        self.next_seq = seq.wrapping_add(1);
        self.index[i] = at;
        Ok(())
    }

    /// The index of `block`, checked, for a transfer of `len` bytes.
    fn check(&self, block: u32, len: usize) -> HwResult<usize> {
        if block >= self.blocks() || len != BLOCK_SIZE {
            return Err(EINVAL);
        }
        Ok(block as usize)
    }

    /// Whether block `i` already holds `data` (a write would change nothing).
    fn holds(&mut self, i: usize, data: &[u8]) -> HwResult<bool> {
        let at = self.index[i];
        if at == NONE {
            return Ok(data.iter().all(|&b| b == 0xFF));
        }
        let mut addr = self.slot_addr(at) + HEADER as u32;
        let mut buf = [0u8; CHUNK];
        for part in data.chunks(CHUNK) {
            let buf = &mut buf[..part.len()];
            self.flash.read(addr, buf).map_err(|_| EIO)?;
            if buf != part {
                return Ok(false);
            }
            addr += part.len() as u32;
        }
        Ok(true)
    }

    /// The flash offset of sector `s`.
    fn sector_addr(&self, s: u16) -> u32 {
        self.geo.start + u32::from(s) * self.geo.sector_size
    }

    /// The flash offset of record slot `at` (sector × slots + slot).
    fn slot_addr(&self, at: u16) -> u32 {
        let (s, i) = (u32::from(at) / self.slots, u32::from(at) % self.slots);
        self.sector_addr(s as u16) + (HEADER + i as usize * RECORD) as u32
    }

    /// Reads sector `s`'s header: its sequence number if it is valid for this geometry.
    fn read_sector_header(&mut self, s: u16) -> HwResult<Option<u32>> {
        let mut h = [0u8; HEADER];
        let addr = self.sector_addr(s);
        self.flash.read(addr, &mut h).map_err(|_| EIO)?;
        let valid = get_u32(&h, 0) == MAGIC
            && usize::from(get_u16(&h, 8)) == BLOCK_SIZE
            && get_u16(&h, 10) == self.geo.blocks
            && get_u32(&h, 12) == crc32(&[&h[..12]]);
        Ok(valid.then(|| get_u32(&h, 4)))
    }

    /// Reads record slot `at`, checking its CRC.
    fn read_slot(&mut self, at: u16) -> HwResult<Slot> {
        let addr = self.slot_addr(at);
        let mut h = [0u8; HEADER];
        self.flash.read(addr, &mut h).map_err(|_| EIO)?;
        let mut erased = h.iter().all(|&b| b == 0xFF);
        let mut crc = crc32_update(!0, &h[..12]);
        let mut buf = [0u8; CHUNK];
        let mut off = HEADER;
        while off < RECORD {
            self.flash
                .read(addr + off as u32, &mut buf)
                .map_err(|_| EIO)?;
            erased &= buf.iter().all(|&b| b == 0xFF);
            crc = crc32_update(crc, &buf);
            off += CHUNK;
        }
        let block = get_u16(&h, 0);
        let valid = !erased
            && block < self.geo.blocks
            && get_u16(&h, 2) == 0
            && get_u32(&h, 8) == 0
            && get_u32(&h, 12) == !crc;
        Ok(Slot {
            block,
            seq: get_u32(&h, 4),
            erased,
            valid,
        })
    }

    /// The sequence number of the (valid) record in slot `at`.
    fn read_seq(&mut self, at: u16) -> HwResult<u32> {
        let mut seq = [0u8; 4];
        let addr = self.slot_addr(at) + 4;
        self.flash.read(addr, &mut seq).map_err(|_| EIO)?;
        Ok(u32::from_le_bytes(seq))
    }

    /// The in-use sectors, oldest first.
    fn in_use(&self) -> Vec<u16> {
        // Each put in its place as it is found (a handful of sectors: no sort routine).
        let mut v: Vec<u16> = Vec::new();
        for s in 0..self.geo.sectors {
            let seq = self.sector_seq[usize::from(s)];
            if seq.is_some() {
                let at = v.partition_point(|&t| self.sector_seq[usize::from(t)] <= seq);
                v.insert(at, s);
            }
        }
        v
    }

    /// Reads every sector: which are in use, the index, the head and its first free slot, the
    /// next record sequence number.
    fn scan(&mut self) -> HwResult<()> {
        for s in 0..self.geo.sectors {
            self.sector_seq[usize::from(s)] = self.read_sector_header(s)?;
        }
        self.index.fill(NONE);
        self.head = None;
        let mut max_seq = None;
        for s in self.in_use() {
            let mut end = 0;
            for slot in 0..self.slots {
                let at = (u32::from(s) * self.slots + slot) as u16;
                let r = self.read_slot(at)?;
                if !r.erased {
                    end = slot + 1;
                }
                if !r.valid {
                    continue;
                }
                max_seq = max_seq.max(Some(r.seq));
                let i = usize::from(r.block);
                // Sectors are read oldest first: on equal sequence numbers (a copy made by
                // garbage collection) the newer sector's record wins.
                let newer = match self.index[i] {
                    NONE => true,
                    cur => self.read_seq(cur)? <= r.seq,
                };
                if newer {
                    self.index[i] = at;
                }
            }
            self.head = Some((s, end));
        }
        self.next_seq = max_seq.map_or(0, |s| s.wrapping_add(1));
        Ok(())
    }

    /// Every sector is in use: a garbage collection was cut short. Finishes it (copies the rest
    /// of the oldest sector's live records into the head and erases the oldest), or erases the
    /// head (copies only) when the rest no longer fit.
    fn recover(&mut self) -> HwResult<()> {
        let order = self.in_use();
        let (Some(&oldest), Some((head, used))) = (order.first(), self.head) else {
            return Err(EIO);
        };
        if oldest == head {
            return Err(EIO);
        }
        if self.live_in(oldest) <= self.slots - used {
            self.collect_into(oldest)
        } else {
            self.erase(head)
        }
    }

    /// How many blocks' newest records are in sector `s`.
    fn live_in(&self, s: u16) -> u32 {
        self.index
            .iter()
            .filter(|&&at| at != NONE && u32::from(at) / self.slots == u32::from(s))
            .count() as u32
    }

    /// Erases sector `s`; it is free afterwards.
    fn erase(&mut self, s: u16) -> HwResult<()> {
        let addr = self.sector_addr(s);
        self.sector_seq[usize::from(s)] = None;
        if self.head.is_some_and(|(h, _)| h == s) {
            self.head = None;
        }
        self.flash
            .erase(addr, addr + self.geo.sector_size)
            .map_err(|_| EIO)
    }

    /// A free slot in the head: the next one, or one in a newly opened sector (collecting
    /// garbage when only the spare is free).
    fn free_slot(&mut self) -> HwResult<(u16, u32)> {
        for _ in 0..=self.geo.sectors {
            if let Some((s, slot)) = self.head {
                if slot < self.slots {
                    return Ok((s, slot));
                }
            }
            let free: Vec<u16> = (0..self.geo.sectors)
                .filter(|&s| self.sector_seq[usize::from(s)].is_none())
                .collect();
            let Some(&spare) = free.first() else {
                return Err(EIO);
            };
            self.open(spare)?;
            if free.len() == 1 {
                // The spare was the last free sector: make another by collecting the oldest.
                let oldest = self.in_use().into_iter().find(|&s| s != spare);
                let oldest = oldest.ok_or(EIO)?;
                self.collect_into(oldest)?;
            }
        }
        Err(ENOSPC)
    }

    /// Makes free sector `s` the head: erased if it is not blank, then given a header whose
    /// sequence number is above every other sector's.
    fn open(&mut self, s: u16) -> HwResult<()> {
        if !self.blank(s)? {
            self.erase(s)?;
        }
        let seq = self
            .sector_seq
            .iter()
            .flatten()
            .max()
            .map_or(0, |m| m.wrapping_add(1));
        let mut h = [0u8; HEADER];
        h[0..4].copy_from_slice(&MAGIC.to_le_bytes());
        h[4..8].copy_from_slice(&seq.to_le_bytes());
        h[8..10].copy_from_slice(&(BLOCK_SIZE as u16).to_le_bytes());
        h[10..12].copy_from_slice(&self.geo.blocks.to_le_bytes());
        let crc = crc32(&[&h[..12]]);
        h[12..16].copy_from_slice(&crc.to_le_bytes());
        let addr = self.sector_addr(s);
        self.flash.write(addr, &h).map_err(|_| EIO)?;
        self.sector_seq[usize::from(s)] = Some(seq);
        self.head = Some((s, 0));
        Ok(())
    }

    /// Whether sector `s` reads all 0xFF.
    fn blank(&mut self, s: u16) -> HwResult<bool> {
        let mut buf = [0u8; CHUNK];
        let addr = self.sector_addr(s);
        let mut off = 0;
        while off < self.geo.sector_size {
            let n = (self.geo.sector_size - off).min(CHUNK as u32) as usize;
            let buf = &mut buf[..n];
            self.flash.read(addr + off, buf).map_err(|_| EIO)?;
            if buf.iter().any(|&b| b != 0xFF) {
                return Ok(false);
            }
            off += n as u32;
        }
        Ok(true)
    }

    /// Copies sector `from`'s live records into the head, unchanged, and erases `from`.
    fn collect_into(&mut self, from: u16) -> HwResult<()> {
        for i in 0..self.index.len() {
            let src = self.index[i];
            if src == NONE || u32::from(src) / self.slots != u32::from(from) {
                continue;
            }
            let Some((head, slot)) = self.head.filter(|&(_, slot)| slot < self.slots) else {
                return Err(ENOSPC);
            };
            let dst = (u32::from(head) * self.slots + slot) as u16;
            self.head = Some((head, slot + 1));
            self.copy_record(src, dst)?;
            self.index[i] = dst;
        }
        self.erase(from)
    }

    /// Copies the record in slot `src` to the free slot `dst` (the header first, as a write).
    fn copy_record(&mut self, src: u16, dst: u16) -> HwResult<()> {
        let (src, dst) = (self.slot_addr(src), self.slot_addr(dst));
        let mut buf = [0u8; CHUNK];
        let head = &mut buf[..HEADER];
        self.flash.read(src, head).map_err(|_| EIO)?;
        self.flash.write(dst, head).map_err(|_| EIO)?;
        let mut off = HEADER;
        while off < RECORD {
            self.flash
                .read(src + off as u32, &mut buf)
                .map_err(|_| EIO)?;
            self.flash.write(dst + off as u32, &buf).map_err(|_| EIO)?;
            off += CHUNK;
        }
        Ok(())
    }
}
