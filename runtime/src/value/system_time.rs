//! `xs:dateTime` to and from `std::time::SystemTime`, without any feature.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::calendar::{from_instant, instant};
use super::{DateTime, TimeZoneOffset, ValueError};

/// The instant a `DateTime` names; an error when it has no time zone (its instant depends on a
/// zone the text does not give) or lies outside what `SystemTime` holds. `24:00:00` is the next
/// day's midnight.
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use wsdlgen_runtime::DateTime;
///
/// let t: DateTime = "2026-12-07T10:30:00.5+01:00".parse()?;
/// let at = SystemTime::try_from(t)?;
/// assert_eq!(at, UNIX_EPOCH + Duration::new(1_796_635_800, 500_000_000));
///
/// let no_zone: DateTime = "2026-12-07T10:30:00".parse()?;
/// assert!(SystemTime::try_from(no_zone).is_err());
/// # Ok::<(), wsdlgen_runtime::ValueError>(())
/// ```
impl TryFrom<DateTime> for SystemTime {
    type Error = ValueError;

    fn try_from(value: DateTime) -> Result<Self, ValueError> {
        let (seconds, nanos) = instant(&value)?;
        let out_of_range = || ValueError::new("xs:dateTime", format!("{value} is out of the range of SystemTime"));
        if seconds >= 0 {
            UNIX_EPOCH.checked_add(Duration::new(seconds.unsigned_abs(), nanos)).ok_or_else(out_of_range)
        } else {
            // `nanos` counts forward from `seconds`, which lies before the epoch.
            UNIX_EPOCH
                .checked_sub(Duration::from_secs(seconds.unsigned_abs()))
                .and_then(|t| t.checked_add(Duration::from_nanos(u64::from(nanos))))
                .ok_or_else(out_of_range)
        }
    }
}

/// The instant in UTC (`Z`), with the fewest fractional digits that keep it exact; an error
/// only for an instant whose year does not fit an `i32`.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use wsdlgen_runtime::DateTime;
///
/// let t = DateTime::try_from(UNIX_EPOCH + Duration::from_millis(1_796_635_800_250))?;
/// assert_eq!(t.to_string(), "2026-12-07T09:30:00.25Z");
/// # Ok::<(), wsdlgen_runtime::ValueError>(())
/// ```
impl TryFrom<SystemTime> for DateTime {
    type Error = ValueError;

    fn try_from(value: SystemTime) -> Result<Self, ValueError> {
        let too_far = || ValueError::new("xs:dateTime", "the instant is out of the supported range");
        let (seconds, nanos) = match value.duration_since(UNIX_EPOCH) {
            Ok(after) => (i64::try_from(after.as_secs()).map_err(|_| too_far())?, after.subsec_nanos()),
            Err(before) => {
                let before = before.duration();
                let seconds = i64::try_from(before.as_secs()).map_err(|_| too_far())?;
                match before.subsec_nanos() {
                    0 => (-seconds, 0),
                    n => (-seconds - 1, 1_000_000_000 - n),
                }
            }
        };
        from_instant(seconds, nanos, TimeZoneOffset::Utc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> DateTime {
        text.parse().unwrap()
    }

    #[test]
    fn instants_round_trip_through_system_time() {
        for (text, utc) in [
            ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"),
            ("2026-12-07T10:30:00.123456789+01:00", "2026-12-07T09:30:00.123456789Z"),
            ("1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.5Z"),
            ("1900-02-28T23:00:00-01:00", "1900-03-01T00:00:00Z"),
            // 24:00:00 is the next day's midnight.
            ("2026-12-31T24:00:00Z", "2027-01-01T00:00:00Z"),
            ("-0001-12-31T23:59:59Z", "-0001-12-31T23:59:59Z"),
            ("12026-06-01T12:00:00+14:00", "12026-05-31T22:00:00Z"),
        ] {
            let at = SystemTime::try_from(parse(text)).unwrap();
            assert_eq!(DateTime::try_from(at).unwrap().to_string(), utc, "{text}");
        }
    }

    #[test]
    fn a_value_without_a_zone_names_no_instant() {
        let e = SystemTime::try_from(parse("2026-12-07T10:30:00")).unwrap_err();
        assert!(e.reason.contains("no time zone"), "{e}");
    }

    #[test]
    fn zero_and_plus_zero_name_the_same_instant() {
        let z = SystemTime::try_from(parse("2026-01-01T00:00:00Z")).unwrap();
        let plus = SystemTime::try_from(parse("2026-01-01T00:00:00+00:00")).unwrap();
        assert_eq!(z, plus);
        assert_eq!(z.duration_since(UNIX_EPOCH).unwrap().as_secs(), 1_767_225_600);
    }
}
