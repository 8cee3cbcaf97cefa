//! Conversions between the XML Schema date and time types and the `time` crate's (feature
//! `time`).
//!
//! | XML Schema | time | notes |
//! |---|---|---|
//! | `xs:dateTime` with a zone | `OffsetDateTime` | an offset of zero is written `Z` |
//! | `xs:dateTime` without a zone | `PrimitiveDateTime` | a value with a zone is refused: use `OffsetDateTime`, or drop the zone explicitly with `with_offset(None)` |
//! | `xs:date` without a zone | `time::Date` | |
//! | `xs:time` without a zone | `time::Time` | `24:00:00` has no `time::Time` and is refused |
//! | `xs:duration` without years or months | `time::Duration` | written in seconds, `PT90S` |
//!
//! The `time` crate holds years -9999 to 9999 (without its `large-dates` feature) and counts them
//! astronomically (year 0 is 1 BCE, XML Schema 1.0's `-0001`); offsets that are not whole minutes
//! or beyond ±14:00 are refused.

use ::time::{Month, OffsetDateTime, PrimitiveDateTime, UtcOffset};

use super::calendar::{
    astronomical, fraction_digits_of, from_instant, instant, local_seconds, offset_from_seconds, xsd_year,
};
use super::{Date, DateTime, Duration, Time, TimeZoneOffset, ValueError};

const DATE_TIME: &str = "xs:dateTime";

fn zone_refused(ty: &'static str, value: &impl std::fmt::Display, target: &str) -> ValueError {
    ValueError::new(
        ty,
        format!("{value} has a time zone, which a {target} cannot hold; drop it first with `with_offset(None)`"),
    )
}

fn out_of_range(ty: &'static str, value: &impl std::fmt::Display) -> ValueError {
    ValueError::new(ty, format!("{value} is outside the time crate's range"))
}

fn to_date(ty: &'static str, year: i32, month: u8, day: u8) -> Result<::time::Date, ValueError> {
    let month = Month::try_from(month).map_err(|e| ValueError::new(ty, e.to_string()))?;
    i32::try_from(astronomical(year))
        .ok()
        .and_then(|y| ::time::Date::from_calendar_date(y, month, day).ok())
        .ok_or_else(|| ValueError::new(ty, format!("year {year} is outside the time crate's range")))
}

fn from_date(ty: &'static str, date: ::time::Date) -> Result<(i32, u8, u8), ValueError> {
    let year = xsd_year(i64::from(date.year()))
        .ok_or_else(|| ValueError::new(ty, format!("year {} is out of range", date.year())))?;
    Ok((year, u8::from(date.month()), date.day()))
}

fn from_primitive(value: PrimitiveDateTime) -> Result<DateTime, ValueError> {
    let (year, month, day) = from_date(DATE_TIME, value.date())?;
    let nanos = value.nanosecond();
    DateTime::new(year, month, day, value.hour(), value.minute(), value.second())?
        .with_nanos(nanos, fraction_digits_of(nanos))
}

/// The instant of a value with a zone, keeping its offset.
impl TryFrom<DateTime> for OffsetDateTime {
    type Error = ValueError;

    fn try_from(value: DateTime) -> Result<Self, ValueError> {
        let (seconds, nanos) = instant(&value)?;
        let minutes = value.offset().map_or(0, TimeZoneOffset::total_minutes);
        let offset = UtcOffset::from_whole_seconds(i32::from(minutes) * 60)
            .map_err(|e| ValueError::new(DATE_TIME, e.to_string()))?;
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(seconds) * 1_000_000_000 + i128::from(nanos))
            .map(|t| t.to_offset(offset))
            .map_err(|_| out_of_range(DATE_TIME, &value))
    }
}

/// The date and time of a value without a zone (`24:00:00` is the next day's midnight).
impl TryFrom<DateTime> for PrimitiveDateTime {
    type Error = ValueError;

    fn try_from(value: DateTime) -> Result<Self, ValueError> {
        if value.offset().is_some() {
            return Err(zone_refused(DATE_TIME, &value, "PrimitiveDateTime"));
        }
        let at = i128::from(local_seconds(&value)) * 1_000_000_000 + i128::from(value.nanos());
        OffsetDateTime::from_unix_timestamp_nanos(at)
            .map(|t| PrimitiveDateTime::new(t.date(), t.time()))
            .map_err(|_| out_of_range(DATE_TIME, &value))
    }
}

/// The value with its offset: `Z` for an offset of zero, else `+hh:mm`.
impl TryFrom<OffsetDateTime> for DateTime {
    type Error = ValueError;

    fn try_from(value: OffsetDateTime) -> Result<Self, ValueError> {
        let offset = if value.offset().is_utc() {
            TimeZoneOffset::Utc
        } else {
            offset_from_seconds(value.offset().whole_seconds(), DATE_TIME)?
        };
        from_instant(value.unix_timestamp(), value.nanosecond(), offset)
    }
}

/// A value without a zone.
impl TryFrom<PrimitiveDateTime> for DateTime {
    type Error = ValueError;

    fn try_from(value: PrimitiveDateTime) -> Result<Self, ValueError> {
        from_primitive(value)
    }
}

/// The date of a value without a zone.
impl TryFrom<Date> for ::time::Date {
    type Error = ValueError;

    fn try_from(value: Date) -> Result<Self, ValueError> {
        if value.offset().is_some() {
            return Err(zone_refused("xs:date", &value, "time::Date"));
        }
        to_date("xs:date", value.year(), value.month(), value.day())
    }
}

/// A date without a zone.
impl TryFrom<::time::Date> for Date {
    type Error = ValueError;

    fn try_from(value: ::time::Date) -> Result<Self, ValueError> {
        let (year, month, day) = from_date("xs:date", value)?;
        Date::new(year, month, day)
    }
}

/// The time of day of a value without a zone; `24:00:00` is refused.
impl TryFrom<Time> for ::time::Time {
    type Error = ValueError;

    fn try_from(value: Time) -> Result<Self, ValueError> {
        if value.offset().is_some() {
            return Err(zone_refused("xs:time", &value, "time::Time"));
        }
        ::time::Time::from_hms_nano(value.hour(), value.minute(), value.second(), value.nanos())
            .map_err(|_| ValueError::new("xs:time", "24:00:00 has no time::Time"))
    }
}

/// A time of day without a zone.
impl TryFrom<::time::Time> for Time {
    type Error = ValueError;

    fn try_from(value: ::time::Time) -> Result<Self, ValueError> {
        let nanos = value.nanosecond();
        Time::new(value.hour(), value.minute(), value.second())?.with_nanos(nanos, fraction_digits_of(nanos))
    }
}

/// A duration without years or months (days count as 86,400 seconds).
impl TryFrom<Duration> for ::time::Duration {
    type Error = ValueError;

    fn try_from(value: Duration) -> Result<Self, ValueError> {
        let nanos = value.fixed_nanos("time::Duration")?;
        let seconds = i64::try_from(nanos / 1_000_000_000)
            .map_err(|_| ValueError::new("xs:duration", format!("{value} is outside time::Duration's range")))?;
        // Same sign as `seconds` (or zero), as `time::Duration::new` wants; below one second.
        Ok(::time::Duration::new(seconds, (nanos % 1_000_000_000) as i32))
    }
}

/// The duration in seconds (`PT90S`, `-PT0.5S`).
impl From<::time::Duration> for Duration {
    fn from(value: ::time::Duration) -> Self {
        let nanos = i128::from(value.whole_seconds()) * 1_000_000_000 + i128::from(value.subsec_nanoseconds());
        Duration::from_fixed_nanos(nanos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<T: std::str::FromStr<Err = ValueError>>(text: &str) -> T {
        text.parse().unwrap()
    }

    #[test]
    fn date_times_with_zones() {
        let v: DateTime = parse("2026-12-07T10:30:00.000001-05:30");
        let t = OffsetDateTime::try_from(v).unwrap();
        assert_eq!((t.hour(), t.offset().whole_minutes()), (10, -330));
        assert_eq!(DateTime::try_from(t).unwrap().to_string(), "2026-12-07T10:30:00.000001-05:30");
        // An offset of zero comes back as `Z`.
        let plus_zero: DateTime = parse("2026-12-07T10:30:00+00:00");
        assert_eq!(
            DateTime::try_from(OffsetDateTime::try_from(plus_zero).unwrap()).unwrap().to_string(),
            "2026-12-07T10:30:00Z"
        );
        let odd = t.to_offset(UtcOffset::from_hms(1, 0, 30).unwrap());
        assert!(DateTime::try_from(odd).unwrap_err().reason.contains("whole number of minutes"));
    }

    #[test]
    fn no_zone_is_primitive_and_only_primitive() {
        let v: DateTime = parse("2026-12-31T24:00:00");
        assert!(OffsetDateTime::try_from(v).is_err());
        let p = PrimitiveDateTime::try_from(v).unwrap();
        assert_eq!((p.year(), u8::from(p.month()), p.day(), p.hour()), (2027, 1, 1, 0));
        assert_eq!(DateTime::try_from(p).unwrap().to_string(), "2027-01-01T00:00:00");
        assert!(PrimitiveDateTime::try_from(parse::<DateTime>("2026-12-07T10:00:00Z")).is_err());
        assert!(::time::Time::try_from(parse::<Time>("24:00:00")).is_err());
    }

    #[test]
    fn years_at_the_edges() {
        let bce: Date = parse("-0001-01-01");
        let d = ::time::Date::try_from(bce).unwrap();
        assert_eq!(d.year(), 0);
        assert_eq!(Date::try_from(d).unwrap(), bce);
        let last: Date = parse("9999-12-31");
        assert_eq!(Date::try_from(::time::Date::try_from(last).unwrap()).unwrap(), last);
        assert!(::time::Date::try_from(parse::<Date>("10000-01-01")).unwrap_err().reason.contains("range"));
        assert!(
            OffsetDateTime::try_from(parse::<DateTime>("10000-01-01T00:00:00Z")).unwrap_err().reason.contains("range")
        );
    }

    #[test]
    fn durations() {
        let d: Duration = parse("-PT1M0.5S");
        let t = ::time::Duration::try_from(d).unwrap();
        assert_eq!(t, -::time::Duration::milliseconds(60_500));
        assert_eq!(Duration::from(t).to_string(), "-PT60.5S");
        assert!(::time::Duration::try_from(parse::<Duration>("P2Y")).is_err());
        let small = ::time::Duration::new(0, -250_000_000);
        assert_eq!(Duration::from(small).to_string(), "-PT0.25S");
    }
}
