//! `xs:duration`, keeping which components the text had so that it is written back exactly.

use std::fmt;
use std::str::FromStr;

use super::datetime::{Cursor, MAX_FRACTION_DIGITS, check_fraction, parse_fraction, write_fraction};
use super::{SimpleType, ValueError};
use crate::xml::XmlWriter;

const DURATION: &str = "xs:duration";

/// An `xs:duration` value such as `P1Y2M3DT4H5M6.7S` or `-PT5M`.
///
/// Each component is `None` when the text did not have it, so `P1D` and `P0Y1D` stay
/// distinct; equality and hashing compare this representation, not the length of time.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Duration {
    negative: bool,
    years: Option<u64>,
    months: Option<u64>,
    days: Option<u64>,
    hours: Option<u64>,
    minutes: Option<u64>,
    seconds: Option<u64>,
    nanos: u32,
    fraction_digits: u8,
}

impl Default for Duration {
    /// `PT0S`.
    fn default() -> Self {
        Self {
            negative: false,
            years: None,
            months: None,
            days: None,
            hours: None,
            minutes: None,
            seconds: Some(0),
            nanos: 0,
            fraction_digits: 0,
        }
    }
}

impl Duration {
    /// A positive duration with the given components (`None`: not written); an error if all
    /// are `None`.
    pub fn from_parts(
        years: Option<u64>,
        months: Option<u64>,
        days: Option<u64>,
        hours: Option<u64>,
        minutes: Option<u64>,
        seconds: Option<u64>,
    ) -> Result<Self, ValueError> {
        if [years, months, days, hours, minutes, seconds].iter().all(Option::is_none) {
            return Err(ValueError::new(DURATION, "a duration needs at least one component"));
        }
        Ok(Self { negative: false, years, months, days, hours, minutes, seconds, nanos: 0, fraction_digits: 0 })
    }

    /// The same components, negative (written with a leading `-`) or not.
    pub fn with_negative(self, negative: bool) -> Self {
        Self { negative, ..self }
    }

    /// The same duration with fractional seconds of `nanos` nanoseconds, written with
    /// `digits` fractional digits (0 to 9; `nanos` must be a multiple of `10^(9 - digits)`).
    /// Adds a zero seconds component if there is a fraction and no seconds.
    pub fn with_nanos(self, nanos: u32, digits: u8) -> Result<Self, ValueError> {
        check_fraction(DURATION, nanos, digits)?;
        let seconds = if digits > 0 { Some(self.seconds.unwrap_or(0)) } else { self.seconds };
        Ok(Self { seconds, nanos, fraction_digits: digits, ..self })
    }

    /// A duration of `d`, written in seconds only with the fewest fractional digits that
    /// keep it exact, e.g. `PT1.5S` or `PT90S`.
    pub fn from_std(d: std::time::Duration) -> Self {
        let nanos = d.subsec_nanos();
        let mut digits = if nanos == 0 { 0 } else { MAX_FRACTION_DIGITS };
        let mut rest = nanos;
        while digits > 0 && rest % 10 == 0 {
            rest /= 10;
            digits -= 1;
        }
        Self { seconds: Some(d.as_secs()), nanos, fraction_digits: digits, ..Self::default() }
    }

    /// The length of time, or `None` if it is negative (other than a negative zero), has a
    /// non-zero year or month component (which have no fixed length), or overflows.
    /// Days count as 86,400 seconds.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        if self.years.unwrap_or(0) != 0 || self.months.unwrap_or(0) != 0 {
            return None;
        }
        let secs = self
            .days
            .unwrap_or(0)
            .checked_mul(86_400)?
            .checked_add(self.hours.unwrap_or(0).checked_mul(3_600)?)?
            .checked_add(self.minutes.unwrap_or(0).checked_mul(60)?)?
            .checked_add(self.seconds.unwrap_or(0))?;
        if self.negative && (secs != 0 || self.nanos != 0) {
            return None;
        }
        // `nanos` is below one second, so this cannot overflow.
        Some(std::time::Duration::new(secs, self.nanos))
    }

    /// The length of time in nanoseconds, negative for a negative duration; an error for a
    /// non-zero year or month component (which have no fixed length). Days count as 86,400
    /// seconds. For the conversions to other crates' fixed-length durations.
    #[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
    pub(super) fn fixed_nanos(&self, target: &str) -> Result<i128, ValueError> {
        if self.years.unwrap_or(0) != 0 || self.months.unwrap_or(0) != 0 {
            return Err(ValueError::new(
                DURATION,
                format!(
                    "{self} has years or months, whose length varies: it has no fixed length to make a {target} of"
                ),
            ));
        }
        let seconds = i128::from(self.days.unwrap_or(0)) * 86_400
            + i128::from(self.hours.unwrap_or(0)) * 3_600
            + i128::from(self.minutes.unwrap_or(0)) * 60
            + i128::from(self.seconds.unwrap_or(0));
        let nanos = seconds * 1_000_000_000 + i128::from(self.nanos);
        Ok(if self.negative { -nanos } else { nanos })
    }

    /// A duration of `nanos` nanoseconds (negative: a negative duration), written in seconds
    /// only, as [`from_std`](Self::from_std) writes them: `PT90S`, `-PT0.25S`.
    #[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
    pub(super) fn from_fixed_nanos(nanos: i128) -> Self {
        let magnitude = nanos.unsigned_abs();
        let seconds = u64::try_from(magnitude / 1_000_000_000).unwrap_or(u64::MAX);
        let d = Self::from_std(std::time::Duration::new(seconds, (magnitude % 1_000_000_000) as u32));
        d.with_negative(nanos < 0)
    }

    /// Whether the duration is negative (written with a leading `-`).
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The years component, if written.
    pub fn years(&self) -> Option<u64> {
        self.years
    }

    /// The months component, if written.
    pub fn months(&self) -> Option<u64> {
        self.months
    }

    /// The days component, if written.
    pub fn days(&self) -> Option<u64> {
        self.days
    }

    /// The hours component, if written.
    pub fn hours(&self) -> Option<u64> {
        self.hours
    }

    /// The minutes component, if written.
    pub fn minutes(&self) -> Option<u64> {
        self.minutes
    }

    /// The whole seconds component, if written.
    pub fn seconds(&self) -> Option<u64> {
        self.seconds
    }

    /// The fractional seconds, in nanoseconds.
    pub fn nanos(&self) -> u32 {
        self.nanos
    }

    /// How many fractional second digits are written (0 to 9).
    pub fn fraction_digits(&self) -> u8 {
        self.fraction_digits
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.negative {
            f.write_str("-")?;
        }
        f.write_str("P")?;
        for (value, designator) in [(self.years, 'Y'), (self.months, 'M'), (self.days, 'D')] {
            if let Some(v) = value {
                write!(f, "{v}{designator}")?;
            }
        }
        let has_date = self.years.is_some() || self.months.is_some() || self.days.is_some();
        let has_time = self.hours.is_some() || self.minutes.is_some() || self.seconds.is_some();
        if has_time || !has_date {
            f.write_str("T")?;
        }
        for (value, designator) in [(self.hours, 'H'), (self.minutes, 'M')] {
            if let Some(v) = value {
                write!(f, "{v}{designator}")?;
            }
        }
        if let Some(s) = self.seconds {
            write!(f, "{s}")?;
            write_fraction(f, self.nanos, self.fraction_digits)?;
            f.write_str("S")?;
        } else if !has_date && !has_time {
            // Not reachable through the constructors; keeps the text valid.
            f.write_str("0S")?;
        }
        Ok(())
    }
}

impl FromStr for Duration {
    type Err = ValueError;

    fn from_str(s: &str) -> Result<Self, ValueError> {
        Self::parse_text(s)
    }
}

impl SimpleType for Duration {
    fn write_text(&self, w: &mut XmlWriter) {
        w.raw(&self.to_string());
    }

    /// Parses `-?P(nY)?(nM)?(nD)?(T(nH)?(nM)?(n(.n+)?S)?)?` with at least one component, and
    /// at least one after a `T`.
    fn parse_text(text: &str) -> Result<Self, ValueError> {
        let mut c = Cursor::new(text, DURATION);
        let negative = c.eat(b'-');
        c.expect(b'P', "'P' at the start of a duration")?;
        let mut d = Self {
            negative,
            years: None,
            months: None,
            days: None,
            hours: None,
            minutes: None,
            seconds: None,
            nanos: 0,
            fraction_digits: 0,
        };
        // Index of the last component read: 0..=2 for Y M D, 3..=5 for H M S.
        let mut last: Option<usize> = None;
        let mut in_time = false;
        let mut time_components = 0;
        loop {
            match c.peek() {
                None => break,
                Some(b'T') => {
                    if in_time {
                        return Err(c.error("'T' may appear only once"));
                    }
                    c.eat(b'T');
                    in_time = true;
                    continue;
                }
                Some(_) => {}
            }
            let digits = c.digits();
            if digits.is_empty() {
                return Err(c.error("expected a number followed by one of Y, M, D, H, M, S"));
            }
            let fraction = if c.eat(b'.') { Some(parse_fraction(&mut c)?) } else { None };
            let index = match (in_time, c.peek()) {
                (false, Some(b'Y')) => 0,
                (false, Some(b'M')) => 1,
                (false, Some(b'D')) => 2,
                (true, Some(b'H')) => 3,
                (true, Some(b'M')) => 4,
                (true, Some(b'S')) => 5,
                (false, Some(b'H' | b'S')) => {
                    return Err(c.error("hours and seconds must come after 'T'"));
                }
                (true, Some(b'Y' | b'D')) => {
                    return Err(c.error("years and days must come before 'T'"));
                }
                (_, None) => return Err(c.error("the text ends where a designator (Y, M, D, H, M, S) was expected")),
                (_, Some(_)) => return Err(c.error("expected a designator (Y, M, D, H, M, S) after a number")),
            };
            if let Some(designator) = c.peek() {
                c.eat(designator);
            }
            if last.is_some_and(|l| index <= l) {
                return Err(c.error("components must be in the order Y, M, D, T, H, M, S, each at most once"));
            }
            last = Some(index);
            if fraction.is_some() && index != 5 {
                return Err(c.error("only the seconds may have a fraction"));
            }
            let mut value: u64 = 0;
            for &b in digits {
                value = value
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(u64::from(b - b'0')))
                    .ok_or_else(|| c.error("a component is out of range (more than 18446744073709551615)"))?;
            }
            let slot = match index {
                0 => &mut d.years,
                1 => &mut d.months,
                2 => &mut d.days,
                3 => &mut d.hours,
                4 => &mut d.minutes,
                _ => &mut d.seconds,
            };
            *slot = Some(value);
            if let Some((nanos, digits)) = fraction {
                d.nanos = nanos;
                d.fraction_digits = digits;
            }
            if in_time {
                time_components += 1;
            }
        }
        if in_time && time_components == 0 {
            return Err(c.error("'T' must be followed by at least one of hours, minutes, seconds"));
        }
        if last.is_none() {
            return Err(c.error("a duration needs at least one component"));
        }
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(value: &Duration) -> String {
        let mut w = XmlWriter::new();
        value.write_text(&mut w);
        String::from_utf8(w.as_bytes().to_vec()).unwrap()
    }

    fn round_trip(text: &str) -> Duration {
        let value = Duration::parse_text(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(written(&value), text);
        assert_eq!(value.to_string(), text);
        assert_eq!(text.parse::<Duration>().unwrap(), value);
        value
    }

    fn rejects(text: &str) -> ValueError {
        match Duration::parse_text(text) {
            Ok(v) => panic!("{text:?} should be rejected, parsed as {v:?}"),
            Err(e) => {
                assert_eq!(e.expected, "xs:duration");
                e
            }
        }
    }

    #[test]
    fn round_trips() {
        let d = round_trip("P10675199DT2H48M5.4775807S");
        assert_eq!(d.days(), Some(10_675_199));
        assert_eq!((d.hours(), d.minutes(), d.seconds()), (Some(2), Some(48), Some(5)));
        assert_eq!((d.nanos(), d.fraction_digits()), (477_580_700, 7));
        assert_eq!(d.to_std(), Some(std::time::Duration::new(922_337_203_685, 477_580_700)));

        let d = round_trip("-PT5M");
        assert!(d.is_negative());
        assert_eq!(d.minutes(), Some(5));
        assert_eq!(d.to_std(), None);

        let d = round_trip("P1Y2M3DT4H5M6.7S");
        assert_eq!(
            (d.years(), d.months(), d.days(), d.hours(), d.minutes(), d.seconds()),
            (Some(1), Some(2), Some(3), Some(4), Some(5), Some(6))
        );
        assert_eq!(d.nanos(), 700_000_000);
        assert_eq!(d.to_std(), None);

        for text in [
            "P1D",
            "P0Y1D",
            "PT0S",
            "-PT0S",
            "P0D",
            "P1Y",
            "P1M",
            "PT1M",
            "P1MT1M",
            "PT1H",
            "PT1S",
            "PT0.5S",
            "PT1.000000000S",
            "PT0.000000001S",
            "P1YT1S",
            "P1DT1H",
            "PT36H",
            "PT90M",
            "PT3600S",
            "P18446744073709551615Y18446744073709551615M",
            "-P1Y2M3DT4H5M6.123456789S",
        ] {
            round_trip(text);
        }
        assert_ne!(Duration::parse_text("P1D").unwrap(), Duration::parse_text("P0Y1D").unwrap());
    }

    #[test]
    fn rejects_invalid_text() {
        for text in [
            "",
            "P",
            "PT",
            "P1H",
            "1D",
            "P-1D",
            "-P",
            "-PT",
            "+P1D",
            "--P1D",
            "P1DT",
            "P1YT",
            "P1D2H",
            "PT1D",
            "PT1Y",
            "P1S",
            "P1M1Y",
            "P1D1D",
            "PT1S1M",
            "PT1M1H",
            "PT1H1H",
            "P1DT1HT1M",
            "PTT1H",
            "P1.5D",
            "PT1.5M",
            "PT1.5H",
            "P1.5Y",
            "PT1.S",
            "PT.5S",
            "PT1.1234567890S",
            "P1",
            "PT1",
            "P1X",
            "p1D",
            "P1d",
            "pt1s",
            "P 1D",
            "P1D ",
            " P1D",
            "P1,5D",
            "PT1,5S",
            "P18446744073709551616D",
            "PT99999999999999999999S",
            "P1Y-2M",
            "P１D",
            "Pé",
            "P1DZ",
        ] {
            rejects(text);
        }
        assert!(rejects("P18446744073709551616D").reason.contains("out of range"));
        assert!(rejects("PT1.1234567890S").reason.contains("9 fractional"));
        assert!(rejects("PT").reason.contains("'T' must be followed"));
    }

    #[test]
    fn default_is_zero_seconds() {
        let d = Duration::default();
        assert_eq!(written(&d), "PT0S");
        assert_eq!(Duration::parse_text("PT0S").unwrap(), d);
        assert_eq!(d.to_std(), Some(std::time::Duration::ZERO));
        assert_eq!(Duration::parse_text("-PT0S").unwrap().to_std(), Some(std::time::Duration::ZERO));
    }

    #[test]
    fn std_conversions() {
        let d = Duration::from_std(std::time::Duration::from_millis(1500));
        assert_eq!(d.to_string(), "PT1.5S");
        assert_eq!(d.to_std(), Some(std::time::Duration::from_millis(1500)));
        assert_eq!(Duration::from_std(std::time::Duration::from_secs(90)).to_string(), "PT90S");
        assert_eq!(Duration::from_std(std::time::Duration::ZERO), Duration::default());
        assert_eq!(Duration::from_std(std::time::Duration::from_nanos(1)).to_string(), "PT0.000000001S");
        assert_eq!(Duration::from_std(std::time::Duration::new(3, 120_000_000)).to_string(), "PT3.12S");
        let max = std::time::Duration::MAX;
        let d = Duration::from_std(max);
        assert_eq!(d.to_string(), "PT18446744073709551615.999999999S");
        assert_eq!(d.to_std(), Some(max));
        assert_eq!(Duration::parse_text(&d.to_string()).unwrap(), d);

        assert_eq!(Duration::parse_text("P0Y0MT1S").unwrap().to_std(), Some(std::time::Duration::from_secs(1)));
        assert_eq!(
            Duration::parse_text("P1DT1H1M1.25S").unwrap().to_std(),
            Some(std::time::Duration::new(90_061, 250_000_000))
        );
        assert_eq!(Duration::parse_text("P1M").unwrap().to_std(), None);
        assert_eq!(Duration::parse_text("P1Y").unwrap().to_std(), None);
        assert_eq!(Duration::parse_text("P18446744073709551615D").unwrap().to_std(), None);
        assert_eq!(Duration::parse_text("PT18446744073709551615H").unwrap().to_std(), None);
        assert_eq!(
            Duration::parse_text("PT18446744073709551615S").unwrap().to_std().map(|d| d.as_secs()),
            Some(u64::MAX)
        );
        assert_eq!(Duration::parse_text("-P1D").unwrap().to_std(), None);
    }

    #[test]
    fn constructors() {
        let d = Duration::from_parts(Some(1), None, Some(3), None, Some(5), None).unwrap();
        assert_eq!(d.to_string(), "P1Y3DT5M");
        assert_eq!(d.clone().with_negative(true).to_string(), "-P1Y3DT5M");
        assert_eq!(d.with_nanos(500_000_000, 1).unwrap().to_string(), "P1Y3DT5M0.5S");
        let d = Duration::from_parts(None, None, None, None, None, Some(6)).unwrap();
        assert_eq!(d.clone().with_nanos(700_000_000, 3).unwrap().to_string(), "PT6.700S");
        assert!(d.clone().with_nanos(1, 3).is_err());
        assert!(d.clone().with_nanos(0, 10).is_err());
        assert!(d.with_nanos(1_000_000_000, 9).is_err());
        assert!(Duration::from_parts(None, None, None, None, None, None).is_err());
        assert_eq!(Duration::from_parts(None, None, Some(2), None, None, None).unwrap().to_string(), "P2D");
    }

    #[test]
    fn never_panics_on_arbitrary_input() {
        let pieces = ["-", "P", "T", "1", ".", "5", "Y", "M", "D", "H", "S", "é", "99999999999"];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let next: Vec<String> = texts.iter().flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}"))).collect();
            texts.extend(next);
        }
        for t in texts {
            if let Ok(d) = Duration::parse_text(&t) {
                assert_eq!(d.to_string(), t);
            }
            let _ = Duration::parse_text(&format!("P{t}"));
            let _ = Duration::parse_text(&format!("-PT{t}"));
        }
    }
}
