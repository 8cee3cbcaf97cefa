//! Emission of schema types: structs with their encoders and decoders, enumerations, lists,
//! and the codecs of array and dictionary wrappers.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::names::{Scope, field_name, ident, type_name};
use super::{Ctx, doc_attrs, doc_line};
use crate::model::*;
use crate::xml::Wildcard;

pub(super) fn emit_type(cx: &Ctx<'_>, id: TypeId, t: &Type) -> TokenStream {
    let kind_word = match &t.kind {
        TypeKind::Struct { .. } => "complex type",
        TypeKind::Choice { .. } => "choice",
        TypeKind::WithDerived { .. } => "polymorphic type",
        TypeKind::SequenceAlternative { .. } => "sequence",
        TypeKind::Enum { .. } => "enumeration",
        TypeKind::FlagList { .. } | TypeKind::List { .. } => "list type",
        TypeKind::Array { .. } => "array wrapper type",
        TypeKind::Dictionary { .. } => "dictionary type",
    };
    let origin = match &t.origin {
        TypeOrigin::Named => format!("The {kind_word} `{}` (namespace `{}`).", t.name.local, t.name.ns),
        TypeOrigin::Element => {
            format!("The anonymous {kind_word} of element `{}` (namespace `{}`).", t.name.local, t.name.ns)
        }
        TypeOrigin::Synthesized(what) | TypeOrigin::BareParts(what) => format!("{what} (namespace `{}`).", t.name.ns),
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
        TypeKind::Struct { fields, attributes, text, any_attribute } => {
            let shape = StructShape {
                fields,
                attributes,
                any_attribute: *any_attribute,
                text: *text,
                bare: matches!(t.origin, TypeOrigin::BareParts(_)),
            };
            emit_struct(cx, id, doc, shape)
        }
        TypeKind::Choice { variants, wildcard } => emit_choice(cx, id, doc, variants, wildcard.as_ref()),
        TypeKind::SequenceAlternative { fields } => emit_group(cx, id, doc, fields),
        TypeKind::WithDerived { base, base_abstract, variants } => {
            emit_poly(cx, id, doc, *base, *base_abstract, variants)
        }
        TypeKind::Enum { values, collapse } => emit_enum(cx, id, doc, values, *collapse),
        TypeKind::FlagList { item } | TypeKind::List { item } => {
            let name = cx.type_ident(id);
            let rt = &cx.rt;
            let item = cx.value_type(*item, false);
            let list = if matches!(t.kind, TypeKind::FlagList { .. }) { quote!(FlagSet) } else { quote!(XmlList) };
            quote! {
                #doc
                #[allow(dead_code)]
                pub type #name = #rt::#list<#item>;
            }
        }
        TypeKind::Array { item } if cx.model.encoded.arrays.contains(&id) => emit_soap_array(cx, id, doc, item),
        TypeKind::Array { item } => emit_array(cx, id, doc, item),
        TypeKind::Dictionary { entry, key, value } => emit_dictionary(cx, id, doc, entry, key, value),
    }
}

/// The Rust names of a struct type's element fields (consistent with [`member_idents`]).
pub(super) fn field_idents_of(t: &TypeKind) -> Vec<Ident> {
    match t {
        TypeKind::Struct { fields, attributes, text, any_attribute } => {
            member_idents(attributes, *any_attribute, text.is_some(), fields).fields
        }
        _ => Vec::new(),
    }
}

/// Local variable names for decoding element slots: the field names, kept clear of the
/// decoder's own variables and of the attribute and text locals.
fn slot_idents(members: &Members) -> Vec<Ident> {
    let mut taken: Vec<String> = ["r", "start", "child", "w", "tag"].iter().map(|s| s.to_string()).collect();
    taken.extend(super::names::CLIPPY_PLACEHOLDER_NAMES.iter().map(|s| s.to_string()));
    taken.extend(members.attributes.iter().chain(members.text.iter()).map(|i| i.to_string()));
    let mut scope = Scope::with_taken(taken.iter().map(String::as_str));
    members.fields.iter().map(|i| ident(&scope.unique(i.to_string().trim_start_matches("r#")))).collect()
}

/// The Rust names of a struct's members: attributes, then the text value, then elements,
/// unique within the struct.
pub(super) struct Members {
    pub attributes: Vec<Ident>,
    pub other_attributes: Option<Ident>,
    pub text: Option<Ident>,
    pub fields: Vec<Ident>,
}

pub(super) fn member_idents(attributes: &[Attribute], any_attribute: bool, text: bool, fields: &[Field]) -> Members {
    let mut scope = Scope::default();
    Members {
        attributes: attributes.iter().map(|a| ident(&scope.unique(&field_name(&a.name.local)))).collect(),
        other_attributes: any_attribute.then(|| ident(&scope.unique("other_attributes"))),
        text: text.then(|| ident(&scope.unique("value"))),
        fields: fields.iter().map(|f| ident(&scope.unique(&field_name(&f.name.local)))).collect(),
    }
}

/// What a struct is made of: its members, and whether it is the parts of a bare message body
/// (written without an element of its own, read from the Body's children).
struct StructShape<'m> {
    fields: &'m [Field],
    attributes: &'m [Attribute],
    any_attribute: bool,
    text: Option<TypeRef>,
    bare: bool,
}

fn emit_struct(cx: &Ctx<'_>, id: TypeId, doc: TokenStream, shape: StructShape<'_>) -> TokenStream {
    let StructShape { fields, attributes, any_attribute, text, bare } = shape;
    let rt = &cx.rt;
    let name = cx.type_ident(id);
    let members = member_idents(attributes, any_attribute, text.is_some(), fields);
    let idents = &members.fields;
    let slots = slot_idents(&members);

    let attr_defs = attributes.iter().zip(&members.attributes).map(|(a, ident)| {
        let ty = cx.attribute_type(a);
        let usage = match &a.usage {
            AttributeUsage::Required => "required".to_owned(),
            AttributeUsage::Optional => "optional".to_owned(),
            AttributeUsage::Default(d) => format!("default `{d}`"),
            AttributeUsage::Fixed(d) => format!("fixed `{d}`"),
        };
        let doc = format!(" Attribute `{}`: {usage}.", a.name.local);
        quote! {
            #[doc = #doc]
            pub #ident: #ty,
        }
    });
    let other_def = members.other_attributes.as_ref().map(|ident| {
        quote! {
            /// Attributes allowed by `xs:anyAttribute`, in the order received.
            pub #ident: Vec<#rt::AnyAttribute>,
        }
    });
    let text_def = text.map(|t| {
        let ty = cx.value_type(t, false);
        let ident = members.text.as_ref();
        quote! {
            /// The element's text content.
            pub #ident: #ty,
        }
    });
    let field_defs = fields.iter().zip(idents).map(|(f, ident)| {
        let ty = cx.field_type(f);
        let doc = field_doc(f);
        quote! {
            #doc
            pub #ident: #ty,
        }
    });

    let attr_encodes = attributes.iter().zip(&members.attributes).map(|(a, ident)| {
        let attr = cx.tag(&a.name);
        match a.usage {
            AttributeUsage::Optional => quote!(w.attribute_optional(#attr, &self.#ident);),
            _ => quote!(w.attribute_value(#attr, &self.#ident);),
        }
    });
    let other_encode = members.other_attributes.as_ref().map(|ident| quote!(w.any_attributes(&self.#ident);));
    let raw_text = text == Some(TypeRef::Builtin(Builtin::AnyType));
    let raw_namespaces =
        members.text.as_ref().filter(|_| raw_text).map(|ident| quote!(w.raw_namespaces(&self.#ident);));
    let encoded = cx.is_encoded(id);
    let encoding_style = cx.encoded_wrappers.contains(&id).then(|| quote!(w.encoding_style();));
    let open = if attributes.is_empty() && !any_attribute && !raw_text && encoding_style.is_none() {
        quote!(w.start(tag);)
    } else {
        quote! {
            w.open(tag);
            #encoding_style
            #(#attr_encodes)*
            #other_encode
            #raw_namespaces
            w.close_open();
        }
    };
    let text_encode = members.text.as_ref().map(|ident| {
        if raw_text {
            // Mixed content, kept as raw XML (with the bindings `raw_namespaces` could not
            // declare on the open tag).
            quote!(w.raw_content(&self.#ident);)
        } else {
            quote!(#rt::SimpleType::write_text(&self.#ident, w);)
        }
    });
    let encodes = fields.iter().zip(idents).map(|(f, ident)| cx.encode_field_in(f, quote!(&self.#ident), encoded));

    let attr_decodes = attributes.iter().zip(&members.attributes).map(|(a, ident)| {
        let ns = cx.ns_expr(&a.name.ns);
        let local = &a.name.local;
        match &a.usage {
            AttributeUsage::Required => quote!(let #ident = r.required_attribute(start, #ns, #local)?;),
            AttributeUsage::Optional => quote!(let #ident = r.parse_attribute(start, #ns, #local)?;),
            AttributeUsage::Default(d) | AttributeUsage::Fixed(d) => {
                quote!(let #ident = r.attribute_or(start, #ns, #local, #d)?;)
            }
        }
    });
    let other_decode = members.other_attributes.as_ref().map(|ident| {
        let known = attributes.iter().map(|a| {
            let ns = &a.name.ns;
            let local = &a.name.local;
            quote!((#ns, #local))
        });
        quote!(let #ident = r.other_attributes(start, &[#(#known),*])?;)
    });
    let child = format_ident!("child");
    let inits = fields.iter().zip(&slots).map(|(f, slot)| {
        let init = cx.slot_init(f);
        quote!(let mut #slot = #init;)
    });
    let is_any = |f: &Field| f.ty == TypeRef::Builtin(Builtin::AnyElement);
    let fallback = match fields.iter().zip(&slots).find(|(f, _)| is_any(f)) {
        Some((f, slot)) => (quote!(_), cx.decode_field(f, quote!(&child), quote!(&mut #slot))),
        None => (quote!(_), quote!(r.skip(&child)?)),
    };
    // An element name that stands at several places of the sequence fills them in order: every
    // place but the last takes the element only while it is still empty.
    let later_twin = |i: usize| fields[i + 1..].iter().any(|g| g.name == fields[i].name);
    let arms = fields.iter().zip(&slots).enumerate().filter(|(_, (f, _))| !cx.is_choice(f.ty) && !is_any(f)).map(
        |(i, (f, slot))| {
            let local = &f.name.local;
            let fill = cx.decode_field(f, quote!(&child), quote!(&mut #slot));
            let free = match f.occurs {
                _ if !later_twin(i) => None,
                Occurs::Repeated | Occurs::RepeatedNillable => None,
                Occurs::OptionalNillable => Some(quote!(#slot.is_absent())),
                _ => Some(quote!(#slot.is_none())),
            };
            // Encoded accessors are matched by local name: peers qualify them or not.
            let guard = (!encoded).then(|| cx.ns_guard(&child, &f.name.ns));
            match (guard, free) {
                (Some(guard), Some(free)) => quote!(#local if #guard && #free => #fill,),
                (Some(c), None) | (None, Some(c)) => quote!(#local if #c => #fill,),
                (None, None) => quote!(#local => #fill,),
            }
        },
    );
    let choice_arms = fields.iter().zip(&slots).filter(|(f, _)| cx.is_choice(f.ty)).map(|(f, slot)| {
        let TypeRef::Named(choice) = f.ty else { unreachable!("a choice is a named type") };
        let choice = cx.type_ident(choice);
        let fill = cx.decode_field(f, quote!(&child), quote!(&mut #slot));
        quote!(_ if <#choice as #rt::Choice>::accepts(&child) => #fill,)
    });
    let builds = fields.iter().zip(idents.iter().zip(&slots)).map(|(f, (ident, slot))| {
        if Ctx::is_required(f) {
            let local = if cx.is_choice(f.ty) { cx.choice_description(f.ty) } else { f.name.local.clone() };
            quote!(#ident: r.require(start, #local, #slot)?,)
        } else if ident == slot {
            quote!(#ident,)
        } else {
            quote!(#ident: #slot,)
        }
    });
    let attr_builds = members.attributes.iter().chain(members.other_attributes.iter()).map(|ident| quote!(#ident,));
    let text_build = members.text.as_ref().map(|ident| quote!(#ident,));
    let body = if let Some(ident) = &members.text {
        if raw_text {
            quote! {
                let #ident = <#rt::RawXml as #rt::Decode>::decode(r, start)?;
            }
        } else {
            quote! {
                let #ident = r.simple(start)?;
            }
        }
    } else if fields.is_empty() {
        quote! {
            while let Some(child) = r.next_child()? {
                r.skip(&child)?;
            }
        }
    } else {
        let arms: Vec<TokenStream> = arms.collect();
        let choice_arms: Vec<TokenStream> = choice_arms.collect();
        if arms.is_empty() && choice_arms.is_empty() {
            // Only an `xs:any`: every child is kept.
            let (_, fill) = fallback;
            quote! {
                #(#inits)*
                while let Some(child) = r.next_child()? {
                    #fill;
                }
            }
        } else if bare {
            // The parts are the Body's children: `start` is the first of them, the others follow
            // it as its siblings.
            let (pattern, fill) = fallback;
            quote! {
                #(#inits)*
                let mut first = Some(start.clone());
                while let Some(child) = match first.take() {
                    Some(first) => Some(first),
                    None => r.next_child()?,
                } {
                    match child.local() {
                        #(#arms)*
                        #(#choice_arms)*
                        #pattern => #fill,
                    }
                }
                // The loop read the Body's end tag; the envelope reader still expects it.
                r.push_back(None);
            }
        } else {
            let (pattern, fill) = fallback;
            quote! {
                #(#inits)*
                while let Some(child) = r.next_child()? {
                    match child.local() {
                        #(#arms)*
                        #(#choice_arms)*
                        #pattern => #fill,
                    }
                }
            }
        }
    };
    let uses_start =
        bare || !attributes.is_empty() || any_attribute || text.is_some() || fields.iter().any(Ctx::is_required);
    let start_param = if uses_start { quote!(start) } else { quote!(_start) };

    let mut debug_members: Vec<(Ident, bool)> = Vec::new();
    debug_members.extend(attributes.iter().zip(&members.attributes).map(|(a, i)| (i.clone(), a.secret)));
    debug_members.extend(members.other_attributes.iter().map(|i| (i.clone(), false)));
    debug_members.extend(members.text.iter().map(|i| (i.clone(), false)));
    debug_members.extend(fields.iter().zip(idents).map(|(f, i)| (i.clone(), f.secret)));
    let mut seen = std::collections::HashSet::new();
    let eq =
        fields.iter().map(|f| f.ty).chain(attributes.iter().map(|a| a.ty)).chain(text).all(|t| is_eq(cx, t, &mut seen));
    let (derives, debug) = derive_and_debug(cx, name, &debug_members, eq, true);
    let encode_impl = if bare {
        quote! {
            impl #rt::Encode for #name {
                /// Writes the parts, one after the other, without an element of their own.
                fn encode(&self, w: &mut #rt::XmlWriter, _tag: &str) {
                    #(#encodes)*
                }
            }
        }
    } else {
        quote! {
            impl #rt::Encode for #name {
                fn encode(&self, w: &mut #rt::XmlWriter, tag: &str) {
                    #open
                    #text_encode
                    #(#encodes)*
                    w.end(tag);
                }
            }
        }
    };
    quote! {
        #doc
        #derives
        #[allow(dead_code)]
        pub struct #name {
            #(#attr_defs)*
            #other_def
            #text_def
            #(#field_defs)*
        }

        #debug

        #encode_impl

        impl #rt::Decode for #name {
            fn decode<'a>(r: &mut #rt::XmlReader<'a>, #start_param: &#rt::Start<'a>) -> Result<Self, #rt::DecodeError> {
                #(#attr_decodes)*
                #other_decode
                #body
                Ok(Self { #(#attr_builds)* #text_build #(#builds)* })
            }
        }
    }
}

/// The derives of a struct or enum (`Default` when asked; `Eq` when `eq`), and a hand-written
/// `Debug` that prints secret members as `<redacted>` when it has any.
pub(super) fn derive_and_debug(
    cx: &Ctx<'_>,
    name: &Ident,
    members: &[(Ident, bool)],
    eq: bool,
    default: bool,
) -> (TokenStream, TokenStream) {
    let eq = eq.then(|| quote!(Eq,));
    let default = default.then(|| quote!(Default));
    if !members.iter().any(|(_, secret)| *secret) {
        return (quote!(#[derive(Debug, Clone, PartialEq, #eq #default)]), TokenStream::new());
    }
    let rt = &cx.rt;
    let shown = name.to_string();
    let entries = members.iter().map(|(ident, secret)| {
        let label = ident.to_string().trim_start_matches("r#").to_owned();
        if *secret {
            quote!(.field(#label, &#rt::Redacted(&self.#ident)))
        } else {
            quote!(.field(#label, &self.#ident))
        }
    });
    (
        quote!(#[derive(Clone, PartialEq, #eq #default)]),
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#shown) #(#entries)* .finish()
                }
            }
        },
    )
}

/// Whether values of `ty` can derive `Eq` (nothing inside is a float); types in `seen` count as
/// yes. A worklist, not recursion: a chain of types each holding the next can be as long as the
/// schema (the resolver bounds how deep it resolves, not how long the chains it builds are).
fn is_eq(cx: &Ctx<'_>, ty: TypeRef, seen: &mut std::collections::HashSet<TypeId>) -> bool {
    let mut todo = vec![ty];
    while let Some(ty) = todo.pop() {
        let id = match ty {
            TypeRef::Builtin(Builtin::F32 | Builtin::F64) => return false,
            TypeRef::Builtin(_) => continue,
            TypeRef::Named(id) => id,
        };
        if !seen.insert(id) {
            continue;
        }
        match &cx.model.types[id].kind {
            TypeKind::Struct { fields, attributes, text, .. } => {
                todo.extend(fields.iter().map(|f| f.ty).chain(attributes.iter().map(|a| a.ty)).chain(*text))
            }
            TypeKind::Choice { variants, .. }
            | TypeKind::WithDerived { variants, .. }
            | TypeKind::SequenceAlternative { fields: variants } => todo.extend(variants.iter().map(|f| f.ty)),
            TypeKind::Enum { .. } => {}
            TypeKind::FlagList { item } | TypeKind::List { item } => todo.push(*item),
            TypeKind::Array { item } => todo.push(item.ty),
            TypeKind::Dictionary { key, value, .. } => todo.extend([key.ty, value.ty]),
        }
    }
    true
}

fn field_doc(f: &Field) -> TokenStream {
    let wire = match f.occurs {
        Occurs::Required => "required",
        Occurs::Optional => "optional",
        Occurs::RequiredNillable => "required, nillable (`None` is sent as `xsi:nil`)",
        Occurs::OptionalNillable => "optional, nillable",
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

/// The variants of an enumeration's enum: one per value, and the catch-all for values a newer
/// schema adds (`Other`, unless a listed value took that name).
pub(super) fn enum_variant_names(values: &[String]) -> (Vec<Ident>, Ident) {
    let mut scope = Scope::default();
    let variants: Vec<Ident> = values
        .iter()
        .map(|v| {
            format_ident!("{}", scope.unique(&if v.trim().is_empty() { "Empty".to_owned() } else { type_name(v) }))
        })
        .collect();
    let other_name = ["Other", "Unknown", "Unrecognized"]
        .into_iter()
        .find(|n| !variants.iter().any(|v| v == n))
        .map_or_else(|| scope.unique("Other"), str::to_owned);
    (variants, format_ident!("{}", other_name))
}

/// The variants of a choice's enum, one per alternative.
/// The Rust names of a choice's variants, and of the variant of its `xs:any` alternative (after
/// the others) when it has one.
pub(super) fn choice_variant_names(variants: &[Field], wildcard: bool) -> (Vec<Ident>, Option<Ident>) {
    let mut scope = Scope::default();
    let names = variants.iter().map(|f| format_ident!("{}", scope.unique(&type_name(&f.name.local)))).collect();
    (names, wildcard.then(|| format_ident!("{}", scope.unique("Other"))))
}

fn emit_enum(cx: &Ctx<'_>, id: TypeId, doc: TokenStream, values: &[String], collapse: bool) -> TokenStream {
    let rt = &cx.rt;
    let name = cx.type_ident(id);
    let (variants, other) = enum_variant_names(values);
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
        #[allow(clippy::enum_variant_names)]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
        #[allow(dead_code)]
        pub enum #name {
            #(#defs)*
            /// A value this version of the schema does not list (kept as sent).
            #other(String),
        }

        #[allow(dead_code)]
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
        #[allow(dead_code)]
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

/// A `soapenc:Array` type: a codec whose value is a `Vec`, written with `xsi:type="soapenc:Array"`
/// and `soapenc:arrayType="{item type}[{len}]"`, items named `item` with their `xsi:type`; read
/// from items of any name, checking the array's rank, size, offset and positions.
fn emit_soap_array(cx: &Ctx<'_>, id: TypeId, doc: TokenStream, item: &Field) -> TokenStream {
    let rt = &cx.rt;
    let name = cx.type_ident(id);
    let value = cx.value_type(TypeRef::Named(id), false);
    let enc = crate::xml::SOAP_ENC_NS;
    let array = cx.prefixed(enc, "Array").unwrap_or_default();
    let array_type = cx.prefixed(enc, "arrayType").unwrap_or_default();
    let item_type = cx.array_item_type(item.ty);
    let one = Field {
        occurs: if matches!(item.occurs, Occurs::RepeatedNillable) {
            Occurs::RequiredNillable
        } else {
            Occurs::Required
        },
        ..item.clone()
    };
    let encode = cx.encode_field_in(&one, quote!(v), true);
    let fill = cx.decode_field(item, quote!(&child), quote!(&mut items));
    quote! {
        #doc
        ///
        /// A codec: the value is a `Vec`, written as a SOAP-encoded array (`soapenc:Array`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        #[allow(dead_code)]
        pub struct #name;

        impl #rt::Codec for #name {
            type Value = #value;
            fn encode(value: &Self::Value, w: &mut #rt::XmlWriter, tag: &str) {
                w.soap_array_start(tag, #array, #array_type, #item_type, value.len());
                for v in value {
                    #encode
                }
                w.end(tag);
            }
            fn decode<'a>(r: &mut #rt::XmlReader<'a>, start: &#rt::Start<'a>) -> Result<Self::Value, #rt::DecodeError> {
                let array = r.soap_array(start)?;
                let mut items = Vec::new();
                while let Some(child) = r.next_item()? {
                    r.soap_array_item(&child, items.len())?;
                    #fill;
                }
                r.soap_array_end(start, array, items.len())?;
                Ok(items)
            }
        }
    }
}

fn emit_dictionary(
    cx: &Ctx<'_>,
    id: TypeId,
    doc: TokenStream,
    entry: &crate::xml::QName,
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
        #[allow(dead_code)]
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

/// How a choice variant's documentation names one member of its sequence: `` `Name` ``, or
/// `` one of `A`, `B` `` for a nested choice, with `(optional)` / `(repeated)`.
fn group_member_description(cx: &Ctx<'_>, f: &Field) -> String {
    let what = if cx.is_choice(f.ty) {
        let alternatives = cx.choice_description(f.ty);
        format!("one of {}", alternatives.split(" | ").map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", "))
    } else {
        format!("`{}`", f.name.local)
    };
    match f.occurs {
        Occurs::Optional | Occurs::OptionalNillable => format!("{what} (optional)"),
        Occurs::Repeated | Occurs::RepeatedNillable => format!("{what} (repeated)"),
        _ => what,
    }
}

fn emit_choice(
    cx: &Ctx<'_>,
    id: TypeId,
    doc: TokenStream,
    variants: &[Field],
    wildcard: Option<&Wildcard>,
) -> TokenStream {
    let rt = &cx.rt;
    let name = cx.type_ident(id);
    let (names, other_name) = choice_variant_names(variants, wildcard.is_some());
    // The `xs:any` alternative: a variant holding the element as XML, chosen for an element no
    // other alternative names from a namespace the wildcard accepts.
    let other = wildcard.zip(other_name).map(|(w, v)| {
        let accepts = match w {
            Wildcard::Any => quote!(true),
            Wildcard::Not(list) => quote!(!matches!(start.ns(), #(#list)|*)),
            Wildcard::In(list) => quote!(matches!(start.ns(), #(#list)|*)),
        };
        let what = match w {
            Wildcard::Any => "any namespace".to_owned(),
            Wildcard::Not(list) => format!("any namespace but {}", namespaces_list(list)),
            Wildcard::In(list) => namespaces_list(list),
        };
        let doc = format!(" An element none of the other alternatives names (`xs:any`: {what}), kept as XML.");
        (v, accepts, doc)
    });
    let defs = variants.iter().zip(&names).map(|(f, v)| {
        let ty = cx.field_type(f);
        let doc = match f.ty {
            TypeRef::Named(g) if cx.is_group(f.ty) => match &cx.model.types[g].kind {
                TypeKind::SequenceAlternative { fields } => format!(
                    " The sequence: {}.",
                    fields.iter().map(|f| group_member_description(cx, f)).collect::<Vec<_>>().join(", ")
                ),
                _ => String::new(),
            },
            _ => format!(" The `{}` element.", f.name.local),
        };
        quote! {
            #[doc = #doc]
            #v(#ty),
        }
    });
    let other_def = other.as_ref().map(|(v, _, doc)| {
        quote! {
            #[doc = #doc]
            #v(#rt::AnyElement),
        }
    });
    let other_encode =
        other.as_ref().map(|(v, _, _)| quote!(Self::#v(value) => w.any_elements(::std::slice::from_ref(value)),));
    let other_decode = other.as_ref().map(|(v, accepts, _)| {
        quote! {
            if #accepts {
                return Ok(Self::#v(r.any_element_value(start)?));
            }
        }
    });
    let group_of = |f: &Field| match f.ty {
        TypeRef::Named(g) if cx.is_group(f.ty) => Some(cx.type_ident(g)),
        _ => None,
    };
    let encodes = variants.iter().zip(&names).map(|(f, v)| {
        if group_of(f).is_some() {
            return quote!(Self::#v(value) => #rt::Group::encode(value, w),);
        }
        let encode = cx.encode_field(f, quote!(value));
        quote!(Self::#v(value) => { #encode })
    });
    let accepts = variants.iter().map(|f| {
        if let Some(g) = group_of(f) {
            return quote!(<#g as #rt::Group>::accepts(start));
        }
        let ns = cx.ns_expr(&f.name.ns);
        let local = &f.name.local;
        quote!(start.is(#ns, #local))
    });
    let accepts: Vec<TokenStream> = accepts.chain(other.as_ref().map(|(_, accepts, _)| accepts.clone())).collect();

    let decodes = variants.iter().zip(&names).map(|(f, v)| {
        if let Some(g) = group_of(f) {
            return quote! {
                if <#g as #rt::Group>::accepts(start) {
                    return Ok(Self::#v(<#g as #rt::Group>::decode(r, start.clone())?));
                }
            };
        }
        let ns = cx.ns_expr(&f.name.ns);
        let local = &f.name.local;
        let fill = cx.decode_field(f, quote!(start), quote!(&mut slot));
        quote! {
            if start.is(#ns, #local) {
                let mut slot = None;
                #fill;
                return Ok(Self::#v(r.require(start, #local, slot)?));
            }
        }
    });
    let name_str = format!("one of the alternatives of {name}");
    // A choice has a variant: the resolver leaves out or refuses a choice without alternatives,
    // and `resolve::invariants::check_model` makes sure of it before anything is emitted.
    let first = names.first().or(other.as_ref().map(|(v, _, _)| v)).expect("a choice has a variant");
    let first_default = quote!(Self::#first(Default::default()));
    let secret = variants.iter().any(|f| f.secret);
    let mut seen = std::collections::HashSet::new();
    let eq = variants.iter().all(|f| is_eq(cx, f.ty, &mut seen)).then(|| quote!(Eq,));
    let debug = if secret {
        let arms = variants.iter().zip(&names).map(|(f, v)| {
            let label = v.to_string();
            if f.secret {
                quote!(Self::#v(value) => f.debug_tuple(#label).field(&#rt::Redacted(value)).finish(),)
            } else {
                quote!(Self::#v(value) => f.debug_tuple(#label).field(value).finish(),)
            }
        });
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self { #(#arms)* }
                }
            }
        }
    } else {
        TokenStream::new()
    };
    let derive_debug = (!secret).then(|| quote!(Debug,));
    quote! {
        #doc
        // The alternatives are stored inline, as in the schema; box one yourself if size matters.
        #[allow(clippy::large_enum_variant, clippy::enum_variant_names)]
        #[derive(#derive_debug Clone, PartialEq, #eq)]
        #[allow(dead_code)]
        pub enum #name {
            #(#defs)*
            #other_def
        }

        #debug

        impl Default for #name {
            fn default() -> Self {
                #first_default
            }
        }

        impl #rt::Choice for #name {
            fn encode(&self, w: &mut #rt::XmlWriter) {
                match self {
                    #(#encodes)*
                    #other_encode
                }
            }
            fn accepts(start: &#rt::Start<'_>) -> bool {
                #(#accepts)||*
            }
            fn decode<'a>(r: &mut #rt::XmlReader<'a>, start: &#rt::Start<'a>) -> Result<Self, #rt::DecodeError> {
                #(#decodes)*
                #other_decode
                r.skip(start)?;
                Err(r.error_in(start, "", #rt::DecodeErrorKind::Missing(#name_str.to_owned())))
            }
        }
    }
}

/// Namespace URIs as a doc comment lists them (`""`: no namespace).
fn namespaces_list(list: &[String]) -> String {
    list.iter()
        .map(|ns| if ns.is_empty() { "no namespace".to_owned() } else { format!("`{ns}`") })
        .collect::<Vec<_>>()
        .join(", ")
}

fn emit_poly(
    cx: &Ctx<'_>,
    id: TypeId,
    doc: TokenStream,
    base: TypeId,
    base_abstract: bool,
    variants: &[Field],
) -> TokenStream {
    let rt = &cx.rt;
    let name = cx.type_ident(id);
    let idents: Vec<Ident> = variants
        .iter()
        .map(|f| match f.ty {
            TypeRef::Named(t) => cx.type_ident(t).clone(),
            TypeRef::Builtin(_) => format_ident!("Value"),
        })
        .collect();
    let defs = variants.iter().zip(&idents).map(|(f, v)| {
        let ty = cx.value_type(f.ty, f.boxed);
        let doc = format!(
            " A `{}` (`xsi:type` names it{}).",
            f.name.local,
            if f.ty == TypeRef::Named(base) { " or is absent" } else { "" }
        );
        quote! {
            #[doc = #doc]
            #v(#ty),
        }
    });
    let encodes = variants.iter().zip(&idents).map(|(f, v)| {
        if f.ty == TypeRef::Named(base) {
            quote!(Self::#v(value) => value.encode(w, tag),)
        } else {
            let ty = cx.tag(&f.name);
            quote! {
                Self::#v(value) => {
                    w.xsi_type_on_next(#ty);
                    value.encode(w, tag);
                }
            }
        }
    });
    let decodes = variants.iter().zip(&idents).map(|(f, v)| {
        let ns = &f.name.ns;
        let local = &f.name.local;
        let value = if f.boxed {
            quote!(Box::new(#rt::Decode::decode(r, start)?))
        } else {
            quote!(#rt::Decode::decode(r, start)?)
        };
        quote!(Some((ns, local)) if ns == #ns && local == #local => Ok(Self::#v(#value)),)
    });
    let fallback = if base_abstract {
        quote! {
            Some((ns, local)) => Err(r.error_in(start, "@type", #rt::DecodeErrorKind::UnknownType(format!("{{{ns}}}{local}")))),
            None => Err(r.error_in(start, "@type", #rt::DecodeErrorKind::UnknownType(String::from("(none)")))),
        }
    } else {
        // The first variant is the (concrete) base; there is one (see `first` below).
        let v = &idents[0];
        let value = if variants[0].boxed {
            quote!(Box::new(#rt::Decode::decode(r, start)?))
        } else {
            quote!(#rt::Decode::decode(r, start)?)
        };
        // No xsi:type, or one naming a type this schema does not know (from a newer server):
        // the base, whose fields every derived type carries first.
        quote!(_ => Ok(Self::#v(#value)),)
    };
    // A polymorphic type has a variant (the base, when nothing concrete derives from it):
    // `resolve::invariants::check_model` makes sure of it before anything is emitted.
    let first = &idents[0];
    let first_default =
        if variants[0].boxed { quote!(Self::#first(Box::default())) } else { quote!(Self::#first(Default::default())) };
    let froms = variants.iter().zip(&idents).filter(|(f, _)| !f.boxed).map(|(f, v)| {
        let ty = cx.value_type(f.ty, false);
        quote! {
            impl From<#ty> for #name {
                fn from(value: #ty) -> Self {
                    Self::#v(value)
                }
            }
        }
    });
    let mut seen = std::collections::HashSet::new();
    let eq = variants.iter().all(|f| is_eq(cx, f.ty, &mut seen)).then(|| quote!(Eq,));
    quote! {
        #doc
        #[allow(clippy::large_enum_variant, clippy::enum_variant_names)]
        #[derive(Debug, Clone, PartialEq, #eq)]
        #[allow(dead_code)]
        pub enum #name {
            #(#defs)*
        }

        impl Default for #name {
            fn default() -> Self {
                #first_default
            }
        }

        #(#froms)*

        impl #rt::Encode for #name {
            fn encode(&self, w: &mut #rt::XmlWriter, tag: &str) {
                match self {
                    #(#encodes)*
                }
            }
        }

        impl #rt::Decode for #name {
            fn decode<'a>(r: &mut #rt::XmlReader<'a>, start: &#rt::Start<'a>) -> Result<Self, #rt::DecodeError> {
                match r.xsi_type(start)?.as_ref().map(|(ns, local)| (ns.as_str(), local.as_str())) {
                    #(#decodes)*
                    #fallback
                }
            }
        }
    }
}

fn emit_group(cx: &Ctx<'_>, id: TypeId, doc: TokenStream, fields: &[Field]) -> TokenStream {
    let rt = &cx.rt;
    let name = cx.type_ident(id);
    let members = member_idents(&[], false, false, fields);
    let idents = &members.fields;
    let slots = slot_idents(&members);
    let field_defs = fields.iter().zip(idents).map(|(f, ident)| {
        let ty = cx.field_type(f);
        let doc = field_doc(f);
        quote! {
            #doc
            pub #ident: #ty,
        }
    });
    let encodes = fields.iter().zip(idents).map(|(f, ident)| cx.encode_field(f, quote!(&self.#ident)));
    let accepts = fields.iter().map(|f| {
        if cx.is_choice(f.ty) || cx.is_group(f.ty) {
            let TypeRef::Named(t) = f.ty else { unreachable!("a choice is a named type") };
            let t = cx.type_ident(t);
            let tr = if cx.is_choice(f.ty) { quote!(Choice) } else { quote!(Group) };
            quote!(<#t as #rt::#tr>::accepts(start))
        } else {
            let ns = cx.ns_expr(&f.name.ns);
            let local = &f.name.local;
            quote!(start.is(#ns, #local))
        }
    });
    let inits = fields.iter().zip(&slots).map(|(f, slot)| {
        let init = cx.slot_init(f);
        quote!(let mut #slot = #init;)
    });
    let child = format_ident!("child");
    // A field that may appear once takes the element only while it is still empty: a second
    // one begins the next occurrence of the enclosing (repeated) choice.
    // (`&& slot-is-free`, nothing for a repeated field, which always takes the element.)
    let free = |f: &Field, slot: &Ident| match f.occurs {
        Occurs::Repeated | Occurs::RepeatedNillable => quote!(),
        Occurs::OptionalNillable => quote!(&& #slot.is_absent()),
        _ => quote!(&& #slot.is_none()),
    };
    let arms = fields.iter().zip(&slots).filter(|(f, _)| !cx.is_choice(f.ty)).map(|(f, slot)| {
        let local = &f.name.local;
        let guard = cx.ns_guard(&child, &f.name.ns);
        let free = free(f, slot);
        let fill = cx.decode_field(f, quote!(&child), quote!(&mut #slot));
        quote!(#local if #guard #free => { #fill; true })
    });
    let choice_arms = fields.iter().zip(&slots).filter(|(f, _)| cx.is_choice(f.ty)).map(|(f, slot)| {
        let TypeRef::Named(choice) = f.ty else { unreachable!("a choice is a named type") };
        let choice = cx.type_ident(choice);
        let free = free(f, slot);
        let fill = cx.decode_field(f, quote!(&child), quote!(&mut #slot));
        quote!(_ if <#choice as #rt::Choice>::accepts(&child) #free => { #fill; true })
    });
    let builds = fields.iter().zip(idents.iter().zip(&slots)).map(|(f, (ident, slot))| {
        if Ctx::is_required(f) {
            let local = if cx.is_choice(f.ty) { cx.choice_description(f.ty) } else { f.name.local.clone() };
            quote!(#ident: #slot.ok_or_else(|| r.error(#rt::DecodeErrorKind::Missing(#local.to_owned())))?,)
        } else if ident == slot {
            quote!(#ident,)
        } else {
            quote!(#ident: #slot,)
        }
    });
    let mut seen = std::collections::HashSet::new();
    let eq = fields.iter().all(|f| is_eq(cx, f.ty, &mut seen));
    let debug_members: Vec<(Ident, bool)> = fields.iter().zip(idents).map(|(f, i)| (i.clone(), f.secret)).collect();
    let (derives, debug) = derive_and_debug(cx, name, &debug_members, eq, true);
    quote! {
        #doc
        #derives
        #[allow(dead_code)]
        pub struct #name {
            #(#field_defs)*
        }

        #debug

        impl #rt::Group for #name {
            fn encode(&self, w: &mut #rt::XmlWriter) {
                #(#encodes)*
            }
            fn accepts(start: &#rt::Start<'_>) -> bool {
                #(#accepts)||*
            }
            fn decode<'a>(r: &mut #rt::XmlReader<'a>, first: #rt::Start<'a>) -> Result<Self, #rt::DecodeError> {
                #(#inits)*
                let mut child = first;
                loop {
                    let taken = match child.local() {
                        #(#arms)*
                        #(#choice_arms)*
                        _ => false,
                    };
                    if !taken {
                        r.push_back(Some(child));
                        break;
                    }
                    match r.next_child()? {
                        Some(next) => child = next,
                        None => {
                            r.push_back(None);
                            break;
                        }
                    }
                }
                Ok(Self { #(#builds)* })
            }
        }
    }
}
