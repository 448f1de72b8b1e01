//! Pins as the board sees them, over `embedded_hal::digital`.
//!
//! `embedded-hal` types a pin by its mode: an output pin cannot become an input at run time,
//! and pulls are chosen when the HAL builds the pin. So each wrapper here accepts the modes
//! its pin has and answers `EINVAL` to others, and the pull asked by `Pin.init` is left as the
//! firmware set it. A firmware whose HAL can reconfigure a pin (a "flex" pin) implements
//! [`BoardPin`] for it directly and gets every mode.

use pyrite_core::hardware::{HwResult, PinMode, Pull, EINVAL};

use embedded_hal::digital::{InputPin, OutputPin, PinState, StatefulOutputPin};

/// A pin of the board.
pub trait BoardPin {
    /// Sets the pin's mode and pull; `EINVAL` for a mode it cannot take.
    fn init(&mut self, mode: PinMode, pull: Pull) -> HwResult<()>;

    /// Sets the output level (kept, and driven once the pin is an output).
    fn write(&mut self, high: bool);

    /// The pin's level; for an output, the level it drives.
    fn read(&mut self) -> bool;
}

/// A push-pull output pin: mode `Pin.OUT` only. Reads give the level set.
pub struct Output<P>(pub P);

impl<P: StatefulOutputPin> BoardPin for Output<P> {
    fn init(&mut self, mode: PinMode, _pull: Pull) -> HwResult<()> {
        match mode {
            PinMode::Output => Ok(()),
            _ => Err(EINVAL),
        }
    }

    fn write(&mut self, high: bool) {
        // `Pin.value(x)` has no way to fail; a HAL's error (none in practice) is dropped.
        let _ = self.0.set_state(PinState::from(high));
    }

    fn read(&mut self) -> bool {
        self.0.is_set_high().unwrap_or(false)
    }
}

/// An input pin: mode `Pin.IN` only.
pub struct Input<P>(pub P);

impl<P: InputPin> BoardPin for Input<P> {
    fn init(&mut self, mode: PinMode, _pull: Pull) -> HwResult<()> {
        match mode {
            PinMode::Input => Ok(()),
            _ => Err(EINVAL),
        }
    }

    fn write(&mut self, _high: bool) {}

    fn read(&mut self) -> bool {
        self.0.is_high().unwrap_or(false)
    }
}

/// An open-drain pin that reads its line (a HAL's open-drain output with input enabled):
/// `Pin.OPEN_DRAIN`, `Pin.IN` (the line released, so it reads what others drive) and
/// `Pin.OUT` (taken as open drain: high releases the line, which its pull-up lifts).
pub struct OpenDrain<P> {
    pin: P,
    /// The output register.
    high: bool,
    /// Whether the pin drives (else it is released, as an input).
    driving: bool,
}

impl<P: InputPin + OutputPin> OpenDrain<P> {
    /// Wraps `pin`, released; the firmware has set its pull.
    pub fn new(pin: P) -> OpenDrain<P> {
        OpenDrain {
            pin,
            high: true,
            driving: false,
        }
    }

    fn apply(&mut self) {
        let level = !self.driving || self.high;
        let _ = self.pin.set_state(PinState::from(level));
    }
}

impl<P: InputPin + OutputPin> BoardPin for OpenDrain<P> {
    fn init(&mut self, mode: PinMode, _pull: Pull) -> HwResult<()> {
        self.driving = match mode {
            PinMode::Input => false,
            PinMode::OpenDrain | PinMode::Output => true,
            _ => return Err(EINVAL),
        };
        self.apply();
        Ok(())
    }

    fn write(&mut self, high: bool) {
        self.high = high;
        if self.driving {
            self.apply();
        }
    }

    fn read(&mut self) -> bool {
        self.pin.is_high().unwrap_or(false)
    }
}
