//! Stage 3: emit Rust tokens for a [`Model`]. This stage never looks at XML syntax.

mod client;
mod names;
mod server;
mod surface;
mod types;

pub(crate) use surface::{OperationSurface, Surface, TypeMembers, surface};

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::builder::RuntimePath;
use crate::generated::{GeneratedClient, GeneratedOperation};
use crate::model::*;
use names::Scope;
use names::type_name;

/// The Rust names chosen for a model.
struct Names {
    /// One per model type, by [`TypeId`].
    types: Vec<Ident>,
    /// One per client, in model order.
    clients: Vec<ClientNames>,
}

struct ClientNames {
    client: Ident,
    request_headers: Ident,
    response_headers: Ident,
    error: Ident,
    /// The enum of the port type's bindings, when it has several.
    binding: Option<Ident>,
    /// The service trait, server and handler result alias (reserved even without the
    /// `server` option, so that the option never renames other items).
    service: Ident,
    server: Ident,
    result: Ident,
    /// One per operation, in the client's order.
    operations: Vec<OperationNames>,
}

struct OperationNames {
    /// The operation's fault enum, when it declares faults.
    fault: Option<Ident>,
    /// A request wrapper type of its own, when its body element's type is the request of
    /// another operation too (each operation needs its own `Operation` impl).
    request_wrapper: Option<Ident>,
}

/// Shared state of one emission.
struct Ctx<'m> {
    model: &'m Model,
    rt: TokenStream,
    names: Names,
    /// The body types (rpc wrappers) of encoded operations: they write `encodingStyle`.
    encoded_wrappers: std::collections::HashSet<TypeId>,
    /// Whether any member is marked secret (then the file has a `SECRETS` list and every
    /// operation points at it); worked out once, not per operation.
    has_secrets: bool,
}

/// What the emit stage makes of a model: the module's tokens, and what they define.
pub(crate) struct Emitted {
    pub tokens: TokenStream,
    pub clients: Vec<GeneratedClient>,
}

/// What to emit besides the types and clients, and how to name the runtime.
pub(crate) struct EmitOptions<'a> {
    /// How generated code names the runtime crate (checked by the builder).
    pub runtime: &'a RuntimePath,
    /// Whether to generate servers (service traits and dispatch) beside the clients.
    pub server: bool,
    /// Whether to generate clients.
    pub client: bool,
    /// Whether to generate blocking clients (a module `blocking`), when clients are generated.
    pub blocking: bool,
}

/// Emits the whole module for `model`.
pub(crate) fn emit(model: &Model, options: &EmitOptions<'_>) -> Emitted {
    let runtime = options.runtime.to_tokens();
    let names = choose_names(model);
    // Every runtime item is named through one private alias, so the output names the runtime
    // crate once (and `rt` cannot clash with a generated name: those are CamelCase or
    // SCREAMING_CASE at the top level).
    let encoded_wrappers = model
        .clients
        .iter()
        .flat_map(|c| &c.operations)
        .filter(|op| op.encoded)
        .flat_map(|op| [Some(op.request.ty), op.response.as_ref().map(|r| r.ty)])
        .flatten()
        .collect();
    let mut cx = Ctx { model, rt: quote!(rt), names, encoded_wrappers, has_secrets: false };
    cx.has_secrets = !cx.secret_names().is_empty();

    let namespaces = cx.namespace_items();
    let types = model.types_by_id().map(|(id, t)| types::emit_type(&cx, id, t));
    let clients = model.clients.iter().enumerate().map(|(i, c)| client::emit_client(&cx, i, c, options.client));
    let blocking = (options.client && options.blocking && !model.clients.is_empty()).then(|| {
        let clients = model.clients.iter().enumerate().map(|(i, c)| client::emit_blocking_client(&cx, i, c));
        quote! {
            /// Blocking clients: the same operations as plain functions, for programs without an
            /// async runtime (the runtime's `blocking` feature).
            #[allow(dead_code)]
            pub mod blocking {
                use super::*;

                #(#clients)*
            }
        }
    });
    let servers: Vec<TokenStream> = if options.server {
        model.clients.iter().enumerate().map(|(i, c)| server::emit_server(&cx, i, c)).collect()
    } else {
        Vec::new()
    };
    let error = client::emit_error_aliases(&cx);
    let tokens = quote! {
        use #runtime::codegen as rt;
        #namespaces
        #error
        #(#clients)*
        #blocking
        #(#servers)*
        #(#types)*
    };
    Emitted { tokens, clients: cx.summary() }
}

fn choose_names(model: &Model) -> Names {
    let mut scope = Scope::with_taken(["NAMESPACES", "SECRETS", "Error"]);
    let mut clients = Vec::new();
    for c in &model.clients {
        let base = type_name(&c.name.local);
        clients.push(ClientNames {
            operations: Vec::new(),
            client: format_ident!("{}", scope.unique(&format!("{base}Client"))),
            request_headers: format_ident!("{}", scope.unique(&format!("{base}RequestHeaders"))),
            response_headers: format_ident!("{}", scope.unique(&format!("{base}ResponseHeaders"))),
            error: format_ident!("{}", scope.unique(&format!("{base}Error"))),
            binding: (!c.other_bindings.is_empty())
                .then(|| format_ident!("{}", scope.unique(&format!("{base}Binding")))),
            service: format_ident!("{}", scope.unique(&format!("{base}Service"))),
            server: format_ident!("{}", scope.unique(&format!("{base}Server"))),
            result: format_ident!("{}", scope.unique(&format!("{base}Result"))),
        });
    }
    let types = model.types.iter().map(|t| format_ident!("{}", scope.unique(&type_name(&t.name.local)))).collect();
    // Fault enums first, then request wrappers, each in model order: the order names are taken
    // in decides which of two colliding names gets a suffix.
    let faults: Vec<Vec<Option<Ident>>> = model
        .clients
        .iter()
        .map(|c| {
            c.operations
                .iter()
                .map(|op| {
                    (!op.faults.is_empty())
                        .then(|| format_ident!("{}", scope.unique(&format!("{}Fault", type_name(&op.name)))))
                })
                .collect()
        })
        .collect();
    let mut uses: std::collections::HashMap<TypeId, usize> = std::collections::HashMap::new();
    for op in model.clients.iter().flat_map(|c| &c.operations) {
        *uses.entry(op.request.ty).or_default() += 1;
    }
    for ((c, names), faults) in model.clients.iter().zip(&mut clients).zip(faults) {
        for (op, fault) in c.operations.iter().zip(faults) {
            let request_wrapper = (uses[&op.request.ty] > 1)
                .then(|| format_ident!("{}", scope.unique(&format!("{}Request", type_name(&op.name)))));
            names.operations.push(OperationNames { fault, request_wrapper });
        }
    }
    Names { types, clients }
}

impl Ctx<'_> {
    /// What was generated for each client, for callers that check the output (names as chosen).
    fn summary(&self) -> Vec<GeneratedClient> {
        let clients = self.model.clients.iter().zip(&self.names.clients);
        clients
            .map(|(c, names)| GeneratedClient {
                port_type: c.name.local.clone(),
                client_type: names.client.to_string(),
                operations: c
                    .operations
                    .iter()
                    .zip(&names.operations)
                    .map(|(op, op_names)| {
                        let body = self.type_ident(op.request.ty).to_string();
                        let (request_type, wraps) = match &op_names.request_wrapper {
                            Some(wrapper) => (wrapper.to_string(), Some(body)),
                            None => (body, None),
                        };
                        GeneratedOperation {
                            name: op.name.clone(),
                            request_type,
                            wraps,
                            response_type: op.response.as_ref().map(|r| self.type_ident(r.ty).to_string()),
                            one_way: op.one_way,
                        }
                    })
                    .collect(),
            })
            .collect()
    }

    fn ns_index(&self, ns: &str) -> Option<usize> {
        self.model.namespaces.iter().position(|n| n == ns)
    }

    /// The constant naming a namespace (`NS0`), or `None` for no namespace.
    fn ns_const(&self, ns: &str) -> Option<Ident> {
        self.ns_index(ns).map(|i| format_ident!("NS{}", i))
    }

    /// The prefixed tag encoders write for an element name.
    fn tag(&self, name: &crate::xml::QName) -> String {
        match self.ns_index(&name.ns) {
            Some(i) => format!("n{i}:{}", name.local),
            None if name.ns == crate::xml::XML_NS => format!("xml:{}", name.local),
            None => name.local.clone(),
        }
    }

    /// `child.ns() == NS0` (or `child.ns().is_empty()`), as a match guard.
    fn ns_guard(&self, var: &Ident, ns: &str) -> TokenStream {
        match self.ns_const(ns) {
            Some(c) => quote!(#var.ns() == #c),
            None if ns.is_empty() => quote!(#var.ns().is_empty()),
            None => quote!(#var.ns() == #ns),
        }
    }

    fn ns_expr(&self, ns: &str) -> TokenStream {
        match self.ns_const(ns) {
            Some(c) => quote!(#c),
            // Only the XML namespace is used without being in the list.
            None => quote!(#ns),
        }
    }

    fn namespace_items(&self) -> TokenStream {
        let consts = self.model.namespaces.iter().enumerate().map(|(i, ns)| {
            let name = format_ident!("NS{}", i);
            let doc = format!(" Namespace `{ns}` (prefix `n{i}` in requests).");
            quote! {
                #[doc = #doc]
                #[allow(dead_code)]
                pub const #name: &str = #ns;
            }
        });
        let pairs = self.model.namespaces.iter().enumerate().map(|(i, _)| {
            let prefix = format!("n{i}");
            let name = format_ident!("NS{}", i);
            quote!((#prefix, #name))
        });
        let secrets = self.secret_names();
        let secrets = (!secrets.is_empty()).then(|| {
            let pairs = secrets.iter().map(|(ns, local)| {
                let ns = self.ns_expr(ns);
                quote!((#ns, #local))
            });
            quote! {
                /// The elements and attributes whose values are secret (`Debug` shows them as
                /// `<redacted>`): traced envelopes and decode-error excerpts redact them too.
                #[allow(dead_code)]
                pub const SECRETS: &[(&str, &str)] = &[#(#pairs),*];
            }
        });
        quote! {
            #(#consts)*
            /// The prefixes request encoders use, declared once on every envelope.
            #[allow(dead_code)]
            pub const NAMESPACES: &[(&str, &str)] = &[#(#pairs),*];
            #secrets
        }
    }

    /// The `(namespace, local name)` of every member marked secret, sorted: fields, attributes,
    /// choice alternatives and header entries.
    fn secret_names(&self) -> std::collections::BTreeSet<(&str, &str)> {
        let mut names: Vec<&crate::xml::QName> = Vec::new();
        for t in &self.model.types {
            match &t.kind {
                TypeKind::Struct { fields, attributes, .. } => {
                    names.extend(fields.iter().filter(|f| f.secret).map(|f| &f.name));
                    names.extend(attributes.iter().filter(|a| a.secret).map(|a| &a.name));
                }
                TypeKind::SequenceAlternative { fields } | TypeKind::Choice { variants: fields, .. } => {
                    names.extend(fields.iter().filter(|f| f.secret).map(|f| &f.name));
                }
                TypeKind::Array { item } if item.secret => names.push(&item.name),
                _ => {}
            }
        }
        for c in &self.model.clients {
            names.extend(c.request_headers.iter().chain(&c.response_headers).filter(|h| h.secret).map(|h| &h.name));
        }
        names.into_iter().map(|n| (n.ns.as_str(), n.local.as_str())).collect()
    }

    fn type_ident(&self, id: TypeId) -> &Ident {
        &self.names.types[id]
    }

    /// The Rust type of one value of `ty` (before occurrence wrapping).
    fn value_type(&self, ty: TypeRef, boxed: bool) -> TokenStream {
        let rt = &self.rt;
        match ty {
            TypeRef::Builtin(b) => match b {
                Builtin::String => quote!(String),
                Builtin::Bool => quote!(bool),
                Builtin::NumericBool => quote!(#rt::NumericBool),
                Builtin::I8 => quote!(i8),
                Builtin::I16 => quote!(i16),
                Builtin::I32 => quote!(i32),
                Builtin::I64 => quote!(i64),
                Builtin::U8 => quote!(u8),
                Builtin::U16 => quote!(u16),
                Builtin::U32 => quote!(u32),
                Builtin::U64 => quote!(u64),
                Builtin::F32 => quote!(f32),
                Builtin::F64 => quote!(f64),
                Builtin::Decimal => quote!(#rt::Decimal),
                Builtin::DateTime => quote!(#rt::DateTime),
                Builtin::Date => quote!(#rt::Date),
                Builtin::Time => quote!(#rt::Time),
                Builtin::Duration => quote!(#rt::Duration),
                Builtin::Base64Binary => quote!(#rt::Base64Binary),
                Builtin::Uuid => quote!(#rt::Uuid),
                Builtin::AnyType => quote!(#rt::RawXml),
                Builtin::AnyElement => quote!(#rt::AnyElement),
            },
            TypeRef::Named(id) => match &self.model.types[id].kind {
                // The item is a repeated field: its type is already the `Vec`.
                TypeKind::Array { item } => self.field_type(item),
                TypeKind::Dictionary { key, value, .. } => {
                    let k = self.field_type(key);
                    let v = self.field_type(value);
                    quote!(#rt::Dictionary<#k, #v>)
                }
                _ => {
                    let name = self.type_ident(id);
                    if boxed { quote!(Box<#name>) } else { quote!(#name) }
                }
            },
        }
    }

    /// The Rust type of a field, with its occurrence.
    fn field_type(&self, f: &Field) -> TokenStream {
        let v = self.value_type(f.ty, f.boxed);
        let rt = &self.rt;
        match f.occurs {
            Occurs::Required => v,
            Occurs::Optional | Occurs::RequiredNillable => quote!(Option<#v>),
            Occurs::OptionalNillable => quote!(#rt::Nillable<#v>),
            Occurs::Repeated => quote!(Vec<#v>),
            Occurs::RepeatedNillable => quote!(Vec<Option<#v>>),
        }
    }

    /// The codec type for values of `ty`, when the type alone does not say how to write it.
    fn codec(&self, ty: TypeRef, boxed: bool) -> Option<TokenStream> {
        let rt = &self.rt;
        match ty {
            TypeRef::Named(id) => match &self.model.types[id].kind {
                TypeKind::Array { .. } | TypeKind::Dictionary { .. } => {
                    let name = self.type_ident(id);
                    Some(quote!(#name))
                }
                _ if boxed => {
                    let name = self.type_ident(id);
                    Some(quote!(#rt::Boxed::<#name>::new()))
                }
                _ => None,
            },
            TypeRef::Builtin(_) => None,
        }
    }

    /// Whether values of `ty` are an `xs:choice` (written without a wrapper element).
    fn is_choice(&self, ty: TypeRef) -> bool {
        matches!(ty, TypeRef::Named(id) if matches!(self.model.types[id].kind, TypeKind::Choice { .. }))
    }

    /// Whether values of `ty` are a sequence inside a choice.
    fn is_group(&self, ty: TypeRef) -> bool {
        matches!(ty, TypeRef::Named(id) if matches!(self.model.types[id].kind, TypeKind::SequenceAlternative { .. }))
    }

    /// How a required choice is named in a "missing" error.
    fn choice_description(&self, ty: TypeRef) -> String {
        match ty {
            TypeRef::Named(id) => match &self.model.types[id].kind {
                TypeKind::Choice { variants, wildcard } => variants
                    .iter()
                    .map(|v| v.name.local.as_str())
                    .chain(wildcard.as_ref().map(|_| "(any element)"))
                    .collect::<Vec<_>>()
                    .join(" | "),
                _ => String::new(),
            },
            TypeRef::Builtin(_) => String::new(),
        }
    }

    /// The Rust type of an attribute.
    fn attribute_type(&self, a: &Attribute) -> TokenStream {
        let v = self.value_type(a.ty, false);
        match a.usage {
            AttributeUsage::Optional => quote!(Option<#v>),
            _ => v,
        }
    }

    /// Whether values of the type `id` are SOAP-encoded (it is reached from an rpc/encoded
    /// message): `xsi:type` on every child written, children matched by local name.
    fn is_encoded(&self, id: TypeId) -> bool {
        self.model.encoded.types.contains(&id)
    }

    /// Whether `ty` is a `soapenc:Array` type (its codec writes its own `xsi:type`).
    fn is_soap_array(&self, ty: TypeRef) -> bool {
        matches!(ty, TypeRef::Named(id) if self.model.encoded.arrays.contains(&id))
    }

    /// The prefixed name of `{ns}local` as encoders write it in `xsi:type` values (`n1:int`).
    fn prefixed(&self, ns: &str, local: &str) -> Option<String> {
        self.ns_index(ns).map(|i| format!("n{i}:{local}"))
    }

    /// What an encoder writes as the `xsi:type` of a value of `ty` in an encoded message: the
    /// XML Schema built-in, or the schema's named type; `None` for what has no type name
    /// (anonymous types, raw XML, choices) and SOAP arrays (their codec writes theirs).
    fn xsi_type_name(&self, ty: TypeRef) -> Option<String> {
        let xsd = crate::xml::XSD_NS;
        match ty {
            TypeRef::Builtin(b) => {
                let local = match b {
                    Builtin::String => "string",
                    Builtin::Bool | Builtin::NumericBool => "boolean",
                    Builtin::I8 => "byte",
                    Builtin::I16 => "short",
                    Builtin::I32 => "int",
                    Builtin::I64 => "long",
                    Builtin::U8 => "unsignedByte",
                    Builtin::U16 => "unsignedShort",
                    Builtin::U32 => "unsignedInt",
                    Builtin::U64 => "unsignedLong",
                    Builtin::F32 => "float",
                    Builtin::F64 => "double",
                    Builtin::Decimal => "decimal",
                    Builtin::DateTime => "dateTime",
                    Builtin::Date => "date",
                    Builtin::Time => "time",
                    Builtin::Duration => "duration",
                    Builtin::Base64Binary => "base64Binary",
                    Builtin::Uuid | Builtin::AnyType | Builtin::AnyElement => return None,
                };
                self.prefixed(xsd, local)
            }
            TypeRef::Named(id) => {
                let t = &self.model.types[id];
                match &t.kind {
                    _ if self.is_soap_array(ty) => None,
                    TypeKind::WithDerived { base, .. } => self.xsi_type_name(TypeRef::Named(*base)),
                    TypeKind::Struct { .. }
                    | TypeKind::Enum { .. }
                    | TypeKind::List { .. }
                    | TypeKind::FlagList { .. }
                        if t.origin == TypeOrigin::Named =>
                    {
                        self.prefixed(&t.name.ns, &t.name.local)
                    }
                    _ => None,
                }
            }
        }
    }

    /// The `arrayType` item name of a SOAP array of `item` values: its `xsi:type`, with `[]`
    /// per level for arrays of arrays (`n1:string[]`); `xsd:anyType` when the items have no
    /// type name.
    fn array_item_type(&self, item: TypeRef) -> String {
        if let TypeRef::Named(id) = item {
            if let TypeKind::Array { item: inner } = &self.model.types[id].kind {
                if self.is_soap_array(item) {
                    return format!("{}[]", self.array_item_type(inner.ty));
                }
            }
        }
        self.xsi_type_name(item)
            .or_else(|| self.prefixed(crate::xml::XSD_NS, "anyType"))
            .unwrap_or_else(|| "anyType".to_owned())
    }

    /// [`encode_field`](Self::encode_field), with the field's `xsi:type` when `encoded`.
    fn encode_field_in(&self, f: &Field, value: TokenStream, encoded: bool) -> TokenStream {
        let plain = self.encode_field(f, value);
        match self.xsi_type_name(f.ty).filter(|_| encoded) {
            Some(ty) if f.ty != TypeRef::Builtin(Builtin::AnyElement) && !self.is_choice(f.ty) => {
                quote!(w.typed(#ty); #plain)
            }
            _ => plain,
        }
    }

    /// `w.<helper>("n0:Tag", value)` for a field.
    fn encode_field(&self, f: &Field, value: TokenStream) -> TokenStream {
        if f.ty == TypeRef::Builtin(Builtin::AnyElement) {
            return quote!(w.any_elements(#value););
        }
        if self.is_choice(f.ty) {
            return match f.occurs {
                Occurs::Required | Occurs::RequiredNillable => quote!(w.choice(#value);),
                Occurs::Optional | Occurs::OptionalNillable => quote!(w.choice_optional(#value);),
                Occurs::Repeated | Occurs::RepeatedNillable => quote!(w.choice_repeated(#value);),
            };
        }
        let tag = self.tag(&f.name);
        let helper = match f.occurs {
            Occurs::Required => "element",
            Occurs::Optional => "optional",
            Occurs::RequiredNillable => "nil_or",
            Occurs::OptionalNillable => "nillable",
            Occurs::Repeated => "repeated",
            Occurs::RepeatedNillable => "repeated_nil_or",
        };
        let call = self.helper_call(f, helper, quote!(#tag, #value));
        quote!(w.#call;)
    }

    /// `r.<helper>(&child, slot)?` for a field (required fields fill an `Option` slot).
    fn decode_field(&self, f: &Field, child: TokenStream, slot: TokenStream) -> TokenStream {
        if f.ty == TypeRef::Builtin(Builtin::AnyElement) {
            return quote!(r.any_element(#child, #slot)?);
        }
        if self.is_choice(f.ty) {
            return match f.occurs {
                Occurs::Repeated | Occurs::RepeatedNillable => quote!(r.choice_repeated(#child, #slot)?),
                _ => quote!(r.choice(#child, #slot)?),
            };
        }
        let helper = match f.occurs {
            Occurs::Required | Occurs::Optional => "optional",
            Occurs::RequiredNillable => "nil_or",
            Occurs::OptionalNillable => "nillable",
            Occurs::Repeated => "repeated",
            Occurs::RepeatedNillable => "repeated_nil_or",
        };
        let call = self.helper_call(f, helper, quote!(#child, #slot));
        quote!(r.#call?)
    }

    /// `helper(args)`, or `helper_as(Codec, args)` when the field's type needs a codec: the
    /// writer's and the reader's slot helpers come in the same pairs. Codecs are passed as
    /// values (not as a turbofish) so that formatted calls break between arguments.
    fn helper_call(&self, f: &Field, helper: &str, args: TokenStream) -> TokenStream {
        match self.codec(f.ty, f.boxed) {
            Some(codec) => {
                let m = format_ident!("{}_as", helper);
                quote!(#m(#codec, #args))
            }
            None => {
                let m = format_ident!("{}", helper);
                quote!(#m(#args))
            }
        }
    }

    /// The initial value of a decoding slot for a field.
    fn slot_init(&self, f: &Field) -> TokenStream {
        let rt = &self.rt;
        match f.occurs {
            Occurs::Required | Occurs::Optional | Occurs::RequiredNillable => quote!(None),
            Occurs::OptionalNillable => quote!(#rt::Nillable::Absent),
            Occurs::Repeated | Occurs::RepeatedNillable => quote!(Vec::new()),
        }
    }

    /// Whether a field's slot must be unwrapped with `require` after decoding.
    fn is_required(f: &Field) -> bool {
        matches!(f.occurs, Occurs::Required | Occurs::RequiredNillable)
    }
}

/// `#[doc = ...]` for a line the generator writes itself (already valid Markdown).
fn doc_line(text: &str) -> TokenStream {
    let line = format!(" {text}");
    quote!(#[doc = #line])
}

/// `#[doc = ...]` attributes for documentation text, one paragraph per source line, with the
/// characters rustdoc would read as markup escaped.
/// The `#[doc]` attributes of a documentation text followed by an empty line, for a doc comment
/// that goes on with text of the generator's own; nothing when there is no documentation.
fn doc_paragraph(text: &Option<String>) -> TokenStream {
    match text {
        Some(text) => {
            let d = doc_attrs(text);
            quote!(#d #[doc = ""])
        }
        None => TokenStream::new(),
    }
}

fn doc_attrs(text: &str) -> TokenStream {
    let mut out = TokenStream::new();
    let mut first = true;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if !first {
            out.extend(quote!(#[doc = ""]));
        }
        first = false;
        let escaped = escape_markdown(line);
        let line = format!(" {escaped}");
        out.extend(quote!(#[doc = #line]));
    }
    out
}

fn escape_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (i, c) in line.char_indices() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' | ']' | '*' | '_' | '`' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '-' | '+' | '=' | '|' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    // A line starting with a number and a dot would start a list.
    if let Some(pos) = out.find(|c: char| !c.is_ascii_digit()) {
        if pos > 0 && out[pos..].starts_with(['.', ')']) {
            out.insert(pos, '\\');
        }
    }
    out
}
