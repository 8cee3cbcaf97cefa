//! The Rust surface of a model: the names and types user code refers to, exactly as the emitter
//! chooses them. `wsdlgen diff` compares the surfaces of two models to say whether code written
//! against one still compiles against the other.

use proc_macro2::TokenStream;

use super::client::{
    ClientMethodNames, client_method_names, error_alias, fault_variant_names, header_field, header_field_names,
    method_params, method_return,
};
use super::types::{choice_variant_names, enum_variant_names, member_idents};
use super::{Ctx, choose_names};
use crate::model::*;

/// The Rust items generated for a model, by model position.
#[derive(Debug, Clone)]
pub(crate) struct Surface {
    /// The Rust name of each type, by [`TypeId`].
    pub types: Vec<String>,
    /// What each type holds, by [`TypeId`].
    pub members: Vec<TypeMembers>,
    /// One per client, in model order.
    pub clients: Vec<ClientSurface>,
}

/// The members of a generated type, each at the position of its model counterpart.
#[derive(Debug, Clone, Default)]
pub(crate) struct TypeMembers {
    /// A struct's attribute fields (model order).
    pub attributes: Vec<Member>,
    /// A struct's `other_attributes` field (`xs:anyAttribute`).
    pub other_attributes: Option<String>,
    /// A struct's text field (`simpleContent`).
    pub text: Option<Member>,
    /// A struct's element fields, or a sequence alternative's (model order).
    pub fields: Vec<Member>,
    /// The variants of an enumeration, a choice or a polymorphic type (model order).
    pub variants: Vec<String>,
    /// An enumeration's catch-all variant (`Other`).
    pub other_variant: Option<String>,
}

/// A field of a struct: its name and its type, as written in the generated code (runtime items
/// without the `rt::` alias).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Member {
    pub name: String,
    pub ty: String,
}

/// A client and what belongs to it.
#[derive(Debug, Clone)]
pub(crate) struct ClientSurface {
    /// `UserClient`.
    pub client: String,
    /// `UserRequestHeaders` and its fields, by request header position.
    pub request_headers: String,
    pub request_header_fields: Vec<Member>,
    /// `UserResponseHeaders` and its fields, by response header position.
    pub response_headers: String,
    pub response_header_fields: Vec<Member>,
    /// The `with_{header}` setters, by request header position.
    pub setters: Vec<String>,
    /// One per operation, in model order.
    pub operations: Vec<OperationSurface>,
}

/// What one operation generates: its client method and its fault enum.
#[derive(Debug, Clone)]
pub(crate) struct OperationSurface {
    /// The method's name (`save_credential`).
    pub method: String,
    /// The method's parameters (`user_id: i32`), in order.
    pub params: Vec<String>,
    /// What the method returns on success (`bool`).
    pub returns: String,
    /// The request type `call` takes (the body type, or the operation's own wrapper).
    pub request_type: String,
    /// The fault enum (`SaveCredentialFault`) and its variants, when the operation declares faults.
    pub fault: Option<(String, Vec<String>)>,
}

impl OperationSurface {
    /// The method as a signature: `save_credential(user_id: i32, credential: Credential) -> bool`.
    pub fn signature(&self) -> String {
        format!("{}({}) -> {}", self.method, self.params.join(", "), self.returns)
    }
}

/// The surface of `model`.
pub(crate) fn surface(model: &Model) -> Surface {
    let cx = Ctx {
        model,
        rt: quote::quote!(rt),
        names: choose_names(model),
        encoded_wrappers: Default::default(),
        has_secrets: false,
    };
    let types = cx.names.types.iter().map(ToString::to_string).collect();
    let members = model.types.iter().map(|t| type_members(&cx, t)).collect();
    let clients = model.clients.iter().enumerate().map(|(i, c)| client_surface(&cx, i, c)).collect();
    Surface { types, members, clients }
}

fn type_members(cx: &Ctx<'_>, t: &Type) -> TypeMembers {
    let member = |name: &proc_macro2::Ident, ty: TokenStream| Member { name: name.to_string(), ty: rust_type(ty) };
    match &t.kind {
        TypeKind::Struct { fields, attributes, text, any_attribute } => {
            let m = member_idents(attributes, *any_attribute, text.is_some(), fields);
            TypeMembers {
                attributes: attributes
                    .iter()
                    .zip(&m.attributes)
                    .map(|(a, i)| member(i, cx.attribute_type(a)))
                    .collect(),
                other_attributes: m.other_attributes.as_ref().map(ToString::to_string),
                text: text.zip(m.text.as_ref()).map(|(t, i)| member(i, cx.value_type(t, false))),
                fields: fields.iter().zip(&m.fields).map(|(f, i)| member(i, cx.field_type(f))).collect(),
                ..TypeMembers::default()
            }
        }
        TypeKind::SequenceAlternative { fields } => {
            let m = member_idents(&[], false, false, fields);
            TypeMembers {
                fields: fields.iter().zip(&m.fields).map(|(f, i)| member(i, cx.field_type(f))).collect(),
                ..TypeMembers::default()
            }
        }
        TypeKind::Enum { values, .. } => {
            let (variants, other) = enum_variant_names(values);
            TypeMembers {
                variants: variants.iter().map(ToString::to_string).collect(),
                other_variant: Some(other.to_string()),
                ..TypeMembers::default()
            }
        }
        TypeKind::Choice { variants, wildcard } => TypeMembers {
            variants: {
                let (names, other) = choice_variant_names(variants, wildcard.is_some());
                names.iter().chain(&other).map(ToString::to_string).collect()
            },
            ..TypeMembers::default()
        },
        TypeKind::WithDerived { variants, .. } => TypeMembers {
            variants: variants
                .iter()
                .map(|f| match f.ty {
                    TypeRef::Named(id) => cx.type_ident(id).to_string(),
                    TypeRef::Builtin(_) => "Value".to_owned(),
                })
                .collect(),
            ..TypeMembers::default()
        },
        TypeKind::FlagList { .. } | TypeKind::List { .. } | TypeKind::Array { .. } | TypeKind::Dictionary { .. } => {
            TypeMembers::default()
        }
    }
}

fn client_surface(cx: &Ctx<'_>, index: usize, c: &Client) -> ClientSurface {
    let names = &cx.names.clients[index];
    let ClientMethodNames { setters, operations: methods } = client_method_names(c);
    let error = rust_type(error_alias(cx, index));
    let request_header_fields = c
        .request_headers
        .iter()
        .zip(header_field_names(&c.request_headers))
        .map(|(h, f)| Member { name: f.to_string(), ty: rust_type(cx.field_type(&header_field(h, Occurs::Optional))) })
        .collect();
    let response_header_fields = c
        .response_headers
        .iter()
        .zip(header_field_names(&c.response_headers))
        .map(|(h, f)| {
            let occurs = if h.nillable { Occurs::OptionalNillable } else { Occurs::Optional };
            Member { name: f.to_string(), ty: rust_type(cx.field_type(&header_field(h, occurs))) }
        })
        .collect();
    let operations = c
        .operations
        .iter()
        .zip(methods)
        .zip(&names.operations)
        .map(|((op, method), op_names)| OperationSurface {
            method,
            params: method_params(cx, op).into_iter().map(rust_type).collect(),
            returns: format!("Result<{}, {error}>", rust_type(method_return(cx, op))),
            request_type: match &op_names.request_wrapper {
                Some(w) => w.to_string(),
                None => cx.type_ident(op.request.ty).to_string(),
            },
            fault: op_names
                .fault
                .as_ref()
                .map(|f| (f.to_string(), fault_variant_names(op).iter().map(ToString::to_string).collect())),
        })
        .collect();
    ClientSurface {
        client: names.client.to_string(),
        request_headers: names.request_headers.to_string(),
        request_header_fields,
        response_headers: names.response_headers.to_string(),
        response_header_fields,
        setters,
        operations,
    }
}

/// Tokens of a type (or `name: Type`) as a person writes them: `Option<Nillable<String>>`.
fn rust_type(tokens: TokenStream) -> String {
    let text = tokens.to_string();
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            let prev = out.chars().last();
            let next = chars.peek().copied();
            let glue = |c: Option<char>| matches!(c, Some('<' | '>' | ':' | '&' | '(' | ')'));
            // Keep the space after `:` in `name: Type` and after `,`; drop it around the rest.
            let after_separator = prev == Some(',') || (prev == Some(':') && next != Some(':') && !out.ends_with("::"));
            if after_separator || !(glue(prev) || glue(next) || next == Some(',')) {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
    }
    out.replace("rt::", "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn rust_types_read_as_written() {
        assert_eq!(rust_type(quote!(Option<rt::Nillable<String>>)), "Option<Nillable<String>>");
        assert_eq!(rust_type(quote!(user_id: i32)), "user_id: i32");
        assert_eq!(rust_type(quote!(r#type: Vec<Option<Box<Credential>>>)), "r#type: Vec<Option<Box<Credential>>>");
        assert_eq!(rust_type(quote!(rt::Dictionary<String, i32>)), "Dictionary<String, i32>");
        assert_eq!(rust_type(quote!(())), "()");
    }
}
