//! The traits generated types implement to be written to and read from XML.

use std::marker::PhantomData;

use crate::value::SimpleType;
use crate::xml::{DecodeError, Start, XmlReader, XmlWriter};

/// A value that can be written as one XML element: every type `wsdlgen` generates, the XML
/// Schema built-ins and the containers of this crate.
///
/// It is the bound of [`AnyElement::from_value`](crate::AnyElement::from_value) and the
/// supertrait of [`Operation`](crate::Operation). Implementations come from `wsdlgen`; the
/// method is for generated code.
pub trait Encode {
    #[doc(hidden)]
    /// Writes `self` as an element named `tag` (a prefixed name, e.g. `n0:Credential`, whose
    /// prefix is declared by an enclosing element).
    fn encode(&self, w: &mut XmlWriter, tag: &str);
}

/// A value that can be read from one XML element: every type `wsdlgen` generates, the XML
/// Schema built-ins and the containers of this crate.
///
/// It is the bound of [`Fault::decode_detail`](crate::Fault::decode_detail),
/// [`RawXml::decode_child`](crate::RawXml::decode_child) and
/// [`AnyElement::decode`](crate::AnyElement::decode). Implementations come from `wsdlgen`; the
/// method is for generated code.
pub trait Decode: Sized {
    #[doc(hidden)]
    /// Reads the element that `start` opened, up to and including its end tag.
    fn decode<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self, DecodeError>;
}

/// How values of one Rust type are written and read as elements, when the type alone
/// does not say it: the wrapper of an `ArrayOfX` (a `Vec<X>` whose items sit in an element
/// of their own) or of a dictionary. Generated code names a zero-sized codec per wrapper type.
pub trait Codec {
    /// The Rust value the codec writes and reads.
    type Value;
    /// Writes `value` as an element named `tag`.
    fn encode(value: &Self::Value, w: &mut XmlWriter, tag: &str);
    /// Reads the element that `start` opened.
    fn decode<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self::Value, DecodeError>;
}

/// The codec of a type that is itself [`Encode`] and [`Decode`].
pub struct Plain<T>(PhantomData<fn() -> T>);

impl<T> Plain<T> {
    /// The codec value (codecs are passed as zero-sized values, so calls need no turbofish).
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T> Clone for Plain<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Plain<T> {}

impl<T> Default for Plain<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Encode + Decode> Codec for Plain<T> {
    type Value = T;
    #[inline]
    fn encode(value: &T, w: &mut XmlWriter, tag: &str) {
        value.encode(w, tag);
    }
    #[inline]
    fn decode<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<T, DecodeError> {
        T::decode(r, start)
    }
}

impl<T: SimpleType> Encode for T {
    #[inline]
    fn encode(&self, w: &mut XmlWriter, tag: &str) {
        w.start(tag);
        self.write_text(w);
        w.end(tag);
    }
}

impl<T: SimpleType> Decode for T {
    #[inline]
    fn decode<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self, DecodeError> {
        r.simple(start)
    }
}

/// The codec of a boxed value (a field that closes a cycle of types, e.g. an inner exception).
pub struct Boxed<T>(PhantomData<fn() -> T>);

impl<T> Boxed<T> {
    /// The codec value; `T` is inferred from the field it reads or writes.
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T> Clone for Boxed<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Boxed<T> {}

impl<T> Default for Boxed<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Encode + Decode> Codec for Boxed<T> {
    type Value = Box<T>;
    #[inline]
    fn encode(value: &Box<T>, w: &mut XmlWriter, tag: &str) {
        (**value).encode(w, tag);
    }
    #[inline]
    fn decode<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Box<T>, DecodeError> {
        T::decode(r, start).map(Box::new)
    }
}

/// The response of a one-way operation or of an empty body: nothing is written.
impl Encode for () {
    fn encode(&self, _: &mut XmlWriter, _: &str) {}
}

/// The response of a one-way operation: whatever element stands there is skipped.
impl Decode for () {
    fn decode<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self, DecodeError> {
        r.skip(start)
    }
}
