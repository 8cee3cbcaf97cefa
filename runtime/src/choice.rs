//! [`Choice`]: what a generated `xs:choice` enum implements.

use crate::xml::{DecodeError, DecodeErrorKind, Start, XmlReader, XmlWriter};

/// An `xs:choice`: one of several alternative elements, as a Rust enum.
///
/// Unlike [`Encode`](crate::Encode), a choice is not wrapped in an element of its own: its
/// alternatives appear directly among the children of the enclosing element.
pub trait Choice: Sized {
    /// Writes the selected alternative's element.
    fn encode(&self, w: &mut XmlWriter);
    /// Whether `start` is one of the alternatives.
    fn accepts(start: &Start<'_>) -> bool;
    /// Reads the alternative that `start` opened.
    fn decode<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self, DecodeError>;
}

/// A run of sibling elements that stands as one alternative of a choice (an `xs:sequence`
/// inside an `xs:choice`): written without an element of its own.
pub trait Group: Sized {
    /// Writes the elements.
    fn encode(&self, w: &mut XmlWriter);
    /// Whether `start` can begin the run.
    fn accepts(start: &Start<'_>) -> bool;
    /// Reads the run that `first` begins, stopping (and handing back with
    /// [`XmlReader::push_back`]) at the first sibling that is not part of it.
    fn decode<'a>(r: &mut XmlReader<'a>, first: Start<'a>) -> Result<Self, DecodeError>;
}

impl XmlWriter {
    /// Writes a required choice.
    #[inline]
    pub fn choice<C: Choice>(&mut self, value: &C) {
        value.encode(self);
    }

    /// Writes an optional choice: nothing for `None`.
    #[inline]
    pub fn choice_optional<C: Choice>(&mut self, value: &Option<C>) {
        if let Some(v) = value {
            v.encode(self);
        }
    }

    /// Writes a repeated choice, one element per item.
    #[inline]
    pub fn choice_repeated<C: Choice>(&mut self, values: &[C]) {
        for v in values {
            v.encode(self);
        }
    }
}

impl<'a> XmlReader<'a> {
    /// Fills a single (optional, or before [`require`](XmlReader::require), required) choice.
    #[inline]
    pub fn choice<C: Choice>(&mut self, start: &Start<'a>, slot: &mut Option<C>) -> Result<(), DecodeError> {
        if slot.is_some() {
            return Err(self.error_in(start, "", DecodeErrorKind::Duplicate(start.local().to_owned())));
        }
        *slot = Some(C::decode(self, start)?);
        Ok(())
    }

    /// Appends one item of a repeated choice.
    #[inline]
    pub fn choice_repeated<C: Choice>(&mut self, start: &Start<'a>, items: &mut Vec<C>) -> Result<(), DecodeError> {
        if items.len() >= self.limits().max_list_items {
            let limit = self.limits().max_list_items;
            return Err(self.error(DecodeErrorKind::Limit { what: "number of list items", limit }));
        }
        items.push(C::decode(self, start)?);
        Ok(())
    }
}
