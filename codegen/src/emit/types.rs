//! Emission of schema types: structs with their encoders and decoders, enumerations, lists,
//! and the codecs of array and dictionary wrappers.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::names::{Scope, field_name, ident, type_name};
use super::{Ctx, doc_attrs, doc_line};
use crate::model::*;

pub(super) fn emit_type(cx: &Ctx<'_>, id: TypeId, t: &Type) -> TokenStream {
    let kind_word = match &t.kind {
        TypeKind::Struct { .. } => "complex type",
        TypeKind::Enum { .. } => "enumeration",
        TypeKind::FlagList { .. } | TypeKind::List { .. } => "list type",
        TypeKind::Array { .. } => "array wrapper type",
        TypeKind::Dictionary { .. } => "dictionary type",
    };
    let origin = if t.anonymous {
        format!("The anonymous {kind_word} of element `{}` (namespace `{}`).", t.name.local, t.name.ns)
    } else {
        format!("The {kind_word} `{}` (namespace `{}`).", t.name.local, t.name.ns)
    };
    let doc = match &t.doc {
        Some(d) => {
            let d = doc_attrs(d);
            let origin = format!(" {origin}");
            quote!(#d #[doc = ""] #[doc = #origin])
        }
        None => doc_line(&origin),
    };
    match &t.kind {
        TypeKind::Struct { fields } => emit_struct(cx, id, doc, fields),
        TypeKind::Enum { values, collapse } => emit_enum(cx, id, doc, values, *collapse),
        TypeKind::FlagList { item } | TypeKind::List { item } => {
            let name = cx.type_ident(id);
            let rt = &cx.rt;
            let item = cx.value_type(*item, false);
            let list = if matches!(t.kind, TypeKind::FlagList { .. }) { quote!(FlagSet) } else { quote!(XmlList) };
            quote! {
                #doc
                pub type #name = #rt::#list<#item>;
            }
        }
        TypeKind::Array { item } => emit_array(cx, id, doc, item),
        TypeKind::Dictionary { entry, key, value } => emit_dictionary(cx, id, doc, entry, key, value),
    }
}

/// The Rust field names of a struct's fields, unique within it.
pub(super) fn field_idents(fields: &[Field]) -> Vec<proc_macro2::Ident> {
    let mut scope = Scope::default();
    fields.iter().map(|f| ident(&scope.unique(&field_name(&f.name.local)))).collect()
}

/// Local variable names for decoding slots: the field names, kept clear of the decoder's own.
fn slot_idents(fields: &[Field]) -> Vec<proc_macro2::Ident> {
    let mut scope = Scope::with_taken(["r", "start", "child", "w", "tag"]);
    fields.iter().map(|f| ident(&scope.unique(&field_name(&f.name.local)))).collect()
}

fn emit_struct(cx: &Ctx<'_>, id: TypeId, doc: TokenStream, fields: &[Field]) -> TokenStream {
    let rt = &cx.rt;
    let name = cx.type_ident(id);
    let idents = field_idents(fields);
    let slots = slot_idents(fields);
    let field_defs = fields.iter().zip(&idents).map(|(f, ident)| {
        let ty = cx.field_type(f);
        let doc = field_doc(f);
        quote! {
            #doc
            pub #ident: #ty,
        }
    });
    let encodes = fields.iter().zip(&idents).map(|(f, ident)| cx.encode_field(f, quote!(&self.#ident)));
    let child = format_ident!("child");
    let inits = fields.iter().zip(&slots).map(|(f, slot)| {
        let init = cx.slot_init(f);
        quote!(let mut #slot = #init;)
    });
    let arms = fields.iter().zip(&slots).map(|(f, slot)| {
        let local = &f.name.local;
        let guard = cx.ns_guard(&child, &f.name.ns);
        let fill = cx.decode_field(f, quote!(&child), quote!(&mut #slot));
        quote!(#local if #guard => #fill,)
    });
    let builds = fields.iter().zip(idents.iter().zip(&slots)).map(|(f, (ident, slot))| {
        if Ctx::is_required(f) {
            let local = &f.name.local;
            quote!(#ident: r.require(start, #local, #slot)?,)
        } else if ident == slot {
            quote!(#ident,)
        } else {
            quote!(#ident: #slot,)
        }
    });
    let (derives, debug) = derive_and_debug(cx, name, fields, &idents, true);
    let decode_body = if fields.is_empty() {
        quote! {
            while let Some(child) = r.next_child()? {
                r.skip(&child)?;
            }
            let _ = start;
            Ok(Self {})
        }
    } else {
        quote! {
            #(#inits)*
            while let Some(child) = r.next_child()? {
                match child.local() {
                    #(#arms)*
                    _ => r.skip(&child)?,
                }
            }
            Ok(Self { #(#builds)* })
        }
    };
    let start_param =
        if fields.iter().any(Ctx::is_required) || fields.is_empty() { quote!(start) } else { quote!(_start) };
    quote! {
        #doc
        #derives
        pub struct #name {
            #(#field_defs)*
        }

        #debug

        impl #rt::Encode for #name {
            fn encode(&self, w: &mut #rt::XmlWriter, tag: &str) {
                w.start(tag);
                #(#encodes)*
                w.end(tag);
            }
        }

        impl #rt::Decode for #name {
            fn decode<'a>(r: &mut #rt::XmlReader<'a>, #start_param: &#rt::Start<'a>) -> Result<Self, #rt::DecodeError> {
                #decode_body
            }
        }
    }
}

/// The derives of a struct (`Eq` only when every field type has it; floats do not), and a
/// hand-written `Debug` that prints secret fields as `<redacted>` when it has any.
pub(super) fn derive_and_debug(
    cx: &Ctx<'_>,
    name: &proc_macro2::Ident,
    fields: &[Field],
    idents: &[proc_macro2::Ident],
    allow_eq: bool,
) -> (TokenStream, TokenStream) {
    let mut seen = std::collections::HashSet::new();
    let eq = allow_eq && fields.iter().all(|f| is_eq(cx, f.ty, &mut seen));
    let eq = eq.then(|| quote!(Eq,));
    if !fields.iter().any(|f| f.secret) {
        return (quote!(#[derive(Debug, Clone, PartialEq, #eq Default)]), TokenStream::new());
    }
    let rt = &cx.rt;
    let shown = name.to_string();
    let entries = fields.iter().zip(idents).map(|(f, ident)| {
        let label = ident.to_string().trim_start_matches("r#").to_owned();
        if f.secret {
            quote!(.field(#label, &#rt::Redacted(&self.#ident)))
        } else {
            quote!(.field(#label, &self.#ident))
        }
    });
    (
        quote!(#[derive(Clone, PartialEq, #eq Default)]),
        quote! {
            impl std::fmt::Debug for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.debug_struct(#shown) #(#entries)* .finish()
                }
            }
        },
    )
}

fn is_eq(cx: &Ctx<'_>, ty: TypeRef, seen: &mut std::collections::HashSet<TypeId>) -> bool {
    match ty {
        TypeRef::Builtin(Builtin::F32 | Builtin::F64) => false,
        TypeRef::Builtin(_) => true,
        TypeRef::Named(id) => {
            if !seen.insert(id) {
                return true;
            }
            match &cx.model.types[id].kind {
                TypeKind::Struct { fields } => fields.iter().all(|f| is_eq(cx, f.ty, seen)),
                TypeKind::Enum { .. } => true,
                TypeKind::FlagList { item } | TypeKind::List { item } => is_eq(cx, *item, seen),
                TypeKind::Array { item } => is_eq(cx, item.ty, seen),
                TypeKind::Dictionary { key, value, .. } => is_eq(cx, key.ty, seen) && is_eq(cx, value.ty, seen),
            }
        }
    }
}

fn field_doc(f: &Field) -> TokenStream {
    let wire = match f.occurs {
        Occurs::Required => "required",
        Occurs::Optional => "optional",
        Occurs::NilOrRequired => "required, nillable (`None` is sent as `xsi:nil`)",
        Occurs::Nillable => "optional, nillable",
        Occurs::Repeated => "repeated",
        Occurs::RepeatedNillable => "repeated, items nillable (`None` items are sent as `xsi:nil`)",
    };
    let line = format!("`{}`: {wire}.", f.name.local);
    match &f.doc {
        Some(d) => {
            let d = doc_attrs(d);
            let line = format!(" {line}");
            quote!(#d #[doc = ""] #[doc = #line])
        }
        None => doc_line(&line),
    }
}

fn emit_enum(cx: &Ctx<'_>, id: TypeId, doc: TokenStream, values: &[String], collapse: bool) -> TokenStream {
    let rt = &cx.rt;
    let name = cx.type_ident(id);
    let mut scope = Scope::default();
    let variants: Vec<proc_macro2::Ident> = values
        .iter()
        .map(|v| {
            format_ident!("{}", scope.unique(&if v.trim().is_empty() { "Empty".to_owned() } else { type_name(v) }))
        })
        .collect();
    // The catch-all for values a newer schema adds: `Other`, unless a listed value took it.
    let other_name = ["Other", "Unknown", "Unrecognized"]
        .into_iter()
        .find(|n| !variants.iter().any(|v| v == n))
        .map_or_else(|| scope.unique("Other"), str::to_owned);
    let other = format_ident!("{}", other_name);
    let defs = values.iter().zip(&variants).enumerate().map(|(i, (v, var))| {
        let doc = if v.is_empty() { " The empty string.".to_owned() } else { format!(" `{v}`") };
        let default = (i == 0).then(|| quote!(#[default]));
        quote! {
            #[doc = #doc]
            #default
            #var,
        }
    });
    let as_str = values.iter().zip(&variants).map(|(v, var)| quote!(Self::#var => #v,));
    let parse = values.iter().zip(&variants).map(|(v, var)| quote!(#v => Self::#var,));
    let collapse_const = (!collapse).then(|| {
        quote!(
            const COLLAPSE: bool = false;
        )
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
        pub enum #name {
            #(#defs)*
            /// A value this version of the schema does not list (kept as sent).
            #other(String),
        }

        impl #name {
            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#other(value) => value,
                }
            }
        }

        impl #rt::SimpleType for #name {
            #collapse_const
            fn write_text(&self, w: &mut #rt::XmlWriter) {
                w.text(self.as_str());
            }
            fn parse_text(text: &str) -> Result<Self, #rt::ValueError> {
                Ok(match text {
                    #(#parse)*
                    other => Self::#other(other.to_owned()),
                })
            }
        }
    }
}

fn emit_array(cx: &Ctx<'_>, id: TypeId, doc: TokenStream, item: &Field) -> TokenStream {
    let rt = &cx.rt;
    let name = cx.type_ident(id);
    let value = cx.value_type(TypeRef::Named(id), false);
    let encode = cx.encode_field(item, quote!(value));
    let ns = cx.ns_expr(&item.name.ns);
    let local = &item.name.local;
    let fill = cx.decode_field(item, quote!(&child), quote!(&mut items));
    quote! {
        #doc
        ///
        /// A codec: the value is a `Vec`, written inside this wrapper element.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct #name;

        impl #rt::Codec for #name {
            type Value = #value;
            fn encode(value: &Self::Value, w: &mut #rt::XmlWriter, tag: &str) {
                w.start(tag);
                #encode
                w.end(tag);
            }
            fn decode<'a>(r: &mut #rt::XmlReader<'a>, _start: &#rt::Start<'a>) -> Result<Self::Value, #rt::DecodeError> {
                let mut items = Vec::new();
                while let Some(child) = r.next_child()? {
                    if child.is(#ns, #local) {
                        #fill;
                    } else {
                        r.skip(&child)?;
                    }
                }
                Ok(items)
            }
        }
    }
}

fn emit_dictionary(
    cx: &Ctx<'_>,
    id: TypeId,
    doc: TokenStream,
    entry: &crate::read::QName,
    key: &Field,
    value: &Field,
) -> TokenStream {
    let rt = &cx.rt;
    let name = cx.type_ident(id);
    let dict_type = cx.value_type(TypeRef::Named(id), false);
    let entry_tag = cx.tag(entry);
    let entry_ns = cx.ns_expr(&entry.ns);
    let entry_local = &entry.local;
    let encode_key = cx.encode_field(key, quote!(key));
    let encode_value = cx.encode_field(value, quote!(value));
    let part = format_ident!("part");
    let fill_key = cx.decode_field(key, quote!(&part), quote!(&mut key));
    let fill_value = cx.decode_field(value, quote!(&part), quote!(&mut value));
    let key_guard = cx.ns_guard(&part, &key.name.ns);
    let value_guard = cx.ns_guard(&part, &value.name.ns);
    let key_local = &key.name.local;
    let value_local = &value.name.local;
    let codec_doc = format!(
        " A codec: the value is a `Dictionary` in wire order, each entry written as `{entry_local}` with `{}` and `{}`.",
        key.name.local, value.name.local
    );
    let key_init = cx.slot_init(key);
    let value_init = cx.slot_init(value);
    let key_out = if Ctx::is_required(key) { quote!(r.require(&child, #key_local, key)?) } else { quote!(key) };
    let value_out =
        if Ctx::is_required(value) { quote!(r.require(&child, #value_local, value)?) } else { quote!(value) };
    quote! {
        #doc
        ///
        #[doc = #codec_doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct #name;

        impl #rt::Codec for #name {
            type Value = #dict_type;
            fn encode(dict: &Self::Value, w: &mut #rt::XmlWriter, tag: &str) {
                w.start(tag);
                for (key, value) in dict {
                    w.start(#entry_tag);
                    #encode_key
                    #encode_value
                    w.end(#entry_tag);
                }
                w.end(tag);
            }
            fn decode<'a>(r: &mut #rt::XmlReader<'a>, _start: &#rt::Start<'a>) -> Result<Self::Value, #rt::DecodeError> {
                let mut dict = #rt::Dictionary::new();
                while let Some(child) = r.next_child()? {
                    if !child.is(#entry_ns, #entry_local) {
                        r.skip(&child)?;
                        continue;
                    }
                    let mut key = #key_init;
                    let mut value = #value_init;
                    while let Some(part) = r.next_child()? {
                        match part.local() {
                            #key_local if #key_guard => #fill_key,
                            #value_local if #value_guard => #fill_value,
                            _ => r.skip(&part)?,
                        }
                    }
                    dict.push(#key_out, #value_out);
                }
                Ok(dict)
            }
        }
    }
}
