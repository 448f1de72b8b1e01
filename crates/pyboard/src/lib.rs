#![no_std]
#![forbid(unsafe_code)]
//! The pyboard v1.1's wiring, as data: its pins' names, the STM32F405's timers and the timer
//! outputs of the pins, and how MicroPython's `machine.PWM` picks a pin's timer and time base.
//!
//! The firmware (`crates/stm32`) and the simulated pyboard (`crates/sim`) both read it, so the
//! board Python sees is wired the same on both. Nothing here touches hardware: it is tables and
//! the lookups over them, with no dependencies, small enough for the firmware's flash.
//!
//! - `pins`: pin numbers, CPU names (`A0`), board names (`X1`, `LED_RED`, from MicroPython's
//!   `PYBV11/pins.csv`), the LEDs, the switch and the ADC channels.
//! - `timers`: timers 1 to 14 (bus, width, channels), every `TIMx_CHy`/`TIMx_CHyN` output of
//!   the pins ([`ROUTES`], from the chip's alternate-function table), the route
//!   `machine.PWM` takes ([`pwm_route`]), the prescaler and period it sets
//!   ([`pwm_time_base`]) and the frequency a time base makes ([`pwm_freq`]).

pub mod pins;
pub mod timers;

pub use pins::{
    adc_channel, board_names, cpu_name, pin_by_name, pin_name, Pin, HEADER, LEDS, PIN_COUNT, SW,
};
pub use timers::{
    channel_count, counts_both_ways, is_32bit, on_apb2, pwm_freq, pwm_route, pwm_time_base, route,
    FreqError, NoRoute, Route, ROUTES, TIMER_COUNT,
};
