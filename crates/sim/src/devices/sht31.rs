//! A Sensirion SHT31 temperature and humidity sensor, with the datasheet's command set.
//!
//! Commands are 16 bits, sent most significant byte first. A measurement (single-shot, or
//! fetched with 0xE000 in periodic mode) is read as six bytes: temperature MSB, LSB, CRC,
//! humidity MSB, LSB, CRC, where T = -45 + 175 * raw / 65535 °C and RH = 100 * raw / 65535 %,
//! and the CRC is CRC-8 with polynomial 0x31, initial value 0xFF. The status register (0xF32D)
//! reads as two bytes and a CRC. With nothing to read the sensor does not acknowledge its read
//! header (`ENODEV`), as the chip does; an unknown command is not acknowledged (`EIO`) and sets
//! the status register's command-status bit. Measurements take no time here: the result is
//! there as soon as the command is.

use crate::i2c::I2cDevice;

/// Status register: at least one alert is pending (set at reset).
const ALERT_PENDING: u16 = 1 << 15;
/// Status register: the heater is on.
const HEATER_ON: u16 = 1 << 13;
/// Status register: humidity tracking alert.
const RH_ALERT: u16 = 1 << 11;
/// Status register: temperature tracking alert.
const T_ALERT: u16 = 1 << 10;
/// Status register: a reset happened since the status was last cleared.
const RESET_DETECTED: u16 = 1 << 4;
/// Status register: the last command was not processed.
const COMMAND_FAILED: u16 = 1 << 1;

/// CRC-8 as the SHT3x computes it: polynomial 0x31, initial value 0xFF, no reflection, no
/// final XOR.
pub fn crc8(data: &[u8]) -> u8 {
    let mut crc = 0xffu8;
    for &b in data {
        crc ^= b;
        for _ in 0..8 {
            crc = if crc & 0x80 != 0 {
                (crc << 1) ^ 0x31
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// An SHT31 sensor.
pub struct Sht31 {
    address: u8,
    celsius: f32,
    rh: f32,
    status: u16,
    /// Periodic data acquisition mode (after 0x2xxx periodic commands or ART).
    periodic: bool,
    /// The first byte of a command being received.
    command_high: Option<u8>,
    /// Bytes written since the start (a command is two).
    received: usize,
    /// What a read returns, and how much of it was read.
    output: [u8; 6],
    output_len: usize,
    output_pos: usize,
}

impl Sht31 {
    /// A sensor at `address` (0x44, or 0x45 with its ADDR pin high) measuring 20 °C and 50 %RH.
    pub fn new(address: u8) -> Sht31 {
        Sht31 {
            address,
            celsius: 20.0,
            rh: 50.0,
            status: ALERT_PENDING | RESET_DETECTED,
            periodic: false,
            command_high: None,
            received: 0,
            output: [0; 6],
            output_len: 0,
            output_pos: 0,
        }
    }

    /// Sets what the sensor measures: the temperature in °C and the relative humidity in %.
    /// Readings clamp to the sensor's range, -45..=130 °C and 0..=100 %.
    pub fn set_climate(&mut self, celsius: f32, rh: f32) {
        self.celsius = celsius;
        self.rh = rh;
    }

    /// What the sensor measures: (°C, %RH).
    pub fn climate(&self) -> (f32, f32) {
        (self.celsius, self.rh)
    }

    /// The status register.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The raw temperature reading: (T + 45) / 175 * 65535, rounded.
    pub fn raw_temperature(&self) -> u16 {
        to_raw((self.celsius + 45.0) / 175.0)
    }

    /// The raw humidity reading: RH / 100 * 65535, rounded.
    pub fn raw_humidity(&self) -> u16 {
        to_raw(self.rh / 100.0)
    }

    /// Puts a measurement in the output.
    fn measure(&mut self) {
        let t = self.raw_temperature().to_be_bytes();
        let h = self.raw_humidity().to_be_bytes();
        self.output = [t[0], t[1], crc8(&t), h[0], h[1], crc8(&h)];
        self.output_len = 6;
        self.output_pos = 0;
    }

    /// Carries out `command`; `false` if the sensor does not take it.
    fn execute(&mut self, command: u16) -> bool {
        let taken = match command {
            // Single shot, with and without clock stretching, three repeatabilities.
            0x2c06 | 0x2c0d | 0x2c10 | 0x2400 | 0x240b | 0x2416 if !self.periodic => {
                self.measure();
                true
            }
            // Periodic acquisition at 0.5, 1, 2, 4 and 10 measurements per second, and ART.
            0x2032 | 0x2024 | 0x202f | 0x2130 | 0x2126 | 0x212d | 0x2236 | 0x2220 | 0x222b
            | 0x2334 | 0x2322 | 0x2329 | 0x2737 | 0x2721 | 0x272a | 0x2b32 => {
                self.periodic = true;
                self.output_len = 0;
                true
            }
            // Fetch data: the newest periodic measurement (none in single-shot mode).
            0xe000 => {
                if self.periodic {
                    self.measure();
                } else {
                    self.output_len = 0;
                }
                true
            }
            // Break: stop periodic acquisition.
            0x3093 => {
                self.periodic = false;
                self.output_len = 0;
                true
            }
            // Soft reset.
            0x30a2 => {
                let (address, celsius, rh) = (self.address, self.celsius, self.rh);
                *self = Sht31::new(address);
                self.set_climate(celsius, rh);
                true
            }
            // Heater on, off.
            0x306d => {
                self.status |= HEATER_ON;
                true
            }
            0x3066 => {
                self.status &= !HEATER_ON;
                true
            }
            // Read the status register.
            0xf32d => {
                let s = self.status.to_be_bytes();
                self.output[..3].copy_from_slice(&[s[0], s[1], crc8(&s)]);
                self.output_len = 3;
                self.output_pos = 0;
                true
            }
            // Clear the status register's alert and reset flags.
            0x3041 => {
                self.status &= !(ALERT_PENDING | RH_ALERT | T_ALERT | RESET_DETECTED);
                true
            }
            _ => false,
        };
        if taken {
            self.status &= !COMMAND_FAILED;
        } else {
            self.status |= COMMAND_FAILED;
        }
        taken
    }
}

/// `fraction` of full scale as a 16-bit reading, clamped and rounded.
fn to_raw(fraction: f32) -> u16 {
    let x = fraction * 65535.0 + 0.5;
    if x.is_nan() || x <= 0.0 {
        0
    } else if x >= 65535.0 {
        65535
    } else {
        x as u16
    }
}

impl I2cDevice for Sht31 {
    fn address(&self) -> u8 {
        self.address
    }

    fn start(&mut self, read: bool) -> bool {
        if read {
            self.output_pos < self.output_len
        } else {
            self.command_high = None;
            self.received = 0;
            true
        }
    }

    fn write(&mut self, byte: u8) -> bool {
        self.received += 1;
        match (self.received, self.command_high) {
            (1, _) => {
                self.command_high = Some(byte);
                true
            }
            (2, Some(high)) => self.execute(u16::from_be_bytes([high, byte])),
            // Alert-limit writes (data and CRC after the command) are not simulated.
            _ => false,
        }
    }

    fn read(&mut self) -> u8 {
        match self.output.get(self.output_pos) {
            Some(&b) if self.output_pos < self.output_len => {
                self.output_pos += 1;
                b
            }
            _ => 0xff,
        }
    }

    fn stop(&mut self) {
        // What was read is gone: the next read needs a new command.
        if self.output_pos > 0 {
            self.output_len = 0;
            self.output_pos = 0;
        }
    }

    super::any_methods!();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i2c::I2cBus;
    use alloc::boxed::Box;
    use pyrite_core::hardware::{I2cOp, EIO, ENODEV};

    fn bus() -> I2cBus {
        let mut bus = I2cBus::new();
        bus.add(Box::new(Sht31::new(0x44)));
        bus
    }

    fn command(bus: &mut I2cBus, cmd: u16) -> Result<(), i32> {
        bus.transaction(0x44, &mut [I2cOp::Write(&cmd.to_be_bytes())])
    }

    fn read<const N: usize>(bus: &mut I2cBus) -> Result<[u8; N], i32> {
        let mut buf = [0; N];
        bus.transaction(0x44, &mut [I2cOp::Read(&mut buf)])?;
        Ok(buf)
    }

    fn celsius(raw: u16) -> f32 {
        -45.0 + 175.0 * f32::from(raw) / 65535.0
    }

    #[test]
    fn crc_matches_the_datasheet() {
        assert_eq!(crc8(&[0xbe, 0xef]), 0x92);
    }

    #[test]
    fn single_shot_measurement() {
        let mut bus = bus();
        bus.device_mut::<Sht31>().unwrap().set_climate(23.5, 41.25);
        // Nothing measured yet: the read header is not acknowledged.
        assert_eq!(read::<6>(&mut bus), Err(ENODEV));
        command(&mut bus, 0x2400).unwrap();
        let r = read::<6>(&mut bus).unwrap();
        assert_eq!(crc8(&r[0..2]), r[2]);
        assert_eq!(crc8(&r[3..5]), r[5]);
        let t = u16::from_be_bytes([r[0], r[1]]);
        let h = u16::from_be_bytes([r[3], r[4]]);
        assert!((celsius(t) - 23.5).abs() < 0.01, "{}", celsius(t));
        assert!((100.0 * f32::from(h) / 65535.0 - 41.25).abs() < 0.01);
        // Read once only.
        assert_eq!(read::<6>(&mut bus), Err(ENODEV));
    }

    #[test]
    fn raw_values_are_the_datasheet_conversion() {
        let mut s = Sht31::new(0x44);
        s.set_climate(-45.0, 0.0);
        assert_eq!((s.raw_temperature(), s.raw_humidity()), (0, 0));
        s.set_climate(130.0, 100.0);
        assert_eq!((s.raw_temperature(), s.raw_humidity()), (65535, 65535));
        s.set_climate(200.0, -5.0);
        assert_eq!((s.raw_temperature(), s.raw_humidity()), (65535, 0));
        // 25 °C: (70 / 175) * 65535 = 26214.
        s.set_climate(25.0, 50.0);
        assert_eq!((s.raw_temperature(), s.raw_humidity()), (26214, 32768));
    }

    #[test]
    fn periodic_mode_and_break() {
        let mut bus = bus();
        command(&mut bus, 0x2130).unwrap();
        // A single shot is refused while periodic acquisition runs.
        assert_eq!(command(&mut bus, 0x2400), Err(EIO));
        command(&mut bus, 0xe000).unwrap();
        assert!(read::<6>(&mut bus).is_ok());
        command(&mut bus, 0x3093).unwrap();
        command(&mut bus, 0xe000).unwrap();
        assert_eq!(read::<6>(&mut bus), Err(ENODEV));
    }

    #[test]
    fn status_heater_clear_and_reset() {
        let mut bus = bus();
        command(&mut bus, 0xf32d).unwrap();
        let s = read::<3>(&mut bus).unwrap();
        assert_eq!(s, [0x80, 0x10, crc8(&[0x80, 0x10])]);
        command(&mut bus, 0x3041).unwrap();
        command(&mut bus, 0x306d).unwrap();
        command(&mut bus, 0xf32d).unwrap();
        assert_eq!(read::<3>(&mut bus).unwrap()[..2], [0x20, 0x00]);
        // An unknown command: not acknowledged, and the status says so.
        assert_eq!(command(&mut bus, 0x1234), Err(EIO));
        assert_eq!(bus.device::<Sht31>().unwrap().status(), 0x2002);
        command(&mut bus, 0x30a2).unwrap();
        assert_eq!(bus.device::<Sht31>().unwrap().status(), 0x8010);
    }

    #[test]
    fn write_and_read_in_one_transaction() {
        let mut bus = bus();
        let mut buf = [0; 6];
        bus.transaction(
            0x44,
            &mut [I2cOp::Write(&[0x24, 0x00]), I2cOp::Read(&mut buf)],
        )
        .unwrap();
        assert_eq!(buf[2], crc8(&buf[..2]));
    }
}
