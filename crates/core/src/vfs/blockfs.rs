//! Pyrite's own file system on a block device: small, and safe against power loss.
//!
//! Nothing that the committed state refers to is ever overwritten. An update (a file's new
//! contents, a new directory, a rename) writes its data and a new copy of the metadata into
//! free blocks, then commits by writing a superblock with the next sequence number into the
//! superblock slot the current state does not use. A power cut before that last write leaves
//! the old superblock in charge, and the old state intact; a torn superblock fails its checksum
//! and is ignored. So after any cut a file is wholly old or wholly new.
//!
//! On-disk layout (all integers little-endian):
//!
//! | block | contents |
//! |-------|----------|
//! | 0, 1  | superblock slots; the valid one with the higher sequence number is current |
//! | other | data blocks (a file's bytes, `block_size` per block) and metadata blocks |
//!
//! Superblock: `MAGIC` (8 bytes), sequence (u32), block size (u32), block count (u32), first
//! metadata block (u32), metadata length in bytes (u32), CRC-32 of the metadata (u32), CRC-32
//! of the previous 32 bytes (u32).
//!
//! Metadata blocks form a chain: each starts with the number of the next (u32) and holds
//! `block_size - 4` bytes of the metadata stream. The stream is the entry count (u32), then per
//! entry: kind (u8: 1 file, 2 directory), path length (u16), the path (UTF-8, no leading
//! slash, `/` between parts), size (u32), modification time (u32, seconds), and for a file
//! its `ceil(size / block_size)` data block numbers (u32 each).
//!
//! The format is Pyrite's own: `vfs.VfsLfs2` and `vfs.VfsFat` offer this file system under
//! MicroPython's names; they do not read littlefs or FAT volumes.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::errno::{EEXIST, EINVAL, EIO, EISDIR, ENODEV, ENOENT, ENOSPC, ENOTDIR, ENOTEMPTY};

/// A result whose error is an `errno` number.
pub type FsResult<T> = Result<T, i32>;

/// A block device, as MicroPython's block-device protocol sees one: fixed-size blocks that
/// are read and written whole.
pub trait BlockDevice {
    /// The size of a block in bytes (`ioctl(5)`).
    fn block_size(&mut self) -> FsResult<u32>;
    /// The number of blocks (`ioctl(4)`).
    fn block_count(&mut self) -> FsResult<u32>;
    /// Reads block `block` into `buf` (one block long).
    fn read(&mut self, block: u32, buf: &mut [u8]) -> FsResult<()>;
    /// Erases and writes block `block` with `data` (one block long).
    fn write(&mut self, block: u32, data: &[u8]) -> FsResult<()>;
    /// Makes earlier writes durable (`ioctl(3)`).
    fn sync(&mut self) -> FsResult<()> {
        Ok(())
    }
}

const MAGIC: &[u8; 8] = b"PyriteFS";
const SUPER_LEN: usize = 36;
const NO_BLOCK: u32 = u32::MAX;
/// The smallest block that holds a superblock and a useful metadata chunk.
const MIN_BLOCK_SIZE: u32 = 64;
/// The longest path component (`statvfs` `f_namemax`).
pub const NAME_MAX: usize = 255;
/// The longest path.
const PATH_MAX: usize = 1024;

/// A file or directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The path from the root, without a leading slash.
    pub path: String,
    /// A directory (else a file).
    pub dir: bool,
    /// Size in bytes (0 for a directory).
    pub size: u32,
    /// Modification time, seconds.
    pub mtime: u32,
    /// The data blocks of a file, in order.
    pub blocks: Vec<u32>,
}

/// A mounted file system: the committed state, cached.
pub struct BlockFs {
    block_size: u32,
    block_count: u32,
    seq: u32,
    entries: Vec<Entry>,
    /// Blocks the committed state refers to (superblocks, metadata, data).
    used: Vec<bool>,
    /// Where the next allocation starts looking (spreads wear).
    cursor: u32,
}

/// CRC-32 (IEEE).
pub fn crc32(data: &[u8]) -> u32 {
    !crate::modules::deflate_codec::crc32_update(!0, data)
}

fn get_u32(b: &[u8], at: usize) -> FsResult<u32> {
    let s = b.get(at..at + 4).ok_or(EIO)?;
    Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn put_u32(b: &mut Vec<u8>, v: u32) {
    b.extend_from_slice(&v.to_le_bytes());
}

/// The parent of `path` ("" for the root's children).
pub fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// The geometry of `dev`, checked.
fn geometry(dev: &mut dyn BlockDevice) -> FsResult<(u32, u32)> {
    let bs = dev.block_size()?;
    let n = dev.block_count()?;
    if bs < MIN_BLOCK_SIZE || n < 4 {
        return Err(EINVAL);
    }
    Ok((bs, n))
}

impl BlockFs {
    /// A state with no blocks, standing in while a file system is not mounted.
    pub fn empty() -> BlockFs {
        BlockFs {
            block_size: 0,
            block_count: 0,
            seq: 0,
            entries: Vec::new(),
            used: Vec::new(),
            cursor: 2,
        }
    }

    /// Writes an empty file system onto `dev`.
    pub fn mkfs(dev: &mut dyn BlockDevice) -> FsResult<()> {
        let (bs, n) = geometry(dev)?;
        let mut fs = BlockFs {
            block_size: bs,
            block_count: n,
            seq: 0,
            entries: Vec::new(),
            used: vec![false; n as usize],
            cursor: 2,
        };
        fs.used[0] = true;
        fs.used[1] = true;
        // The new superblock (sequence 1) goes into slot 1; a stale one in slot 0 must not
        // outrank it.
        dev.write(0, &vec![0u8; bs as usize])?;
        fs.commit(dev, Vec::new())
    }

    /// Reads the file system on `dev`; `ENODEV` if there is none.
    pub fn mount(dev: &mut dyn BlockDevice) -> FsResult<BlockFs> {
        let (bs, n) = geometry(dev)?;
        let mut buf = vec![0u8; bs as usize];
        let mut best: Option<(u32, u32, u32, u32)> = None;
        for slot in 0..2 {
            dev.read(slot, &mut buf)?;
            if &buf[..8] != MAGIC || get_u32(&buf, 32)? != crc32(&buf[..32]) {
                continue;
            }
            let seq = get_u32(&buf, 8)?;
            if get_u32(&buf, 12)? != bs || get_u32(&buf, 16)? != n {
                continue;
            }
            let cand = (
                seq,
                get_u32(&buf, 20)?,
                get_u32(&buf, 24)?,
                get_u32(&buf, 28)?,
            );
            if best.is_none_or(|b| seq > b.0) {
                best = Some(cand);
            }
        }
        let Some((seq, head, len, crc)) = best else {
            return Err(ENODEV);
        };
        let mut used = vec![false; n as usize];
        used[0] = true;
        used[1] = true;
        // Read the metadata chain.
        let mut meta = Vec::new();
        let mut block = head;
        while meta.len() < len as usize {
            let b = block as usize;
            if block < 2 || b >= used.len() || used[b] {
                return Err(EIO);
            }
            used[b] = true;
            dev.read(block, &mut buf)?;
            let take = (len as usize - meta.len()).min(buf.len() - 4);
            meta.extend_from_slice(&buf[4..4 + take]);
            block = get_u32(&buf, 0)?;
        }
        if crc32(&meta) != crc {
            return Err(EIO);
        }
        let entries = parse_meta(&meta, bs)?;
        for e in &entries {
            for &blk in &e.blocks {
                let slot = used.get_mut(blk as usize).ok_or(EIO)?;
                if blk < 2 || *slot {
                    return Err(EIO);
                }
                *slot = true;
            }
        }
        Ok(BlockFs {
            block_size: bs,
            block_count: n,
            seq,
            entries,
            used,
            cursor: 2,
        })
    }

    fn find(&self, path: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.path == path)
    }

    /// Whether `path` is the root or an existing directory.
    fn is_dir(&self, path: &str) -> bool {
        path.is_empty() || self.find(path).is_some_and(|e| e.dir)
    }

    /// The entry at `path`: `None` for the root.
    pub fn stat(&self, path: &str) -> FsResult<Option<&Entry>> {
        if path.is_empty() {
            return Ok(None);
        }
        self.find(path).map(Some).ok_or(ENOENT)
    }

    /// The entries directly inside directory `path`.
    pub fn listdir(&self, path: &str) -> FsResult<Vec<&Entry>> {
        if !self.is_dir(path) {
            return Err(if self.find(path).is_some() {
                ENOTDIR
            } else {
                ENOENT
            });
        }
        Ok(self
            .entries
            .iter()
            .filter(|e| parent(&e.path) == path)
            .collect())
    }

    /// The contents of file `path`.
    pub fn read_file(&self, dev: &mut dyn BlockDevice, path: &str) -> FsResult<Vec<u8>> {
        let e = self.find(path).ok_or(ENOENT)?;
        if e.dir {
            return Err(EISDIR);
        }
        let mut out = Vec::new();
        out.try_reserve(e.size as usize)
            .map_err(|_| super::errno::ENOMEM)?;
        let mut buf = vec![0u8; self.block_size as usize];
        for &b in &e.blocks {
            dev.read(b, &mut buf)?;
            let take = (e.size as usize - out.len()).min(buf.len());
            out.extend_from_slice(&buf[..take]);
        }
        Ok(out)
    }

    /// Checks that a new entry may be made at `path`.
    fn check_new(&self, path: &str) -> FsResult<()> {
        let name = path.rsplit('/').next().unwrap_or("");
        if path.is_empty() || name.is_empty() || name.len() > NAME_MAX || path.len() > PATH_MAX {
            return Err(EINVAL);
        }
        if !self.is_dir(parent(path)) {
            return Err(ENOENT);
        }
        Ok(())
    }

    /// Replaces (or creates) file `path` with `data`, atomically.
    pub fn write_file(
        &mut self,
        dev: &mut dyn BlockDevice,
        path: &str,
        data: &[u8],
        mtime: u32,
    ) -> FsResult<()> {
        let size = u32::try_from(data.len()).map_err(|_| ENOSPC)?;
        let mut entries = self.entries.clone();
        match entries.iter().position(|e| e.path == path) {
            Some(i) if entries[i].dir => return Err(EISDIR),
            Some(i) => {
                entries.remove(i);
            }
            None => self.check_new(path)?,
        }
        // Data goes only into blocks the committed state does not use.
        let mut fresh = Vec::new();
        for chunk in data.chunks(self.block_size as usize) {
            let b = self.alloc(&fresh)?;
            let mut buf = vec![0u8; self.block_size as usize];
            buf[..chunk.len()].copy_from_slice(chunk);
            dev.write(b, &buf)?;
            fresh.push(b);
        }
        entries.push(Entry {
            path: String::from(path),
            dir: false,
            size,
            mtime,
            blocks: fresh,
        });
        self.commit(dev, entries)
    }

    /// Makes directory `path`.
    pub fn mkdir(&mut self, dev: &mut dyn BlockDevice, path: &str, mtime: u32) -> FsResult<()> {
        if path.is_empty() || self.find(path).is_some() {
            return Err(EEXIST);
        }
        self.check_new(path)?;
        let mut entries = self.entries.clone();
        entries.push(Entry {
            path: String::from(path),
            dir: true,
            size: 0,
            mtime,
            blocks: Vec::new(),
        });
        self.commit(dev, entries)
    }

    /// Removes file `path` (`dir` false) or empty directory `path` (`dir` true).
    pub fn remove(&mut self, dev: &mut dyn BlockDevice, path: &str, dir: bool) -> FsResult<()> {
        let e = self
            .find(path)
            .ok_or(if path.is_empty() { EINVAL } else { ENOENT })?;
        if e.dir != dir {
            return Err(if dir { ENOTDIR } else { EISDIR });
        }
        if dir && self.entries.iter().any(|c| parent(&c.path) == path) {
            return Err(ENOTEMPTY);
        }
        let entries = self
            .entries
            .iter()
            .filter(|e| e.path != path)
            .cloned()
            .collect();
        self.commit(dev, entries)
    }

    /// Renames `from` to `to` (a directory takes its contents along); an existing file at
    /// `to` is replaced.
    pub fn rename(&mut self, dev: &mut dyn BlockDevice, from: &str, to: &str) -> FsResult<()> {
        let src = self.find(from).ok_or(ENOENT)?;
        if from == to {
            return Ok(());
        }
        let src_dir = src.dir;
        if src_dir && to.starts_with(from) && to.as_bytes().get(from.len()) == Some(&b'/') {
            return Err(EINVAL);
        }
        let mut entries = self.entries.clone();
        if let Some(i) = entries.iter().position(|e| e.path == to) {
            let dst = &entries[i];
            if dst.dir != src_dir {
                return Err(if dst.dir { EISDIR } else { ENOTDIR });
            }
            if dst.dir && self.entries.iter().any(|c| parent(&c.path) == to) {
                return Err(ENOTEMPTY);
            }
            entries.remove(i);
        } else {
            self.check_new(to)?;
        }
        for e in entries.iter_mut() {
            if e.path == from {
                e.path = String::from(to);
            } else if src_dir
                && e.path.starts_with(from)
                && e.path.as_bytes().get(from.len()) == Some(&b'/')
            {
                let mut p = String::from(to);
                p.push_str(&e.path[from.len()..]);
                e.path = p;
            }
        }
        self.commit(dev, entries)
    }

    /// Block size, block count and free blocks.
    pub fn usage(&self) -> (u32, u32, u32) {
        let free = self.used.iter().filter(|&&u| !u).count() as u32;
        (self.block_size, self.block_count, free)
    }

    /// A block that neither the committed state nor `taken` uses.
    fn alloc(&mut self, taken: &[u32]) -> FsResult<u32> {
        let n = self.block_count;
        for i in 0..n {
            let b = 2 + (self.cursor - 2 + i) % (n - 2);
            if !self.used[b as usize] && !taken.contains(&b) {
                self.cursor = if b + 1 >= n { 2 } else { b + 1 };
                return Ok(b);
            }
        }
        Err(ENOSPC)
    }

    /// Writes `entries` as the new state: metadata into free blocks, then the superblock.
    fn commit(&mut self, dev: &mut dyn BlockDevice, entries: Vec<Entry>) -> FsResult<()> {
        let meta = encode_meta(&entries)?;
        let len = u32::try_from(meta.len()).map_err(|_| ENOSPC)?;
        let mut taken: Vec<u32> = entries
            .iter()
            .flat_map(|e| e.blocks.iter().copied())
            .collect();
        let chunk = self.block_size as usize - 4;
        let count = meta.len().div_ceil(chunk);
        let mut chain = Vec::with_capacity(count);
        for _ in 0..count {
            // New data blocks are not yet in `used`; avoid them too.
            let b = self.alloc(&taken)?;
            taken.push(b);
            chain.push(b);
        }
        let mut buf = Vec::with_capacity(self.block_size as usize);
        for (i, part) in meta.chunks(chunk).enumerate() {
            buf.clear();
            put_u32(&mut buf, chain.get(i + 1).copied().unwrap_or(NO_BLOCK));
            buf.extend_from_slice(part);
            buf.resize(self.block_size as usize, 0);
            dev.write(chain[i], &buf)?;
        }
        dev.sync()?;
        let seq = self.seq.wrapping_add(1);
        buf.clear();
        buf.extend_from_slice(MAGIC);
        put_u32(&mut buf, seq);
        put_u32(&mut buf, self.block_size);
        put_u32(&mut buf, self.block_count);
        put_u32(&mut buf, chain.first().copied().unwrap_or(NO_BLOCK));
        put_u32(&mut buf, len);
        put_u32(&mut buf, crc32(&meta));
        let crc = crc32(&buf);
        put_u32(&mut buf, crc);
        debug_assert_eq!(buf.len(), SUPER_LEN);
        buf.resize(self.block_size as usize, 0);
        dev.write(seq & 1, &buf)?;
        dev.sync()?;
        // Committed: the new state is the current one.
        self.seq = seq;
        self.used.iter_mut().for_each(|u| *u = false);
        self.used[0] = true;
        self.used[1] = true;
        for &b in &taken {
            self.used[b as usize] = true;
        }
        self.entries = entries;
        Ok(())
    }
}

fn encode_meta(entries: &[Entry]) -> FsResult<Vec<u8>> {
    let mut m = Vec::new();
    put_u32(&mut m, entries.len() as u32);
    for e in entries {
        m.push(if e.dir { 2 } else { 1 });
        let len = u16::try_from(e.path.len()).map_err(|_| EINVAL)?;
        m.extend_from_slice(&len.to_le_bytes());
        m.extend_from_slice(e.path.as_bytes());
        put_u32(&mut m, e.size);
        put_u32(&mut m, e.mtime);
        for &b in &e.blocks {
            put_u32(&mut m, b);
        }
    }
    Ok(m)
}

fn parse_meta(m: &[u8], block_size: u32) -> FsResult<Vec<Entry>> {
    let count = get_u32(m, 0)?;
    let mut at = 4;
    let mut out = Vec::new();
    for _ in 0..count {
        let kind = *m.get(at).ok_or(EIO)?;
        let len = u16::from_le_bytes([*m.get(at + 1).ok_or(EIO)?, *m.get(at + 2).ok_or(EIO)?]);
        at += 3;
        let path = m.get(at..at + len as usize).ok_or(EIO)?;
        let path = String::from(core::str::from_utf8(path).map_err(|_| EIO)?);
        at += len as usize;
        let size = get_u32(m, at)?;
        let mtime = get_u32(m, at + 4)?;
        at += 8;
        let mut blocks = Vec::new();
        if kind == 1 {
            for _ in 0..size.div_ceil(block_size) {
                blocks.push(get_u32(m, at)?);
                at += 4;
            }
        }
        out.push(Entry {
            path,
            dir: kind == 2,
            size,
            mtime,
            blocks,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A RAM block device whose power fails after `writes_left` writes: the failing write
    /// tears (half of the new bytes land) and every later write is lost.
    struct RamDisk {
        data: Vec<u8>,
        bs: u32,
        writes_left: Option<usize>,
    }

    impl RamDisk {
        fn new(bs: u32, n: u32) -> RamDisk {
            RamDisk {
                data: vec![0xff; (bs * n) as usize],
                bs,
                writes_left: None,
            }
        }
    }

    impl BlockDevice for RamDisk {
        fn block_size(&mut self) -> FsResult<u32> {
            Ok(self.bs)
        }
        fn block_count(&mut self) -> FsResult<u32> {
            Ok(self.data.len() as u32 / self.bs)
        }
        fn read(&mut self, block: u32, buf: &mut [u8]) -> FsResult<()> {
            let at = (block * self.bs) as usize;
            buf.copy_from_slice(&self.data[at..at + buf.len()]);
            Ok(())
        }
        fn write(&mut self, block: u32, data: &[u8]) -> FsResult<()> {
            let at = (block * self.bs) as usize;
            match self.writes_left {
                Some(0) => return Err(EIO),
                Some(1) => {
                    // The cut tears this write.
                    let half = data.len() / 2;
                    self.data[at..at + half].copy_from_slice(&data[..half]);
                    self.writes_left = Some(0);
                    return Err(EIO);
                }
                Some(n) => self.writes_left = Some(n - 1),
                None => {}
            }
            self.data[at..at + data.len()].copy_from_slice(data);
            Ok(())
        }
    }

    fn all_bytes() -> Vec<u8> {
        (0..=255u8).cycle().take(700).collect()
    }

    #[test]
    fn round_trip_all_byte_values() {
        let mut d = RamDisk::new(128, 32);
        BlockFs::mkfs(&mut d).unwrap();
        let mut fs = BlockFs::mount(&mut d).unwrap();
        fs.mkdir(&mut d, "dir", 0).unwrap();
        fs.write_file(&mut d, "dir/f", &all_bytes(), 7).unwrap();
        let fs = BlockFs::mount(&mut d).unwrap();
        assert_eq!(fs.read_file(&mut d, "dir/f").unwrap(), all_bytes());
        assert_eq!(fs.listdir("dir").unwrap().len(), 1);
    }

    #[test]
    fn power_cut_at_every_write_leaves_old_or_new() {
        let old: Vec<u8> = vec![b'o'; 300];
        let new: Vec<u8> = vec![b'n'; 500];
        let mut n = 0;
        loop {
            let mut d = RamDisk::new(64, 40);
            BlockFs::mkfs(&mut d).unwrap();
            let mut fs = BlockFs::mount(&mut d).unwrap();
            fs.write_file(&mut d, "f", &old, 0).unwrap();
            d.writes_left = Some(n);
            let done = fs.write_file(&mut d, "f", &new, 0).is_ok();
            // Reboot.
            d.writes_left = None;
            let fs = BlockFs::mount(&mut d).unwrap();
            let got = fs.read_file(&mut d, "f").unwrap();
            assert!(got == old || got == new, "cut after {n} writes");
            if done {
                assert_eq!(got, new);
                break;
            }
            n += 1;
        }
        assert!(n > 5);
    }

    #[test]
    fn full_disk_raises_enospc_and_keeps_files() {
        let mut d = RamDisk::new(64, 16);
        BlockFs::mkfs(&mut d).unwrap();
        let mut fs = BlockFs::mount(&mut d).unwrap();
        fs.write_file(&mut d, "a", b"keep me", 0).unwrap();
        assert_eq!(fs.write_file(&mut d, "b", &[1u8; 2000], 0), Err(ENOSPC));
        assert_eq!(fs.write_file(&mut d, "a", &[1u8; 2000], 0), Err(ENOSPC));
        let fs = BlockFs::mount(&mut d).unwrap();
        assert_eq!(fs.read_file(&mut d, "a").unwrap(), b"keep me");
        assert!(fs.stat("b").is_err());
    }

    #[test]
    fn rename_moves_a_directory_with_its_contents() {
        let mut d = RamDisk::new(128, 16);
        BlockFs::mkfs(&mut d).unwrap();
        let mut fs = BlockFs::mount(&mut d).unwrap();
        fs.mkdir(&mut d, "a", 0).unwrap();
        fs.write_file(&mut d, "a/x", b"x", 0).unwrap();
        fs.rename(&mut d, "a", "b").unwrap();
        assert_eq!(fs.read_file(&mut d, "b/x").unwrap(), b"x");
        assert_eq!(fs.remove(&mut d, "b", true), Err(ENOTEMPTY));
        fs.remove(&mut d, "b/x", false).unwrap();
        fs.remove(&mut d, "b", true).unwrap();
        assert!(BlockFs::mount(&mut d)
            .unwrap()
            .listdir("")
            .unwrap()
            .is_empty());
    }

    #[test]
    fn garbage_is_not_a_file_system() {
        let mut d = RamDisk::new(128, 16);
        assert!(BlockFs::mount(&mut d).is_err());
    }
}
