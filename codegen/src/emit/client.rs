//! Emission of clients: header sets, the `Operation` impl of each request, and the client
//! with one method per operation.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::names::{Scope, field_name, ident, type_name};
use super::types::{derive_and_debug, field_idents_of, member_idents};
use super::{Ctx, doc_paragraph};
use crate::model::*;

/// The service error type of a client, as tokens.
pub(super) fn service_error_type(cx: &Ctx<'_>, c: &Client) -> TokenStream {
    let rt = &cx.rt;
    match &c.service_error {
        Some(se) => cx.value_type(c.response_headers[se.detail].ty, false),
        None => quote!(#rt::NoServiceError),
    }
}

/// `pub type Error = ...;` when all clients share a service error type, else one alias each.
pub(super) fn emit_error_aliases(cx: &Ctx<'_>) -> TokenStream {
    let rt = &cx.rt;
    let types: Vec<String> = cx.model.clients.iter().map(|c| service_error_type(cx, c).to_string()).collect();
    let shared = types.windows(2).all(|w| w[0] == w[1]);
    if shared {
        let ty = cx.model.clients.first().map(|c| service_error_type(cx, c)).unwrap_or(quote!(#rt::NoServiceError));
        quote! {
            /// The error of every call in this module.
            #[allow(dead_code)]
            pub type Error = #rt::Error<#ty>;
        }
    } else {
        let aliases = cx.model.clients.iter().enumerate().map(|(i, c)| {
            let name = &cx.names.clients[i].error;
            let ty = service_error_type(cx, c);
            quote! {
                /// The error of this client's calls.
                #[allow(dead_code)]
                pub type #name = #rt::Error<#ty>;
            }
        });
        quote!(#(#aliases)*)
    }
}

pub(super) fn error_alias(cx: &Ctx<'_>, index: usize) -> TokenStream {
    let types: Vec<String> = cx.model.clients.iter().map(|c| service_error_type(cx, c).to_string()).collect();
    if types.windows(2).all(|w| w[0] == w[1]) {
        quote!(Error)
    } else {
        let name = &cx.names.clients[index].error;
        quote!(#name)
    }
}

/// A header entry as a field of the header set, with the given occurrence.
pub(super) fn header_field(h: &Header, occurs: Occurs) -> Field {
    Field { name: h.name.clone(), ty: h.ty, occurs, boxed: false, secret: h.secret, constraint: None, doc: None }
}

pub(super) fn header_field_names(headers: &[Header]) -> Vec<Ident> {
    let mut scope = Scope::default();
    headers.iter().map(|h| ident(&scope.unique(&field_name(&h.name.local)))).collect()
}

/// A port type's header sets, operations and faults, and (`with_client`) its client.
pub(super) fn emit_client(cx: &Ctx<'_>, index: usize, c: &Client, with_client: bool) -> TokenStream {
    let headers = emit_headers(cx, index, c, with_client);
    let operations = c.operations.iter().enumerate().map(|(i, op)| emit_operation_impl(cx, index, i, op));
    let faults = c.operations.iter().enumerate().map(|(i, op)| emit_fault_enum(cx, index, i, op));
    let client = with_client.then(|| emit_client_struct(cx, index, c));
    let display = emit_service_error_display(cx, c);
    quote! {
        #client
        #headers
        #(#operations)*
        #(#faults)*
        #display
    }
}

/// The variants of an operation's fault enum, one per `wsdl:fault`.
pub(super) fn fault_variant_names(op: &Operation) -> Vec<Ident> {
    let mut scope = Scope::default();
    op.faults.iter().map(|f| format_ident!("{}", scope.unique(&type_name(&f.name)))).collect()
}

/// The typed faults of an operation: an enum of the `wsdl:fault` details it declares.
fn emit_fault_enum(cx: &Ctx<'_>, client: usize, index: usize, op: &Operation) -> TokenStream {
    let Some(name) = &cx.names.clients[client].operations[index].fault else {
        return TokenStream::new();
    };
    let rt = &cx.rt;
    let variants = fault_variant_names(op);
    let defs = op.faults.iter().zip(&variants).map(|(f, v)| {
        let ty = cx.value_type(f.ty, false);
        let doc = format!(" The `{}` fault (detail element `{}`).", f.name, f.element.local);
        quote! {
            #[doc = #doc]
            #v(#ty),
        }
    });
    let attempts = op.faults.iter().zip(&variants).map(|(f, v)| {
        let ns = cx.ns_expr(&f.element.ns);
        let local = &f.element.local;
        // The value's type is inferred from the variant it goes into.
        let decode = match (cx.codec(f.ty, false), op.encoded) {
            // An encoded fault's detail accessor, in whatever namespace the peer puts it.
            (Some(codec), true) => quote!(decode_accessor_as(#codec, #local)),
            (None, true) => quote!(decode_accessor(#local)),
            (Some(codec), false) => quote!(decode_child_as(#codec, #ns, #local)),
            (None, false) => quote!(decode_child(#ns, #local)),
        };
        quote! {
            match detail.#decode {
                Ok(value) => return Some(Ok(Self::#v(value))),
                Err(e) if !matches!(e.kind, #rt::DecodeErrorKind::UnexpectedElement { .. } | #rt::DecodeErrorKind::Missing(_)) => {
                    return Some(Err(e));
                }
                Err(_) => {}
            }
        }
    });
    let doc = format!(" The faults `{}` declares, decoded from a SOAP fault's detail.", op.name);
    quote! {
        #[doc = #doc]
        #[allow(clippy::enum_variant_names)]
        #[derive(Debug, Clone, PartialEq)]
        #[allow(dead_code)]
        pub enum #name {
            #(#defs)*
        }

        #[allow(dead_code)]
        impl #name {
            /// Decodes `fault`'s detail as one of these faults: `None` when the fault has no
            /// detail or its detail is none of them.
            pub fn from_fault(fault: &#rt::Fault) -> Option<Result<Self, #rt::DecodeError>> {
                let detail = fault.detail.as_ref()?;
                #(#attempts)*
                None
            }
        }
    }
}

fn emit_headers(cx: &Ctx<'_>, index: usize, c: &Client, with_client: bool) -> TokenStream {
    let rt = &cx.rt;
    let names = &cx.names.clients[index];
    let req = &names.request_headers;
    let resp = &names.response_headers;
    let port = &c.name.local;

    let req_fields = header_field_names(&c.request_headers);
    let req_defs = c.request_headers.iter().zip(&req_fields).map(|(h, f)| {
        let ty = cx.value_type(h.ty, false);
        let doc = format!(" The `{}` header entry; sent by the operations that declare it, when set.", h.name.local);
        quote! {
            #[doc = #doc]
            pub #f: Option<#ty>,
        }
    });
    let req_encodes: Vec<TokenStream> = c
        .request_headers
        .iter()
        .zip(&req_fields)
        .map(|(h, f)| cx.encode_field(&header_field(h, Occurs::Optional), quote!(&self.#f)))
        .collect();
    // A set with no entries writes nothing: its parameters go unused.
    let (w_param, which) =
        if c.request_headers.is_empty() { (quote!(_w), quote!(_which)) } else { (quote!(w), quote!(which)) };
    let req_body = encode_selected_entries(&req_encodes);

    let resp_fields = header_field_names(&c.response_headers);
    let resp_field_models: Vec<Field> = c
        .response_headers
        .iter()
        .map(|h| header_field(h, if h.nillable { Occurs::OptionalNillable } else { Occurs::Optional }))
        .collect();
    let resp_defs = resp_field_models.iter().zip(&resp_fields).map(|(f, name)| {
        let ty = cx.field_type(f);
        let doc = format!(" The `{}` header entry, when the response carries it.", f.name.local);
        quote! {
            #[doc = #doc]
            pub #name: #ty,
        }
    });
    let start = format_ident!("start");
    let resp_arms = resp_field_models.iter().zip(&resp_fields).map(|(f, name)| {
        let local = &f.name.local;
        let guard = cx.ns_guard(&start, &f.name.ns);
        let fill = cx.decode_field(f, quote!(start), quote!(&mut self.#name));
        quote!(#local if #guard => #fill,)
    });
    let (r_param, start_param) =
        if c.response_headers.is_empty() { (quote!(_r), quote!(_start)) } else { (quote!(r), quote!(start)) };
    let sink_body = if c.response_headers.is_empty() {
        quote!(Ok(false))
    } else {
        quote! {
            match start.local() {
                #(#resp_arms)*
                _ => return Ok(false),
            }
            Ok(true)
        }
    };
    let (error_ty, service_error_body) = match &c.service_error {
        Some(se) => {
            let flag = &resp_fields[se.success];
            let detail = &resp_fields[se.detail];
            let failed = if c.response_headers[se.success].nillable {
                quote!(self.#flag == #rt::Nillable::Value(false))
            } else {
                quote!(self.#flag == Some(false))
            };
            let take = if c.response_headers[se.detail].nillable {
                quote!(::std::mem::take(&mut self.#detail).into_option().unwrap_or_default())
            } else {
                quote!(self.#detail.take().unwrap_or_default())
            };
            let doc = format!(
                " A failure is reported when `{}` is `false`; its details are taken from `{}`.",
                c.response_headers[se.success].name.local, c.response_headers[se.detail].name.local
            );
            (
                cx.value_type(c.response_headers[se.detail].ty, false),
                quote! {
                    #[doc = #doc]
                    fn service_error(&mut self) -> Option<Self::ServiceError> {
                        if #failed { Some(#take) } else { None }
                    }
                },
            )
        }
        None => (
            quote!(#rt::NoServiceError),
            quote! {
                fn service_error(&mut self) -> Option<Self::ServiceError> {
                    None
                }
            },
        ),
    };
    let req_field_models: Vec<Field> = c.request_headers.iter().map(|h| header_field(h, Occurs::Optional)).collect();
    let members = |models: &[Field], idents: &[Ident]| -> Vec<(Ident, bool)> {
        models.iter().zip(idents).map(|(f, i)| (i.clone(), f.secret)).collect()
    };
    let (req_derive, req_debug) = derive_and_debug(cx, req, &members(&req_field_models, &req_fields), false, true);
    let (resp_derive, resp_debug) = derive_and_debug(cx, resp, &members(&resp_field_models, &resp_fields), false, true);
    let req_doc = if with_client {
        format!(" The SOAP header entries a [`{}`] sends (port type `{port}`).", names.client)
    } else {
        format!(" The SOAP header entries of a `{port}` request.")
    };
    let resp_doc = format!(" The SOAP header entries of a `{port}` response.");
    quote! {
        #[doc = #req_doc]
        #req_derive
        #[allow(dead_code)]
        pub struct #req {
            #(#req_defs)*
        }

        #req_debug

        impl #rt::RequestHeaders for #req {
            fn encode(&self, #w_param: &mut #rt::XmlWriter, #which: &[usize]) {
                #req_body
            }
        }

        #[doc = #resp_doc]
        #resp_derive
        #[allow(dead_code)]
        pub struct #resp {
            #(#resp_defs)*
        }

        #resp_debug

        impl #rt::soap::HeaderSink for #resp {
            fn decode_entry<'a>(&mut self, #r_param: &mut #rt::XmlReader<'a>, #start_param: &#rt::Start<'a>) -> Result<bool, #rt::DecodeError> {
                #sink_body
            }
        }

        impl #rt::ResponseHeaders for #resp {
            type ServiceError = #error_ty;
            #service_error_body
        }
    }
}

fn emit_operation_impl(cx: &Ctx<'_>, index: usize, op_index: usize, op: &Operation) -> TokenStream {
    let rt = &cx.rt;
    let names = &cx.names.clients[index];
    let req = &names.request_headers;
    let resp = &names.response_headers;
    let body = cx.type_ident(op.request.ty);
    let wrapper = cx.names.clients[index].operations[op_index].request_wrapper.as_ref().map(|w| {
        let doc = format!(
            " The request of `{}`: its body element `{}`, whose type other operations share.",
            op.name, op.request.name.local
        );
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq, Default)]
            #[allow(dead_code)]
            pub struct #w(pub #body);

            impl #rt::Encode for #w {
                fn encode(&self, w: &mut #rt::XmlWriter, tag: &str) {
                    self.0.encode(w, tag);
                }
            }

            impl #rt::Decode for #w {
                fn decode<'a>(r: &mut #rt::XmlReader<'a>, start: &#rt::Start<'a>) -> Result<Self, #rt::DecodeError> {
                    <#body as #rt::Decode>::decode(r, start).map(Self)
                }
            }
        }
    });
    let request = cx.names.clients[index].operations[op_index].request_wrapper.as_ref().unwrap_or(body);
    let name = &op.name;
    let action = &op.action;
    let tag = cx.tag(&op.request.name);
    let headers = op.request_headers.iter().map(|i| index_literal(i.0));
    let client = &cx.model.clients[index];
    let actions_for = (!client.other_bindings.is_empty()
        && client.other_bindings.iter().any(|b| b.actions[op_index] != op.action))
    .then(|| {
        let arms = client.other_bindings.iter().enumerate().map(|(i, b)| {
            let i = index_literal(i + 1);
            // The resolver gives each other binding one action per operation of the client.
            let action = &b.actions[op_index];
            quote!(#i => #action,)
        });
        quote! {
            fn soap_action_for(binding: usize) -> &'static str {
                match binding {
                    #(#arms)*
                    _ => Self::SOAP_ACTION,
                }
            }
        }
    });
    let encoded = op.encoded.then(|| {
        quote!(
            const ENCODED: bool = true;
        )
    });
    let addressing_action = (op.addressing_action != op.action).then(|| {
        let a = &op.addressing_action;
        quote!(const ADDRESSING_ACTION: &'static str = #a;)
    });
    let (response, resp_ns, resp_local, one_way) = match &op.response {
        Some(r) => {
            let ty = cx.type_ident(r.ty);
            (quote!(#ty), cx.ns_expr(&r.name.ns), r.name.local.clone(), TokenStream::new())
        }
        None => (
            quote!(()),
            quote!(""),
            String::new(),
            quote! {
                fn empty_reply() -> Option<()> {
                    Some(())
                }
            },
        ),
    };
    let secrets = cx.has_secrets.then(|| {
        quote!(
            const SECRETS: &'static [(&'static str, &'static str)] = SECRETS;
        )
    });
    quote! {
        #wrapper

        impl #rt::Operation for #request {
            const NAME: &'static str = #name;
            const SOAP_ACTION: &'static str = #action;
            const REQUEST_TAG: &'static str = #tag;
            const RESPONSE_ELEMENT: (&'static str, &'static str) = (#resp_ns, #resp_local);
            const NAMESPACES: &'static [(&'static str, &'static str)] = NAMESPACES;
            const REQUEST_HEADERS: &'static [usize] = &[#(#headers),*];
            #secrets
            #addressing_action
            #encoded
            type Response = #response;
            type RequestHeaders = #req;
            type ResponseHeaders = #resp;
            #one_way
            #actions_for
        }
    }
}

fn emit_client_struct(cx: &Ctx<'_>, index: usize, c: &Client) -> TokenStream {
    let rt = &cx.rt;
    let names = &cx.names.clients[index];
    let client = &names.client;
    let req = &names.request_headers;
    let resp = &names.response_headers;
    let error = error_alias(cx, index);
    let version = match c.version {
        SoapVersion::Soap11 => quote!(#rt::SoapVersion::Soap11),
        SoapVersion::Soap12 => quote!(#rt::SoapVersion::Soap12),
    };
    let mut doc = doc_paragraph(&c.doc);
    let about = format!(
        " A client for the `{}` port type over the `{}` binding ({}). Cheap to clone: clones share connections.",
        c.name.local,
        c.binding.local,
        match c.version {
            SoapVersion::Soap11 => "SOAP 1.1",
            SoapVersion::Soap12 => "SOAP 1.2",
        }
    );
    doc.extend(quote!(#[doc = #about]));
    let address = c.address.as_ref().map(|a| {
        let d = format!(
            " The address given in the WSDL for the `{}` binding (often an example: pass the real one to [`{}::new`]).",
            c.binding.local, client
        );
        quote! {
            #[doc = #d]
            pub const WSDL_ADDRESS: &'static str = #a;
        }
    });

    let method_names = client_method_names(c);
    let header_fields = header_field_names(&c.request_headers);
    let setters = c.request_headers.iter().zip(&header_fields).zip(&method_names.setters).map(|((h, f), setter)| {
        let setter = format_ident!("{}", setter);
        let ty = cx.value_type(h.ty, false);
        let doc = format!(" Sends the `{}` header entry with every operation that declares it.", h.name.local);
        quote! {
            #[doc = #doc]
            #[must_use]
            pub fn #setter(mut self, value: #ty) -> Self {
                self.headers_mut().#f = Some(value);
                self
            }
        }
    });
    let setters: Vec<TokenStream> = setters.collect();
    let ops: Vec<TokenStream> = c
        .operations
        .iter()
        .enumerate()
        .map(|(i, op)| {
            let method = ident(&method_names.operations[i]);
            emit_method(cx, &error, method, op, cx.names.clients[index].operations[i].request_wrapper.as_ref())
        })
        .collect();

    let binding_enum = names.binding.as_ref().map(|b| emit_binding_enum(cx, c, b));
    let binding_field = names.binding.as_ref().map(|b| quote!(binding: #b,));
    let binding_init = names.binding.as_ref().map(|_| quote!(binding: Default::default(),));
    let any_addressing = c.addressing || c.other_bindings.iter().any(|b| b.addressing);
    let binding_methods = names.binding.as_ref().map(|b| {
        let set_addressing = any_addressing.then(|| quote!(self.soap.set_addressing(binding.uses_addressing());));
        quote! {
            /// Sends through another binding of the port type (its SOAP version and actions).
            #[must_use]
            pub fn with_binding(mut self, binding: #b) -> Self {
                self.binding = binding;
                #set_addressing
                self
            }

            /// The binding calls go through.
            pub fn binding(&self) -> #b {
                self.binding
            }
        }
    });
    let from_soap_client = if c.addressing {
        quote! {
            /// A client over a configured `SoapClient` (endpoint, limits, transport). The binding
            /// uses WS-Addressing: requests carry addressing headers (see
            /// `SoapClient::set_addressing`).
            pub fn from_soap_client(mut soap: #rt::SoapClient) -> Self {
                soap.set_addressing(true);
                Self { soap, headers: Default::default(), #binding_init }
            }
        }
    } else {
        quote! {
            /// A client over a configured `SoapClient` (endpoint, limits, transport).
            pub fn from_soap_client(soap: #rt::SoapClient) -> Self {
                Self { soap, headers: Default::default(), #binding_init }
            }
        }
    };
    let (call_version, call_fn) = match &names.binding {
        Some(_) => (quote!(self.binding.soap_version()), quote!(call_with_action)),
        None => (quote!(Self::SOAP_VERSION), quote!(call)),
    };
    let call_action = names.binding.as_ref().map(|_| quote!(O::soap_action_for(self.binding.index()),));
    quote! {
        #binding_enum

        #doc
        #[derive(Debug, Clone)]
        #[allow(dead_code)]
        pub struct #client {
            soap: #rt::SoapClient,
            headers: ::std::sync::Arc<#req>,
            #binding_field
        }

        #[allow(dead_code)]
        impl #client {
            #address

            /// The SOAP version of the default binding.
            pub const SOAP_VERSION: #rt::SoapVersion = #version;

            // `new(endpoint)` and `with_http_client(http, endpoint)`, with the runtime's `http`
            // feature (its default); without it, `from_soap_client` over a transport of your own.
            #rt::http_constructors!();

            #from_soap_client

            #binding_methods

            /// The underlying SOAP client (endpoint, limits, version override).
            pub fn soap_client(&self) -> &#rt::SoapClient {
                &self.soap
            }

            /// The underlying SOAP client, to change its settings.
            pub fn soap_client_mut(&mut self) -> &mut #rt::SoapClient {
                &mut self.soap
            }

            /// The header entries sent with every call.
            pub fn headers(&self) -> &#req {
                &self.headers
            }

            /// The header entries sent with every call, to change them.
            pub fn headers_mut(&mut self) -> &mut #req {
                ::std::sync::Arc::make_mut(&mut self.headers)
            }

            /// Replaces the header entries sent with every call.
            #[must_use]
            pub fn with_headers(mut self, headers: #req) -> Self {
                self.headers = ::std::sync::Arc::new(headers);
                self
            }

            #(#setters)*

            /// Calls any operation of this port type with a request built by hand, returning the
            /// whole response element and the response headers.
            pub async fn call<O>(&self, request: &O) -> Result<#rt::Reply<O::Response, #resp>, #error>
            where
                O: #rt::Operation<RequestHeaders = #req, ResponseHeaders = #resp>,
            {
                self.soap.#call_fn(#call_version, #call_action request, &self.headers).await
            }

            /// Like [`call`](Self::call), with these header entries instead of the client's.
            pub async fn call_with_headers<O>(&self, request: &O, headers: &#req) -> Result<#rt::Reply<O::Response, #resp>, #error>
            where
                O: #rt::Operation<RequestHeaders = #req, ResponseHeaders = #resp>,
            {
                self.soap.#call_fn(#call_version, #call_action request, headers).await
            }

            #(#ops)*
        }
    }
}

/// The attributes and text type of a struct type (a struct with `xs:anyAttribute` counts as
/// having attributes, so its methods take and return the whole struct).
fn struct_extras<'m>(cx: &Ctx<'m>, id: TypeId) -> (&'m [Attribute], Option<TypeRef>, bool) {
    match &cx.model.types[id].kind {
        TypeKind::Struct { attributes, text, any_attribute, .. } => (attributes, *text, *any_attribute),
        _ => (&[], None, false),
    }
}

/// Whether a body element's type is polymorphic (an enum of a base and the types derived from it).
fn is_polymorphic(cx: &Ctx<'_>, id: TypeId) -> bool {
    matches!(cx.model.types[id].kind, TypeKind::WithDerived { .. })
}

fn struct_fields<'m>(cx: &Ctx<'m>, id: TypeId) -> &'m [Field] {
    match &cx.model.types[id].kind {
        TypeKind::Struct { fields, .. } => fields,
        _ => &[],
    }
}

/// The Rust names of a client's methods: the header setters (`with_{header}`) and one method per
/// operation, unique among each other and the client's fixed methods.
pub(super) struct ClientMethodNames {
    pub setters: Vec<String>,
    pub operations: Vec<String>,
}

pub(super) fn client_method_names(c: &Client) -> ClientMethodNames {
    let mut methods = Scope::with_taken([
        "new",
        "with_http_client",
        "from_soap_client",
        "soap_client",
        "soap_client_mut",
        "headers",
        "headers_mut",
        "with_headers",
        "call",
        "call_with_headers",
        "from_async",
        "as_async",
        "clone",
        "fmt",
    ]);
    let setters =
        c.request_headers.iter().map(|h| methods.unique(&format!("with_{}", field_name(&h.name.local)))).collect();
    let operations = c.operations.iter().map(|op| methods.unique(&field_name(&op.name))).collect();
    ClientMethodNames { setters, operations }
}

/// The parameters of an operation's client method (`name: Type`): the request's attributes, its
/// text, then its fields, each as the value itself (always sent).
pub(super) fn method_params(cx: &Ctx<'_>, op: &Operation) -> Vec<TokenStream> {
    named_method_params(cx, op).into_iter().map(|(p, ty)| quote!(#p: #ty)).collect()
}

/// [`method_params`] as names and types.
fn named_method_params(cx: &Ctx<'_>, op: &Operation) -> Vec<(Ident, TokenStream)> {
    let req_fields = struct_fields(cx, op.request.ty);
    let (req_attributes, req_text, req_any) = struct_extras(cx, op.request.ty);
    let req_members = member_idents(req_attributes, req_any, req_text.is_some(), req_fields);
    let attr_params =
        req_attributes.iter().zip(&req_members.attributes).map(|(a, p)| (p.clone(), cx.attribute_type(a)));
    let text_param = req_text.and_then(|t| Some((req_members.text.clone()?, cx.value_type(t, false))));
    let field_params = req_fields.iter().zip(&req_members.fields).map(|(f, p)| {
        let ty = match f.occurs {
            Occurs::Repeated | Occurs::RepeatedNillable => cx.field_type(f),
            _ => cx.value_type(f.ty, f.boxed),
        };
        (p.clone(), ty)
    });
    let mut params: Vec<(Ident, TokenStream)> = attr_params.chain(text_param).chain(field_params).collect();
    // A body of a polymorphic type (a type others derive from) has no fields of its own to
    // take: the method takes the value, whichever type it is.
    if let Some(p) = polymorphic_param(cx, op) {
        let request = cx.type_ident(op.request.ty);
        params.push((p, quote!(#request)));
    }
    params
}

/// The parameter of a method whose request body is of a polymorphic type: the whole value.
fn polymorphic_param(cx: &Ctx<'_>, op: &Operation) -> Option<Ident> {
    is_polymorphic(cx, op.request.ty).then(|| ident(&field_name(&op.request.name.local)))
}

/// What an operation's client method returns (inside `Result<_, Error>`).
pub(super) fn method_return(cx: &Ctx<'_>, op: &Operation) -> TokenStream {
    match &op.response {
        Some(r) => method_returns(cx, r, cx.type_ident(op.request.ty)).0,
        None => quote!(()),
    }
}

fn emit_method(
    cx: &Ctx<'_>,
    error: &TokenStream,
    method: Ident,
    op: &Operation,
    wrapper: Option<&Ident>,
) -> TokenStream {
    let rt = &cx.rt;
    let request = cx.type_ident(op.request.ty);
    let req_fields = struct_fields(cx, op.request.ty);
    let (req_attributes, req_text, req_any) = struct_extras(cx, op.request.ty);
    let req_members = member_idents(req_attributes, req_any, req_text.is_some(), req_fields);
    let req_idents = &req_members.fields;
    let params = method_params(cx, op);
    let whole = polymorphic_param(cx, op);
    let placeholder = req_members
        .attributes
        .iter()
        .chain(req_members.text.iter())
        .chain(req_idents)
        .any(|p| super::names::CLIPPY_PLACEHOLDER_NAMES.contains(&p.to_string().as_str()));
    let allow_placeholder = placeholder.then(|| quote!(#[allow(clippy::disallowed_names)]));
    let extra_builds = req_members.attributes.iter().chain(req_members.text.iter()).map(|p| quote!(#p,));
    let other_build = req_members.other_attributes.as_ref().map(|p| quote!(#p: Vec::new(),));
    let field_builds = req_fields.iter().zip(req_idents).map(|(f, p)| match f.occurs {
        Occurs::Required | Occurs::Repeated | Occurs::RepeatedNillable => quote!(#p,),
        Occurs::Optional | Occurs::RequiredNillable => quote!(#p: Some(#p),),
        Occurs::OptionalNillable => quote!(#p: #rt::Nillable::Value(#p),),
    });
    let builds: Vec<TokenStream> = extra_builds.chain(other_build).chain(field_builds).collect();
    let (ret, unwrap, detail) = match &op.response {
        Some(r) => method_returns(cx, r, request),
        None if op.one_way => (
            quote!(()),
            quote!(Ok(())),
            " A one-way operation: `Ok(())` once the service accepted the request.".to_owned(),
        ),
        None => (quote!(()), quote!(Ok(())), " `Ok(())` once the service answered with an empty body.".to_owned()),
    };
    // `Ok(())` (a one-way operation, or an empty response element) needs no reply.
    let uses_reply = unwrap.to_string().contains("reply");
    let bind_reply = if uses_reply { quote!(let reply =) } else { TokenStream::new() };
    let mut doc = doc_paragraph(&op.doc);
    let about = format!(" Calls `{}` (SOAP action `{}`).", op.name, op.action);
    doc.extend(quote!(#[doc = #about]));
    doc.extend(quote!(#[doc = ""] #[doc = #detail]));
    // Clippy counts `&self` too.
    let many = (params.len() >= 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let construct = match (wrapper, whole) {
        (Some(w), Some(p)) => quote!(#w(#p)),
        (None, Some(p)) => quote!(#p),
        (Some(w), None) => quote!(#w(#request { #(#builds)* })),
        (None, None) => quote!(#request { #(#builds)* }),
    };
    quote! {
        #doc
        #many
        #allow_placeholder
        pub async fn #method(&self, #(#params),*) -> Result<#ret, #error> {
            let request = #construct;
            #bind_reply self.call(&request).await?;
            #unwrap
        }
    }
}

/// What a client method returns for a response element: the return type, the expression that
/// unwraps it from `reply`, and a doc line.
fn method_returns(cx: &Ctx<'_>, r: &BodyElement, request: &Ident) -> (TokenStream, TokenStream, String) {
    let rt = &cx.rt;
    let resp_fields = struct_fields(cx, r.ty);
    let response = cx.type_ident(r.ty);
    let (resp_attributes, resp_text, resp_any) = struct_extras(cx, r.ty);
    let resp_members = member_idents(resp_attributes, resp_any, resp_text.is_some(), resp_fields);
    let whole = format!(" Use [`call`](Self::call) with a [`{request}`] for the response headers.");
    let (ret, unwrap) = match (resp_fields, resp_text) {
        _ if !resp_attributes.is_empty() || resp_any || is_polymorphic(cx, r.ty) => {
            (quote!(#response), quote!(Ok(reply.body)))
        }
        ([], Some(text)) => {
            let value = cx.value_type(text, false);
            let field = resp_members.text.as_ref();
            (value, quote!(Ok(reply.body.#field)))
        }
        // Nothing to return: the reply is not bound (see `bind_reply`).
        ([], None) => (quote!(()), quote!(Ok(()))),
        ([f], _) => {
            // The same struct's member names: one field, so one name.
            let field = &resp_members.fields[0];
            let value = cx.value_type(f.ty, f.boxed);
            let is_vec =
                matches!(f.ty, TypeRef::Named(id) if matches!(cx.model.types[id].kind, TypeKind::Array { .. }));
            let body = quote!(reply.body.#field);
            let detail = format!(
                " Returns the `{}` element of `{}`; use [`call`](Self::call) with a [`{}`] for the whole response and its headers.",
                f.name.local, r.name.local, request
            );
            let (ret, unwrap) = match f.occurs {
                Occurs::Required => (value, quote!(Ok(#body))),
                Occurs::Optional => {
                    let parent = format!("Envelope/Body/{}", r.name.local);
                    let local = &f.name.local;
                    (value, quote!(#body.ok_or_else(|| #rt::DecodeError::missing(#parent, #local).into())))
                }
                Occurs::RequiredNillable => (quote!(Option<#value>), quote!(Ok(#body))),
                Occurs::OptionalNillable if is_vec => (value, quote!(Ok(#body.into_option().unwrap_or_default()))),
                Occurs::OptionalNillable => (quote!(Option<#value>), quote!(Ok(#body.into_option()))),
                Occurs::Repeated | Occurs::RepeatedNillable => (cx.field_type(f), quote!(Ok(#body))),
            };
            return (ret, unwrap, detail);
        }
        _ => (quote!(#response), quote!(Ok(reply.body))),
    };
    (ret, unwrap, whole)
}

/// `Display` for a service-error detail type (the runtime's `Error` needs it).
fn emit_service_error_display(cx: &Ctx<'_>, c: &Client) -> TokenStream {
    let Some(se) = &c.service_error else {
        return TokenStream::new();
    };
    let TypeRef::Named(id) = c.response_headers[se.detail].ty else {
        return TokenStream::new();
    };
    // Another client of the module may share the detail type: emit once, for the first.
    let first = cx
        .model
        .clients
        .iter()
        .find(|other| {
            other.service_error.as_ref().is_some_and(|s| other.response_headers[s.detail].ty == TypeRef::Named(id))
        })
        .map(|other| std::ptr::eq(other, c))
        .unwrap_or(false);
    if !first {
        return TokenStream::new();
    }
    let name = cx.type_ident(id);
    let fallback = &cx.model.types[id].name.local;
    let fields = struct_fields(cx, id);
    let idents = field_idents_of(&cx.model.types[id].kind);
    let message = se.message_field.as_ref().and_then(|m| {
        fields.iter().zip(&idents).find(|(f, _)| f.name.local == *m && f.ty == TypeRef::Builtin(Builtin::String))
    });
    let body = match message {
        Some((f, field)) => {
            let value = match f.occurs {
                Occurs::Required => quote!(Some(self.#field.as_str())),
                Occurs::Optional | Occurs::RequiredNillable => quote!(self.#field.as_deref()),
                Occurs::OptionalNillable => quote!(self.#field.value().map(String::as_str)),
                Occurs::Repeated | Occurs::RepeatedNillable => quote!(None::<&str>),
            };
            quote! {
                match #value {
                    Some(message) => f.write_str(message),
                    None => f.write_str(#fallback),
                }
            }
        }
        None => quote!(f.write_str(#fallback)),
    };
    quote! {
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #body
            }
        }

        impl ::std::error::Error for #name {}
    }
}

/// The enum of a port type's SOAP bindings: the default one first.
fn emit_binding_enum(cx: &Ctx<'_>, c: &Client, name: &Ident) -> TokenStream {
    let rt = &cx.rt;
    let mut scope = Scope::default();
    let all: Vec<(&crate::xml::QName, SoapVersion, Option<&String>)> =
        std::iter::once((&c.binding, c.version, c.address.as_ref()))
            .chain(c.other_bindings.iter().map(|b| (&b.name, b.version, b.address.as_ref())))
            .collect();
    let variants: Vec<Ident> =
        all.iter().map(|(n, _, _)| format_ident!("{}", scope.unique(&type_name(&n.local)))).collect();
    let defs = all.iter().zip(&variants).enumerate().map(|(i, ((n, v, _), var))| {
        let doc = format!(
            " The `{}` binding ({}).",
            n.local,
            match v {
                SoapVersion::Soap11 => "SOAP 1.1",
                SoapVersion::Soap12 => "SOAP 1.2",
            }
        );
        let default = (i == 0).then(|| quote!(#[default]));
        quote! {
            #[doc = #doc]
            #default
            #var,
        }
    });
    let versions = all.iter().zip(&variants).map(|((_, v, _), var)| match v {
        SoapVersion::Soap11 => quote!(Self::#var => #rt::SoapVersion::Soap11,),
        SoapVersion::Soap12 => quote!(Self::#var => #rt::SoapVersion::Soap12,),
    });
    let indices = variants.iter().enumerate().map(|(i, var)| quote!(Self::#var => #i,));
    let addresses = all.iter().zip(&variants).map(|((_, _, a), var)| match a {
        Some(a) => quote!(Self::#var => Some(#a),),
        None => quote!(Self::#var => None,),
    });
    let addressing_flags: Vec<bool> =
        std::iter::once(c.addressing).chain(c.other_bindings.iter().map(|b| b.addressing)).collect();
    let uses_addressing = addressing_flags.iter().any(|a| *a).then(|| {
        let arms = variants.iter().zip(&addressing_flags).map(|(var, a)| quote!(Self::#var => #a,));
        quote! {
            /// Whether the binding uses WS-Addressing (requests carry addressing headers).
            pub fn uses_addressing(self) -> bool {
                match self {
                    #(#arms)*
                }
            }
        }
    });
    let doc = format!(" The SOAP bindings of the `{}` port type.", c.name.local);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        #[allow(dead_code)]
        pub enum #name {
            #(#defs)*
        }

        #[allow(dead_code)]
        impl #name {
            /// The binding's SOAP version.
            pub fn soap_version(self) -> #rt::SoapVersion {
                match self {
                    #(#versions)*
                }
            }

            /// The binding's position among the port type's bindings (0 is the default).
            pub fn index(self) -> usize {
                match self {
                    #(#indices)*
                }
            }

            /// The address the WSDL gives for the binding, if any.
            pub fn wsdl_address(self) -> Option<&'static str> {
                match self {
                    #(#addresses)*
                }
            }

            #uses_addressing
        }
    }
}

/// An index as generated code writes it: `2`, not `2usize` (the type comes from the context).
pub(super) fn index_literal(i: usize) -> proc_macro2::Literal {
    proc_macro2::Literal::usize_unsuffixed(i)
}

/// The body of a header set's `encode(w, which)`: writes entry `i` for each index in `which`
/// (`encodes[i]` writes entry `i`). Nothing for an empty set; an `if` for a set of one entry
/// (clippy's `single_match`); a `match` otherwise.
pub(super) fn encode_selected_entries(encodes: &[TokenStream]) -> TokenStream {
    match encodes {
        [] => TokenStream::new(),
        [only] => quote! {
            for &i in which {
                if i == 0 {
                    #only
                }
            }
        },
        _ => {
            let arms = encodes.iter().enumerate().map(|(i, encode)| {
                let i = index_literal(i);
                quote!(#i => { #encode })
            });
            quote! {
                for &i in which {
                    match i {
                        #(#arms)*
                        _ => {}
                    }
                }
            }
        }
    }
}

/// The blocking client of a port type (in the module `blocking`): the async client and a
/// private runtime, with the same constructors, settings and operations as plain functions.
pub(super) fn emit_blocking_client(cx: &Ctx<'_>, index: usize, c: &Client) -> TokenStream {
    let rt = &cx.rt;
    let names = &cx.names.clients[index];
    let client = &names.client;
    let req = &names.request_headers;
    let resp = &names.response_headers;
    let error = error_alias(cx, index);
    let method_names = client_method_names(c);
    let header_fields = header_field_names(&c.request_headers);
    let setters = c.request_headers.iter().zip(&method_names.setters).map(|(h, setter)| {
        let setter = format_ident!("{}", setter);
        let ty = cx.value_type(h.ty, false);
        let doc = format!(" Sends the `{}` header entry with every operation that declares it.", h.name.local);
        quote! {
            #[doc = #doc]
            #[must_use]
            pub fn #setter(mut self, value: #ty) -> Self {
                self.inner = self.inner.#setter(value);
                self
            }
        }
    });
    debug_assert_eq!(header_fields.len(), c.request_headers.len());
    let binding_methods = names.binding.as_ref().map(|b| {
        quote! {
            /// Sends through another binding of the port type (its SOAP version and actions).
            #[must_use]
            pub fn with_binding(mut self, binding: super::#b) -> Self {
                self.inner = self.inner.with_binding(binding);
                self
            }

            /// The binding calls go through.
            pub fn binding(&self) -> super::#b {
                self.inner.binding()
            }
        }
    });
    let ops = c.operations.iter().enumerate().map(|(i, op)| {
        let method = ident(&method_names.operations[i]);
        let named = named_method_params(cx, op);
        let params = named.iter().map(|(p, ty)| quote!(#p: #ty));
        let args = named.iter().map(|(p, _)| p);
        let ret = method_return(cx, op);
        let mut doc = doc_paragraph(&op.doc);
        let about = format!(
            " Calls `{}` (SOAP action `{}`) and waits for the answer: [`{client}::{method}`](super::{client}::{method}) as a plain function.",
            op.name, op.action
        );
        doc.extend(quote!(#[doc = #about]));
        let many = (named.len() >= 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let placeholder = named.iter().any(|(p, _)| super::names::CLIPPY_PLACEHOLDER_NAMES.contains(&p.to_string().as_str()));
        let allow_placeholder = placeholder.then(|| quote!(#[allow(clippy::disallowed_names)]));
        quote! {
            #doc
            #many
            #allow_placeholder
            pub fn #method(&self, #(#params),*) -> Result<#ret, #error> {
                self.runtime.block_on(self.inner.#method(#(#args),*))
            }
        }
    });
    let doc = format!(
        " A blocking client for the `{}` port type: [`{client}`](super::{client}) on a private runtime with a thread of its own, for programs without an async runtime. Cheap to clone: clones share connections and the runtime. A call from inside an async runtime is refused with `Error::Exchange`.",
        c.name.local
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[allow(dead_code)]
        pub struct #client {
            inner: super::#client,
            runtime: #rt::BlockingRuntime,
        }

        // A return type as long as a method's of the async client (clippy does not measure
        // those of `async fn`s).
        #[allow(dead_code, clippy::type_complexity)]
        impl #client {
            /// A client for `endpoint` with the runtime's default HTTP client (TLS verified,
            /// connect and total timeouts).
            pub fn new(endpoint: impl Into<String>) -> Self {
                Self::from_async(super::#client::new(endpoint))
            }

            /// A client for `endpoint` that sends through your own `reqwest::Client`.
            pub fn with_http_client(http: #rt::reqwest::Client, endpoint: impl Into<String>) -> Self {
                Self::from_async(super::#client::with_http_client(http, endpoint))
            }

            /// A client over a configured `SoapClient` (endpoint, limits, transport). Give it one
            /// that no async runtime uses as well: pooled HTTP connections belong to the runtime
            /// that opened them, and stall while that runtime is blocked.
            pub fn from_soap_client(soap: #rt::SoapClient) -> Self {
                Self::from_async(super::#client::from_soap_client(soap))
            }

            /// The async client, made blocking: its settings, headers and binding are kept. As
            /// with [`from_soap_client`](Self::from_soap_client), it should not be in use by an
            /// async runtime as well.
            pub fn from_async(client: super::#client) -> Self {
                Self { inner: client, runtime: #rt::BlockingRuntime::new() }
            }

            /// The async client this one calls through (for its settings; its calls need an async runtime).
            pub fn as_async(&self) -> &super::#client {
                &self.inner
            }

            #binding_methods

            /// The underlying SOAP client (endpoint, limits, version override).
            pub fn soap_client(&self) -> &#rt::SoapClient {
                self.inner.soap_client()
            }

            /// The underlying SOAP client, to change its settings.
            pub fn soap_client_mut(&mut self) -> &mut #rt::SoapClient {
                self.inner.soap_client_mut()
            }

            /// The header entries sent with every call.
            pub fn headers(&self) -> &#req {
                self.inner.headers()
            }

            /// The header entries sent with every call, to change them.
            pub fn headers_mut(&mut self) -> &mut #req {
                self.inner.headers_mut()
            }

            /// Replaces the header entries sent with every call.
            #[must_use]
            pub fn with_headers(mut self, headers: #req) -> Self {
                self.inner = self.inner.with_headers(headers);
                self
            }

            #(#setters)*

            /// Calls any operation of this port type with a request built by hand, returning the
            /// whole response element and the response headers.
            pub fn call<O>(&self, request: &O) -> Result<#rt::Reply<O::Response, #resp>, #error>
            where
                O: #rt::Operation<RequestHeaders = #req, ResponseHeaders = #resp>,
            {
                self.runtime.block_on(self.inner.call(request))
            }

            /// Like [`call`](Self::call), with these header entries instead of the client's.
            pub fn call_with_headers<O>(&self, request: &O, headers: &#req) -> Result<#rt::Reply<O::Response, #resp>, #error>
            where
                O: #rt::Operation<RequestHeaders = #req, ResponseHeaders = #resp>,
            {
                self.runtime.block_on(self.inner.call_with_headers(request, headers))
            }

            #(#ops)*
        }
    }
}
