//! Conversions between the XML Schema date and time types and jiff's (feature `jiff`).
//!
//! | XML Schema | jiff | notes |
//! |---|---|---|
//! | `xs:dateTime` with a zone | `Timestamp` (and from `Zoned`) | a `Timestamp` is written in UTC, `Z`; a `Zoned` with its offset at that instant |
//! | `xs:dateTime` without a zone | `civil::DateTime` | a value with a zone is refused: use `Timestamp`, or drop the zone explicitly with `with_offset(None)` |
//! | `xs:date` without a zone | `civil::Date` | |
//! | `xs:time` without a zone | `civil::Time` | `24:00:00` has no `civil::Time` and is refused |
//! | `xs:duration` | `Span` | every component, years and months included; weeks become days |
//! | `xs:duration` without years or months | `SignedDuration` | written in seconds, `PT90S` |
//!
//! jiff holds years -9999 to 9999 and counts them astronomically (year 0 is 1 BCE, XML Schema
//! 1.0's `-0001`).

use jiff::civil;
use jiff::{SignedDuration, Span, Timestamp, Zoned};

use super::calendar::{
    astronomical, fraction_digits_of, from_instant, from_local_seconds, instant, local_seconds, offset_from_seconds,
    xsd_year,
};
use super::{Date, DateTime, Duration, Time, TimeZoneOffset, ValueError};

const DATE_TIME: &str = "xs:dateTime";

fn zone_refused(ty: &'static str, value: &impl std::fmt::Display, target: &str) -> ValueError {
    ValueError::new(
        ty,
        format!("{value} has a time zone, which a {target} cannot hold; drop it first with `with_offset(None)`"),
    )
}

fn jiff_error(ty: &'static str, value: &impl std::fmt::Display, e: jiff::Error) -> ValueError {
    ValueError::new(ty, format!("{value} has no jiff form: {e}"))
}

fn jiff_year(ty: &'static str, year: i32) -> Result<i16, ValueError> {
    i16::try_from(astronomical(year)).map_err(|_| ValueError::new(ty, format!("year {year} is outside jiff's range")))
}

fn from_civil_date(ty: &'static str, date: civil::Date) -> Result<(i32, u8, u8), ValueError> {
    let year = xsd_year(i64::from(date.year())).ok_or_else(|| ValueError::new(ty, "year out of range"))?;
    Ok((year, date.month() as u8, date.day() as u8))
}

/// The instant of a value with a zone.
impl TryFrom<DateTime> for Timestamp {
    type Error = ValueError;

    fn try_from(value: DateTime) -> Result<Self, ValueError> {
        let (seconds, nanos) = instant(&value)?;
        Timestamp::from_nanosecond(i128::from(seconds) * 1_000_000_000 + i128::from(nanos))
            .map_err(|e| jiff_error(DATE_TIME, &value, e))
    }
}

/// The instant in UTC, written with `Z`.
impl TryFrom<Timestamp> for DateTime {
    type Error = ValueError;

    fn try_from(value: Timestamp) -> Result<Self, ValueError> {
        let nanos = value.as_nanosecond();
        let seconds = nanos.div_euclid(1_000_000_000) as i64;
        from_instant(seconds, nanos.rem_euclid(1_000_000_000) as u32, TimeZoneOffset::Utc)
    }
}

/// The instant with the zone's offset at that instant, written `+hh:mm` (the zone's name is
/// not part of `xs:dateTime`).
impl TryFrom<&Zoned> for DateTime {
    type Error = ValueError;

    fn try_from(value: &Zoned) -> Result<Self, ValueError> {
        let offset = offset_from_seconds(value.offset().seconds(), DATE_TIME)?;
        let nanos = value.timestamp().as_nanosecond();
        from_instant(nanos.div_euclid(1_000_000_000) as i64, nanos.rem_euclid(1_000_000_000) as u32, offset)
    }
}

/// The date and time of a value without a zone (`24:00:00` is the next day's midnight).
impl TryFrom<DateTime> for civil::DateTime {
    type Error = ValueError;

    fn try_from(value: DateTime) -> Result<Self, ValueError> {
        if value.offset().is_some() {
            return Err(zone_refused(DATE_TIME, &value, "jiff civil::DateTime"));
        }
        // Normalised, so that 24:00:00 becomes the next day.
        let v = from_local_seconds(local_seconds(&value), value.nanos(), None)?;
        civil::DateTime::new(
            jiff_year(DATE_TIME, v.year())?,
            v.month() as i8,
            v.day() as i8,
            v.hour() as i8,
            v.minute() as i8,
            v.second() as i8,
            v.nanos() as i32,
        )
        .map_err(|e| jiff_error(DATE_TIME, &value, e))
    }
}

/// A value without a zone.
impl TryFrom<civil::DateTime> for DateTime {
    type Error = ValueError;

    fn try_from(value: civil::DateTime) -> Result<Self, ValueError> {
        let (year, month, day) = from_civil_date(DATE_TIME, value.date())?;
        let nanos = value.subsec_nanosecond() as u32;
        DateTime::new(year, month, day, value.hour() as u8, value.minute() as u8, value.second() as u8)?
            .with_nanos(nanos, fraction_digits_of(nanos))
    }
}

/// The date of a value without a zone.
impl TryFrom<Date> for civil::Date {
    type Error = ValueError;

    fn try_from(value: Date) -> Result<Self, ValueError> {
        if value.offset().is_some() {
            return Err(zone_refused("xs:date", &value, "jiff civil::Date"));
        }
        civil::Date::new(jiff_year("xs:date", value.year())?, value.month() as i8, value.day() as i8)
            .map_err(|e| jiff_error("xs:date", &value, e))
    }
}

/// A date without a zone.
impl TryFrom<civil::Date> for Date {
    type Error = ValueError;

    fn try_from(value: civil::Date) -> Result<Self, ValueError> {
        let (year, month, day) = from_civil_date("xs:date", value)?;
        Date::new(year, month, day)
    }
}

/// The time of day of a value without a zone; `24:00:00` is refused.
impl TryFrom<Time> for civil::Time {
    type Error = ValueError;

    fn try_from(value: Time) -> Result<Self, ValueError> {
        if value.offset().is_some() {
            return Err(zone_refused("xs:time", &value, "jiff civil::Time"));
        }
        civil::Time::new(value.hour() as i8, value.minute() as i8, value.second() as i8, value.nanos() as i32)
            .map_err(|e| jiff_error("xs:time", &value, e))
    }
}

/// A time of day without a zone.
impl TryFrom<civil::Time> for Time {
    type Error = ValueError;

    fn try_from(value: civil::Time) -> Result<Self, ValueError> {
        let nanos = value.subsec_nanosecond() as u32;
        Time::new(value.hour() as u8, value.minute() as u8, value.second() as u8)?
            .with_nanos(nanos, fraction_digits_of(nanos))
    }
}

/// Every component, years and months included (a `Span` keeps calendar units).
impl TryFrom<Duration> for Span {
    type Error = ValueError;

    fn try_from(value: Duration) -> Result<Self, ValueError> {
        let too_big = |e: jiff::Error| jiff_error("xs:duration", &value, e);
        let unit = |n: Option<u64>| i64::try_from(n.unwrap_or(0)).unwrap_or(i64::MAX);
        let span = Span::new()
            .try_years(unit(value.years()))
            .and_then(|s| s.try_months(unit(value.months())))
            .and_then(|s| s.try_days(unit(value.days())))
            .and_then(|s| s.try_hours(unit(value.hours())))
            .and_then(|s| s.try_minutes(unit(value.minutes())))
            .and_then(|s| s.try_seconds(unit(value.seconds())))
            .and_then(|s| s.try_nanoseconds(i64::from(value.nanos())))
            .map_err(too_big)?;
        Ok(if value.is_negative() { span.negate() } else { span })
    }
}

/// Every component written (weeks as days, milli-, micro- and nanoseconds as fractional
/// seconds), `PT0S` for an empty span.
impl TryFrom<Span> for Duration {
    type Error = ValueError;

    fn try_from(value: Span) -> Result<Self, ValueError> {
        let abs = value.abs();
        let sub = i128::from(abs.get_milliseconds()) * 1_000_000
            + i128::from(abs.get_microseconds()) * 1_000
            + i128::from(abs.get_nanoseconds());
        let seconds = i128::from(abs.get_seconds()) + sub / 1_000_000_000;
        let nanos = (sub % 1_000_000_000) as u32;
        let days = i64::from(abs.get_weeks()) * 7 + i64::from(abs.get_days());
        let some = |n: i128| (n != 0).then_some(n as u64);
        let (years, months, days, hours, minutes) = (
            some(i128::from(abs.get_years())),
            some(i128::from(abs.get_months())),
            some(i128::from(days)),
            some(i128::from(abs.get_hours())),
            some(i128::from(abs.get_minutes())),
        );
        let seconds = (seconds != 0 || nanos != 0 || [years, months, days, hours, minutes].iter().all(Option::is_none))
            .then_some(seconds as u64);
        let d = Duration::from_parts(years, months, days, hours, minutes, seconds)?;
        let d = if nanos == 0 { d } else { d.with_nanos(nanos, fraction_digits_of(nanos))? };
        Ok(d.with_negative(value.is_negative()))
    }
}

/// A duration without years or months (days count as 86,400 seconds).
impl TryFrom<Duration> for SignedDuration {
    type Error = ValueError;

    fn try_from(value: Duration) -> Result<Self, ValueError> {
        let nanos = value.fixed_nanos("jiff SignedDuration")?;
        let seconds = i64::try_from(nanos / 1_000_000_000)
            .map_err(|_| ValueError::new("xs:duration", format!("{value} is outside SignedDuration's range")))?;
        Ok(SignedDuration::new(seconds, (nanos % 1_000_000_000) as i32))
    }
}

/// The duration in seconds (`PT90S`, `-PT0.5S`).
impl From<SignedDuration> for Duration {
    fn from(value: SignedDuration) -> Self {
        Duration::from_fixed_nanos(i128::from(value.as_secs()) * 1_000_000_000 + i128::from(value.subsec_nanos()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<T: std::str::FromStr<Err = ValueError>>(text: &str) -> T {
        text.parse().unwrap()
    }

    #[test]
    fn instants() {
        let v: DateTime = parse("2026-12-07T10:30:00.5+01:00");
        let ts = Timestamp::try_from(v).unwrap();
        assert_eq!(ts.to_string(), "2026-12-07T09:30:00.5Z");
        assert_eq!(DateTime::try_from(ts).unwrap().to_string(), "2026-12-07T09:30:00.5Z");
        let before: Timestamp = "1969-12-31T23:59:59.75Z".parse().unwrap();
        assert_eq!(DateTime::try_from(before).unwrap().to_string(), "1969-12-31T23:59:59.75Z");
        let zoned = ts.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(-3)));
        assert_eq!(DateTime::try_from(&zoned).unwrap().to_string(), "2026-12-07T06:30:00.5-03:00");
        assert!(
            Timestamp::try_from(parse::<DateTime>("2026-12-07T10:30:00")).unwrap_err().reason.contains("no time zone")
        );
    }

    #[test]
    fn civil_values() {
        let v: DateTime = parse("2026-12-31T24:00:00");
        let c = civil::DateTime::try_from(v).unwrap();
        assert_eq!(c.to_string(), "2027-01-01T00:00:00");
        assert_eq!(DateTime::try_from(c).unwrap().to_string(), "2027-01-01T00:00:00");
        assert!(civil::DateTime::try_from(parse::<DateTime>("2026-12-31T10:00:00Z")).is_err());
        let bce: Date = parse("-0001-02-29");
        let d = civil::Date::try_from(bce).unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (0, 2, 29));
        assert_eq!(Date::try_from(d).unwrap(), bce);
        assert!(civil::Date::try_from(parse::<Date>("10000-01-01")).unwrap_err().reason.contains("range"));
        assert!(civil::Time::try_from(parse::<Time>("24:00:00")).is_err());
        let t = civil::Time::try_from(parse::<Time>("23:59:59.999999999")).unwrap();
        assert_eq!(Time::try_from(t).unwrap().to_string(), "23:59:59.999999999");
    }

    #[test]
    fn spans_keep_calendar_units() {
        let d: Duration = parse("-P1Y2M3DT4H5M6.007S");
        let span = Span::try_from(d.clone()).unwrap();
        assert_eq!((span.get_years(), span.get_months(), span.get_days(), span.get_hours()), (-1, -2, -3, -4));
        assert_eq!(Duration::try_from(span).unwrap(), d);
        let weeks = Span::new().weeks(2).days(1).milliseconds(1500);
        assert_eq!(Duration::try_from(weeks).unwrap().to_string(), "P15DT1.5S");
        assert_eq!(Duration::try_from(Span::new()).unwrap().to_string(), "PT0S");
    }

    #[test]
    fn signed_durations() {
        let d: Duration = parse("P1DT0.5S");
        let s = SignedDuration::try_from(d).unwrap();
        assert_eq!(s, SignedDuration::new(86_400, 500_000_000));
        assert_eq!(Duration::from(-s).to_string(), "-PT86400.5S");
        assert!(SignedDuration::try_from(parse::<Duration>("P1M")).unwrap_err().reason.contains("years or months"));
    }
}
