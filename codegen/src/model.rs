//! The resolved model: what the emitter turns into Rust.
//!
//! Every name here is an XML name; every reference is resolved (a [`TypeRef`] or an index).
//! Nothing here knows Rust syntax, and nothing below the model knows XML syntax.

use crate::xml::QName;

/// The SOAP version of a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SoapVersion {
    /// SOAP 1.1.
    Soap11,
    /// SOAP 1.2.
    Soap12,
}

/// Everything to generate for one WSDL document.
#[derive(Debug, Clone)]
pub struct Model {
    /// One client per port type (with the binding used).
    pub clients: Vec<Client>,
    /// Every type reachable from the selected operations, in a deterministic order.
    pub types: Vec<Type>,
    /// Namespace URIs of the elements the encoders write, in first-use order (`n0`, `n1`, ...).
    pub namespaces: Vec<String>,
    /// Notes for things skipped on purpose (e.g. HTTP bindings).
    pub notes: Vec<String>,
    /// What SOAP encoding (rpc/encoded operations) needs beyond the types.
    pub encoded: Encoded,
}

/// The types of rpc/encoded messages (SOAP 1.1 section 5 encoding).
#[derive(Debug, Clone, Default)]
pub struct Encoded {
    /// Every type an encoded message reaches: their encoders write `xsi:type` on every child
    /// element and their decoders match children by local name in any namespace.
    pub types: std::collections::BTreeSet<TypeId>,
    /// The `soapenc:Array` types (each an [`TypeKind::Array`] whose items may have any name):
    /// written with `xsi:type="soapenc:Array"` and `soapenc:arrayType`.
    pub arrays: std::collections::BTreeSet<TypeId>,
}

/// Index of a type in [`Model::types`] (a newtype: the model has other index spaces).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

impl Model {
    /// The types with their ids, in model order.
    pub fn types_by_id(&self) -> impl Iterator<Item = (TypeId, &Type)> {
        self.types.iter().enumerate().map(|(i, t)| (TypeId(i), t))
    }
}

/// Indexing by the model's ids: the tables they index (`Model::types`, a client's headers) and
/// those the emitter keeps beside them (the Rust names, one per entry).
macro_rules! index_by {
    ($id:ident) => {
        impl<T> std::ops::Index<$id> for Vec<T> {
            type Output = T;

            fn index(&self, id: $id) -> &T {
                &self[id.0]
            }
        }

        impl<T> std::ops::IndexMut<$id> for Vec<T> {
            fn index_mut(&mut self, id: $id) -> &mut T {
                &mut self[id.0]
            }
        }
    };
}

index_by!(TypeId);
index_by!(RequestHeaderId);
index_by!(ResponseHeaderId);

/// Index of a header in a client's [`request_headers`](Client::request_headers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RequestHeaderId(pub usize);

/// Index of a header in a client's [`response_headers`](Client::response_headers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResponseHeaderId(pub usize);

/// A reference to the type of an element or attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    /// An XML Schema built-in (or a well-known type mapped like one).
    Builtin(Builtin),
    /// A generated type.
    Named(TypeId),
}

/// The built-in types and what they map to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Builtin {
    /// `xs:string` and string-like types (`anyURI`, `QName`, `ID`, `token`...).
    String,
    /// `xs:boolean`.
    Bool,
    /// `xs:boolean` restricted by a pattern to the forms `0` and `1`.
    NumericBool,
    /// `xs:byte`.
    I8,
    /// `xs:short`.
    I16,
    /// `xs:int`.
    I32,
    /// `xs:long`.
    I64,
    /// `xs:unsignedByte`.
    U8,
    /// `xs:unsignedShort`.
    U16,
    /// `xs:unsignedInt`.
    U32,
    /// `xs:unsignedLong`.
    U64,
    /// `xs:float`.
    F32,
    /// `xs:double`.
    F64,
    /// `xs:decimal` (and the unbounded `integer` family).
    Decimal,
    /// `xs:dateTime`.
    DateTime,
    /// `xs:date`.
    Date,
    /// `xs:time`.
    Time,
    /// `xs:duration`.
    Duration,
    /// `xs:base64Binary`.
    Base64Binary,
    /// WCF's `guid`.
    Uuid,
    /// `xs:anyType`: raw XML.
    AnyType,
    /// An element allowed by `xs:any`, kept as XML.
    AnyElement,
}

/// A generated type.
#[derive(Debug, Clone)]
pub struct Type {
    /// The XML name it is known by (for anonymous types, the enclosing element's name).
    pub name: QName,
    /// Where it comes from, for its documentation.
    pub origin: TypeOrigin,
    pub doc: Option<String>,
    pub kind: TypeKind,
}

/// Where a generated type comes from: what its documentation says it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TypeOrigin {
    /// A named type of the schema.
    Named,
    /// The anonymous type of the element the type is named after.
    Element,
    /// A type the generator makes up; says what it stands for, as the start of a sentence
    /// ("The items of the list type `ETableRight`").
    Synthesized(String),
    /// The parts of a document-style message of several body parts, written as the Body's
    /// children without a wrapper element (a struct); says what it stands for, as
    /// `Synthesized` does.
    BareParts(String),
}

impl TypeOrigin {
    /// `Element` for an anonymous type, `Named` otherwise.
    pub(crate) fn of_anonymous(anonymous: bool) -> Self {
        if anonymous { TypeOrigin::Element } else { TypeOrigin::Named }
    }
}

/// The shape of a generated type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A complex type: a struct (base fields first).
    Struct {
        /// The child elements, in wire order.
        fields: Vec<Field>,
        /// The attributes (base attributes first).
        attributes: Vec<Attribute>,
        /// The type of the text content, for `simpleContent` (then `fields` is empty).
        text: Option<TypeRef>,
        /// `xs:anyAttribute`: other attributes are kept.
        any_attribute: bool,
    },
    /// A complex type and the types derived from it, told apart on the wire by `xsi:type`:
    /// an enum with one variant per concrete type (the base first, unless abstract). Every
    /// reference to a base type gets this, since a value of a derived type may stand in for it.
    WithDerived {
        /// The base type (a struct).
        base: TypeId,
        /// Whether the base is abstract (then it has no variant).
        base_abstract: bool,
        /// The variants: `name` is the type's QName (what `xsi:type` names), `ty` its struct.
        variants: Vec<Field>,
    },
    /// A run of sibling elements (a sequence, nested choice or group reference) that is one
    /// alternative of a choice: a struct whose fields stand among the siblings of the choice,
    /// with no element of its own. (Not an `xs:group`: references to those are flattened.)
    SequenceAlternative {
        /// The fields, in wire order.
        fields: Vec<Field>,
    },
    /// An `xs:choice` of single elements: an enum, one variant per alternative. Fields of
    /// this type are not wrapped: the chosen element stands among its siblings.
    Choice {
        /// The alternatives (each `Required` or `RequiredNillable`).
        variants: Vec<Field>,
        /// An `xs:any` alternative: an element none of `variants` names, from a namespace the
        /// wildcard accepts, is kept as XML (one more variant).
        wildcard: Option<crate::xml::Wildcard>,
    },
    /// A string enumeration.
    Enum {
        /// The allowed values, in schema order.
        values: Vec<String>,
        /// Whether whitespace around values is insignificant (non-string base).
        collapse: bool,
    },
    /// An `xs:list` of an enumeration: a set of flags.
    FlagList { item: TypeRef },
    /// An `xs:list` of another simple type.
    List {
        /// The item type.
        item: TypeRef,
    },
    /// A wrapper type holding one repeated element (`ArrayOfX`): a `Vec` on the Rust side.
    Array {
        /// The repeated item element.
        item: Field,
    },
    /// A WCF dictionary (`IsDictionary`): ordered key/value pairs.
    Dictionary {
        /// The repeated entry element's name.
        entry: QName,
        /// The key element.
        key: Field,
        /// The value element.
        value: Field,
    },
}

impl TypeKind {
    /// A struct of child elements only (no attributes, no text).
    pub fn element_struct(fields: Vec<Field>) -> Self {
        TypeKind::Struct { fields, attributes: Vec::new(), text: None, any_attribute: false }
    }

    /// A struct holding only text content of type `text` (and, with `any_attribute`, whatever
    /// attributes come).
    pub fn text_struct(text: TypeRef, any_attribute: bool) -> Self {
        TypeKind::Struct { fields: Vec::new(), attributes: Vec::new(), text: Some(text), any_attribute }
    }
}

/// How often an element occurs, and whether it may be nil.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occurs {
    /// Exactly once.
    Required,
    /// At most once (`minOccurs="0"`).
    Optional,
    /// Exactly once, possibly `xsi:nil` (`nillable`, `minOccurs` 1): `Option` on the Rust side.
    RequiredNillable,
    /// At most once, possibly `xsi:nil` (`nillable`, `minOccurs` 0): absent, nil and a value
    /// are all distinct (`Nillable` on the Rust side).
    OptionalNillable,
    /// Any number of times.
    Repeated,
    /// Any number of times, each possibly `xsi:nil`.
    RepeatedNillable,
}

impl Occurs {
    /// From `minOccurs`, whether `maxOccurs` > 1, and `nillable`.
    pub fn new(min: u64, many: bool, nillable: bool) -> Self {
        match (many, min == 0, nillable) {
            (true, _, false) => Occurs::Repeated,
            (true, _, true) => Occurs::RepeatedNillable,
            (false, false, false) => Occurs::Required,
            (false, true, false) => Occurs::Optional,
            (false, false, true) => Occurs::RequiredNillable,
            (false, true, true) => Occurs::OptionalNillable,
        }
    }
}

/// A child element of a struct (or the item of an array, or a dictionary's key or value).
#[derive(Debug, Clone)]
pub struct Field {
    /// The element's name (empty namespace when unqualified).
    pub name: QName,
    pub ty: TypeRef,
    pub occurs: Occurs,
    /// Whether the value is boxed (it closes a cycle of by-value containment).
    pub boxed: bool,
    /// Whether the value is a secret (password, ticket, token...) that `Debug` must not show.
    pub secret: bool,
    /// The element's `default` or `fixed` value. The generated code does not apply it (an empty
    /// element decodes as its type reads the empty text); it is part of the schema's contract,
    /// which `wsdlgen diff` compares.
    pub constraint: Option<ValueConstraint>,
    pub doc: Option<String>,
}

/// A `default` or `fixed` value of an element or attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueConstraint {
    /// `default="..."`: the value when absent (attributes) or empty (elements).
    Default(String),
    /// `fixed="..."`: the only value allowed, and the value when absent or empty.
    Fixed(String),
}

impl Field {
    /// A member that stands for a construct rather than one declared element (a choice, a
    /// choice alternative, a substitution group, `xs:any`): named `local` in no namespace (the
    /// Rust field name comes from it; no element of that name is on the wire), not boxed, not
    /// secret, undocumented.
    pub fn synthetic(local: impl Into<String>, ty: TypeRef, occurs: Occurs) -> Self {
        Field { name: QName::new("", local), ty, occurs, boxed: false, secret: false, constraint: None, doc: None }
    }
}

/// An attribute of a complex type.
#[derive(Debug, Clone)]
pub struct Attribute {
    /// The attribute's name (empty namespace when unqualified).
    pub name: QName,
    /// Its (simple) type.
    pub ty: TypeRef,
    /// Whether it must be present, and its default.
    pub usage: AttributeUsage,
    /// Whether the value is a secret that `Debug` must not show.
    pub secret: bool,
}

/// How an attribute occurs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeUsage {
    /// `use="required"`.
    Required,
    /// Optional, no default.
    Optional,
    /// Optional with a `default` value, used when absent.
    Default(String),
    /// Optional with a `fixed` value: the only value allowed, used when absent.
    Fixed(String),
}

impl AttributeUsage {
    /// The `default` or `fixed` value, if any.
    pub fn value(&self) -> Option<&str> {
        match self {
            AttributeUsage::Default(v) | AttributeUsage::Fixed(v) => Some(v),
            AttributeUsage::Required | AttributeUsage::Optional => None,
        }
    }
}

/// A client: one port type over one binding.
#[derive(Debug, Clone)]
pub struct Client {
    /// The port type's name.
    pub name: QName,
    /// Documentation (port type's, else service's).
    pub doc: Option<String>,
    /// The binding's name.
    pub binding: QName,
    /// The binding's SOAP version.
    pub version: SoapVersion,
    /// The address of the first port using the binding, if any.
    pub address: Option<String>,
    /// The operations, in port type order.
    pub operations: Vec<Operation>,
    /// Every header element any operation sends.
    pub request_headers: Vec<Header>,
    /// Every header element any operation receives.
    pub response_headers: Vec<Header>,
    /// Index into `response_headers` of the flag that reports success, and of the detail
    /// of a failure, when the service reports failures through headers.
    pub service_error: Option<ServiceErrorHeaders>,
    /// The port type's other SOAP bindings, which a caller may pick instead.
    pub other_bindings: Vec<OtherBinding>,
    /// The binding uses WS-Addressing 1.0 (`wsaw:UsingAddressing` or a `wsam:Addressing`
    /// policy): requests carry addressing headers.
    pub addressing: bool,
}

/// Another SOAP binding of a client's port type.
#[derive(Debug, Clone)]
pub struct OtherBinding {
    /// The binding's name.
    pub name: QName,
    /// Its SOAP version.
    pub version: SoapVersion,
    /// The address of the first port using it, if any.
    pub address: Option<String>,
    /// The `soapAction` of each of the client's operations in this binding (same order).
    pub actions: Vec<String>,
    /// The binding uses WS-Addressing 1.0.
    pub addressing: bool,
}

/// The response headers through which a service reports failures.
#[derive(Debug, Clone)]
pub struct ServiceErrorHeaders {
    /// The boolean header that is `false` on failure.
    pub success: ResponseHeaderId,
    /// The header carrying the failure's details.
    pub detail: ResponseHeaderId,
    /// The detail type's field holding a human-readable message, if any.
    pub message_field: Option<String>,
}

/// A header entry element.
#[derive(Debug, Clone)]
pub struct Header {
    /// The element's name.
    pub name: QName,
    pub ty: TypeRef,
    /// Whether the element is nillable.
    pub nillable: bool,
    /// Whether the value is a secret that `Debug` must not show.
    pub secret: bool,
}

/// One operation of a client.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The operation's name.
    pub name: String,
    pub doc: Option<String>,
    /// The `soapAction` (empty if none).
    pub action: String,
    /// The WS-Addressing action of the request: `wsam:Action` on the input, else the
    /// `soapAction` if there is one, else the default WS-Addressing 1.0 Metadata gives.
    pub addressing_action: String,
    /// The WS-Addressing action of the response: `wsam:Action` on the output, else the default
    /// WS-Addressing 1.0 Metadata gives; empty for a one-way operation.
    pub response_action: String,
    /// The request body element.
    pub request: BodyElement,
    /// The response body element; `None` for a one-way operation or an empty response body.
    pub response: Option<BodyElement>,
    /// No output message at all (`response` is then `None` too); an output message with no
    /// body part is an empty response body instead.
    pub one_way: bool,
    /// Indices into the client's `request_headers`.
    pub request_headers: Vec<RequestHeaderId>,
    /// Indices into the client's `response_headers`.
    pub response_headers: Vec<ResponseHeaderId>,
    /// The faults the operation declares (`wsdl:fault`), in order.
    pub faults: Vec<OperationFault>,
    /// The messages are rpc/encoded (SOAP 1.1 section 5): the wrappers carry `encodingStyle`,
    /// values `xsi:type`, and responses may use multi-reference values (`href`/`id`).
    pub encoded: bool,
}

/// A fault an operation declares: its name and the detail element it carries.
#[derive(Debug, Clone)]
pub struct OperationFault {
    /// The `wsdl:fault` name.
    pub name: String,
    /// The detail element.
    pub element: QName,
    /// The detail element's type.
    pub ty: TypeRef,
}

/// A body element and its (struct) type.
#[derive(Debug, Clone)]
pub struct BodyElement {
    /// The element's name; empty (no namespace, no local name) for a document/literal message
    /// with no body part, whose body is empty (its type is then an empty struct).
    pub name: QName,
    /// Its type: always a struct.
    pub ty: TypeId,
}
