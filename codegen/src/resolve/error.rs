//! The resolve stage's error: where, and a kind callers can match on.

use std::fmt;

use crate::xml::Pos;

/// An error of the resolve stage: the WSDL refers to something that does not exist, defines
/// something twice, or uses a construct the generator does not support.
///
/// Its `Display` is `file:line:column: what is wrong`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{pos}: {kind}")]
#[non_exhaustive]
pub struct ResolveError {
    /// Where the offending construct is.
    pub pos: Pos,
    /// What is wrong.
    pub kind: ResolveErrorKind,
}

impl ResolveError {
    pub(crate) fn new(pos: &Pos, kind: ResolveErrorKind) -> Self {
        Self { pos: pos.clone(), kind }
    }
}

/// What is wrong with a WSDL, for the resolve stage.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResolveErrorKind {
    /// A reference to a definition that does not exist.
    Undefined {
        /// What kind of definition is referred to.
        what: Definition,
        /// The name referred to: `{namespace}local` for qualified names, else the local name.
        name: String,
        /// Where the name was looked for, or why nothing could be found.
        context: Option<String>,
    },
    /// A name defined twice in its symbol space (reported at the second definition).
    Duplicate {
        /// What kind of definition.
        what: Definition,
        /// The name, as `{namespace}local`.
        name: String,
        /// Where the first definition is.
        first: Pos,
    },
    /// A definition made in terms of itself, which would never finish resolving.
    Cycle {
        /// What kind of definition.
        what: Definition,
        /// The name, as `{namespace}local`.
        name: String,
    },
    /// A construct the generator does not support.
    Unsupported {
        /// The construct, and where in the document it is.
        construct: String,
        /// What is supported instead, or why not.
        hint: Option<String>,
    },
    /// [`Builder::operations`](crate::Builder::operations) names operations the document does not have.
    UnknownOperations {
        /// The names not found.
        missing: Vec<String>,
        /// Every operation the document has.
        known: Vec<String>,
    },
    /// Definitions nest, one inside, derived from or referring to the next, deeper than the limit.
    TooDeep {
        /// What nests.
        what: Nesting,
        /// The limit.
        limit: usize,
    },
    /// The document contradicts itself or the WSDL and XML Schema rules in another way, or does
    /// not fit the [service-error rule](crate::Builder::service_error).
    Invalid(String),
    /// The generator broke one of its own rules (a bug, reported with the place it concerns
    /// rather than panicked on).
    Internal(String),
}

/// What nests too deep, for [`ResolveErrorKind::TooDeep`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Nesting {
    /// Type definitions (a type whose element is of the next type, or derived from it).
    Types,
    /// `xs:group` references (a group whose particle refers to the next group).
    GroupReferences,
    /// `xs:attributeGroup` references (an attribute group referring to the next).
    AttributeGroupReferences,
}

impl fmt::Display for Nesting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Nesting::Types => "types",
            Nesting::GroupReferences => "group references",
            Nesting::AttributeGroupReferences => "attribute group references",
        })
    }
}

/// The kinds of definitions a WSDL and its schemas name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Definition {
    /// A global `xs:element`.
    Element,
    /// A named `xs:complexType` or `xs:simpleType`.
    Type,
    /// A named `xs:simpleType` (in a derivation).
    SimpleType,
    /// An `xs:group`.
    Group,
    /// A global `xs:attribute`.
    Attribute,
    /// An `xs:attributeGroup`.
    AttributeGroup,
    /// A `wsdl:message`.
    Message,
    /// A `wsdl:part` of a message.
    Part,
    /// A `wsdl:portType`.
    PortType,
    /// A `wsdl:binding`.
    Binding,
    /// A `wsdl:operation` of a binding.
    BindingOperation,
}

impl Definition {
    fn as_str(self) -> &'static str {
        match self {
            Definition::Element => "element",
            Definition::Type => "type",
            Definition::SimpleType => "simple type",
            Definition::Group => "group",
            Definition::Attribute => "attribute",
            Definition::AttributeGroup => "attribute group",
            Definition::Message => "message",
            Definition::Part => "part",
            Definition::PortType => "port type",
            Definition::Binding => "binding",
            Definition::BindingOperation => "binding operation",
        }
    }

    /// Whether names of this kind are local names (shown quoted) rather than qualified names.
    fn is_local(self) -> bool {
        matches!(self, Definition::Part | Definition::BindingOperation)
    }
}

impl fmt::Display for Definition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for ResolveErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveErrorKind::Undefined { what, name, context } => {
                if what.is_local() {
                    write!(f, "{what} `{name}`")?;
                } else {
                    write!(f, "{what} {name}")?;
                }
                match what {
                    Definition::Element | Definition::Attribute => f.write_str(" is not declared in any schema")?,
                    Definition::Type => f.write_str(" is not defined in any schema")?,
                    _ => f.write_str(" is not defined")?,
                }
                match context {
                    Some(context) => write!(f, " ({context})"),
                    None => Ok(()),
                }
            }
            ResolveErrorKind::Duplicate { what, name, first } => {
                write!(f, "duplicate definition of {what} {name} (first at {first})")
            }
            ResolveErrorKind::Cycle { what: Definition::Group, name } => {
                write!(f, "group {name} contains itself (a circular group reference)")
            }
            ResolveErrorKind::Cycle { what, name } => write!(f, "{what} {name} is derived from itself"),
            ResolveErrorKind::Unsupported { construct, hint } => {
                write!(f, "{construct} is not supported")?;
                match hint {
                    Some(hint) => write!(f, "; {hint}"),
                    None => Ok(()),
                }
            }
            ResolveErrorKind::UnknownOperations { missing, known } => {
                write!(f, "no operation named {} (the document has: {})", missing.join(", "), known.join(", "))
            }
            ResolveErrorKind::TooDeep { what, limit } => {
                write!(f, "{what} are nested more than {limit} deep (each referring to the next, or deriving from it)")
            }
            ResolveErrorKind::Invalid(message) => f.write_str(message),
            ResolveErrorKind::Internal(message) => write!(f, "internal error: {message}"),
        }
    }
}

/// `Err` of a [`ResolveError`] at `pos`.
pub(super) fn fail<T>(pos: &Pos, kind: ResolveErrorKind) -> Result<T, ResolveError> {
    Err(ResolveError::new(pos, kind))
}

/// `Err` of an [`ResolveErrorKind::Invalid`] at `pos`.
pub(super) fn invalid<T>(pos: &Pos, message: impl Into<String>) -> Result<T, ResolveError> {
    fail(pos, ResolveErrorKind::Invalid(message.into()))
}

/// `Err` of a [`ResolveErrorKind::Internal`] at `pos`.
pub(super) fn internal<T>(pos: &Pos, message: impl Into<String>) -> Result<T, ResolveError> {
    fail(pos, ResolveErrorKind::Internal(message.into()))
}

/// `Err` of a [`ResolveErrorKind::Undefined`] at `pos`.
pub(super) fn undefined<T>(pos: &Pos, what: Definition, name: impl fmt::Display) -> Result<T, ResolveError> {
    fail(pos, ResolveErrorKind::Undefined { what, name: name.to_string(), context: None })
}

/// `Err` of a [`ResolveErrorKind::Unsupported`] at `pos`.
pub(super) fn unsupported<T>(pos: &Pos, construct: impl Into<String>, hint: Option<&str>) -> Result<T, ResolveError> {
    fail(pos, ResolveErrorKind::Unsupported { construct: construct.into(), hint: hint.map(str::to_owned) })
}
