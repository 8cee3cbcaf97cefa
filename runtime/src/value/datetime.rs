//! `xs:dateTime`, the time zone offset shared by the date and time types, and the lexical
//! helpers that `xs:date` and `xs:time` reuse.
//!
//! The types keep the text's representation (number of fractional digits, `Z` versus
//! `+00:00`, absent zone) so that a value sent by .NET is written back exactly as received.

use std::fmt;
use std::str::FromStr;

use super::{SimpleType, ValueError};
use crate::xml::XmlWriter;

const DATE_TIME: &str = "xs:dateTime";

/// The largest time zone offset XML Schema allows, in minutes (14:00).
const MAX_OFFSET_MINUTES: i16 = 14 * 60;

/// The most fractional second digits kept (nanosecond precision).
pub(super) const MAX_FRACTION_DIGITS: u8 = 9;

/// A time zone offset of a date or time value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeZoneOffset {
    /// UTC, written `Z`.
    Utc,
    /// Minutes east of UTC, written `+hh:mm` or `-hh:mm` (so `+00:00` stays distinct from
    /// `Z`); within ±14:00 (±840 minutes).
    Minutes(i16),
}

impl TimeZoneOffset {
    /// An offset of `minutes` east of UTC, written `+hh:mm`/`-hh:mm`; an error outside ±14:00.
    pub fn from_minutes(minutes: i16) -> Result<Self, ValueError> {
        let offset = TimeZoneOffset::Minutes(minutes);
        offset.check(DATE_TIME)?;
        Ok(offset)
    }

    /// The offset from UTC in minutes (0 for [`Utc`](Self::Utc)).
    pub fn total_minutes(self) -> i16 {
        match self {
            TimeZoneOffset::Utc => 0,
            TimeZoneOffset::Minutes(m) => m,
        }
    }

    /// Whether the offset is within the ±14:00 that XML Schema allows.
    pub fn is_valid(self) -> bool {
        match self {
            TimeZoneOffset::Utc => true,
            TimeZoneOffset::Minutes(m) => (-MAX_OFFSET_MINUTES..=MAX_OFFSET_MINUTES).contains(&m),
        }
    }

    pub(super) fn check(self, ty: &'static str) -> Result<(), ValueError> {
        if self.is_valid() {
            Ok(())
        } else {
            Err(ValueError::new(ty, "the time zone offset must be within -14:00..=+14:00"))
        }
    }
}

impl fmt::Display for TimeZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TimeZoneOffset::Utc => f.write_str("Z"),
            TimeZoneOffset::Minutes(m) => {
                let sign = if m < 0 { '-' } else { '+' };
                let abs = i32::from(m).unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", abs / 60, abs % 60)
            }
        }
    }
}

/// An `xs:dateTime` value: a date, a time of day with up to nanosecond precision, and an
/// optional time zone offset.
///
/// Equality and hashing compare the representation (so `12:00:00.0` differs from
/// `12:00:00`, and `Z` from `+00:00`), not the instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    nanos: u32,
    fraction_digits: u8,
    offset: Option<TimeZoneOffset>,
}

impl Default for DateTime {
    /// `0001-01-01T00:00:00`, with no time zone.
    fn default() -> Self {
        Self { year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, nanos: 0, fraction_digits: 0, offset: None }
    }
}

impl DateTime {
    /// A date and time without fractional seconds or time zone.
    ///
    /// The year may be negative but not 0 (XML Schema 1.0 has no year zero; `-0001` is
    /// 1 BCE). The hour may be 24 only for `24:00:00`. Leap seconds are not supported.
    pub fn new(year: i32, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Result<Self, ValueError> {
        check_date(DATE_TIME, year, month, day)?;
        check_time(DATE_TIME, hour, minute, second, 0)?;
        Ok(Self { year, month, day, hour, minute, second, ..Self::default() })
    }

    /// The same value with fractional seconds of `nanos` nanoseconds, written with `digits`
    /// fractional digits (0 to 9; `nanos` must be a multiple of `10^(9 - digits)`).
    pub fn with_nanos(self, nanos: u32, digits: u8) -> Result<Self, ValueError> {
        check_fraction(DATE_TIME, nanos, digits)?;
        check_time(DATE_TIME, self.hour, self.minute, self.second, nanos)?;
        Ok(Self { nanos, fraction_digits: digits, ..self })
    }

    /// The same value with time zone `offset` (`None`: no zone); an error outside ±14:00.
    pub fn with_offset(self, offset: Option<TimeZoneOffset>) -> Result<Self, ValueError> {
        if let Some(o) = offset {
            o.check(DATE_TIME)?;
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

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_date(f, self.year, self.month, self.day)?;
        f.write_str("T")?;
        write_time(f, self.hour, self.minute, self.second, self.nanos, self.fraction_digits)?;
        write_offset(f, self.offset)
    }
}

impl FromStr for DateTime {
    type Err = ValueError;

    fn from_str(s: &str) -> Result<Self, ValueError> {
        Self::parse_text(s)
    }
}

impl SimpleType for DateTime {
    fn write_text(&self, w: &mut XmlWriter) {
        w.raw(&self.to_string());
    }

    /// Parses `-?yyyy-mm-ddThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?`.
    fn parse_text(text: &str) -> Result<Self, ValueError> {
        let mut c = Cursor::new(text, DATE_TIME);
        let (year, month, day) = parse_date(&mut c)?;
        c.expect(b'T', "'T' between the date and the time")?;
        let t = parse_time(&mut c)?;
        let offset = parse_offset(&mut c)?;
        c.finish()?;
        Ok(Self {
            year,
            month,
            day,
            hour: t.hour,
            minute: t.minute,
            second: t.second,
            nanos: t.nanos,
            fraction_digits: t.fraction_digits,
            offset,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Lexical helpers shared with `date.rs`
// ---------------------------------------------------------------------------------------------

/// A position in the text being parsed.
pub(super) struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
    ty: &'static str,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `text`, reporting errors for type `ty`.
    pub(super) fn new(text: &'a str, ty: &'static str) -> Self {
        Self { bytes: text.as_bytes(), pos: 0, ty }
    }

    /// An error for this cursor's type.
    pub(super) fn error(&self, reason: impl Into<String>) -> ValueError {
        ValueError::new(self.ty, reason)
    }

    /// The next byte, if any.
    pub(super) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Consumes the next byte if it is `b`.
    pub(super) fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Consumes `b` or fails with "expected {what}".
    pub(super) fn expect(&mut self, b: u8, what: &str) -> Result<(), ValueError> {
        if self.eat(b) {
            Ok(())
        } else if self.peek().is_none() {
            Err(self.error(format!("the text ends where {what} was expected")))
        } else {
            Err(self.error(format!("expected {what}")))
        }
    }

    /// Consumes a (possibly empty) run of ASCII digits.
    pub(super) fn digits(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        &self.bytes[start..self.pos]
    }

    /// Consumes exactly two digits, not followed by a third.
    pub(super) fn two_digits(&mut self, what: &str) -> Result<u8, ValueError> {
        let digits = self.digits();
        match *digits {
            [a, b] => Ok((a - b'0') * 10 + (b - b'0')),
            _ => Err(self.error(format!("the {what} must have exactly 2 digits"))),
        }
    }

    /// Fails unless the whole text was consumed.
    pub(super) fn finish(&self) -> Result<(), ValueError> {
        if self.pos == self.bytes.len() { Ok(()) } else { Err(self.error("unexpected characters after the value")) }
    }
}

/// Whether `year` is a leap year. XML Schema 1.0 has no year 0, so negative years are
/// shifted by one onto the proleptic Gregorian calendar (`-0001`, 1 BCE, is a leap year).
fn is_leap_year(year: i32) -> bool {
    let y = if year < 0 { i64::from(year) + 1 } else { i64::from(year) };
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// The number of days in `month` (1 to 12) of `year`; 0 for an invalid month.
pub(super) fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Checks a year, month and day.
pub(super) fn check_date(ty: &'static str, year: i32, month: u8, day: u8) -> Result<(), ValueError> {
    if year == 0 {
        return Err(ValueError::new(ty, "year 0000 is not allowed (XML Schema 1.0 has no year zero)"));
    }
    if !(1..=12).contains(&month) {
        return Err(ValueError::new(ty, format!("month {month} is not within 1..=12")));
    }
    let last = days_in_month(year, month);
    if !(1..=last).contains(&day) {
        return Err(ValueError::new(
            ty,
            format!("day {day} is not within 1..={last} for month {month} of year {year}"),
        ));
    }
    Ok(())
}

/// Checks a time of day; hour 24 is allowed only for `24:00:00` with a zero fraction.
pub(super) fn check_time(ty: &'static str, hour: u8, minute: u8, second: u8, nanos: u32) -> Result<(), ValueError> {
    if hour == 24 {
        if minute != 0 || second != 0 || nanos != 0 {
            return Err(ValueError::new(ty, "hour 24 is allowed only in 24:00:00"));
        }
        return Ok(());
    }
    if hour > 23 {
        return Err(ValueError::new(ty, format!("hour {hour} is not within 0..=23")));
    }
    if minute > 59 {
        return Err(ValueError::new(ty, format!("minute {minute} is not within 0..=59")));
    }
    if second == 60 {
        return Err(ValueError::new(ty, "leap seconds (second 60) are not supported"));
    }
    if second > 59 {
        return Err(ValueError::new(ty, format!("second {second} is not within 0..=59")));
    }
    Ok(())
}

/// Checks that `nanos` nanoseconds can be written with exactly `digits` fractional digits.
pub(super) fn check_fraction(ty: &'static str, nanos: u32, digits: u8) -> Result<(), ValueError> {
    if digits > MAX_FRACTION_DIGITS {
        return Err(ValueError::new(ty, "at most 9 fractional second digits are supported"));
    }
    if nanos >= 1_000_000_000 {
        return Err(ValueError::new(ty, "the fractional seconds must be less than 1 second"));
    }
    if nanos % 10u32.pow(u32::from(MAX_FRACTION_DIGITS - digits)) != 0 {
        return Err(ValueError::new(
            ty,
            format!("{nanos} nanoseconds cannot be written with {digits} fractional digits"),
        ));
    }
    Ok(())
}

/// Parses the fractional digits after a `.`: at least one, at most 9; returns nanoseconds
/// and the number of digits.
pub(super) fn parse_fraction(c: &mut Cursor<'_>) -> Result<(u32, u8), ValueError> {
    let digits = c.digits();
    if digits.is_empty() {
        return Err(c.error("'.' must be followed by at least one digit"));
    }
    if digits.len() > usize::from(MAX_FRACTION_DIGITS) {
        return Err(c.error("more than 9 fractional second digits (nanosecond precision) are not supported"));
    }
    let mut nanos: u32 = 0;
    for &d in digits {
        nanos = nanos * 10 + u32::from(d - b'0');
    }
    // At most 9 digits, so both conversions are exact.
    let count = digits.len() as u8;
    nanos *= 10u32.pow(u32::from(MAX_FRACTION_DIGITS - count));
    Ok((nanos, count))
}

/// Parses `-?yyyy-mm-dd` (at least four year digits, no leading zero beyond four).
pub(super) fn parse_date(c: &mut Cursor<'_>) -> Result<(i32, u8, u8), ValueError> {
    let negative = c.eat(b'-');
    let digits = c.digits();
    if digits.len() < 4 {
        return Err(c.error("the year must have at least 4 digits"));
    }
    if digits.len() > 4 && digits[0] == b'0' {
        return Err(c.error("a year of more than 4 digits must not start with 0"));
    }
    if digits.len() > 10 {
        return Err(c.error("the year is out of range"));
    }
    let mut magnitude: i64 = 0;
    for &d in digits {
        magnitude = magnitude * 10 + i64::from(d - b'0');
    }
    let year = i32::try_from(if negative { -magnitude } else { magnitude })
        .map_err(|_| c.error("the year is out of range"))?;
    c.expect(b'-', "'-' after the year")?;
    let month = c.two_digits("month")?;
    c.expect(b'-', "'-' after the month")?;
    let day = c.two_digits("day")?;
    check_date(c.ty, year, month, day)?;
    Ok((year, month, day))
}

/// The fields of a parsed time of day.
pub(super) struct TimeFields {
    pub(super) hour: u8,
    pub(super) minute: u8,
    pub(super) second: u8,
    pub(super) nanos: u32,
    pub(super) fraction_digits: u8,
}

/// Parses `hh:mm:ss(.s+)?`.
pub(super) fn parse_time(c: &mut Cursor<'_>) -> Result<TimeFields, ValueError> {
    let hour = c.two_digits("hour")?;
    c.expect(b':', "':' after the hour")?;
    let minute = c.two_digits("minute")?;
    c.expect(b':', "':' after the minutes")?;
    let second = c.two_digits("second")?;
    let (nanos, fraction_digits) = if c.eat(b'.') { parse_fraction(c)? } else { (0, 0) };
    check_time(c.ty, hour, minute, second, nanos)?;
    Ok(TimeFields { hour, minute, second, nanos, fraction_digits })
}

/// Parses an optional `Z` or `(+|-)hh:mm` time zone.
pub(super) fn parse_offset(c: &mut Cursor<'_>) -> Result<Option<TimeZoneOffset>, ValueError> {
    let negative = match c.peek() {
        Some(b'Z') => {
            c.pos += 1;
            return Ok(Some(TimeZoneOffset::Utc));
        }
        Some(b'+') => false,
        Some(b'-') => true,
        _ => return Ok(None),
    };
    c.pos += 1;
    let hours = c.two_digits("time zone hour")?;
    c.expect(b':', "':' in the time zone offset")?;
    let minutes = c.two_digits("time zone minute")?;
    if minutes > 59 {
        return Err(c.error(format!("time zone minute {minutes} is not within 0..=59")));
    }
    let total = i16::from(hours) * 60 + i16::from(minutes);
    let offset = TimeZoneOffset::Minutes(if negative { -total } else { total });
    offset.check(c.ty)?;
    Ok(Some(offset))
}

/// Writes `-?yyyy-mm-dd`.
pub(super) fn write_date(f: &mut fmt::Formatter<'_>, year: i32, month: u8, day: u8) -> fmt::Result {
    if year < 0 {
        f.write_str("-")?;
    }
    write!(f, "{:04}-{month:02}-{day:02}", year.unsigned_abs())
}

/// Writes `hh:mm:ss` and `digits` fractional digits of `nanos`.
pub(super) fn write_time(
    f: &mut fmt::Formatter<'_>,
    hour: u8,
    minute: u8,
    second: u8,
    nanos: u32,
    digits: u8,
) -> fmt::Result {
    write!(f, "{hour:02}:{minute:02}:{second:02}")?;
    write_fraction(f, nanos, digits)
}

/// Writes `.` and `digits` fractional digits of `nanos`, or nothing for 0 digits.
pub(super) fn write_fraction(f: &mut fmt::Formatter<'_>, nanos: u32, digits: u8) -> fmt::Result {
    let digits = digits.min(MAX_FRACTION_DIGITS);
    if digits == 0 {
        return Ok(());
    }
    let scaled = nanos / 10u32.pow(u32::from(MAX_FRACTION_DIGITS - digits));
    write!(f, ".{scaled:0width$}", width = usize::from(digits))
}

/// Writes the time zone, or nothing for `None`.
pub(super) fn write_offset(f: &mut fmt::Formatter<'_>, offset: Option<TimeZoneOffset>) -> fmt::Result {
    match offset {
        Some(o) => fmt::Display::fmt(&o, f),
        None => Ok(()),
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

    fn round_trip(text: &str) -> DateTime {
        let value = DateTime::parse_text(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(written(&value), text);
        assert_eq!(value.to_string(), text);
        assert_eq!(text.parse::<DateTime>().unwrap(), value);
        value
    }

    fn rejects(text: &str) -> ValueError {
        match DateTime::parse_text(text) {
            Ok(v) => panic!("{text:?} should be rejected, parsed as {v:?}"),
            Err(e) => {
                assert_eq!(e.expected, "xs:dateTime");
                e
            }
        }
    }

    #[test]
    fn parses_fields() {
        let v = round_trip("2026-01-31T12:00:00");
        assert_eq!((v.year(), v.month(), v.day()), (2026, 1, 31));
        assert_eq!((v.hour(), v.minute(), v.second()), (12, 0, 0));
        assert_eq!((v.nanos(), v.fraction_digits(), v.offset()), (0, 0, None));

        let v = round_trip("2026-01-31T12:00:00.1234567Z");
        assert_eq!((v.nanos(), v.fraction_digits()), (123_456_700, 7));
        assert_eq!(v.offset(), Some(TimeZoneOffset::Utc));

        let v = round_trip("2026-01-31T12:00:00+01:00");
        assert_eq!(v.offset(), Some(TimeZoneOffset::Minutes(60)));
        let v = round_trip("2026-01-31T23:59:59-05:30");
        assert_eq!(v.offset(), Some(TimeZoneOffset::Minutes(-330)));

        let v = round_trip("0001-01-01T00:00:00");
        assert_eq!(v, DateTime::default());
        let v = round_trip("-0044-03-15T00:00:00");
        assert_eq!(v.year(), -44);
    }

    #[test]
    fn round_trips_every_fraction_length() {
        for digits in 0..=9 {
            let mut text = "2026-01-31T12:34:56".to_owned();
            if digits > 0 {
                text.push('.');
                text.push_str(&"1234567089"[..digits]);
            }
            round_trip(&text);
            round_trip(&format!("{text}Z"));
            round_trip(&format!("{text}-08:00"));
        }
        let v = round_trip("2026-01-31T12:34:56.0000000");
        assert_eq!((v.nanos(), v.fraction_digits()), (0, 7));
        assert_ne!(v, DateTime::parse_text("2026-01-31T12:34:56").unwrap());
        let v = round_trip("2026-01-31T12:34:56.000000001");
        assert_eq!(v.nanos(), 1);
        let v = round_trip("2026-01-31T12:34:56.5");
        assert_eq!(v.nanos(), 500_000_000);
    }

    #[test]
    fn keeps_zone_representation() {
        let z = round_trip("2026-01-31T12:00:00Z");
        let plus = round_trip("2026-01-31T12:00:00+00:00");
        assert_ne!(z, plus);
        assert_eq!(plus.offset(), Some(TimeZoneOffset::Minutes(0)));
        round_trip("2026-01-31T12:00:00+14:00");
        round_trip("2026-01-31T12:00:00-14:00");
        round_trip("2026-01-31T12:00:00+05:45");
        // "-00:00" is accepted and means the same as "+00:00".
        assert_eq!(DateTime::parse_text("2026-01-31T12:00:00-00:00").unwrap(), plus);
    }

    #[test]
    fn calendar_edges() {
        round_trip("2024-02-29T00:00:00");
        round_trip("2000-02-29T00:00:00");
        round_trip("2026-12-31T23:59:59.999999999");
        round_trip("2026-01-31T24:00:00");
        round_trip("2026-01-31T24:00:00.000");
        round_trip("9999-12-31T23:59:59");
        round_trip("10000-01-01T00:00:00");
        round_trip("2147483647-12-31T00:00:00");
        round_trip("-2147483648-12-31T00:00:00");
        // 1 BCE is a leap year in XML Schema 1.0's numbering; 5 BCE too.
        round_trip("-0001-02-29T00:00:00");
        round_trip("-0005-02-29T00:00:00");
        rejects("-0004-02-29T00:00:00");
    }

    #[test]
    fn rejects_invalid_text() {
        for text in [
            "2026-02-30T00:00:00",
            "2026-1-1T00:00:00",
            "2026-01-01 00:00:00",
            "2026-01-01T00:00:00.",
            "2026-01-01T00:00:00Zjunk",
            "2026-01-01T00:00:00 ",
            "2026-01-01T00:00:00x",
            "2026-01-01T00:00:00.1234567890",
            "2026-01-01T00:00:00+15:00",
            "2026-01-01T00:00:00+14:01",
            "2026-01-01T00:00:00-14:30",
            "2026-01-01T00:00:00+01:60",
            "2026-01-01T00:00:00+1:00",
            "2026-01-01T00:00:00+0100",
            "2026-01-01T00:00:00+01",
            "2026-01-01T00:00:00+",
            "2026-01-01T00:00:00z",
            "2023-02-29T00:00:00",
            "1900-02-29T00:00:00",
            "2026-04-31T00:00:00",
            "2026-13-01T00:00:00",
            "2026-00-01T00:00:00",
            "2026-01-00T00:00:00",
            "2026-01-32T00:00:00",
            "2026-01-01T25:00:00",
            "2026-01-01T24:00:01",
            "2026-01-01T24:01:00",
            "2026-01-01T24:00:00.1",
            "2026-01-01T23:60:00",
            "2026-01-01T23:59:60",
            "2026-01-01T23:59:61",
            "2026-01-01T1:00:00",
            "2026-01-01T01:0:00",
            "2026-01-01T01:00:0",
            "2026-01-01T01:00:000",
            "2026-01-01T01:00",
            "2026-01-01T01-00-00",
            "2026-01-01",
            "2026-01-01T",
            "0000-01-01T00:00:00",
            "-0000-01-01T00:00:00",
            "026-01-01T00:00:00",
            "02026-01-01T00:00:00",
            "+2026-01-01T00:00:00",
            "--2026-01-01T00:00:00",
            "2147483648-01-01T00:00:00",
            "-2147483649-01-01T00:00:00",
            "99999999999999999999-01-01T00:00:00",
            "2026-001-01T00:00:00",
            "2026/01/01T00:00:00",
            "2026-01-01t00:00:00",
            "２０２６-01-01T00:00:00",
            "2026-01-01T00:00:00.１",
            "",
            "T",
            "-",
        ] {
            rejects(text);
        }
    }

    #[test]
    fn error_messages_name_the_problem() {
        assert!(rejects("2026-02-30T00:00:00").reason.contains("day 30"));
        assert!(rejects("2026-01-01T00:00:00.1234567890").reason.contains("9 fractional"));
        assert!(rejects("2026-01-01T00:00:00+15:00").reason.contains("14:00"));
        assert!(rejects("2026-01-01T00:00:00x").reason.contains("unexpected characters"));
        assert!(rejects("2026-01-01T23:59:60").reason.contains("leap"));
    }

    #[test]
    fn constructors() {
        let v = DateTime::new(2026, 1, 31, 12, 0, 0)
            .unwrap()
            .with_nanos(123_456_700, 7)
            .unwrap()
            .with_offset(Some(TimeZoneOffset::Utc))
            .unwrap();
        assert_eq!(v.to_string(), "2026-01-31T12:00:00.1234567Z");
        let v = v.with_offset(Some(TimeZoneOffset::from_minutes(-90).unwrap())).unwrap();
        assert_eq!(v.to_string(), "2026-01-31T12:00:00.1234567-01:30");
        let v = v.with_offset(None).unwrap().with_nanos(0, 0).unwrap();
        assert_eq!(v.to_string(), "2026-01-31T12:00:00");
        assert_eq!(DateTime::new(1, 1, 1, 0, 0, 0).unwrap(), DateTime::default());
        assert_eq!(DateTime::new(2026, 1, 31, 24, 0, 0).unwrap().to_string(), "2026-01-31T24:00:00");

        assert!(DateTime::new(2026, 2, 29, 0, 0, 0).is_err());
        assert!(DateTime::new(0, 1, 1, 0, 0, 0).is_err());
        assert!(DateTime::new(2026, 0, 1, 0, 0, 0).is_err());
        assert!(DateTime::new(2026, 1, 1, 24, 0, 1).is_err());
        assert!(DateTime::new(2026, 1, 1, 0, 60, 0).is_err());
        assert!(DateTime::new(2026, 1, 1, 0, 0, 60).is_err());
        let base = DateTime::default();
        assert!(base.with_nanos(1, 7).is_err());
        assert!(base.with_nanos(100, 7).is_ok());
        assert!(base.with_nanos(1, 10).is_err());
        assert!(base.with_nanos(1_000_000_000, 9).is_err());
        assert!(base.with_nanos(5, 0).is_err());
        assert!(DateTime::new(2026, 1, 1, 24, 0, 0).unwrap().with_nanos(100, 7).is_err());
        assert!(DateTime::new(2026, 1, 1, 24, 0, 0).unwrap().with_nanos(0, 3).is_ok());
        assert!(base.with_offset(Some(TimeZoneOffset::Minutes(841))).is_err());
        assert!(base.with_offset(Some(TimeZoneOffset::Minutes(i16::MIN))).is_err());
        assert!(TimeZoneOffset::from_minutes(-841).is_err());
        assert_eq!(TimeZoneOffset::from_minutes(840).unwrap().total_minutes(), 840);
        assert_eq!(TimeZoneOffset::Utc.total_minutes(), 0);
    }

    #[test]
    fn displays_offsets() {
        assert_eq!(TimeZoneOffset::Utc.to_string(), "Z");
        assert_eq!(TimeZoneOffset::Minutes(0).to_string(), "+00:00");
        assert_eq!(TimeZoneOffset::Minutes(-330).to_string(), "-05:30");
        assert_eq!(TimeZoneOffset::Minutes(840).to_string(), "+14:00");
        // Invalid offsets cannot get into a DateTime, but display without panicking.
        assert_eq!(TimeZoneOffset::Minutes(i16::MIN).to_string(), "-546:08");
        assert!(!TimeZoneOffset::Minutes(i16::MIN).is_valid());
    }

    #[test]
    fn never_panics_on_arbitrary_input() {
        let pieces = ["2026", "-", "01", "T", ":", "00", ".", "5", "Z", "+", "é", "24", "9", " ", "１"];
        // Every sequence of up to 4 pieces.
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for t in &texts {
                for p in pieces {
                    next.push(format!("{t}{p}"));
                }
            }
            texts.extend(next);
            texts.dedup();
        }
        for t in texts {
            let _ = DateTime::parse_text(&t);
            let _ = DateTime::parse_text(&format!("2026-01-01T00:00:00{t}"));
            let _ = DateTime::parse_text(&format!("2026-01-{t}"));
        }
    }
}
