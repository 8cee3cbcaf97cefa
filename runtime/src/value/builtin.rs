//! The XML Schema built-in types that map onto Rust primitives and common library types:
//! integers, floating point numbers, booleans, strings, `xs:decimal`, WCF's `guid` and
//! `xs:base64Binary`.

use std::ops::Deref;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::{SimpleType, ValueError};
use crate::xml::XmlWriter;

// ---------------------------------------------------------------------------------------------
// Integers
// ---------------------------------------------------------------------------------------------

/// Splits an XSD integer lexical form (`[+-]?[0-9]+`) into its sign and magnitude.
///
/// The magnitude is accumulated in a `u64`, which is wide enough for every fixed-size XSD
/// integer type (the largest magnitude needed is `2^64 - 1` for `xs:unsignedLong`).
fn parse_integer<T: Bounds>(text: &str, ty: &'static str) -> Result<(bool, u64), ValueError> {
    let bytes = text.as_bytes();
    let (negative, digits) = match bytes.split_first() {
        Some((b'+', rest)) => (false, rest),
        Some((b'-', rest)) => (true, rest),
        Some(_) => (false, bytes),
        None => return Err(ValueError::new(ty, "empty text is not an integer")),
    };
    if digits.is_empty() {
        return Err(ValueError::new(ty, "a sign must be followed by at least one digit"));
    }
    if !digits.iter().all(u8::is_ascii_digit) {
        return Err(ValueError::new(ty, "an integer may contain only an optional sign and the digits 0-9"));
    }
    let mut magnitude: u64 = 0;
    for &b in digits {
        magnitude = magnitude
            .checked_mul(10)
            .and_then(|m| m.checked_add(u64::from(b - b'0')))
            .ok_or_else(|| out_of_range::<T>(ty))?;
    }
    Ok((negative, magnitude))
}

fn out_of_range<T: Bounds>(ty: &'static str) -> ValueError {
    ValueError::new(ty, format!("value out of range {}..={}", T::MIN_TEXT, T::MAX_TEXT))
}

macro_rules! signed_integer {
    ($($t:ty => $name:literal),* $(,)?) => {$(
        impl SimpleType for $t {
            fn write_text(&self, w: &mut XmlWriter) {
                let mut buf = itoa::Buffer::new();
                w.raw(buf.format(*self));
            }

            fn parse_text(text: &str) -> Result<Self, ValueError> {
                let (negative, magnitude) = parse_integer::<$t>(text, $name)?;
                let wide = if negative { -i128::from(magnitude) } else { i128::from(magnitude) };
                <$t>::try_from(wide).map_err(|_| out_of_range::<$t>($name))
            }
        }
    )*};
}

macro_rules! unsigned_integer {
    ($($t:ty => $name:literal),* $(,)?) => {$(
        impl SimpleType for $t {
            fn write_text(&self, w: &mut XmlWriter) {
                let mut buf = itoa::Buffer::new();
                w.raw(buf.format(*self));
            }

            fn parse_text(text: &str) -> Result<Self, ValueError> {
                let (negative, magnitude) = parse_integer::<$t>(text, $name)?;
                // XSD allows a minus sign on a zero value of the unsigned types ("-0").
                if negative && magnitude != 0 {
                    return Err(out_of_range::<$t>($name));
                }
                <$t>::try_from(magnitude).map_err(|_| out_of_range::<$t>($name))
            }
        }
    )*};
}

/// Decimal bounds of the integer types, for error messages.
trait Bounds {
    const MIN_TEXT: &'static str;
    const MAX_TEXT: &'static str;
}

macro_rules! bounds {
    ($($t:ty => $min:literal, $max:literal);* $(;)?) => {$(
        impl Bounds for $t {
            const MIN_TEXT: &'static str = $min;
            const MAX_TEXT: &'static str = $max;
        }
    )*};
}

bounds! {
    i8 => "-128", "127";
    i16 => "-32768", "32767";
    i32 => "-2147483648", "2147483647";
    i64 => "-9223372036854775808", "9223372036854775807";
    u8 => "0", "255";
    u16 => "0", "65535";
    u32 => "0", "4294967295";
    u64 => "0", "18446744073709551615";
}

signed_integer! {
    i8 => "xs:byte",
    i16 => "xs:short",
    i32 => "xs:int",
    i64 => "xs:long",
}

unsigned_integer! {
    u8 => "xs:unsignedByte",
    u16 => "xs:unsignedShort",
    u32 => "xs:unsignedInt",
    u64 => "xs:unsignedLong",
}

// ---------------------------------------------------------------------------------------------
// Floating point
// ---------------------------------------------------------------------------------------------

/// What kind of `xs:float`/`xs:double` lexical form a text is.
enum FloatLexical {
    PositiveInfinity,
    NegativeInfinity,
    NaN,
    Number,
}

/// Checks the XSD lexical form of a float or double:
/// `[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?`, `INF`, `+INF`, `-INF` or `NaN`.
fn check_float(text: &str, ty: &'static str) -> Result<FloatLexical, ValueError> {
    match text {
        "INF" | "+INF" => return Ok(FloatLexical::PositiveInfinity),
        "-INF" => return Ok(FloatLexical::NegativeInfinity),
        "NaN" => return Ok(FloatLexical::NaN),
        "" => return Err(ValueError::new(ty, "empty text is not a number")),
        _ => {}
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    let digits_from = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let int_end = digits_from(i);
    let mut mantissa_digits = int_end - i;
    i = int_end;
    if bytes.get(i) == Some(&b'.') {
        let frac_end = digits_from(i + 1);
        mantissa_digits += frac_end - (i + 1);
        i = frac_end;
    }
    if mantissa_digits == 0 {
        return Err(ValueError::new(
            ty,
            "expected digits, optionally with a '.' and an exponent, or one of INF, -INF, NaN",
        ));
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_end = digits_from(i);
        if exp_end == i {
            return Err(ValueError::new(ty, "the exponent must have at least one digit"));
        }
        i = exp_end;
    }
    if i != bytes.len() {
        return Err(ValueError::new(ty, "unexpected characters in number"));
    }
    Ok(FloatLexical::Number)
}

macro_rules! float {
    ($($t:ty => $name:literal),* $(,)?) => {$(
        impl SimpleType for $t {
            fn write_text(&self, w: &mut XmlWriter) {
                if self.is_nan() {
                    w.raw("NaN");
                } else if self.is_infinite() {
                    w.raw(if self.is_sign_negative() { "-INF" } else { "INF" });
                } else {
                    let mut buf = ryu::Buffer::new();
                    w.raw(buf.format_finite(*self));
                }
            }

            fn parse_text(text: &str) -> Result<Self, ValueError> {
                match check_float(text, $name)? {
                    FloatLexical::PositiveInfinity => Ok(<$t>::INFINITY),
                    FloatLexical::NegativeInfinity => Ok(<$t>::NEG_INFINITY),
                    FloatLexical::NaN => Ok(<$t>::NAN),
                    FloatLexical::Number => text
                        .parse::<$t>()
                        .map_err(|e| ValueError::new($name, format!("invalid number: {e}"))),
                }
            }
        }
    )*};
}

float! {
    f32 => "xs:float",
    f64 => "xs:double",
}

// ---------------------------------------------------------------------------------------------
// Boolean and string
// ---------------------------------------------------------------------------------------------

impl SimpleType for bool {
    fn write_text(&self, w: &mut XmlWriter) {
        w.raw(if *self { "true" } else { "false" });
    }

    fn parse_text(text: &str) -> Result<Self, ValueError> {
        match text {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(ValueError::new("xs:boolean", "expected one of true, false, 1, 0")),
        }
    }
}

/// An `xs:boolean` whose type allows only the forms `1` and `0` (a pattern facet, as on SOAP
/// 1.1's `mustUnderstand`): written as `1`/`0`, read from any boolean form.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NumericBool(pub bool);

impl From<bool> for NumericBool {
    fn from(value: bool) -> Self {
        Self(value)
    }
}

impl From<NumericBool> for bool {
    fn from(value: NumericBool) -> Self {
        value.0
    }
}

impl Deref for NumericBool {
    type Target = bool;

    fn deref(&self) -> &bool {
        &self.0
    }
}

impl SimpleType for NumericBool {
    fn write_text(&self, w: &mut XmlWriter) {
        w.raw(if self.0 { "1" } else { "0" });
    }

    fn parse_text(text: &str) -> Result<Self, ValueError> {
        bool::parse_text(text).map(Self)
    }
}

impl SimpleType for String {
    const COLLAPSE: bool = false;

    fn write_text(&self, w: &mut XmlWriter) {
        w.text(self);
    }

    fn parse_text(text: &str) -> Result<Self, ValueError> {
        Ok(text.to_owned())
    }
}

// ---------------------------------------------------------------------------------------------
// xs:decimal
// ---------------------------------------------------------------------------------------------

const DECIMAL: &str = "xs:decimal";

/// The largest scale (number of fractional digits) a `rust_decimal::Decimal` can hold.
const MAX_DECIMAL_SCALE: usize = 28;

impl SimpleType for Decimal {
    fn write_text(&self, w: &mut XmlWriter) {
        w.raw(&self.to_string());
    }

    /// Parses `[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)`, keeping the number of fractional digits as
    /// the scale. Values that do not fit the 96-bit mantissa or need more than 28 fractional
    /// digits are errors rather than being rounded (trailing fractional zeros beyond the 28th
    /// digit are dropped, as they do not change the value).
    fn parse_text(text: &str) -> Result<Self, ValueError> {
        let bytes = text.as_bytes();
        let (negative, rest) = match bytes.split_first() {
            Some((b'+', rest)) => (false, rest),
            Some((b'-', rest)) => (true, rest),
            Some(_) => (false, bytes),
            None => return Err(ValueError::new(DECIMAL, "empty text is not a decimal")),
        };
        let int_len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let (int_digits, after) = rest.split_at(int_len);
        let mut frac_digits: &[u8] = &[];
        match after.split_first() {
            None => {}
            Some((b'.', frac)) => {
                if !frac.iter().all(u8::is_ascii_digit) {
                    return Err(ValueError::new(DECIMAL, "unexpected characters after the fractional digits"));
                }
                frac_digits = frac;
            }
            Some((b'e' | b'E', _)) => {
                return Err(ValueError::new(DECIMAL, "exponents are not allowed in a decimal"));
            }
            Some(_) => {
                return Err(ValueError::new(
                    DECIMAL,
                    "a decimal may contain only an optional sign, the digits 0-9 and one '.'",
                ));
            }
        }
        if int_digits.is_empty() && frac_digits.is_empty() {
            return Err(ValueError::new(DECIMAL, "a decimal must have at least one digit"));
        }
        while frac_digits.len() > MAX_DECIMAL_SCALE && frac_digits.last() == Some(&b'0') {
            frac_digits = &frac_digits[..frac_digits.len() - 1];
        }
        if frac_digits.len() > MAX_DECIMAL_SCALE {
            return Err(ValueError::new(
                DECIMAL,
                "more than 28 fractional digits: the value exceeds the 96-bit decimal range",
            ));
        }
        let mut mantissa: u128 = 0;
        const LIMIT: u128 = 1 << 96;
        for &b in int_digits.iter().chain(frac_digits) {
            mantissa = mantissa
                .checked_mul(10)
                .and_then(|m| m.checked_add(u128::from(b - b'0')))
                .filter(|&m| m < LIMIT)
                .ok_or_else(|| {
                    ValueError::new(DECIMAL, "too many significant digits: the value exceeds the 96-bit decimal range")
                })?;
        }
        let lo = (mantissa & 0xFFFF_FFFF) as u32;
        let mid = ((mantissa >> 32) & 0xFFFF_FFFF) as u32;
        let hi = ((mantissa >> 64) & 0xFFFF_FFFF) as u32;
        // A negative zero is written as a plain zero.
        let negative = negative && mantissa != 0;
        // The scale is at most 28, checked above.
        Ok(Decimal::from_parts(lo, mid, hi, negative, frac_digits.len() as u32))
    }
}

// ---------------------------------------------------------------------------------------------
// guid
// ---------------------------------------------------------------------------------------------

const GUID: &str = "ser:guid";

impl SimpleType for Uuid {
    fn write_text(&self, w: &mut XmlWriter) {
        let mut buf = Uuid::encode_buffer();
        w.raw(self.hyphenated().encode_lower(&mut buf));
    }

    /// Parses only the hyphenated `8-4-4-4-12` form (hex digits of either case), which is
    /// the pattern of WCF's `guid` type.
    fn parse_text(text: &str) -> Result<Self, ValueError> {
        // `try_parse_ascii` also takes the simple, braced and URN forms: only 36 characters
        // are the hyphenated one.
        if text.len() != 36 {
            return Err(ValueError::new(GUID, "expected 36 characters in the form 8-4-4-4-12"));
        }
        Uuid::try_parse_ascii(text.as_bytes())
            .map_err(|e| ValueError::new(GUID, format!("not in the form 8-4-4-4-12 of hexadecimal digits: {e}")))
    }
}

// ---------------------------------------------------------------------------------------------
// xs:base64Binary
// ---------------------------------------------------------------------------------------------

const BASE64: &str = "xs:base64Binary";

/// Binary data written as `xs:base64Binary` (standard alphabet, padded).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Base64Binary(pub Vec<u8>);

impl Base64Binary {
    /// The bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl From<Vec<u8>> for Base64Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl From<&[u8]> for Base64Binary {
    fn from(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }
}

impl From<Base64Binary> for Vec<u8> {
    fn from(value: Base64Binary) -> Self {
        value.0
    }
}

impl Deref for Base64Binary {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for Base64Binary {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

fn is_xml_space(b: &u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

impl SimpleType for Base64Binary {
    fn write_text(&self, w: &mut XmlWriter) {
        w.raw(&STANDARD.encode(&self.0));
    }

    /// Decodes the standard alphabet, ignoring XML whitespace anywhere in the text. Padding
    /// may be omitted altogether, but if present it must be complete, and the unused bits of
    /// the last character must be zero.
    fn parse_text(text: &str) -> Result<Self, ValueError> {
        let bytes = text.as_bytes();
        let compact: Vec<u8>;
        let input = if bytes.iter().any(is_xml_space) {
            compact = bytes.iter().copied().filter(|b| !is_xml_space(b)).collect();
            &compact[..]
        } else {
            bytes
        };
        // Padding, if any, must be complete; text without any padding is accepted too.
        let decoded = if input.contains(&b'=') { STANDARD.decode(input) } else { STANDARD_NO_PAD.decode(input) };
        decoded.map(Self).map_err(|e| ValueError::new(BASE64, format!("invalid base64: {e}")))
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

    /// Parses `text`, writes it back and checks the text and the value survive.
    fn round_trip<T: SimpleType + PartialEq + std::fmt::Debug>(text: &str) -> T {
        let value = T::parse_text(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(written(&value), text, "writing back {text:?}");
        assert_eq!(T::parse_text(&written(&value)).unwrap(), value);
        value
    }

    fn rejects<T: SimpleType + std::fmt::Debug>(text: &str, expected: &str) -> ValueError {
        match T::parse_text(text) {
            Ok(v) => panic!("{text:?} should be rejected, parsed as {v:?}"),
            Err(e) => {
                assert_eq!(e.expected, expected, "{text:?}: {e}");
                e
            }
        }
    }

    #[test]
    fn numeric_booleans_are_written_as_digits() {
        assert_eq!(round_trip::<NumericBool>("1"), NumericBool(true));
        assert_eq!(round_trip::<NumericBool>("0"), NumericBool(false));
        assert_eq!(written(&NumericBool::parse_text("true").unwrap()), "1");
        assert_eq!(written(&NumericBool::parse_text("false").unwrap()), "0");
        rejects::<NumericBool>("yes", "xs:boolean");
    }

    #[test]
    fn integers_round_trip() {
        assert_eq!(round_trip::<i32>("0"), 0);
        assert_eq!(round_trip::<i32>("-2147483648"), i32::MIN);
        assert_eq!(round_trip::<i32>("2147483647"), i32::MAX);
        assert_eq!(round_trip::<i8>("-128"), i8::MIN);
        assert_eq!(round_trip::<i16>("32767"), i16::MAX);
        assert_eq!(round_trip::<i64>("-9223372036854775808"), i64::MIN);
        assert_eq!(round_trip::<i64>("9223372036854775807"), i64::MAX);
        assert_eq!(round_trip::<u8>("255"), u8::MAX);
        assert_eq!(round_trip::<u16>("65535"), u16::MAX);
        assert_eq!(round_trip::<u32>("4294967295"), u32::MAX);
        assert_eq!(round_trip::<u64>("18446744073709551615"), u64::MAX);
    }

    #[test]
    fn integers_accept_signs_and_leading_zeros() {
        assert_eq!(i32::parse_text("+42").unwrap(), 42);
        assert_eq!(i32::parse_text("-0042").unwrap(), -42);
        assert_eq!(i32::parse_text("-0").unwrap(), 0);
        assert_eq!(u32::parse_text("+7").unwrap(), 7);
        assert_eq!(u32::parse_text("-0").unwrap(), 0);
        assert_eq!(u64::parse_text("000000000000000000000000018446744073709551615").unwrap(), u64::MAX);
        assert_eq!(written(&-5i8), "-5");
    }

    #[test]
    fn integers_reject() {
        for text in ["", "+", "-", "1.0", "1e3", " 1", "1 ", "0x10", "++1", "+-1", "1_000", "١"] {
            rejects::<i32>(text, "xs:int");
        }
        let e = rejects::<i32>("2147483648", "xs:int");
        assert!(e.reason.contains("out of range"), "{e}");
        let e = rejects::<i32>("-2147483649", "xs:int");
        assert!(e.reason.contains("out of range"), "{e}");
        let e = rejects::<i64>("99999999999999999999999999", "xs:long");
        assert!(e.reason.contains("out of range"), "{e}");
        let e = rejects::<u8>("256", "xs:unsignedByte");
        assert!(e.reason.contains("out of range"), "{e}");
        let e = rejects::<u32>("-1", "xs:unsignedInt");
        assert!(e.reason.contains("out of range"), "{e}");
        rejects::<i8>("128", "xs:byte");
        rejects::<i16>("-32769", "xs:short");
        rejects::<u16>("65536", "xs:unsignedShort");
        rejects::<u64>("18446744073709551616", "xs:unsignedLong");
    }

    #[test]
    fn floats_round_trip() {
        for text in ["1.5", "-1.5", "1e300", "1e-300", "0.1", "3.0", "-0.0", "0.0", "INF", "-INF", "5e-324"] {
            round_trip::<f64>(text);
        }
        for text in ["1.5", "0.1", "3.4028235e38", "INF", "-INF", "1e-45"] {
            round_trip::<f32>(text);
        }
        assert_eq!(written(&f64::NAN), "NaN");
        assert!(f64::parse_text("NaN").unwrap().is_nan());
        assert!(f32::parse_text("NaN").unwrap().is_nan());
        assert_eq!(written(&3.0f64), "3.0");
        assert_eq!(written(&f32::NEG_INFINITY), "-INF");
        for v in [0.1f64, 1.0 / 3.0, f64::MAX, f64::MIN_POSITIVE, -123456.789e-20, 1e21, 1e-7] {
            assert_eq!(f64::parse_text(&written(&v)).unwrap().to_bits(), v.to_bits());
        }
        for v in [0.1f32, 1.0 / 3.0, f32::MAX, f32::MIN_POSITIVE, 16777217.0] {
            assert_eq!(f32::parse_text(&written(&v)).unwrap().to_bits(), v.to_bits());
        }
    }

    #[test]
    fn floats_accept_xsd_forms() {
        assert_eq!(f64::parse_text("+INF").unwrap(), f64::INFINITY);
        assert_eq!(f64::parse_text("1.").unwrap(), 1.0);
        assert_eq!(f64::parse_text(".5").unwrap(), 0.5);
        assert_eq!(f64::parse_text("-.5E+2").unwrap(), -50.0);
        assert_eq!(f64::parse_text("1.e2").unwrap(), 100.0);
        assert_eq!(f64::parse_text("+12").unwrap(), 12.0);
        assert_eq!(f64::parse_text("0012.50e-1").unwrap(), 1.25);
        assert_eq!(f32::parse_text("1E1").unwrap(), 10.0);
        // Out of range magnitudes round to infinity or zero, as in XSD 1.1.
        assert_eq!(f64::parse_text("1e99999999999999999999").unwrap(), f64::INFINITY);
        assert_eq!(f64::parse_text("1e-99999999999999999999").unwrap(), 0.0);
    }

    #[test]
    fn floats_reject() {
        for text in [
            "", "inf", "-inf", "+inf", "infinity", "Infinity", "INFINITY", "nan", "NAN", "+NaN", "-NaN", "0x10", ".",
            "+", "-", "e5", ".e5", "1e", "1e+", "1.5.5", "1,5", " 1", "1 ", "1f", "1d", "--1", "1_0", "+-1",
        ] {
            rejects::<f64>(text, "xs:double");
            rejects::<f32>(text, "xs:float");
        }
    }

    #[test]
    fn booleans() {
        assert!(round_trip::<bool>("true"));
        assert!(!round_trip::<bool>("false"));
        assert!(bool::parse_text("1").unwrap());
        assert!(!bool::parse_text("0").unwrap());
        for text in ["", "TRUE", "True", "yes", "01", "2", "t"] {
            rejects::<bool>(text, "xs:boolean");
        }
    }

    #[test]
    fn strings_keep_whitespace_and_are_escaped() {
        const { assert!(!<String as SimpleType>::COLLAPSE) };
        const { assert!(<i32 as SimpleType>::COLLAPSE) };
        assert_eq!(String::parse_text("  a b \n").unwrap(), "  a b \n");
        assert_eq!(String::parse_text("").unwrap(), "");
        assert_eq!(written(&"a<b>&c\r".to_owned()), "a&lt;b&gt;&amp;c&#xD;");
    }

    #[test]
    fn decimals_round_trip_with_scale() {
        for text in [
            "0",
            "1.50",
            "-1.50",
            "123.456",
            "0.0000000000000000000000000001",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "7.9228162514264337593543950335",
            "0.00",
            "100",
        ] {
            round_trip::<Decimal>(text);
        }
        assert_eq!(Decimal::parse_text("1.50").unwrap().scale(), 2);
    }

    #[test]
    fn decimals_accept_xsd_forms() {
        let d = |s: &str| Decimal::parse_text(s).unwrap().to_string();
        assert_eq!(d("+1.5"), "1.5");
        assert_eq!(d("1."), "1");
        assert_eq!(d(".5"), "0.5");
        assert_eq!(d("-.5"), "-0.5");
        assert_eq!(d("-0"), "0");
        assert_eq!(d("-0.00"), "0.00");
        assert_eq!(d("0007.20"), "7.20");
        // Trailing zeros past the 28th fractional digit do not change the value.
        assert_eq!(d("1.000000000000000000000000000000000"), "1.0000000000000000000000000000");
    }

    #[test]
    fn decimals_reject() {
        for text in
            ["", "+", "-", ".", "+.", "1e5", "1E5", "1.5e1", "1,5", "1.2.3", " 1", "1 ", "NaN", "INF", "0x1", "1_0"]
        {
            rejects::<Decimal>(text, "xs:decimal");
        }
        for text in [
            "79228162514264337593543950336",
            "-79228162514264337593543950336",
            "123456789012345678901234567890",
            "0.00000000000000000000000000001",
            "9.2345678901234567890123456789",
            "1.23456789012345678901234567891",
            "99999999999999999999999999999999999999999999999999",
        ] {
            let e = rejects::<Decimal>(text, "xs:decimal");
            assert!(e.reason.contains("96-bit decimal range"), "{text}: {e}");
        }
    }

    #[test]
    fn guids() {
        let u = round_trip::<Uuid>("0f8fad5b-d9cb-469f-a165-70867728950e");
        assert_eq!(u.to_string(), "0f8fad5b-d9cb-469f-a165-70867728950e");
        let upper = Uuid::parse_text("0F8FAD5B-D9CB-469F-A165-70867728950E").unwrap();
        assert_eq!(upper, u);
        assert_eq!(written(&upper), "0f8fad5b-d9cb-469f-a165-70867728950e");
        round_trip::<Uuid>("00000000-0000-0000-0000-000000000000");
        round_trip::<Uuid>("ffffffff-ffff-ffff-ffff-ffffffffffff");
        for text in [
            "",
            "0f8fad5bd9cb469fa16570867728950e",
            "{0f8fad5b-d9cb-469f-a165-70867728950e}",
            "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e",
            "0f8fad5b-d9cb-469f-a165-70867728950",
            "0f8fad5b-d9cb-469f-a165-70867728950e0",
            "0f8fad5b-d9cb-469f-a165_70867728950e",
            "0f8fad5b-d9cb-469fa-165-70867728950e",
            "0g8fad5b-d9cb-469f-a165-70867728950e",
            "0f8fad5b-d9cb-469f-a165-70867728950é",
        ] {
            rejects::<Uuid>(text, "ser:guid");
        }
    }

    #[test]
    fn base64_round_trip() {
        for (bytes, text) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"\x00\xff\xfe", "AP/+"),
        ] {
            let value = round_trip::<Base64Binary>(text);
            assert_eq!(&*value, bytes);
            assert_eq!(written(&Base64Binary::from(bytes.to_vec())), text);
        }
    }

    #[test]
    fn base64_ignores_whitespace_and_missing_padding() {
        let expected = Base64Binary(b"foobar".to_vec());
        assert_eq!(Base64Binary::parse_text("Zm9v\r\nYmFy").unwrap(), expected);
        assert_eq!(Base64Binary::parse_text("Zm 9v\tYm Fy").unwrap(), expected);
        assert_eq!(Base64Binary::parse_text("Zm9vYg").unwrap().0, b"foob");
        assert_eq!(Base64Binary::parse_text("Zm9vYg= =").unwrap().0, b"foob");
        assert_eq!(Base64Binary::parse_text(" \n ").unwrap().0, b"");
    }

    #[test]
    fn base64_rejects() {
        for text in ["Zg=", "Zg===", "Z", "Zh==", "Zm9v!", "Zm9v-_", "=", "Zg==Zg==", "Zm9v\u{a0}"] {
            rejects::<Base64Binary>(text, "xs:base64Binary");
        }
    }

    #[test]
    fn base64_conversions() {
        let b: Base64Binary = vec![1, 2, 3].into();
        assert_eq!(b.len(), 3);
        assert_eq!(b.as_ref(), &[1, 2, 3]);
        assert_eq!(Vec::from(b.clone()), vec![1, 2, 3]);
        assert_eq!(b.into_inner(), vec![1, 2, 3]);
        assert_eq!(Base64Binary::default().0, Vec::<u8>::new());
    }
}
