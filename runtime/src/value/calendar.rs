//! The one calendar of the crate: days since 1970-01-01 to and from a proleptic Gregorian date,
//! and a [`DateTime`](super::DateTime) to and from an instant. Used by the conversions to
//! `SystemTime`, chrono, time and jiff, and by the WS-Security timestamp.
//!
//! XML Schema 1.0 has no year zero (`-0001` is 1 BCE), while chrono, time and jiff count
//! astronomically (year 0 is 1 BCE): [`astronomical`] and [`xsd_year`] translate.

use super::ValueError;
use super::datetime::{DateTime, MAX_FRACTION_DIGITS, TimeZoneOffset};

pub(super) const SECONDS_PER_DAY: i64 = 86_400;

/// The astronomical year of an XML Schema 1.0 year (`-1` -> `0`, `1` -> `1`).
pub(super) fn astronomical(year: i32) -> i64 {
    if year < 0 { i64::from(year) + 1 } else { i64::from(year) }
}

/// The XML Schema 1.0 year of an astronomical year (`0` -> `-1`), if it fits.
pub(super) fn xsd_year(astronomical: i64) -> Option<i32> {
    let year = if astronomical <= 0 { astronomical - 1 } else { astronomical };
    i32::try_from(year).ok()
}

/// Days from 1970-01-01 to an astronomical-year date (Howard Hinnant's `days_from_civil`).
pub(super) fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let (month, day) = (i64::from(month), i64::from(day));
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The astronomical-year date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
pub(super) fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The fewest fractional digits that write `nanos` exactly (0 for a whole second).
pub(super) fn fraction_digits_of(nanos: u32) -> u8 {
    if nanos == 0 {
        return 0;
    }
    let (mut digits, mut rest) = (MAX_FRACTION_DIGITS, nanos);
    while rest % 10 == 0 {
        rest /= 10;
        digits -= 1;
    }
    digits
}

/// Seconds since 1970-01-01T00:00:00 of the value's date and time of day, its zone ignored
/// (`24:00:00` is the next day's midnight).
pub(super) fn local_seconds(value: &DateTime) -> i64 {
    let days = days_from_civil(astronomical(value.year()), value.month(), value.day());
    days * SECONDS_PER_DAY
        + i64::from(value.hour()) * 3_600
        + i64::from(value.minute()) * 60
        + i64::from(value.second())
}

/// The instant a value names, as seconds since the Unix epoch and nanoseconds; an error for a
/// value without a time zone, whose instant depends on a zone the text does not give.
pub(super) fn instant(value: &DateTime) -> Result<(i64, u32), ValueError> {
    let offset = value.offset().ok_or_else(|| {
        ValueError::new(
            "xs:dateTime",
            format!(
                "{value} has no time zone, so it names no instant; give it one with `with_offset`, or convert to a \
                 type without a zone (a naive or civil date and time)"
            ),
        )
    })?;
    Ok((local_seconds(value) - i64::from(offset.total_minutes()) * 60, value.nanos()))
}

/// The value at `seconds` (since 1970-01-01T00:00:00, zone ignored) plus `nanos`, written with
/// the fewest fractional digits that keep it exact, in zone `offset`.
pub(super) fn from_local_seconds(
    seconds: i64,
    nanos: u32,
    offset: Option<TimeZoneOffset>,
) -> Result<DateTime, ValueError> {
    let (days, rem) = (seconds.div_euclid(SECONDS_PER_DAY), seconds.rem_euclid(SECONDS_PER_DAY));
    let (year, month, day) = civil_from_days(days);
    let year = xsd_year(year)
        .ok_or_else(|| ValueError::new("xs:dateTime", format!("year {year} is out of the supported range")))?;
    DateTime::new(year, month, day, (rem / 3_600) as u8, (rem % 3_600 / 60) as u8, (rem % 60) as u8)?
        .with_nanos(nanos, fraction_digits_of(nanos))?
        .with_offset(offset)
}

/// The value at the instant `seconds` after the Unix epoch plus `nanos`, as seen in zone
/// `offset` (`Z` for UTC).
pub(super) fn from_instant(seconds: i64, nanos: u32, offset: TimeZoneOffset) -> Result<DateTime, ValueError> {
    offset.check("xs:dateTime")?;
    let local = seconds
        .checked_add(i64::from(offset.total_minutes()) * 60)
        .ok_or_else(|| ValueError::new("xs:dateTime", "the instant is out of the supported range"))?;
    from_local_seconds(local, nanos, Some(offset))
}

#[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
/// A zone offset given in seconds east of UTC (as chrono, time and jiff give them): whole
/// minutes within ±14:00, which is all XML Schema can write.
#[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
pub(super) fn offset_from_seconds(seconds: i32, ty: &'static str) -> Result<TimeZoneOffset, ValueError> {
    if seconds % 60 != 0 {
        return Err(ValueError::new(
            ty,
            format!("the offset of {seconds} s from UTC is not a whole number of minutes"),
        ));
    }
    let minutes = i16::try_from(seconds / 60)
        .map_err(|_| ValueError::new(ty, "the time zone offset must be within -14:00..=+14:00"))?;
    let offset = TimeZoneOffset::Minutes(minutes);
    offset.check(ty)?;
    Ok(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_dates_agree_over_eight_hundred_years_each_way() {
        let mut days = days_from_civil(1600, 1, 1);
        let mut date = (1600_i64, 1_u8, 1_u8);
        let end = days_from_civil(2400, 12, 31);
        while days <= end {
            assert_eq!(civil_from_days(days), date, "day {days}");
            assert_eq!(days_from_civil(date.0, date.1, date.2), days);
            let last = super::super::datetime::days_in_month(xsd_year(date.0).unwrap(), date.1);
            date = if date.2 < last {
                (date.0, date.1, date.2 + 1)
            } else if date.1 < 12 {
                (date.0, date.1 + 1, 1)
            } else {
                (date.0 + 1, 1, 1)
            };
            days += 1;
        }
    }

    #[test]
    fn known_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        // 1 BCE (astronomical 0, XML Schema -0001) is a leap year.
        assert_eq!(civil_from_days(days_from_civil(0, 2, 29)), (0, 2, 29));
        assert_eq!(xsd_year(0), Some(-1));
        assert_eq!(astronomical(-1), 0);
        assert_eq!(xsd_year(i64::from(i32::MAX) + 1), None);
    }

    #[test]
    fn fraction_digits() {
        assert_eq!(fraction_digits_of(0), 0);
        assert_eq!(fraction_digits_of(500_000_000), 1);
        assert_eq!(fraction_digits_of(123_000_000), 3);
        assert_eq!(fraction_digits_of(1), 9);
    }
}
