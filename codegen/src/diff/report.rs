//! What `wsdlgen diff` reports: changes, each classified on the Rust API axis and on the wire in
//! both directions.

use std::path::PathBuf;

/// The changes between two versions of a WSDL, as wsdlgen models them (see
/// [`Builder::diff`](crate::Builder::diff)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DiffReport {
    /// The old WSDL.
    pub old: PathBuf,
    /// The new WSDL.
    pub new: PathBuf,
    /// Every change found, documentation-only changes included, in report order: namespaces,
    /// then per port type, then added and removed types, then per type (by name).
    pub changes: Vec<Change>,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Change {
    /// What happened.
    pub kind: ChangeKind,
    /// To what kind of thing.
    pub item: Item,
    /// Where, by XML local names: the port type or type first (`["User", "SaveCredential"]`,
    /// `["Credential", "DisplayValue"]`); a namespace change has the old namespace URI.
    pub path: Vec<String>,
    /// The Rust item concerned in the bindings generated from the new WSDL (from the old one for
    /// a removal): `UserClient::save_credential`, `Credential::display_value`.
    pub rust: Option<String>,
    /// The value before (a type, an occurrence, a SOAP action, a namespace, ...), if it has one.
    pub old: Option<String>,
    /// The value after, if it has one.
    pub new: Option<String>,
    /// Does code written against the old bindings still compile against the new ones, when it
    /// follows the README's rules (struct literals with `..Default::default()`, `match`es on
    /// generated enums with a `_` arm)?
    pub api: Verdict,
    /// Does a program built from the old bindings still work against a service that speaks the
    /// new WSDL?
    pub old_client: Verdict,
    /// Does a program built from the new bindings still work against a service that speaks the
    /// old WSDL, as long as it does not use what is new?
    pub new_client: Verdict,
    /// For an addition or removal that looks like a rename (same position and shape, another
    /// name): what it may be a rename of, or to.
    pub hint: Option<String>,
}

/// A classification on one axis, with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verdict {
    /// Whether the change breaks on this axis.
    pub breaking: bool,
    /// Why (one sentence, or several joined by `; `).
    pub reason: String,
}

impl Verdict {
    pub(crate) fn ok(reason: impl Into<String>) -> Self {
        Verdict { breaking: false, reason: reason.into() }
    }

    pub(crate) fn breaks(reason: impl Into<String>) -> Self {
        Verdict { breaking: true, reason: reason.into() }
    }
}

/// What kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ChangeKind {
    /// A namespace URI was replaced by another (reported once, not per item).
    NamespaceMoved,
    /// Something new.
    Added,
    /// Something gone.
    Removed,
    /// An element, attribute, header or text content has another type, or a type another kind.
    TypeChanged,
    /// Optional <-> required, single <-> repeated, nillable or not.
    OccurrenceChanged,
    /// The elements of a sequence come in another order (or an enumeration has another first
    /// value, which is its `Default`).
    OrderChanged,
    /// A `default` or `fixed` value changed.
    DefaultChanged,
    /// A SOAP action (or WS-Addressing action) changed.
    ActionChanged,
    /// A binding's SOAP version changed.
    SoapVersionChanged,
    /// Something else about a binding: WS-Addressing on or off.
    BindingChanged,
    /// An operation's request or response body element, or whether it is one-way, changed.
    BodyChanged,
    /// An operation declares a new `wsdl:fault`.
    FaultAdded,
    /// An operation no longer declares a `wsdl:fault`.
    FaultRemoved,
    /// The address of a port changed.
    AddressChanged,
    /// A client method's parameters or return type changed.
    SignatureChanged,
    /// A generated Rust name changed while the XML name did not (names that collide get
    /// numbered in model order).
    RustNameChanged,
    /// Only the documentation changed (reported with `--docs`).
    Documentation,
}

impl ChangeKind {
    /// The name in the JSON report and the text report: `namespace_moved`, `added`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::NamespaceMoved => "namespace_moved",
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::TypeChanged => "type_changed",
            ChangeKind::OccurrenceChanged => "occurrence_changed",
            ChangeKind::OrderChanged => "order_changed",
            ChangeKind::DefaultChanged => "default_changed",
            ChangeKind::ActionChanged => "action_changed",
            ChangeKind::SoapVersionChanged => "soap_version_changed",
            ChangeKind::BindingChanged => "binding_changed",
            ChangeKind::BodyChanged => "body_changed",
            ChangeKind::FaultAdded => "fault_added",
            ChangeKind::FaultRemoved => "fault_removed",
            ChangeKind::AddressChanged => "address_changed",
            ChangeKind::SignatureChanged => "signature_changed",
            ChangeKind::RustNameChanged => "rust_name_changed",
            ChangeKind::Documentation => "documentation",
        }
    }
}

/// What a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Item {
    /// A namespace URI.
    Namespace,
    /// A port type (a generated client).
    PortType,
    /// A binding of a port type.
    Binding,
    /// An operation.
    Operation,
    /// An operation's client method.
    Method,
    /// A SOAP header entry of a port type or operation.
    Header,
    /// A `wsdl:fault` of an operation.
    Fault,
    /// A generated type.
    Type,
    /// An element of a complex type (a struct field), the item of an array, the key or value of
    /// a dictionary.
    Field,
    /// An attribute of a complex type.
    Attribute,
    /// The text content of a simple-content type.
    Text,
    /// A value of an enumeration.
    EnumValue,
    /// An alternative of a choice, or a type derived from a polymorphic base.
    Variant,
}

impl Item {
    /// The name in the JSON report and the text report: `namespace`, `port_type`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Item::Namespace => "namespace",
            Item::PortType => "port_type",
            Item::Binding => "binding",
            Item::Operation => "operation",
            Item::Method => "method",
            Item::Header => "header",
            Item::Fault => "fault",
            Item::Type => "type",
            Item::Field => "field",
            Item::Attribute => "attribute",
            Item::Text => "text",
            Item::EnumValue => "enum_value",
            Item::Variant => "variant",
        }
    }

    /// Whether the item belongs to a port type (else to a type, or it is a namespace).
    pub(crate) fn of_port_type(self) -> bool {
        matches!(self, Item::PortType | Item::Binding | Item::Operation | Item::Method | Item::Header | Item::Fault)
    }
}

/// Which changes make `wsdlgen diff` exit with status 1 (and which the builder's baseline check
/// warns about).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum FailOn {
    /// Changes that break code written against the old bindings.
    Api,
    /// Changes that break the wire in either direction.
    Wire,
    /// Either (the default).
    #[default]
    Any,
    /// Nothing: the exit status is 0 whatever changed.
    None,
}

impl Change {
    /// Whether the change breaks the wire in either direction.
    pub fn breaks_wire(&self) -> bool {
        self.old_client.breaking || self.new_client.breaking
    }

    /// Whether the change breaks what `on` names.
    pub fn breaks(&self, on: FailOn) -> bool {
        match on {
            FailOn::Api => self.api.breaking,
            FailOn::Wire => self.breaks_wire(),
            FailOn::Any => self.api.breaking || self.breaks_wire(),
            FailOn::None => false,
        }
    }
}

impl DiffReport {
    /// Whether any change breaks what `on` names (documentation changes never do).
    pub fn breaks(&self, on: FailOn) -> bool {
        self.changes.iter().any(|c| c.breaks(on))
    }

    /// The changes to show: all of them, or all but documentation-only ones.
    pub fn shown(&self, docs: bool) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| docs || c.kind != ChangeKind::Documentation)
    }
}
