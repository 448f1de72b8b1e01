//! The simulated pyboard's flash storage: erased at first, written blocks remembered for a
//! port to persist, a saved image loaded back.

use pyrite_core::hardware::{Hardware, EINVAL};
use pyrite_sim::{SimBoard, FLASH_BLOCKS, FLASH_BYTES};

fn block(fill: u8) -> Vec<u8> {
    vec![fill; 512]
}

#[test]
fn starts_erased_and_costs_nothing_until_written() {
    let mut b = SimBoard::new();
    assert_eq!(b.flash_blocks(), 2048);
    assert_eq!(FLASH_BYTES, 1 << 20);
    let mut buf = block(0);
    b.flash_read(FLASH_BLOCKS - 1, &mut buf).unwrap();
    assert_eq!(buf, block(0xff));
    assert!(
        b.flash_image().is_empty(),
        "no image before the first write"
    );
    assert_eq!(b.flash_block(7), Some(&block(0xff)[..]));
    assert_eq!(b.flash_block(FLASH_BLOCKS), None);
    assert!(b.take_dirty_blocks().is_empty());
}

#[test]
fn writes_are_read_back_and_tracked_as_dirty() {
    let mut b = SimBoard::new();
    for n in [9, 3, 2047, 3, 64, 63] {
        b.flash_write(n, &block(n as u8)).unwrap();
    }
    let mut buf = block(0);
    b.flash_read(9, &mut buf).unwrap();
    assert_eq!(buf, block(9));
    assert_eq!(b.flash_block(2047), Some(&block(2047u32 as u8)[..]));
    assert_eq!(b.flash_image().len(), FLASH_BYTES);
    assert_eq!(&b.flash_image()[64 * 512..65 * 512], &block(64)[..]);
    assert_eq!(b.flash_image()[10 * 512], 0xff);
    assert_eq!(b.take_dirty_blocks(), [3, 9, 63, 64, 2047]);
    assert!(b.take_dirty_blocks().is_empty());
    b.flash_write(5, &block(1)).unwrap();
    assert_eq!(b.take_dirty_blocks(), [5]);
}

#[test]
fn bad_blocks_and_lengths_are_refused() {
    let mut b = SimBoard::new();
    assert_eq!(b.flash_write(FLASH_BLOCKS, &block(0)), Err(EINVAL));
    assert_eq!(b.flash_write(0, &[0; 100]), Err(EINVAL));
    assert_eq!(b.flash_read(FLASH_BLOCKS, &mut block(0)), Err(EINVAL));
    assert_eq!(b.flash_read(0, &mut [0; 513]), Err(EINVAL));
    assert!(b.take_dirty_blocks().is_empty());
    assert!(b.flash_image().is_empty());
}

#[test]
fn a_saved_image_loads_back() {
    let mut b = SimBoard::new();
    b.flash_write(1, &block(0x11)).unwrap();
    let image = b.flash_image().to_vec();

    let mut c = SimBoard::new();
    c.flash_write(2, &block(0x22)).unwrap();
    c.load_flash(&image);
    assert!(c.take_dirty_blocks().is_empty(), "a loaded image is clean");
    assert_eq!(c.flash_image(), &image[..]);
    assert_eq!(c.flash_block(2), Some(&block(0xff)[..]));

    // A short image fills the start, the rest is erased; a long one is cut.
    c.load_flash(&[1, 2, 3]);
    assert_eq!(&c.flash_image()[..4], &[1, 2, 3, 0xff]);
    assert_eq!(c.flash_image().len(), FLASH_BYTES);
    let mut long = vec![7u8; FLASH_BYTES + 1000];
    long[FLASH_BYTES - 1] = 8;
    c.load_flash(&long);
    assert_eq!(c.flash_image().len(), FLASH_BYTES);
    assert_eq!(c.flash_image()[FLASH_BYTES - 1], 8);

    // An empty image is an erased flash.
    c.load_flash(&[]);
    assert!(c.flash_image().is_empty());
    assert_eq!(c.flash_block(0), Some(&block(0xff)[..]));
}

#[test]
fn the_flash_keeps_its_contents_through_resets() {
    let mut b = SimBoard::new();
    b.flash_write(4, &block(4)).unwrap();
    b.reset(pyrite_core::hardware::ResetKind::Hard);
    b.reset(pyrite_core::hardware::ResetKind::Soft);
    assert_eq!(b.flash_block(4), Some(&block(4)[..]));
    assert_eq!(b.take_dirty_blocks(), [4]);
}
