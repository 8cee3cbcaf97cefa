//! Conversions between the XML Schema date and time types and chrono's (feature `chrono`).
//!
//! | XML Schema | chrono | notes |
//! |---|---|---|
//! | `xs:dateTime` with a zone | `DateTime<FixedOffset>`, `DateTime<Utc>` | `Utc` is written `Z` |
//! | `xs:dateTime` without a zone | `NaiveDateTime` | a value with a zone is refused: use `DateTime<FixedOffset>`, or drop the zone explicitly with `with_offset(None)` |
//! | `xs:date` without a zone | `NaiveDate` | |
//! | `xs:time` without a zone | `NaiveTime` | `24:00:00` has no `NaiveTime` and is refused |
//! | `xs:duration` without years or months | `TimeDelta` | written in seconds, `PT90S` |
//!
//! chrono's leap seconds (a nanosecond field of one second or more) have no XML Schema form and
//! are refused; so are offsets that are not whole minutes or beyond ±14:00, and years outside
//! what the target holds. chrono counts years astronomically (year 0 is 1 BCE, XML Schema 1.0's
//! `-0001`).

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike, Utc};

use super::calendar::{astronomical, fraction_digits_of, from_instant, instant, offset_from_seconds, xsd_year};
use super::{Date, DateTime, Duration, Time, TimeZoneOffset, ValueError};

const DATE_TIME: &str = "xs:dateTime";

fn zone_refused(ty: &'static str, value: &impl std::fmt::Display, target: &str) -> ValueError {
    ValueError::new(
        ty,
        format!("{value} has a time zone, which a {target} cannot hold; drop it first with `with_offset(None)`"),
    )
}

fn naive_date(ty: &'static str, year: i32, month: u8, day: u8) -> Result<NaiveDate, ValueError> {
    i32::try_from(astronomical(year))
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, u32::from(month), u32::from(day)))
        .ok_or_else(|| ValueError::new(ty, format!("year {year} is outside chrono's range")))
}

fn naive_time(ty: &'static str, hour: u8, minute: u8, second: u8, nanos: u32) -> Result<NaiveTime, ValueError> {
    NaiveTime::from_hms_nano_opt(u32::from(hour), u32::from(minute), u32::from(second), nanos)
        .ok_or_else(|| ValueError::new(ty, "24:00:00 has no chrono NaiveTime"))
}

fn from_naive_date(ty: &'static str, date: NaiveDate) -> Result<(i32, u8, u8), ValueError> {
    let year = xsd_year(i64::from(date.year()))
        .ok_or_else(|| ValueError::new(ty, format!("year {} is out of range", date.year())))?;
    Ok((year, date.month() as u8, date.day() as u8))
}

fn leap_second(ty: &'static str, nanos: u32) -> Result<u32, ValueError> {
    if nanos >= 1_000_000_000 {
        return Err(ValueError::new(ty, "a leap second (second 60) has no XML Schema form"));
    }
    Ok(nanos)
}

fn from_naive_date_time(value: NaiveDateTime) -> Result<DateTime, ValueError> {
    let (year, month, day) = from_naive_date(DATE_TIME, value.date())?;
    let nanos = leap_second(DATE_TIME, value.nanosecond())?;
    DateTime::new(year, month, day, value.hour() as u8, value.minute() as u8, value.second() as u8)?
        .with_nanos(nanos, fraction_digits_of(nanos))
}

/// The instant of a value with a zone, in chrono's `DateTime<FixedOffset>` keeping the
/// value's offset (`Z` becomes `+00:00`).
impl TryFrom<DateTime> for chrono::DateTime<FixedOffset> {
    type Error = ValueError;

    fn try_from(value: DateTime) -> Result<Self, ValueError> {
        let (seconds, nanos) = instant(&value)?;
        let minutes = value.offset().map_or(0, TimeZoneOffset::total_minutes);
        let offset = FixedOffset::east_opt(i32::from(minutes) * 60)
            .ok_or_else(|| ValueError::new(DATE_TIME, "the time zone offset is out of chrono's range"))?;
        chrono::DateTime::from_timestamp(seconds, nanos)
            .map(|utc| utc.with_timezone(&offset))
            .ok_or_else(|| ValueError::new(DATE_TIME, format!("{value} is outside chrono's range")))
    }
}

/// The instant of a value with a zone, in UTC.
impl TryFrom<DateTime> for chrono::DateTime<Utc> {
    type Error = ValueError;

    fn try_from(value: DateTime) -> Result<Self, ValueError> {
        let (seconds, nanos) = instant(&value)?;
        chrono::DateTime::from_timestamp(seconds, nanos)
            .ok_or_else(|| ValueError::new(DATE_TIME, format!("{value} is outside chrono's range")))
    }
}

/// The date and time of a value without a zone (`24:00:00` is the next day's midnight).
impl TryFrom<DateTime> for NaiveDateTime {
    type Error = ValueError;

    fn try_from(value: DateTime) -> Result<Self, ValueError> {
        if value.offset().is_some() {
            return Err(zone_refused(DATE_TIME, &value, "chrono NaiveDateTime"));
        }
        let local = super::calendar::local_seconds(&value);
        chrono::DateTime::from_timestamp(local, value.nanos())
            .map(|t| t.naive_utc())
            .ok_or_else(|| ValueError::new(DATE_TIME, format!("{value} is outside chrono's range")))
    }
}

/// The value with its offset written `+hh:mm` (also for zero).
impl TryFrom<chrono::DateTime<FixedOffset>> for DateTime {
    type Error = ValueError;

    fn try_from(value: chrono::DateTime<FixedOffset>) -> Result<Self, ValueError> {
        let offset = offset_from_seconds(value.offset().local_minus_utc(), DATE_TIME)?;
        let nanos = leap_second(DATE_TIME, value.nanosecond())?;
        from_instant(value.timestamp(), nanos, offset)
    }
}

/// The value in UTC, written with `Z`.
impl TryFrom<chrono::DateTime<Utc>> for DateTime {
    type Error = ValueError;

    fn try_from(value: chrono::DateTime<Utc>) -> Result<Self, ValueError> {
        let nanos = leap_second(DATE_TIME, value.nanosecond())?;
        from_instant(value.timestamp(), nanos, TimeZoneOffset::Utc)
    }
}

/// A value without a zone.
impl TryFrom<NaiveDateTime> for DateTime {
    type Error = ValueError;

    fn try_from(value: NaiveDateTime) -> Result<Self, ValueError> {
        from_naive_date_time(value)
    }
}

/// The date of a value without a zone.
impl TryFrom<Date> for NaiveDate {
    type Error = ValueError;

    fn try_from(value: Date) -> Result<Self, ValueError> {
        if value.offset().is_some() {
            return Err(zone_refused("xs:date", &value, "chrono NaiveDate"));
        }
        naive_date("xs:date", value.year(), value.month(), value.day())
    }
}

/// A date without a zone.
impl TryFrom<NaiveDate> for Date {
    type Error = ValueError;

    fn try_from(value: NaiveDate) -> Result<Self, ValueError> {
        let (year, month, day) = from_naive_date("xs:date", value)?;
        Date::new(year, month, day)
    }
}

/// The time of day of a value without a zone; `24:00:00` is refused.
impl TryFrom<Time> for NaiveTime {
    type Error = ValueError;

    fn try_from(value: Time) -> Result<Self, ValueError> {
        if value.offset().is_some() {
            return Err(zone_refused("xs:time", &value, "chrono NaiveTime"));
        }
        naive_time("xs:time", value.hour(), value.minute(), value.second(), value.nanos())
    }
}

/// A time of day without a zone.
impl TryFrom<NaiveTime> for Time {
    type Error = ValueError;

    fn try_from(value: NaiveTime) -> Result<Self, ValueError> {
        let nanos = leap_second("xs:time", value.nanosecond())?;
        Time::new(value.hour() as u8, value.minute() as u8, value.second() as u8)?
            .with_nanos(nanos, fraction_digits_of(nanos))
    }
}

/// A duration without years or months (days count as 86,400 seconds).
impl TryFrom<Duration> for TimeDelta {
    type Error = ValueError;

    fn try_from(value: Duration) -> Result<Self, ValueError> {
        let nanos = value.fixed_nanos("chrono TimeDelta")?;
        let (seconds, sub) = (nanos.div_euclid(1_000_000_000), nanos.rem_euclid(1_000_000_000) as u32);
        i64::try_from(seconds)
            .ok()
            .and_then(|s| TimeDelta::new(s, sub))
            .ok_or_else(|| ValueError::new("xs:duration", format!("{value} is outside chrono TimeDelta's range")))
    }
}

/// The duration in seconds (`PT90S`, `-PT0.5S`).
impl From<TimeDelta> for Duration {
    fn from(value: TimeDelta) -> Self {
        let magnitude = value.abs();
        let nanos = i128::from(magnitude.num_seconds()) * 1_000_000_000 + i128::from(magnitude.subsec_nanos());
        Duration::from_fixed_nanos(if value < TimeDelta::zero() { -nanos } else { nanos })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<T: std::str::FromStr<Err = ValueError>>(text: &str) -> T {
        text.parse().unwrap()
    }

    /// The crate's calendar against chrono's, over instants from year -9999 to 9999.
    #[test]
    fn the_calendar_agrees_with_chrono() {
        let (first, last) = (-377_705_116_800_i64, 253_402_300_799_i64);
        let mut at = first;
        while at <= last {
            let ours = super::super::calendar::from_instant(at, 0, TimeZoneOffset::Utc).unwrap();
            let theirs = chrono::DateTime::<Utc>::from_timestamp(at, 0).unwrap();
            assert_eq!(chrono::DateTime::<Utc>::try_from(ours).unwrap(), theirs, "{ours}");
            assert_eq!(DateTime::try_from(theirs).unwrap(), ours);
            at += 7_777_777_777 / 97; // about 2.5 years, never a whole day
        }
    }

    #[test]
    fn date_times_with_zones() {
        let v: DateTime = parse("2026-12-07T10:30:00.25+01:00");
        let fixed = chrono::DateTime::<FixedOffset>::try_from(v).unwrap();
        assert_eq!(fixed.to_rfc3339(), "2026-12-07T10:30:00.250+01:00");
        assert_eq!(DateTime::try_from(fixed).unwrap().to_string(), "2026-12-07T10:30:00.25+01:00");
        let utc = chrono::DateTime::<Utc>::try_from(v).unwrap();
        assert_eq!(DateTime::try_from(utc).unwrap().to_string(), "2026-12-07T09:30:00.25Z");
        // `Z` into a fixed offset and back is `+00:00`: the instant is kept, not the spelling.
        let z: DateTime = parse("2026-12-07T10:30:00Z");
        let back = DateTime::try_from(chrono::DateTime::<FixedOffset>::try_from(z).unwrap()).unwrap();
        assert_eq!(back.to_string(), "2026-12-07T10:30:00+00:00");
    }

    #[test]
    fn no_zone_is_naive_and_only_naive() {
        let v: DateTime = parse("2026-12-07T10:30:00");
        assert!(chrono::DateTime::<Utc>::try_from(v).unwrap_err().reason.contains("no time zone"));
        let naive = NaiveDateTime::try_from(v).unwrap();
        assert_eq!(naive.to_string(), "2026-12-07 10:30:00");
        assert_eq!(DateTime::try_from(naive).unwrap(), v);
        let zoned: DateTime = parse("2026-12-07T10:30:00Z");
        assert!(NaiveDateTime::try_from(zoned).unwrap_err().reason.contains("with_offset(None)"));
        let dropped = NaiveDateTime::try_from(zoned.with_offset(None).unwrap()).unwrap();
        assert_eq!(dropped, naive);
    }

    #[test]
    fn midnight_at_the_end_of_the_day() {
        let v: DateTime = parse("2026-12-31T24:00:00");
        assert_eq!(NaiveDateTime::try_from(v).unwrap().to_string(), "2027-01-01 00:00:00");
        let t: Time = parse("24:00:00");
        assert!(NaiveTime::try_from(t).unwrap_err().reason.contains("24:00:00"));
    }

    #[test]
    fn negative_and_large_years() {
        // -0001 is 1 BCE, chrono's year 0; 0001-01-01 minus one day is -0001-12-31.
        let bce: Date = parse("-0001-12-31");
        let naive = NaiveDate::try_from(bce).unwrap();
        assert_eq!(naive.year(), 0);
        assert_eq!(naive.succ_opt().unwrap(), NaiveDate::from_ymd_opt(1, 1, 1).unwrap());
        assert_eq!(Date::try_from(naive).unwrap(), bce);
        let far: Date = parse("-0044-03-15");
        assert_eq!(Date::try_from(NaiveDate::try_from(far).unwrap()).unwrap(), far);
        let big: DateTime = parse("200000-01-01T00:00:00Z");
        let back = DateTime::try_from(chrono::DateTime::<Utc>::try_from(big).unwrap()).unwrap();
        assert_eq!(back, big);
        let beyond: DateTime = parse("300000-01-01T00:00:00Z");
        assert!(chrono::DateTime::<Utc>::try_from(beyond).unwrap_err().reason.contains("chrono's range"));
    }

    #[test]
    fn leap_seconds_and_odd_offsets_are_refused() {
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31).unwrap().and_hms_nano_opt(23, 59, 59, 1_500_000_000).unwrap();
        assert!(DateTime::try_from(leap).unwrap_err().reason.contains("leap second"));
        let odd = FixedOffset::east_opt(5 * 3600 + 30 * 60 + 7).unwrap();
        let t = leap.with_nanosecond(0).unwrap().and_local_timezone(odd).unwrap();
        assert!(DateTime::try_from(t).unwrap_err().reason.contains("whole number of minutes"));
        let far = FixedOffset::east_opt(15 * 3600).unwrap();
        let t = leap.with_nanosecond(0).unwrap().and_local_timezone(far).unwrap();
        assert!(DateTime::try_from(t).unwrap_err().reason.contains("14:00"));
    }

    #[test]
    fn durations() {
        let d: Duration = parse("-P1DT2H3M4.5S");
        let delta = TimeDelta::try_from(d.clone()).unwrap();
        assert_eq!(delta, -(TimeDelta::days(1) + TimeDelta::seconds(7384) + TimeDelta::milliseconds(500)));
        assert_eq!(Duration::from(delta).to_string(), "-PT93784.5S");
        assert_eq!(TimeDelta::try_from(Duration::from(delta)).unwrap(), delta);
        let months: Duration = parse("P1M");
        assert!(TimeDelta::try_from(months).unwrap_err().reason.contains("years or months"));
        // A zero month is no length: accepted.
        assert_eq!(TimeDelta::try_from(parse::<Duration>("P0Y0M1D")).unwrap(), TimeDelta::days(1));
        assert_eq!(Duration::from(TimeDelta::zero()).to_string(), "PT0S");
    }

    #[test]
    fn dates_and_times_with_zones_are_refused_by_naive_types() {
        assert!(NaiveDate::try_from(parse::<Date>("2026-12-07Z")).is_err());
        assert!(NaiveTime::try_from(parse::<Time>("10:00:00+01:00")).is_err());
        let t = NaiveTime::try_from(parse::<Time>("10:00:00.125")).unwrap();
        assert_eq!(Time::try_from(t).unwrap().to_string(), "10:00:00.125");
    }
}
