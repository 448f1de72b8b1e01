//! A 128x64 OLED module driven by a Solomon SSD1306 over I2C.
//!
//! After the address each transaction carries control bytes: bit 7 (Co) set means one byte
//! follows and then another control byte, clear means every following byte is of one kind;
//! bit 6 (D/C#) tells data (display RAM) from commands. MicroPython's `ssd1306.py` sends each
//! command byte as `0x80, cmd` and the frame as `0x40, data...`. A command's parameter bytes
//! may come in later transactions: the decoder keeps its place, as the chip does.
//!
//! The display RAM is 8 pages of 128 columns, one byte a column of 8 pixels (bit 0 on top).
//! Writes go where the addressing mode (page, horizontal, vertical) and the column and page
//! ranges put them. [`Ssd1306::pixel`] gives what the glass shows: the RAM through segment
//! remap, COM scan direction, start line, display offset and multiplex ratio, inverted or
//! all on as commanded, and dark while the display is off or its charge pump is not enabled
//! (the module has no external VCC). The module is mounted so that the init sequence of
//! `ssd1306.py` (0xA1, 0xC8) shows the RAM upright. COM pin configuration (0xDA) is recorded
//! but taken as the module's alternative wiring whatever its value; scrolling is recorded but
//! not animated.

use crate::i2c::I2cDevice;

/// Columns.
pub const WIDTH: usize = 128;
/// Rows.
pub const HEIGHT: usize = 64;
/// Display RAM bytes.
const RAM: usize = WIDTH * HEIGHT / 8;

/// How the next written byte is to be taken.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stream {
    /// A control byte.
    Control,
    /// One byte (data if `true`), then a control byte.
    One(bool),
    /// Every byte to the stop (data if `true`).
    All(bool),
}

/// A 128x64 SSD1306 OLED.
pub struct Ssd1306 {
    address: u8,
    ram: [u8; RAM],
    stream: Stream,
    /// A command waiting for its parameters: the command, its parameters so far, how many
    /// it takes.
    pending: Option<(u8, [u8; 6], usize, usize)>,
    display_on: bool,
    charge_pump: bool,
    contrast: u8,
    inverted: bool,
    entire_on: bool,
    seg_remap: bool,
    com_remap: bool,
    start_line: u8,
    offset: u8,
    mux: u8,
    com_pins: u8,
    scrolling: bool,
    /// 0 horizontal, 1 vertical, 2 page addressing.
    mode: u8,
    col: u8,
    page: u8,
    col_start: u8,
    col_end: u8,
    page_start: u8,
    page_end: u8,
    revision: u32,
}

impl Ssd1306 {
    /// A display as after power-on: off, page addressing, RAM cleared (random on the chip).
    pub fn new(address: u8) -> Ssd1306 {
        Ssd1306 {
            address,
            ram: [0; RAM],
            stream: Stream::Control,
            pending: None,
            display_on: false,
            charge_pump: false,
            contrast: 0x7f,
            inverted: false,
            entire_on: false,
            seg_remap: false,
            com_remap: false,
            start_line: 0,
            offset: 0,
            mux: 63,
            com_pins: 0x12,
            scrolling: false,
            mode: 2,
            col: 0,
            page: 0,
            col_start: 0,
            col_end: 127,
            page_start: 0,
            page_end: 7,
            revision: 0,
        }
    }

    /// Whether the pixel at column `x`, row `y` (from the top left) is lit; `false` outside
    /// the glass.
    pub fn pixel(&self, x: usize, y: usize) -> bool {
        if x >= WIDTH || y >= HEIGHT || !self.display_on || !self.charge_pump {
            return false;
        }
        // The row of the COM scan the glass row shows.
        let scan = if self.com_remap { y } else { HEIGHT - 1 - y };
        if scan > usize::from(self.mux) {
            return false;
        }
        let row = (scan + usize::from(self.start_line) + usize::from(self.offset)) % HEIGHT;
        let col = if self.seg_remap { x } else { WIDTH - 1 - x };
        let lit = self.entire_on || self.ram_pixel(col, row);
        lit != self.inverted
    }

    /// The display RAM's bit for column `col`, row `row`.
    pub fn ram_pixel(&self, col: usize, row: usize) -> bool {
        self.ram
            .get(row / 8 * WIDTH + col)
            .is_some_and(|b| b & (1 << (row % 8)) != 0)
    }

    /// The display RAM: page after page, one byte a column, bit 0 on top.
    pub fn ram(&self) -> &[u8; RAM] {
        &self.ram
    }

    /// Whether the display is on (0xAF) with its charge pump enabled, so it can light.
    pub fn is_on(&self) -> bool {
        self.display_on && self.charge_pump
    }

    /// The contrast (0x81), 0..=255: how bright lit pixels are.
    pub fn contrast(&self) -> u8 {
        self.contrast
    }

    /// Whether horizontal or diagonal scrolling was activated (0x2F) and not stopped (0x2E).
    pub fn is_scrolling(&self) -> bool {
        self.scrolling
    }

    /// The COM pins configuration byte (0xDA).
    pub fn com_pins(&self) -> u8 {
        self.com_pins
    }

    /// A counter that changes whenever what the glass shows may have changed: a UI redraws
    /// when it differs from the one it drew.
    pub fn revision(&self) -> u32 {
        self.revision
    }

    /// A byte written to the display RAM at the current address, which then advances as
    /// the addressing mode says.
    fn data(&mut self, byte: u8) {
        let (col, page) = (usize::from(self.col), usize::from(self.page));
        if let Some(b) = self.ram.get_mut(page * WIDTH + col) {
            *b = byte;
        }
        match self.mode {
            0 => {
                if self.col >= self.col_end {
                    self.col = self.col_start;
                    self.page = if self.page >= self.page_end {
                        self.page_start
                    } else {
                        self.page + 1
                    };
                } else {
                    self.col += 1;
                }
            }
            1 => {
                if self.page >= self.page_end {
                    self.page = self.page_start;
                    self.col = if self.col >= self.col_end {
                        self.col_start
                    } else {
                        self.col + 1
                    };
                } else {
                    self.page += 1;
                }
            }
            _ => self.col = if self.col >= 127 { 0 } else { self.col + 1 },
        }
    }

    /// A command byte: a command, or a parameter of the pending one.
    fn command(&mut self, byte: u8) {
        if let Some((cmd, mut params, got, need)) = self.pending.take() {
            if let Some(p) = params.get_mut(got) {
                *p = byte;
            }
            if got + 1 < need {
                self.pending = Some((cmd, params, got + 1, need));
            } else {
                self.execute(cmd, &params[..need]);
            }
            return;
        }
        let need = match byte {
            0x20 | 0x81 | 0x8d | 0xa8 | 0xad | 0xd3 | 0xd5 | 0xd9 | 0xda | 0xdb => 1,
            0x21 | 0x22 | 0xa3 => 2,
            0x29 | 0x2a => 5,
            0x26 | 0x27 => 6,
            _ => 0,
        };
        if need == 0 {
            self.execute(byte, &[]);
        } else {
            self.pending = Some((byte, [0; 6], 0, need));
        }
    }

    /// Carries out command `cmd` with its parameters.
    fn execute(&mut self, cmd: u8, p: &[u8]) {
        let p0 = p.first().copied().unwrap_or(0);
        let p1 = p.get(1).copied().unwrap_or(0);
        match cmd {
            0x00..=0x0f => self.col = (self.col & 0xf0) | cmd,
            0x10..=0x17 => self.col = (self.col & 0x0f) | ((cmd & 0x07) << 4),
            0x20 => self.mode = p0 & 3,
            0x21 => {
                self.col_start = p0 & 0x7f;
                self.col_end = p1 & 0x7f;
                self.col = self.col_start;
            }
            0x22 => {
                self.page_start = p0 & 7;
                self.page_end = p1 & 7;
                self.page = self.page_start;
            }
            0x26 | 0x27 | 0x29 | 0x2a | 0xa3 | 0xd5 | 0xd9 | 0xdb | 0xad => {}
            0x2e => self.scrolling = false,
            0x2f => self.scrolling = true,
            0x40..=0x7f => self.start_line = cmd & 0x3f,
            0x81 => self.contrast = p0,
            0x8d => self.charge_pump = p0 & 0x04 != 0,
            0xa0 | 0xa1 => self.seg_remap = cmd & 1 != 0,
            0xa4 | 0xa5 => self.entire_on = cmd & 1 != 0,
            0xa6 | 0xa7 => self.inverted = cmd & 1 != 0,
            // Ratios below 16 are invalid and ignored by the chip.
            0xa8 if p0 & 0x3f >= 15 => self.mux = p0 & 0x3f,
            0xae | 0xaf => self.display_on = cmd & 1 != 0,
            0xb0..=0xb7 => self.page = cmd & 7,
            0xc0 | 0xc8 => self.com_remap = cmd & 8 != 0,
            0xd3 => self.offset = p0 & 0x3f,
            0xda => self.com_pins = p0,
            // 0xE3 is NOP; others are not commands of this chip.
            _ => {}
        }
    }
}

impl I2cDevice for Ssd1306 {
    fn address(&self) -> u8 {
        self.address
    }

    fn start(&mut self, _read: bool) -> bool {
        self.stream = Stream::Control;
        true
    }

    fn write(&mut self, byte: u8) -> bool {
        match self.stream {
            Stream::Control => {
                let data = byte & 0x40 != 0;
                self.stream = if byte & 0x80 != 0 {
                    Stream::One(data)
                } else {
                    Stream::All(data)
                };
            }
            Stream::One(data) => {
                self.stream = Stream::Control;
                self.take(data, byte);
            }
            Stream::All(data) => self.take(data, byte),
        }
        true
    }

    /// The status byte: bit 6 is set while the display is off.
    fn read(&mut self) -> u8 {
        if self.display_on {
            0x00
        } else {
            0x40
        }
    }

    fn stop(&mut self) {}

    super::any_methods!();
}

impl Ssd1306 {
    fn take(&mut self, data: bool, byte: u8) {
        if data {
            self.data(byte);
        } else {
            self.command(byte);
        }
        self.revision = self.revision.wrapping_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i2c::I2cBus;
    use alloc::boxed::Box;
    use alloc::vec;
    use alloc::vec::Vec;
    use pyrite_core::hardware::I2cOp;

    /// What `ssd1306.py`'s `write_cmd` sends.
    fn cmd(bus: &mut I2cBus, c: u8) {
        bus.transaction(0x3c, &mut [I2cOp::Write(&[0x80, c])])
            .unwrap();
    }

    /// What `ssd1306.py`'s `write_data` sends (`writevto` of `[b"\x40", buf]`).
    fn data(bus: &mut I2cBus, d: &[u8]) {
        bus.transaction(0x3c, &mut [I2cOp::Write(&[0x40]), I2cOp::Write(d)])
            .unwrap();
    }

    /// `SSD1306_I2C(128, 64, i2c)`: its init sequence, then `show()`.
    fn driver_init(bus: &mut I2cBus) {
        for c in [
            0xae, 0x20, 0x00, 0x40, 0xa1, 0xa8, 63, 0xc8, 0xd3, 0x00, 0xda, 0x12, 0xd5, 0x80, 0xd9,
            0xf1, 0xdb, 0x30, 0x81, 0xff, 0xa4, 0xa6, 0xad, 0x30, 0x8d, 0x14, 0xaf,
        ] {
            cmd(bus, c);
        }
        show(bus, &[0; RAM]);
    }

    fn show(bus: &mut I2cBus, buf: &[u8]) {
        for c in [0x21, 0, 127, 0x22, 0, 7] {
            cmd(bus, c);
        }
        data(bus, buf);
    }

    fn oled(bus: &I2cBus) -> &Ssd1306 {
        bus.device::<Ssd1306>().unwrap()
    }

    fn bus() -> I2cBus {
        let mut bus = I2cBus::new();
        bus.add(Box::new(Ssd1306::new(0x3c)));
        bus
    }

    #[test]
    fn driver_frame_shows_upright() {
        let mut bus = bus();
        assert!(!oled(&bus).is_on());
        driver_init(&mut bus);
        assert!(oled(&bus).is_on());
        assert_eq!(oled(&bus).contrast(), 0xff);
        // A MONO_VLSB frame with pixels (0, 0), (127, 0), (5, 9) and (127, 63).
        let mut frame = vec![0u8; RAM];
        frame[0] = 1;
        frame[127] = 1;
        frame[128 + 5] = 1 << 1;
        frame[7 * 128 + 127] = 0x80;
        show(&mut bus, &frame);
        let lit: Vec<(usize, usize)> = (0..HEIGHT)
            .flat_map(|y| (0..WIDTH).map(move |x| (x, y)))
            .filter(|&(x, y)| oled(&bus).pixel(x, y))
            .collect();
        assert_eq!(lit, [(0, 0), (127, 0), (5, 9), (127, 63)]);
    }

    #[test]
    fn rotate_invert_and_power() {
        let mut bus = bus();
        driver_init(&mut bus);
        let mut frame = vec![0u8; RAM];
        frame[0] = 1;
        show(&mut bus, &frame);
        // rotate(0): 0xC0, 0xA0 turn the picture by 180 degrees.
        cmd(&mut bus, 0xc0);
        cmd(&mut bus, 0xa0);
        assert!(oled(&bus).pixel(127, 63));
        assert!(!oled(&bus).pixel(0, 0));
        cmd(&mut bus, 0xa7);
        assert!(!oled(&bus).pixel(127, 63));
        assert!(oled(&bus).pixel(0, 0));
        cmd(&mut bus, 0xae);
        assert!(!oled(&bus).pixel(0, 0));
    }

    #[test]
    fn page_addressing_and_control_bytes() {
        let mut bus = bus();
        // Co=0 with D/C#=0: a stream of commands in one transaction; page mode is the reset
        // default, page 2, column 0x15.
        bus.transaction(
            0x3c,
            &mut [I2cOp::Write(&[
                0x00, 0x8d, 0x14, 0xa1, 0xc8, 0xaf, 0xb2, 0x05, 0x11,
            ])],
        )
        .unwrap();
        // Co=1 pairs: one data byte, then a command, then a data byte.
        bus.transaction(
            0x3c,
            &mut [I2cOp::Write(&[0xc0, 0xff, 0x80, 0xb3, 0xc0, 0x0f])],
        )
        .unwrap();
        let o = oled(&bus);
        assert_eq!(o.ram()[2 * 128 + 0x15], 0xff);
        assert_eq!(o.ram()[3 * 128 + 0x16], 0x0f);
        assert!(o.pixel(0x15, 16) && o.pixel(0x15, 23));
        assert!(o.pixel(0x16, 24) && !o.pixel(0x16, 28));
    }

    #[test]
    fn horizontal_mode_wraps_in_its_window() {
        let mut bus = bus();
        for c in [0x20, 0x00, 0x21, 10, 11, 0x22, 1, 2] {
            cmd(&mut bus, c);
        }
        data(&mut bus, &[1, 2, 3, 4, 5]);
        let ram = oled(&bus).ram();
        assert_eq!(
            [ram[128 + 10], ram[128 + 11], ram[256 + 10], ram[256 + 11]],
            [5, 2, 3, 4]
        );
    }

    #[test]
    fn status_read() {
        let mut bus = bus();
        let mut b = [0];
        bus.transaction(0x3c, &mut [I2cOp::Read(&mut b)]).unwrap();
        assert_eq!(b, [0x40]);
    }
}
