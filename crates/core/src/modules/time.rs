//! `time`: ticks, sleeping and the wall clock, through the port.
//!
//! Ticks wrap at `TICKS_PERIOD` (2**30, the small-int range) as MicroPython's do, so
//! `ticks_diff` and `ticks_add` give the same answers on every target.
//!
//! The calendar (`gmtime`, `localtime`, `mktime`) counts seconds from 1970-01-01 UTC, the
//! unix port's epoch, on the proleptic Gregorian calendar; the local zone is the port's
//! `utc_offset_s`. Dates are 8-tuples `(year, month, mday, hour, minute, second, weekday,
//! yearday)` with weekday 0 for Monday and yearday from 1.

use crate::native::{Kw, PyResult};
use crate::value::Obj;
use crate::vm::Vm;

/// The period of every ticks counter.
const TICKS_PERIOD: i64 = 1 << 30;

fn ticks(v: u64) -> Obj {
    Obj::small_int_unchecked((v & (TICKS_PERIOD as u64 - 1)) as i32)
}

fn time_ticks_ms(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(ticks(vm.port.ticks_ms()))
}

fn time_ticks_us(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    Ok(ticks(vm.port.ticks_us()))
}

fn time_ticks_diff(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [a, b] = args else {
        raise!(vm, TYPE_ERROR, "ticks_diff() takes 2 arguments");
    };
    let (a, b) = (vm.index_value(*a)?, vm.index_value(*b)?);
    let half = TICKS_PERIOD / 2;
    let d = (a.wrapping_sub(b).wrapping_add(half)) & (TICKS_PERIOD - 1);
    vm.new_int(d - half)
}

fn time_ticks_add(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [a, b] = args else {
        raise!(vm, TYPE_ERROR, "ticks_add() takes 2 arguments");
    };
    let (a, b) = (vm.index_value(*a)?, vm.index_value(*b)?);
    // A larger step would break `ticks_diff(ticks_add(t, d), t) == d` (and its negation).
    if b <= -TICKS_PERIOD / 2 || b >= TICKS_PERIOD / 2 {
        raise!(vm, OVERFLOW_ERROR, "ticks interval overflow");
    }
    vm.new_int(a.wrapping_add(b) & (TICKS_PERIOD - 1))
}

/// Sleeps, waking for Ctrl-C.
fn sleep_us(vm: &mut Vm, us: f64) -> PyResult<Obj> {
    if us.is_nan() || us < 0.0 {
        raise!(vm, VALUE_ERROR, "sleep length must be non-negative");
    }
    let us = if us > 1.0e15 { 1.0e15 } else { us };
    // `machine.Timer` callbacks and pin handlers run while sleeping, as on a board.
    crate::modules::machine::sleep_us(vm, us as u64)?;
    Ok(Obj::NONE)
}

fn number(vm: &mut Vm, args: &[Obj]) -> PyResult<f64> {
    match args.first().and_then(|&a| crate::obj::float::to_f64(vm, a)) {
        Some(f) => Ok(f),
        None => raise!(vm, TYPE_ERROR, "expected a number"),
    }
}

fn time_sleep(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let s = number(vm, args)?;
    sleep_us(vm, s * 1.0e6)
}

fn time_sleep_ms(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let ms = number(vm, args)?;
    sleep_us(vm, ms * 1.0e3)
}

fn time_sleep_us(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let us = number(vm, args)?;
    sleep_us(vm, us)
}

fn time_time(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let ns = vm.port.time_ns();
    vm.new_float(ns as f64 / 1.0e9)
}

fn time_time_ns(vm: &mut Vm, _args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let ns = vm.port.time_ns();
    crate::obj::int::from_big(vm, pyrite_mpz::BigInt::from_u64(ns))
}

/// Seconds in a day.
const DAY: i64 = 86_400;

/// Days from 1970-01-01 to `year-month-day` (month 1..=12, day from 1, may overflow the
/// month). Eras of 400 years make the arithmetic exact for every year an `i32` holds.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `(year, month, day)` of the day `days` after 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The broken-down date of `secs` seconds after the epoch: year, month, mday, hour, minute,
/// second, weekday (0 = Monday), yearday (from 1).
pub fn date_of(secs: i64) -> [i64; 8] {
    let days = secs.div_euclid(DAY);
    let rem = secs.rem_euclid(DAY);
    let (year, month, mday) = civil_from_days(days);
    let yday = days - days_from_civil(year, 1, 1) + 1;
    // 1970-01-01 was a Thursday (3).
    let wday = (days + 3).rem_euclid(7);
    [
        year,
        month,
        mday,
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        wday,
        yday,
    ]
}

/// Seconds after the epoch of a date whose fields may be out of range (they carry over, as
/// C's `mktime`); `None` past the years an `i32` holds.
pub fn seconds_of(f: [i64; 6]) -> Option<i64> {
    let [year, month, mday, hour, minute, second] = f;
    let m0 = month.checked_sub(1)?;
    let year = year.checked_add(m0.div_euclid(12))?;
    if year.unsigned_abs() > i32::MAX as u64 {
        return None;
    }
    let days = days_from_civil(year, m0.rem_euclid(12) + 1, 1).checked_add(mday.checked_sub(1)?)?;
    let secs = i128::from(days) * i128::from(DAY)
        + i128::from(hour) * 3600
        + i128::from(minute) * 60
        + i128::from(second);
    let secs = i64::try_from(secs).ok()?;
    in_range(secs).then_some(secs)
}

/// Whether `secs` falls in a year an `i32` holds (the range of C's `struct tm`).
fn in_range(secs: i64) -> bool {
    // Years -2**31 .. 2**31-1, with a margin for the zone offset.
    const LIMIT: i64 = 67_767_976_233_316_800;
    secs.unsigned_abs() <= LIMIT as u64
}

/// The timestamp argument of `gmtime`/`localtime`: now when absent or `None`, else an int or
/// a float (truncated).
fn timestamp_arg(vm: &mut Vm, args: &[Obj]) -> PyResult<i64> {
    let secs = match args {
        [] => None,
        [a] if *a == Obj::NONE => None,
        [a] => Some(*a),
        _ => raise!(vm, TYPE_ERROR, "function takes at most 1 argument"),
    };
    let Some(a) = secs else {
        return Ok((vm.port.time_ns() / 1_000_000_000) as i64);
    };
    let secs = if let (Some(f), false) = (crate::obj::float::to_f64(vm, a), is_int(vm, a)) {
        if f.is_nan() || f.abs() >= 9.2e18 {
            raise!(vm, OVERFLOW_ERROR, "timestamp out of range");
        }
        f as i64
    } else {
        vm.index_value(a)?
    };
    if !in_range(secs) {
        raise!(vm, OVERFLOW_ERROR, "timestamp out of range");
    }
    Ok(secs)
}

fn is_int(vm: &Vm, o: Obj) -> bool {
    o.as_small_int().is_some() || matches!(vm.heap.get(o), Some(crate::object::HeapObj::BigInt(_)))
}

fn date_tuple(vm: &mut Vm, secs: i64) -> PyResult<Obj> {
    let fields = date_of(secs);
    let mut items = [Obj::NONE; 8];
    for (item, f) in items.iter_mut().zip(fields) {
        *item = vm.new_int(f)?;
    }
    vm.new_tuple(&items)
}

fn time_gmtime(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let secs = timestamp_arg(vm, args)?;
    date_tuple(vm, secs)
}

fn time_localtime(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let secs = timestamp_arg(vm, args)?;
    let offset = vm.port.utc_offset_s(secs);
    date_tuple(vm, secs.saturating_add(offset))
}

fn time_mktime(vm: &mut Vm, args: &[Obj], _kw: Kw) -> PyResult<Obj> {
    let [t] = args else {
        raise!(vm, TYPE_ERROR, "function takes 1 positional argument");
    };
    let Some(items) = vm.seq_items(*t) else {
        raise!(vm, TYPE_ERROR, "object not iterable");
    };
    if !(8..=9).contains(&items.len()) {
        raise!(vm, TYPE_ERROR, "mktime needs a tuple of length 8 or 9");
    }
    let mut f = [0i64; 6];
    for (x, &o) in f.iter_mut().zip(&items) {
        *x = vm.index_value(o)?;
    }
    let Some(local) = seconds_of(f) else {
        raise!(vm, OVERFLOW_ERROR, "invalid mktime usage");
    };
    // The offset at the local time, then again at the UTC time it gives (they differ only
    // across a change of the zone's rules).
    let guess = local.saturating_sub(vm.port.utc_offset_s(local));
    let utc = local.saturating_sub(vm.port.utc_offset_s(guess));
    vm.new_int(utc)
}

crate::native_table!(pub FUNCTIONS = [
    ("gmtime", time_gmtime),
    ("localtime", time_localtime),
    ("mktime", time_mktime),
    ("sleep", time_sleep),
    ("sleep_ms", time_sleep_ms),
    ("sleep_us", time_sleep_us),
    ("ticks_add", time_ticks_add),
    ("ticks_cpu", time_ticks_us),
    ("ticks_diff", time_ticks_diff),
    ("ticks_ms", time_ticks_ms),
    ("ticks_us", time_ticks_us),
    ("time", time_time),
    ("time_ns", time_time_ns),
]);

#[cfg(test)]
mod tests {
    use super::*;

    fn is_leap(year: i64) -> bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    #[test]
    fn calendar_round_trips() {
        assert_eq!(date_of(0), [1970, 1, 1, 0, 0, 0, 3, 1]);
        assert_eq!(date_of(-1), [1969, 12, 31, 23, 59, 59, 2, 365]);
        assert_eq!(date_of(951_782_400), [2000, 2, 29, 0, 0, 0, 1, 60]);
        assert_eq!(seconds_of([2000, 1, 1, 0, 0, 0]), Some(946_684_800));
        assert_eq!(seconds_of([0, 1, 1, 0, 0, 0]), Some(-62_167_219_200));
        assert_eq!(seconds_of([2020, 14, 35, 25, 61, 61]), Some(1_615_168_921));
        assert_eq!(seconds_of([i64::MAX, 1, 1, 0, 0, 0]), None);
        assert_eq!(seconds_of([2000, i64::MIN, 1, 0, 0, 0]), None);
        let mut s = -80_000_000_000i64;
        while s < 80_000_000_000 {
            let d = date_of(s);
            assert_eq!(seconds_of([d[0], d[1], d[2], d[3], d[4], d[5]]), Some(s));
            assert_eq!(
                d[7],
                days_from_civil(d[0], d[1], d[2]) - days_from_civil(d[0], 1, 1) + 1
            );
            assert!(d[7] <= 365 + i64::from(is_leap(d[0])));
            s += 7_777_777;
        }
    }
}
