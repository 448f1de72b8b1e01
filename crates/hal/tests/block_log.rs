//! The block log against a simulated NOR flash that enforces NOR's rules (programming only
//! clears bits, erasing is by whole erase units) and loses power after any number of program
//! and erase steps: a cut program clears a random part of the bits it should have, a cut
//! erase sets a random part of the bits. After every possible cut of a randomized workload
//! (and of the recovery after it) the store mounts, and every block reads its old or its new
//! contents; Pyrite's block file system on top mounts and holds every committed file.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use embedded_storage::nor_flash::{ErrorType, NorFlash, NorFlashErrorKind, ReadNorFlash};
use pyrite_core::vfs::blockfs::{BlockDevice, BlockFs, FsResult};
use pyrite_hal::block_log::{BlockLog, Geometry, BLOCK_SIZE};

/// A small deterministic random source (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The simulated flash's erase unit.
const ERASE: usize = 4096;

/// The flash cells and the power supply.
struct Cells {
    data: Vec<u8>,
    /// Program and erase steps left before the cut (`None`: no cut planned).
    steps_left: Option<u64>,
    /// Power is off: every later program or erase fails.
    dead: bool,
    /// Program and erase steps done since the last power-up.
    steps: u64,
    rng: Rng,
}

/// NOR flash in RAM, shared with the test (which keeps the cells when a store is dropped).
/// Reads always work; after the power cut, programs and erases fail and change nothing.
#[derive(Clone)]
struct SimNor(Rc<RefCell<Cells>>);

impl SimNor {
    /// Erased flash of `bytes` bytes.
    fn new(bytes: usize) -> SimNor {
        SimNor::with(vec![0xFF; bytes])
    }

    /// Flash holding `data`.
    fn with(data: Vec<u8>) -> SimNor {
        SimNor(Rc::new(RefCell::new(Cells {
            data,
            steps_left: None,
            dead: false,
            steps: 0,
            rng: Rng(1),
        })))
    }

    /// A power-up: the cut (if any) planned `cut` steps ahead, its damage drawn from `seed`.
    fn power_up(&self, cut: Option<u64>, seed: u64) {
        let mut c = self.0.borrow_mut();
        c.dead = false;
        c.steps = 0;
        c.steps_left = cut;
        c.rng = Rng(seed | 1);
    }

    fn steps(&self) -> u64 {
        self.0.borrow().steps
    }

    fn image(&self) -> Vec<u8> {
        self.0.borrow().data.clone()
    }
}

impl Cells {
    /// Counts a step; `true` if the power fails during it.
    fn cut_now(&mut self) -> bool {
        self.steps += 1;
        match self.steps_left {
            Some(0) => {
                self.steps_left = None;
                self.dead = true;
                true
            }
            Some(n) => {
                self.steps_left = Some(n - 1);
                false
            }
            None => false,
        }
    }
}

impl ErrorType for SimNor {
    type Error = NorFlashErrorKind;
}

impl ReadNorFlash for SimNor {
    const READ_SIZE: usize = 1;

    fn read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), Self::Error> {
        let at = offset as usize;
        let c = self.0.borrow();
        let src = c
            .data
            .get(at..at + bytes.len())
            .ok_or(NorFlashErrorKind::OutOfBounds)?;
        bytes.copy_from_slice(src);
        Ok(())
    }

    fn capacity(&self) -> usize {
        self.0.borrow().data.len()
    }
}

impl NorFlash for SimNor {
    const WRITE_SIZE: usize = 1;
    const ERASE_SIZE: usize = ERASE;

    fn erase(&mut self, from: u32, to: u32) -> Result<(), Self::Error> {
        let c = &mut *self.0.borrow_mut();
        let (from, to) = (from as usize, to as usize);
        assert!(
            from % ERASE == 0 && to % ERASE == 0 && from <= to && to <= c.data.len(),
            "erase of {from:#x}..{to:#x} is not whole erase units"
        );
        if c.dead {
            return Err(NorFlashErrorKind::Other);
        }
        for unit in (from..to).step_by(ERASE) {
            if c.cut_now() {
                // Part of the unit is erased, and some bits of the rest.
                let done = c.rng.below(ERASE as u64 + 1) as usize;
                for i in 0..ERASE {
                    let set = if i < done {
                        0xFF
                    } else {
                        c.rng.next() as u8 & c.rng.next() as u8
                    };
                    c.data[unit + i] |= set;
                }
                return Err(NorFlashErrorKind::Other);
            }
            c.data[unit..unit + ERASE].fill(0xFF);
        }
        Ok(())
    }

    fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), Self::Error> {
        let c = &mut *self.0.borrow_mut();
        let at = offset as usize;
        assert!(at + bytes.len() <= c.data.len(), "write out of bounds");
        for (i, (&old, &new)) in c.data[at..].iter().zip(bytes).enumerate() {
            assert_eq!(
                !old & new,
                0,
                "programming {:#x} would set bits ({old:#04x} -> {new:#04x})",
                at + i
            );
        }
        if c.dead {
            return Err(NorFlashErrorKind::Other);
        }
        if c.cut_now() {
            // A prefix is programmed, then a random part of the bits of the rest.
            let done = c.rng.below(bytes.len() as u64 + 1) as usize;
            for (i, &new) in bytes.iter().enumerate() {
                let keep = if i < done {
                    new
                } else {
                    new | c.rng.next() as u8
                };
                c.data[at + i] &= keep;
            }
            return Err(NorFlashErrorKind::Other);
        }
        for (cell, &new) in c.data[at..].iter_mut().zip(bytes) {
            *cell &= new;
        }
        Ok(())
    }
}

/// A block's contents for `version` (0: never written, erased flash).
fn contents(block: u32, version: u32) -> Vec<u8> {
    if version == 0 {
        return vec![0xFF; BLOCK_SIZE];
    }
    let mut r = Rng(u64::from(block) << 32 | u64::from(version) | 1 << 63);
    let mut v: Vec<u8> = (0..BLOCK_SIZE).map(|_| r.next() as u8).collect();
    v[..8].copy_from_slice(&(u64::from(block) << 32 | u64::from(version)).to_le_bytes());
    v
}

/// A geometry of `sectors` sectors of `sector_size` bytes with `blocks` blocks, after one
/// unused erase unit (the store need not start at the flash's beginning).
fn geometry(sector_size: u32, sectors: u16, blocks: u16) -> Geometry {
    Geometry {
        start: ERASE as u32,
        sector_size,
        sectors,
        blocks,
    }
}

/// Erased flash big enough for `geo`.
fn flash_for(geo: &Geometry) -> SimNor {
    SimNor::new(geo.start as usize + geo.sector_size as usize * usize::from(geo.sectors))
}

/// Mounts the store; panics with `what` if it does not mount.
fn mount(flash: &SimNor, geo: Geometry, what: &str) -> BlockLog<SimNor> {
    match BlockLog::mount(flash.clone(), geo) {
        Ok(log) => log,
        Err(e) => panic!("{what}: mount failed with {e}"),
    }
}

/// Checks that every block of `log` reads `versions[block]`, or for `changing` (a block and
/// the version a cut write was writing) either version; returns the versions found.
fn check_blocks(
    log: &mut BlockLog<SimNor>,
    versions: &[u32],
    changing: Option<(u32, u32)>,
    what: &str,
) -> Vec<u32> {
    let mut buf = vec![0u8; BLOCK_SIZE];
    let mut found = versions.to_vec();
    for (b, &v) in versions.iter().enumerate() {
        let b = b as u32;
        log.read(b, &mut buf).unwrap();
        if buf == contents(b, v) {
            continue;
        }
        match changing {
            Some((cb, cv)) if cb == b && buf == contents(b, cv) => found[b as usize] = cv,
            _ => panic!("{what}: block {b} holds neither version {v} nor the new one"),
        }
    }
    found
}

/// The workload: `writes` writes of random blocks, each a new version.
fn workload(blocks: u16, writes: usize, seed: u64) -> Vec<u32> {
    let mut r = Rng(seed);
    (0..writes)
        .map(|_| r.below(u64::from(blocks)) as u32)
        .collect()
}

/// Runs `work` on the store in `flash` from `versions` until it ends or a write fails;
/// returns the block being written when it failed, with its new version.
fn run(flash: &SimNor, geo: Geometry, work: &[u32], versions: &mut [u32]) -> Option<(u32, u32)> {
    let mut log = mount(flash, geo, "workload");
    for &b in work {
        let v = versions[b as usize] + 1;
        if log.write(b, &contents(b, v)).is_err() {
            return Some((b, v));
        }
        versions[b as usize] = v;
    }
    None
}

/// Cuts the power at every program and erase step of a randomized workload, and at every
/// step of the mount (and recovery) after each cut; checks the blocks after each reboot and
/// that the store then carries on.
fn power_cuts_everywhere(geo: Geometry, writes: usize, seed: u64) {
    let work = workload(geo.blocks, writes, seed);
    let blocks = usize::from(geo.blocks);
    // The uncut run: how many steps the workload takes.
    let flash = flash_for(&geo);
    let mut versions = vec![0; blocks];
    assert!(run(&flash, geo, &work, &mut versions).is_none());
    let total = flash.steps();
    let min_steps = writes as u64 * 2 + 3 * u64::from(geo.sectors);
    assert!(
        total > min_steps,
        "little garbage collection: {total} steps"
    );
    for cut in 0..total {
        let flash = flash_for(&geo);
        let mut versions = vec![0; blocks];
        flash.power_up(Some(cut), seed ^ cut << 8);
        let failed = run(&flash, geo, &work, &mut versions);
        assert!(failed.is_some(), "cut {cut} did not stop the workload");
        let image = flash.image();
        flash.power_up(None, 0);
        let what = format!("cut at step {cut}");
        let mut log = mount(&flash, geo, &what);
        let mut found = check_blocks(&mut log, &versions, failed, &what);
        drop(log);
        // Cut the recovery (the mount after the cut) at each of its steps as well.
        for cut2 in 0..flash.steps() {
            let flash = SimNor::with(image.clone());
            flash.power_up(Some(cut2), seed ^ cut << 8 ^ cut2 << 40);
            let _ = BlockLog::mount(flash.clone(), geo);
            flash.power_up(None, 0);
            let what = format!("cut at step {cut}, then at step {cut2} of the recovery");
            let mut log = mount(&flash, geo, &what);
            check_blocks(&mut log, &versions, failed, &what);
        }
        // The store carries on: every block rewritten, then read back after a remount.
        let mut log = mount(&flash, geo, &what);
        for b in 0..geo.blocks {
            let b = u32::from(b);
            let v = found[b as usize] + 1;
            log.write(b, &contents(b, v)).expect("writes after a cut");
            found[b as usize] = v;
        }
        drop(log);
        let mut log = mount(&flash, geo, &what);
        check_blocks(&mut log, &found, None, &format!("rewritten after {what}"));
    }
}

#[test]
fn power_cuts_with_three_sectors() {
    // 7 slots per sector, 12 blocks: collection every few writes.
    power_cuts_everywhere(geometry(4096, 3, 12), 120, 1);
}

#[test]
fn power_cuts_with_two_sectors() {
    power_cuts_everywhere(geometry(4096, 2, 5), 80, 2);
}

#[test]
fn power_cuts_with_four_sectors_of_two_erase_units() {
    power_cuts_everywhere(geometry(8192, 4, 30), 70, 3);
}

/// The store as the block file system's device.
struct LogDev(BlockLog<SimNor>);

impl BlockDevice for LogDev {
    fn block_size(&mut self) -> FsResult<u32> {
        Ok(BLOCK_SIZE as u32)
    }

    fn block_count(&mut self) -> FsResult<u32> {
        Ok(self.0.blocks())
    }

    fn read(&mut self, block: u32, buf: &mut [u8]) -> FsResult<()> {
        self.0.read(block, buf)
    }

    fn write(&mut self, block: u32, data: &[u8]) -> FsResult<()> {
        self.0.write(block, data)
    }
}

/// Everything a file system holds: each path, with a file's contents (`None`: a directory).
type Tree = BTreeMap<String, Option<Vec<u8>>>;

/// Reads the whole file system on `dev`; `None` if it does not mount.
fn tree(dev: &mut LogDev) -> Option<Tree> {
    let fs = BlockFs::mount(dev).ok()?;
    let mut out = Tree::new();
    let mut dirs = vec![String::new()];
    while let Some(d) = dirs.pop() {
        for e in fs.listdir(&d).ok()? {
            if e.dir {
                dirs.push(e.path.clone());
                out.insert(e.path.clone(), None);
            } else {
                out.insert(e.path.clone(), Some(fs.read_file(dev, &e.path).ok()?));
            }
        }
    }
    Some(out)
}

/// A file operation of the workload.
enum Op {
    Write(&'static str, Vec<u8>),
    Mkdir(&'static str),
    Remove(&'static str),
    Rename(&'static str, &'static str),
}

/// `n` random file operations: files of up to `max_size` bytes written over and over, a
/// directory made, files removed and renamed (some of them fail, as a program's would).
fn file_ops(n: usize, max_size: u64, seed: u64) -> Vec<Op> {
    const NAMES: [&str; 6] = ["a", "b", "c.py", "d/x", "d/y", "main.py"];
    let mut r = Rng(seed);
    (0..n)
        .map(|_| {
            let name = NAMES[r.below(NAMES.len() as u64) as usize];
            match r.below(10) {
                0 => Op::Mkdir("d"),
                1 => Op::Remove(name),
                2 => Op::Rename(name, NAMES[r.below(NAMES.len() as u64) as usize]),
                _ => {
                    let len = r.below(max_size + 1) as usize;
                    Op::Write(name, (0..len).map(|_| r.next() as u8).collect())
                }
            }
        })
        .collect()
}

/// Runs `ops` on the file system in `flash` (a commit each), with the state after each
/// (`states[0]` before the first); stops at the first op during which the power failed and
/// returns its number.
fn run_ops(flash: &SimNor, geo: Geometry, ops: &[Op], states: &mut Vec<Tree>) -> Option<usize> {
    let mut dev = LogDev(mount(flash, geo, "file workload"));
    let mut fs = BlockFs::mount(&mut dev).expect("a file system");
    for (k, op) in ops.iter().enumerate() {
        // Errors of the operations themselves (a missing file, a full disk) are expected.
        let _ = match op {
            Op::Write(name, data) => fs.write_file(&mut dev, name, data, k as u32),
            Op::Mkdir(name) => fs.mkdir(&mut dev, name, 0),
            Op::Remove(name) => fs.remove(&mut dev, name, false),
            Op::Rename(from, to) => fs.rename(&mut dev, from, to),
        };
        if flash.0.borrow().dead {
            return Some(k);
        }
        states.push(tree(&mut dev).expect("mounts"));
    }
    None
}

/// Power cuts during file operations, at every step or (with `sample`) at that many random
/// steps: after each, the file system mounts and holds the state before or after the
/// operation that was cut.
fn file_system_power_cuts(geo: Geometry, ops: &[Op], sample: Option<usize>) {
    let formatted = flash_for(&geo);
    {
        let mut dev = LogDev(mount(&formatted, geo, "mkfs"));
        BlockFs::mkfs(&mut dev).expect("mkfs");
    }
    let image = formatted.image();
    // The uncut run: the state after every operation, and the steps it takes.
    let flash = SimNor::with(image.clone());
    let mut states = vec![tree(&mut LogDev(mount(&flash, geo, "before"))).unwrap()];
    flash.power_up(None, 0);
    assert_eq!(run_ops(&flash, geo, ops, &mut states), None);
    let total = flash.steps();
    let files = states.iter().map(|t| t.len()).max().unwrap_or(0);
    assert!(files >= 3, "the workload made only {files} entries");
    let mut r = Rng(total);
    let cuts: Vec<u64> = match sample {
        Some(n) => (0..n).map(|_| r.below(total)).collect(),
        None => (0..total).collect(),
    };
    for cut in cuts {
        let flash = SimNor::with(image.clone());
        flash.power_up(Some(cut), cut.wrapping_mul(0x9E37_79B9));
        let mut seen = vec![states[0].clone()];
        let Some(k) = run_ops(&flash, geo, ops, &mut seen) else {
            panic!("cut at step {cut} of {total} did not stop the workload");
        };
        flash.power_up(None, 0);
        let what = format!("cut at step {cut}, during operation {k}");
        let got = tree(&mut LogDev(mount(&flash, geo, &what)));
        let Some(got) = got else {
            panic!("{what}: the file system does not mount");
        };
        assert!(
            got == states[k] || got == states[k + 1],
            "{what}: the files are neither the old nor the new ones"
        );
        // The file system carries on: its files removed (the small one may be full), then
        // enough commits to go through every sector twice.
        let mut dev = LogDev(mount(&flash, geo, &what));
        let mut fs = BlockFs::mount(&mut dev).unwrap();
        let mut want = Tree::new();
        for (path, data) in got {
            match data {
                Some(_) => fs.remove(&mut dev, &path, false).unwrap(),
                None => drop(want.insert(path, None)),
            }
        }
        let commits = 2 * geo.slots() * u32::from(geo.sectors) / 4;
        for i in 0..commits {
            let data = vec![i as u8; 1000];
            fs.write_file(&mut dev, "after", &data, 0)
                .unwrap_or_else(|e| panic!("{what}: write {i} after it failed with {e}"));
        }
        want.insert(String::from("after"), Some(vec![(commits - 1) as u8; 1000]));
        let got = tree(&mut LogDev(mount(&flash, geo, &what)));
        assert!(
            got == Some(want),
            "{what}: the files written after it are wrong"
        );
    }
}

#[test]
fn the_file_system_survives_power_cuts() {
    // 15 slots per sector, 24 blocks (12 KiB).
    let geo = geometry(8192, 3, 24);
    file_system_power_cuts(geo, &file_ops(40, 2000, 4), None);
}

#[test]
fn the_pyboard_geometry() {
    // Sectors 9-11 of the STM32F405: 3 x 128 KiB, 248 slots each, 384 blocks (192 KiB).
    let geo = Geometry {
        start: 0,
        sector_size: 128 * 1024,
        sectors: 3,
        blocks: 384,
    };
    assert_eq!(geo.slots(), 248);
    assert_eq!(geo.max_blocks(), 495);
    // Some 7000 block writes: every sector is collected several times.
    let ops = file_ops(300, 24 * 1024, 5);
    file_system_power_cuts(geo, &ops, Some(40));
}

#[test]
fn fresh_or_foreign_flash_is_an_empty_store() {
    let geo = geometry(4096, 3, 12);
    let flash = flash_for(&geo);
    // Not the store: old firmware, say.
    flash
        .0
        .borrow_mut()
        .data
        .iter_mut()
        .enumerate()
        .for_each(|(i, b)| *b = i as u8);
    let mut log = mount(&flash, geo, "foreign");
    let mut buf = vec![0u8; BLOCK_SIZE];
    log.read(11, &mut buf).unwrap();
    assert_eq!(buf, contents(11, 0));
    log.write(3, &contents(3, 1)).unwrap();
    drop(log);
    let mut log = mount(&flash, geo, "remount");
    check_blocks(
        &mut log,
        &[0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
        None,
        "remount",
    );
    // Another geometry does not read this one's sectors.
    let other = Geometry { blocks: 11, ..geo };
    let mut log = mount(&flash, other, "another geometry");
    log.read(3, &mut buf).unwrap();
    assert_eq!(buf, contents(3, 0));
}

#[test]
fn bad_arguments() {
    let geo = geometry(4096, 3, 12);
    let flash = flash_for(&geo);
    for bad in [
        Geometry { blocks: 14, ..geo },
        Geometry { sectors: 1, ..geo },
        Geometry { start: 100, ..geo },
        Geometry {
            sector_size: 6000,
            ..geo
        },
        Geometry { sectors: 4, ..geo },
    ] {
        assert!(BlockLog::mount(flash.clone(), bad).is_err(), "{bad:?}");
    }
    let mut log = mount(&flash, geo, "good");
    assert_eq!(log.blocks(), 12);
    let mut buf = vec![0u8; BLOCK_SIZE];
    assert!(log.read(12, &mut buf).is_err());
    assert!(log.write(12, &buf).is_err());
    assert!(log.read(0, &mut buf[..100]).is_err());
    assert!(log.write(0, &buf[..100]).is_err());
}

#[test]
#[should_panic(expected = "would set bits")]
fn the_simulated_flash_refuses_to_set_bits() {
    let mut f = SimNor::new(ERASE);
    f.write(0, &[0x0F]).unwrap();
    let _ = f.write(0, &[0xF0]);
}
