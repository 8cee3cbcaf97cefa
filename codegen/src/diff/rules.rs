//! The wire rules: whether what one side writes, the other side reads. Every rule is about a
//! writer and a reader; the comparison applies it in both directions (an old client and a new
//! service, a new client and an old service) and to requests and responses alike.

use crate::model::{AttributeUsage, Builtin, Occurs};

/// Why a reader with occurrence `reader` cannot read what a writer with occurrence `writer`
/// writes, if it cannot.
pub(super) fn occurs_conflict(writer: Occurs, reader: Occurs) -> Option<&'static str> {
    let required = |o: Occurs| matches!(o, Occurs::Required | Occurs::RequiredNillable);
    let nillable =
        |o: Occurs| matches!(o, Occurs::RequiredNillable | Occurs::OptionalNillable | Occurs::RepeatedNillable);
    let many = |o: Occurs| matches!(o, Occurs::Repeated | Occurs::RepeatedNillable);
    if required(reader) && !required(writer) {
        Some("may be absent where it is required")
    } else if nillable(writer) && !nillable(reader) {
        Some("may be nil (`xsi:nil`) where nil is not allowed")
    } else if many(writer) && !many(reader) {
        Some("may repeat where it may occur once (a duplicate is a decode error)")
    } else {
        None
    }
}

/// Why a reader of attribute usage `reader` cannot read what a writer of usage `writer` writes.
pub(super) fn attribute_conflict(writer: &AttributeUsage, reader: &AttributeUsage) -> Option<&'static str> {
    (matches!(reader, AttributeUsage::Required) && matches!(writer, AttributeUsage::Optional))
        .then_some("may be absent where it is required")
}

/// How an occurrence reads in a report.
pub(super) fn describe_occurs(o: Occurs) -> &'static str {
    match o {
        Occurs::Required => "required",
        Occurs::Optional => "optional",
        Occurs::RequiredNillable => "required, nillable",
        Occurs::OptionalNillable => "optional, nillable",
        Occurs::Repeated => "repeated",
        Occurs::RepeatedNillable => "repeated, items nillable",
    }
}

/// How an attribute usage reads in a report.
pub(super) fn describe_usage(u: &AttributeUsage) -> String {
    match u {
        AttributeUsage::Required => "required".to_owned(),
        AttributeUsage::Optional => "optional".to_owned(),
        AttributeUsage::Default(v) => format!("optional, default `{v}`"),
        AttributeUsage::Fixed(v) => format!("optional, fixed `{v}`"),
    }
}

/// Whether an element or attribute of the occurrence is always written (so an old peer always
/// sees it).
pub(super) fn always_written(o: Occurs) -> bool {
    matches!(o, Occurs::Required | Occurs::RequiredNillable)
}

/// The XML Schema name of a built-in, as a report shows it.
pub(super) fn xsd_name(b: Builtin) -> &'static str {
    match b {
        Builtin::String => "xs:string",
        Builtin::Bool => "xs:boolean",
        Builtin::NumericBool => "xs:boolean (0 or 1)",
        Builtin::I8 => "xs:byte",
        Builtin::I16 => "xs:short",
        Builtin::I32 => "xs:int",
        Builtin::I64 => "xs:long",
        Builtin::U8 => "xs:unsignedByte",
        Builtin::U16 => "xs:unsignedShort",
        Builtin::U32 => "xs:unsignedInt",
        Builtin::U64 => "xs:unsignedLong",
        Builtin::F32 => "xs:float",
        Builtin::F64 => "xs:double",
        Builtin::Decimal => "xs:decimal",
        Builtin::DateTime => "xs:dateTime",
        Builtin::Date => "xs:date",
        Builtin::Time => "xs:time",
        Builtin::Duration => "xs:duration",
        Builtin::Base64Binary => "xs:base64Binary",
        Builtin::Uuid => "ser:guid",
        Builtin::AnyType => "xs:anyType",
        Builtin::AnyElement => "xs:any",
    }
}

/// Whether every value a writer of built-in `writer` writes is a value of built-in `reader`.
pub(super) fn builtin_reads(writer: Builtin, reader: Builtin) -> bool {
    use Builtin::*;
    if writer == reader {
        return true;
    }
    // The value ranges, as (min, max) over i128, of the integer types.
    let range = |b: Builtin| -> Option<(i128, i128)> {
        Some(match b {
            I8 => (i8::MIN.into(), i8::MAX.into()),
            I16 => (i16::MIN.into(), i16::MAX.into()),
            I32 => (i32::MIN.into(), i32::MAX.into()),
            I64 => (i64::MIN.into(), i64::MAX.into()),
            U8 => (0, u8::MAX.into()),
            U16 => (0, u16::MAX.into()),
            U32 => (0, u32::MAX.into()),
            U64 => (0, u64::MAX.into()),
            _ => return None,
        })
    };
    match (writer, reader) {
        // Any simple text is a string (not so the content of an element of anyType or xs:any).
        (AnyType | AnyElement, String) => false,
        (_, String) => true,
        (w, r) if range(w).is_some() && range(r).is_some() => {
            let (wmin, wmax) = range(w).unwrap_or_default();
            let (rmin, rmax) = range(r).unwrap_or_default();
            rmin <= wmin && wmax <= rmax
        }
        (I8 | I16 | I32 | I64 | U8 | U16 | U32 | U64, Decimal) => true,
        (I8 | I16 | I32 | U8 | U16 | U32 | F32, F64) => true,
        (I8 | I16 | U8 | U16, F32) => true,
        (NumericBool, Bool) => true,
        _ => false,
    }
}

/// Joins the reasons of parts that all agree: the breaking ones if any part breaks, else all.
pub(super) fn combine(parts: Vec<(bool, String)>, none: &str) -> super::report::Verdict {
    use super::report::Verdict;
    let breaking: Vec<&str> = parts.iter().filter(|(b, _)| *b).map(|(_, r)| r.as_str()).collect();
    if !breaking.is_empty() {
        return Verdict::breaks(breaking.join("; "));
    }
    let ok: Vec<&str> = parts.iter().map(|(_, r)| r.as_str()).collect();
    if ok.is_empty() { Verdict::ok(none) } else { Verdict::ok(ok.join("; ")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_read_one_another() {
        use Occurs::*;
        assert_eq!(occurs_conflict(Required, Optional), None);
        assert!(occurs_conflict(Optional, Required).is_some());
        assert!(occurs_conflict(Repeated, Optional).is_some());
        assert_eq!(occurs_conflict(Optional, Repeated), None);
        assert!(occurs_conflict(OptionalNillable, Optional).is_some());
        assert_eq!(occurs_conflict(Optional, OptionalNillable), None);
        assert!(occurs_conflict(RepeatedNillable, Repeated).is_some());
    }

    #[test]
    fn builtins_widen_but_never_narrow() {
        use Builtin::*;
        assert!(builtin_reads(I16, I32) && builtin_reads(I32, I64) && builtin_reads(U32, I64));
        assert!(!builtin_reads(I32, I16) && !builtin_reads(I64, U64) && !builtin_reads(U64, I64));
        assert!(builtin_reads(I16, String) && builtin_reads(Bool, String) && !builtin_reads(String, Bool));
        assert!(!builtin_reads(I16, Bool) && !builtin_reads(Bool, I16));
        assert!(builtin_reads(NumericBool, Bool) && !builtin_reads(Bool, NumericBool));
        assert!(builtin_reads(F32, F64) && !builtin_reads(F64, F32) && !builtin_reads(AnyType, String));
    }
}
