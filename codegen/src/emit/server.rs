//! Emission of servers (the `server` option): per port type, a service trait with one method
//! per operation and a server that dispatches calls to it, plus the reverse direction of what
//! clients have (request headers decoded, response headers and declared faults encoded).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::client::{encode_selected_entries, header_field, header_field_names, index_literal, service_error_type};
use super::names::{Scope, field_name, ident, type_name};
use super::{Ctx, doc_paragraph};
use crate::model::*;

/// Everything a server of client (port type) `index` needs beyond the client's items.
pub(super) fn emit_server(cx: &Ctx<'_>, index: usize, c: &Client) -> TokenStream {
    let headers = emit_header_directions(cx, index, c);
    let operations = c.operations.iter().enumerate().map(|(i, op)| emit_server_operation(cx, index, i, op));
    let faults = c.operations.iter().enumerate().map(|(i, op)| emit_fault_detail(cx, index, i, op));
    let service = emit_service_trait(cx, index, c);
    let server = emit_server_struct(cx, index, c);
    quote! {
        #service
        #server
        #headers
        #(#operations)*
        #(#faults)*
    }
}

/// The name of a port type's service trait, server, and result alias.
struct ServerNames {
    service: Ident,
    server: Ident,
    result: Ident,
}

fn server_names(cx: &Ctx<'_>, index: usize) -> ServerNames {
    let names = &cx.names.clients[index];
    ServerNames { service: names.service.clone(), server: names.server.clone(), result: names.result.clone() }
}

/// Request headers decoded, response headers encoded, the service-error rule reversed.
fn emit_header_directions(cx: &Ctx<'_>, index: usize, c: &Client) -> TokenStream {
    let rt = &cx.rt;
    let names = &cx.names.clients[index];
    let (req, resp) = (&names.request_headers, &names.response_headers);

    let req_fields = header_field_names(&c.request_headers);
    let start = format_ident!("start");
    let arms = c.request_headers.iter().zip(&req_fields).map(|(h, name)| {
        let f = header_field(h, Occurs::Optional);
        let local = &f.name.local;
        let guard = cx.ns_guard(&start, &f.name.ns);
        let fill = cx.decode_field(&f, quote!(start), quote!(&mut self.#name));
        quote!(#local if #guard => #fill,)
    });
    let (r_param, start_param) =
        if c.request_headers.is_empty() { (quote!(_r), quote!(_start)) } else { (quote!(r), quote!(start)) };
    let sink_body = if c.request_headers.is_empty() {
        quote!(Ok(false))
    } else {
        quote! {
            match start.local() {
                #(#arms)*
                _ => return Ok(false),
            }
            Ok(true)
        }
    };

    let resp_fields = header_field_names(&c.response_headers);
    let encodes: Vec<TokenStream> = c
        .response_headers
        .iter()
        .zip(&resp_fields)
        .map(|(h, name)| {
            let f = header_field(h, if h.nillable { Occurs::OptionalNillable } else { Occurs::Optional });
            cx.encode_field(&f, quote!(&self.#name))
        })
        .collect();
    let (w_param, which) =
        if c.response_headers.is_empty() { (quote!(_w), quote!(_which)) } else { (quote!(w), quote!(which)) };
    let encode_body = encode_selected_entries(&encodes);
    let report = match &c.service_error {
        Some(se) => {
            let flag = &resp_fields[se.success];
            let detail = &resp_fields[se.detail];
            let set_flag = if c.response_headers[se.success].nillable {
                quote!(self.#flag = #rt::Nillable::Value(false);)
            } else {
                quote!(self.#flag = Some(false);)
            };
            let set_detail = if c.response_headers[se.detail].nillable {
                quote!(self.#detail = #rt::Nillable::Value(error);)
            } else {
                quote!(self.#detail = Some(error);)
            };
            let doc = format!(
                " Reports a failure as `{}` = `false` with its details in `{}`.",
                c.response_headers[se.success].name.local, c.response_headers[se.detail].name.local
            );
            quote! {
                #[doc = #doc]
                fn report_service_error(&mut self, error: Self::ServiceError) {
                    #set_flag
                    #set_detail
                }
            }
        }
        None => quote! {
            fn report_service_error(&mut self, error: Self::ServiceError) {
                match error {}
            }
        },
    };
    quote! {
        impl #rt::soap::HeaderSink for #req {
            fn decode_entry<'a>(&mut self, #r_param: &mut #rt::XmlReader<'a>, #start_param: &#rt::Start<'a>) -> Result<bool, #rt::DecodeError> {
                #sink_body
            }
        }

        impl #rt::server::codegen::ReplyHeaders for #resp {
            fn encode(&self, #w_param: &mut #rt::XmlWriter, #which: &[usize]) {
                #encode_body
            }

            #report
        }
    }
}

/// The request type of an operation (its own wrapper, when its body element type is shared).
fn request_type<'c>(cx: &'c Ctx<'_>, index: usize, op_index: usize, op: &Operation) -> &'c Ident {
    cx.names.clients[index].operations[op_index]
        .request_wrapper
        .as_ref()
        .unwrap_or_else(|| cx.type_ident(op.request.ty))
}

fn response_type(cx: &Ctx<'_>, op: &Operation) -> TokenStream {
    match &op.response {
        Some(r) => {
            let ty = cx.type_ident(r.ty);
            quote!(#ty)
        }
        None => quote!(()),
    }
}

fn fault_type(cx: &Ctx<'_>, index: usize, op_index: usize) -> TokenStream {
    let rt = &cx.rt;
    match &cx.names.clients[index].operations[op_index].fault {
        Some(name) => quote!(#name),
        None => quote!(#rt::server::NoFault),
    }
}

fn emit_server_operation(cx: &Ctx<'_>, index: usize, op_index: usize, op: &Operation) -> TokenStream {
    let rt = &cx.rt;
    let request = request_type(cx, index, op_index, op);
    let req_ns = cx.ns_expr(&op.request.name.ns);
    let req_local = &op.request.name.local;
    let response_tag = op.response.as_ref().map(|r| cx.tag(&r.name)).unwrap_or_default();
    let one_way = op.one_way;
    let response_action = (!op.response_action.is_empty()).then(|| {
        let action = &op.response_action;
        quote!(const RESPONSE_ACTION: &'static str = #action;)
    });
    let headers = op.response_headers.iter().map(|i| index_literal(i.0));
    let fault = fault_type(cx, index, op_index);
    quote! {
        impl #rt::server::codegen::ServerOperation for #request {
            const REQUEST_ELEMENT: (&'static str, &'static str) = (#req_ns, #req_local);
            const RESPONSE_TAG: &'static str = #response_tag;
            const ONE_WAY: bool = #one_way;
            const RESPONSE_HEADERS: &'static [usize] = &[#(#headers),*];
            #response_action
            type Fault = #fault;
        }
    }
}

/// A declared fault written as a fault's detail.
fn emit_fault_detail(cx: &Ctx<'_>, index: usize, op_index: usize, op: &Operation) -> TokenStream {
    let Some(name) = &cx.names.clients[index].operations[op_index].fault else {
        return TokenStream::new();
    };
    let rt = &cx.rt;
    let mut scope = Scope::default();
    let variants: Vec<Ident> =
        op.faults.iter().map(|f| format_ident!("{}", scope.unique(&type_name(&f.name)))).collect();
    let reasons = op.faults.iter().zip(&variants).map(|(f, v)| {
        let reason = format!("{} fault of {}", f.name, op.name);
        quote!(Self::#v(_) => #reason,)
    });
    let writes = op.faults.iter().zip(&variants).map(|(f, v)| {
        let field = Field::synthetic(f.element.local.clone(), f.ty, Occurs::Required);
        let field = Field { name: f.element.clone(), ..field };
        let encode = cx.encode_field(&field, quote!(value));
        quote!(Self::#v(value) => { #encode })
    });
    quote! {
        impl #rt::server::codegen::FaultDetail for #name {
            fn reason(&self) -> String {
                match self {
                    #(#reasons)*
                }
                .to_owned()
            }

            fn write_detail(&self, w: &mut #rt::XmlWriter) {
                // The fault envelope declares only the envelope's prefix.
                w.declare_on_next(NAMESPACES);
                match self {
                    #(#writes)*
                }
            }
        }
    }
}

fn emit_service_trait(cx: &Ctx<'_>, index: usize, c: &Client) -> TokenStream {
    let rt = &cx.rt;
    let names = &cx.names.clients[index];
    let ServerNames { service, server, result } = server_names(cx, index);
    let (req, resp) = (&names.request_headers, &names.response_headers);
    let error_ty = service_error_type(cx, c);
    let mut methods = Scope::default();
    let methods = c.operations.iter().enumerate().map(|(i, op)| {
        let method = ident(&methods.unique(&field_name(&op.name)));
        let request = request_type(cx, index, i, op);
        let response = response_type(cx, op);
        let fault = cx.names.clients[index].operations[i].fault.as_ref().map(|f| quote!(, #f));
        let name = &op.name;
        let mut doc = doc_paragraph(&op.doc);
        let about = format!(" Answers `{name}`. Unless implemented, a fault says the server does not implement it.");
        doc.extend(quote!(#[doc = #about]));
        quote! {
            #doc
            fn #method(
                &self,
                request: #rt::server::Request<#request, #req>,
            ) -> impl ::std::future::Future<Output = #result<#response #fault>> + Send {
                let _ = request;
                async { Err(#rt::server::HandlerError::not_implemented(#name)) }
            }
        }
    });
    let port = &c.name.local;
    let service_doc = format!(
        " The `{port}` port type, implemented by a server: one method per operation, each with a default \
         that answers a fault. Serve an implementation with [`{server}`]."
    );
    let result_doc =
        format!(" What a [`{service}`] method returns: the response (with its header entries) or how it failed.");
    quote! {
        #[doc = #result_doc]
        #[allow(dead_code)]
        pub type #result<T, F = #rt::server::NoFault> =
            Result<#rt::server::Response<T, #resp>, #rt::server::HandlerError<F, #error_ty>>;

        #[doc = #service_doc]
        #[allow(dead_code)]
        pub trait #service: Send + Sync + 'static {
            #(#methods)*
        }
    }
}

fn emit_server_struct(cx: &Ctx<'_>, index: usize, c: &Client) -> TokenStream {
    let rt = &cx.rt;
    let ServerNames { service, server, .. } = server_names(cx, index);
    let mut scope = Scope::default();
    let entries = c.operations.iter().enumerate().map(|(i, op)| {
        let name = &op.name;
        let actions = std::iter::once(op.action.as_str()).chain(c.other_bindings.iter().map(|b| b.actions[i].as_str()));
        let ns = cx.ns_expr(&op.request.name.ns);
        let local = &op.request.name.local;
        quote! {
            #rt::server::codegen::OperationEntry {
                name: #name,
                actions: &[#(#actions),*],
                request_element: (#ns, #local),
            },
        }
    });
    let arms = c.operations.iter().enumerate().map(|(i, op)| {
        let method = ident(&scope.unique(&field_name(&op.name)));
        let request = request_type(cx, index, i, op);
        let i = index_literal(i);
        quote! {
            #i => Box::pin(#rt::server::codegen::handle::<#request, _, _>(call, move |request| async move {
                service.#method(request).await
            })),
        }
    });
    let doc = format!(
        " Serves the `{}` port type with an implementation of [`{service}`]: \
         `{server}::new(implementation).into_service()` is an HTTP endpoint.",
        c.name.local
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        #[allow(dead_code)]
        pub struct #server<T> {
            service: ::std::sync::Arc<T>,
        }

        #[allow(dead_code)]
        impl<T: #service> #server<T> {
            /// A server answering with `service`.
            pub fn new(service: T) -> Self {
                Self::from_arc(::std::sync::Arc::new(service))
            }

            /// A server answering with a shared `service`.
            pub fn from_arc(service: ::std::sync::Arc<T>) -> Self {
                Self { service }
            }

            /// An HTTP endpoint (a `tower::Service`) for this server, with the default limits.
            pub fn into_service(self) -> #rt::server::SoapService<Self> {
                #rt::server::SoapService::new(self)
            }
        }

        impl<T: #service> #rt::server::codegen::Dispatch for #server<T> {
            fn operations(&self) -> &'static [#rt::server::codegen::OperationEntry] {
                &[#(#entries)*]
            }

            fn call(
                &self,
                index: usize,
                call: #rt::server::codegen::Call,
            ) -> #rt::server::codegen::BoxFuture<#rt::server::codegen::Reply> {
                let service = ::std::sync::Arc::clone(&self.service);
                match index {
                    #(#arms)*
                    _ => #rt::server::codegen::no_such_operation(call),
                }
            }
        }
    }
}
