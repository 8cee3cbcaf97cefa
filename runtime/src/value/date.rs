//! `xs:date` and `xs:time`, which keep their text's representation like
//! [`DateTime`](super::DateTime) does.

use std::fmt;
use std::str::FromStr;

use super::datetime::{
    Cursor, TimeZoneOffset, check_date, check_fraction, check_time, parse_date, parse_offset, parse_time, write_date,
    write_offset, write_time,
};
use super::{SimpleType, ValueError};
use crate::xml::XmlWriter;

const DATE: &str = "xs:date";
const TIME: &str = "xs:time";

/// An `xs:date` value: a calendar date with an optional time zone offset.
///
/// Equality and hashing compare the representation (`Z` differs from `+00:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
    offset: Option<TimeZoneOffset>,
}

impl Default for Date {
    /// `0001-01-01`, with no time zone.
    fn default() -> Self {
        Self { year: 1, month: 1, day: 1, offset: None }
    }
}

impl Date {
    /// A date without time zone. The year may be negative but not 0 (XML Schema 1.0 has no
    /// year zero; `-0001` is 1 BCE).
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, ValueError> {
        check_date(DATE, year, month, day)?;
        Ok(Self { year, month, day, offset: None })
    }

    /// The same date with time zone `offset` (`None`: no zone); an error outside ±14:00.
    pub fn with_offset(self, offset: Option<TimeZoneOffset>) -> Result<Self, ValueError> {
        if let Some(o) = offset {
            o.check(DATE)?;
        }
        Ok(Self { offset, ..self })
    }

    /// The year (negative before the common era; never 0).
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// The time zone offset, `None` if no zone was given.
    pub fn offset(&self) -> Option<TimeZoneOffset> {
        self.offset
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_date(f, self.year, self.month, self.day)?;
        write_offset(f, self.offset)
    }
}

impl FromStr for Date {
    type Err = ValueError;

    fn from_str(s: &str) -> Result<Self, ValueError> {
        Self::parse_text(s)
    }
}

impl SimpleType for Date {
    fn write_text(&self, w: &mut XmlWriter) {
        w.raw(&self.to_string());
    }

    /// Parses `-?yyyy-mm-dd(Z|(+|-)hh:mm)?`.
    fn parse_text(text: &str) -> Result<Self, ValueError> {
        let mut c = Cursor::new(text, DATE);
        let (year, month, day) = parse_date(&mut c)?;
        let offset = parse_offset(&mut c)?;
        c.finish()?;
        Ok(Self { year, month, day, offset })
    }
}

/// An `xs:time` value: a time of day with up to nanosecond precision and an optional time
/// zone offset.
///
/// Equality and hashing compare the representation (so `12:00:00.0` differs from
/// `12:00:00`, and `Z` from `+00:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Time {
    hour: u8,
    minute: u8,
    second: u8,
    nanos: u32,
    fraction_digits: u8,
    offset: Option<TimeZoneOffset>,
}

impl Time {
    /// A time of day without fractional seconds or time zone. The hour may be 24 only for
    /// `24:00:00`. Leap seconds are not supported.
    pub fn new(hour: u8, minute: u8, second: u8) -> Result<Self, ValueError> {
        check_time(TIME, hour, minute, second, 0)?;
        Ok(Self { hour, minute, second, ..Self::default() })
    }

    /// The same time with fractional seconds of `nanos` nanoseconds, written with `digits`
    /// fractional digits (0 to 9; `nanos` must be a multiple of `10^(9 - digits)`).
    pub fn with_nanos(self, nanos: u32, digits: u8) -> Result<Self, ValueError> {
        check_fraction(TIME, nanos, digits)?;
        check_time(TIME, self.hour, self.minute, self.second, nanos)?;
        Ok(Self { nanos, fraction_digits: digits, ..self })
    }

    /// The same time with time zone `offset` (`None`: no zone); an error outside ±14:00.
    pub fn with_offset(self, offset: Option<TimeZoneOffset>) -> Result<Self, ValueError> {
        if let Some(o) = offset {
            o.check(TIME)?;
        }
        Ok(Self { offset, ..self })
    }

    /// The hour, 0 to 23 (or 24 for `24:00:00`).
    pub fn hour(&self) -> u8 {
        self.hour
    }

    /// The minute, 0 to 59.
    pub fn minute(&self) -> u8 {
        self.minute
    }

    /// The whole second, 0 to 59.
    pub fn second(&self) -> u8 {
        self.second
    }

    /// The fractional seconds, in nanoseconds.
    pub fn nanos(&self) -> u32 {
        self.nanos
    }

    /// How many fractional second digits are written (0 to 9).
    pub fn fraction_digits(&self) -> u8 {
        self.fraction_digits
    }

    /// The time zone offset, `None` if no zone was given.
    pub fn offset(&self) -> Option<TimeZoneOffset> {
        self.offset
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_time(f, self.hour, self.minute, self.second, self.nanos, self.fraction_digits)?;
        write_offset(f, self.offset)
    }
}

impl FromStr for Time {
    type Err = ValueError;

    fn from_str(s: &str) -> Result<Self, ValueError> {
        Self::parse_text(s)
    }
}

impl SimpleType for Time {
    fn write_text(&self, w: &mut XmlWriter) {
        w.raw(&self.to_string());
    }

    /// Parses `hh:mm:ss(.s+)?(Z|(+|-)hh:mm)?`.
    fn parse_text(text: &str) -> Result<Self, ValueError> {
        let mut c = Cursor::new(text, TIME);
        let t = parse_time(&mut c)?;
        let offset = parse_offset(&mut c)?;
        c.finish()?;
        Ok(Self {
            hour: t.hour,
            minute: t.minute,
            second: t.second,
            nanos: t.nanos,
            fraction_digits: t.fraction_digits,
            offset,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written<T: SimpleType>(value: &T) -> String {
        let mut w = XmlWriter::new();
        value.write_text(&mut w);
        String::from_utf8(w.as_bytes().to_vec()).unwrap()
    }

    fn round_trip<T>(text: &str) -> T
    where
        T: SimpleType + FromStr<Err = ValueError> + fmt::Display + PartialEq + fmt::Debug,
    {
        let value = T::parse_text(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(written(&value), text);
        assert_eq!(value.to_string(), text);
        assert_eq!(text.parse::<T>().unwrap(), value);
        value
    }

    fn rejects<T: SimpleType + fmt::Debug>(text: &str, ty: &str) -> ValueError {
        match T::parse_text(text) {
            Ok(v) => panic!("{text:?} should be rejected, parsed as {v:?}"),
            Err(e) => {
                assert_eq!(e.expected, ty, "{text:?}");
                e
            }
        }
    }

    #[test]
    fn dates_round_trip() {
        let d: Date = round_trip("2026-01-31");
        assert_eq!((d.year(), d.month(), d.day(), d.offset()), (2026, 1, 31, None));
        let d: Date = round_trip("2026-01-31Z");
        assert_eq!(d.offset(), Some(TimeZoneOffset::Utc));
        let d: Date = round_trip("2026-01-31+00:00");
        assert_eq!(d.offset(), Some(TimeZoneOffset::Minutes(0)));
        let d: Date = round_trip("2026-01-31-14:00");
        assert_eq!(d.offset(), Some(TimeZoneOffset::Minutes(-840)));
        let d: Date = round_trip("0001-01-01");
        assert_eq!(d, Date::default());
        let d: Date = round_trip("-0044-03-15");
        assert_eq!(d.year(), -44);
        round_trip::<Date>("2024-02-29");
        round_trip::<Date>("2000-02-29+05:30");
        round_trip::<Date>("12345-06-07");
        round_trip::<Date>("-0001-02-29");
    }

    #[test]
    fn dates_reject() {
        for text in [
            "",
            "2026-02-30",
            "2023-02-29",
            "2100-02-29",
            "2026-1-1",
            "2026-01-1",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "2026-01-32",
            "0000-01-01",
            "026-01-01",
            "02026-01-01",
            "+2026-01-01",
            "2026-01-01T00:00:00",
            "2026-01-01 ",
            "2026-01-01Z ",
            "2026-01-01+15:00",
            "2026-01-01+14:30",
            "2026-01-01+01",
            "2026-01-01z",
            "2026-01",
            "2026-01-01-",
            "-2026",
        ] {
            rejects::<Date>(text, "xs:date");
        }
        assert!(rejects::<Date>("2026-02-30", "xs:date").reason.contains("day 30"));
    }

    #[test]
    fn date_constructors() {
        let d = Date::new(2026, 1, 31).unwrap().with_offset(Some(TimeZoneOffset::Minutes(60))).unwrap();
        assert_eq!(d.to_string(), "2026-01-31+01:00");
        assert_eq!(Date::new(-5, 12, 31).unwrap().to_string(), "-0005-12-31");
        assert!(Date::new(2026, 2, 29).is_err());
        assert!(Date::new(0, 1, 1).is_err());
        assert!(Date::new(2026, 13, 1).is_err());
        assert!(Date::new(2026, 1, 1).unwrap().with_offset(Some(TimeZoneOffset::Minutes(-900))).is_err());
        assert_eq!(Date::new(1, 1, 1).unwrap(), Date::default());
    }

    #[test]
    fn times_round_trip() {
        let t: Time = round_trip("12:34:56");
        assert_eq!((t.hour(), t.minute(), t.second(), t.nanos(), t.fraction_digits()), (12, 34, 56, 0, 0));
        assert_eq!(t.offset(), None);
        let t: Time = round_trip("12:34:56.1234567Z");
        assert_eq!((t.nanos(), t.fraction_digits()), (123_456_700, 7));
        assert_eq!(t.offset(), Some(TimeZoneOffset::Utc));
        let t: Time = round_trip("00:00:00");
        assert_eq!(t, Time::default());
        round_trip::<Time>("23:59:59.999999999+14:00");
        round_trip::<Time>("24:00:00");
        round_trip::<Time>("24:00:00.00");
        round_trip::<Time>("08:00:00-03:30");
        round_trip::<Time>("08:00:00+00:00");
        for digits in 1..=9 {
            round_trip::<Time>(&format!("01:02:03.{}", &"000000001"[..digits]));
        }
    }

    #[test]
    fn times_reject() {
        for text in [
            "",
            "1:00:00",
            "01:00",
            "01:00:00.",
            "01:00:00.1234567890",
            "24:00:01",
            "24:00:00.5",
            "25:00:00",
            "12:60:00",
            "12:00:60",
            "12:00:00+15:00",
            "12:00:00 ",
            "12:00:00Z+01:00",
            "T12:00:00",
            "2026-01-01T12:00:00",
            "12.00.00",
            "12:00:00,5",
            "-12:00:00",
        ] {
            rejects::<Time>(text, "xs:time");
        }
    }

    #[test]
    fn time_constructors() {
        let t = Time::new(9, 5, 7)
            .unwrap()
            .with_nanos(120_000_000, 3)
            .unwrap()
            .with_offset(Some(TimeZoneOffset::Utc))
            .unwrap();
        assert_eq!(t.to_string(), "09:05:07.120Z");
        assert_eq!(Time::new(24, 0, 0).unwrap().to_string(), "24:00:00");
        assert!(Time::new(24, 0, 0).unwrap().with_nanos(1_000, 6).is_err());
        assert!(Time::new(24, 0, 1).is_err());
        assert!(Time::new(23, 60, 0).is_err());
        assert!(Time::new(23, 0, 60).is_err());
        assert!(Time::default().with_nanos(1, 8).is_err());
        assert!(Time::default().with_nanos(0, 10).is_err());
        assert!(Time::default().with_offset(Some(TimeZoneOffset::Minutes(841))).is_err());
    }

    #[test]
    fn never_panics_on_arbitrary_input() {
        let pieces = ["2026", "-", "01", ":", "00", ".", "5", "Z", "+", "é", "24", "9", "１"];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let next: Vec<String> = texts.iter().flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}"))).collect();
            texts.extend(next);
        }
        for t in texts {
            let _ = Date::parse_text(&t);
            let _ = Time::parse_text(&t);
            let _ = Time::parse_text(&format!("00:00:00{t}"));
        }
    }
}
