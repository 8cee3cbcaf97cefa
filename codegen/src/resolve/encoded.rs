//! SOAP 1.1 section 5 encoding (rpc/encoded operations): `soapenc:Array` types, the SOAP-ENC
//! built-in types, and the set of types encoded messages reach.

use std::collections::BTreeSet;

use crate::model::*;
use crate::read::{ArrayTypeDecl, ComplexType, Content};
use crate::xml::{Pos, QName, SOAP_ENC_NS};

use super::*;

/// The dimensions of `wsdl:arrayType` (`[]`, `[][]`, `[,]`, `[3]`) as bracket groups, each the
/// rank it declares (commas + 1).
fn rank_groups(dims: &str) -> Option<Vec<usize>> {
    let mut groups = Vec::new();
    let mut rest = dims;
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[')?;
        let end = inner.find(']')?;
        groups.push(inner[..end].matches(',').count() + 1);
        rest = &inner[end + 1..];
    }
    (!groups.is_empty()).then_some(groups)
}

impl<'d> Resolver<'d> {
    /// A type of the SOAP-ENC namespace: its built-ins (`soapenc:string`, `soapenc:int`, ...,
    /// `soapenc:base64`) map as the XML Schema ones do, `soapenc:Array` is an array of any
    /// values, `soapenc:Struct` any content.
    pub(super) fn soapenc_type(&mut self, name: &QName, pos: &Pos) -> Result<TypeRef, ResolveError> {
        if let Some(b) = types::builtin(&name.local) {
            return Ok(TypeRef::Builtin(b));
        }
        match name.local.as_str() {
            "base64" => Ok(TypeRef::Builtin(Builtin::Base64Binary)),
            "Struct" => Ok(TypeRef::Builtin(Builtin::AnyType)),
            "Array" => {
                let item = TypeRef::Builtin(Builtin::AnyType);
                let id = self.reserve();
                self.named.insert(name.clone(), TypeRef::Named(id));
                self.soap_array_of(id, name.clone(), TypeOrigin::Named, None, item, Occurs::Repeated);
                Ok(TypeRef::Named(id))
            }
            _ => fail(
                pos,
                ResolveErrorKind::Undefined {
                    what: Definition::Type,
                    name: name.to_string(),
                    context: Some(format!("`{}` is not a SOAP 1.1 encoding type", name.local)),
                },
            ),
        }
    }

    /// Whether `ct` is a restriction of `soapenc:Array`.
    pub(super) fn is_soap_array(ct: &ComplexType) -> bool {
        matches!(&ct.content, Content::Restriction { base, .. } if base.ns == SOAP_ENC_NS && base.local == "Array")
    }

    /// A restriction of `soapenc:Array` as the array type reserved as `id`: its items' type comes
    /// from `wsdl:arrayType` (`xsd:string[]`; `tns:T[][]` is an array of arrays), else from the
    /// one element the restriction declares, else any content. Arrays of more than one dimension
    /// (`[,]`) are refused: their shape would not survive a `Vec`.
    pub(super) fn soap_array(
        &mut self,
        id: TypeId,
        ct: &'d ComplexType,
        name: QName,
        anonymous: bool,
    ) -> Result<(), ResolveError> {
        let origin = TypeOrigin::of_anonymous(anonymous);
        if let Some(decl) = &ct.array_type {
            let item = self.array_item(decl, &name)?;
            self.soap_array_of(id, name, origin, ct.doc.clone(), item, Occurs::Repeated);
            return Ok(());
        }
        let mut fields = Vec::new();
        if let Content::Restriction { particle: Some(p), .. } = &ct.content {
            self.fields(&name, p, false, false, &mut fields)?;
        }
        let (item, occurs) = match fields.as_slice() {
            [f] if matches!(f.occurs, Occurs::Repeated | Occurs::RepeatedNillable) => (f.ty, f.occurs),
            [f] if matches!(f.occurs, Occurs::RequiredNillable | Occurs::OptionalNillable) => {
                (f.ty, Occurs::RepeatedNillable)
            }
            [f] => (f.ty, Occurs::Repeated),
            [] => (TypeRef::Builtin(Builtin::AnyType), Occurs::Repeated),
            _ => {
                return unsupported(
                    &ct.pos,
                    format!("a restriction of soapenc:Array with {} elements", fields.len()),
                    Some("arrays of one item element, or a wsdl:arrayType, are"),
                );
            }
        };
        self.soap_array_of(id, name, origin, ct.doc.clone(), item, occurs);
        Ok(())
    }

    /// The item type `wsdl:arrayType` declares: the type itself for `[]`, an (anonymous) array of
    /// it for each bracket group before the last.
    fn array_item(&mut self, decl: &ArrayTypeDecl, name: &QName) -> Result<TypeRef, ResolveError> {
        let Some(groups) = rank_groups(&decl.dims) else {
            return invalid(&decl.pos, format!("wsdl:arrayType `{}{}`: malformed dimensions", decl.item, decl.dims));
        };
        if let Some(rank) = groups.iter().find(|r| **r > 1) {
            return unsupported(
                &decl.pos,
                format!("a {rank}-dimensional SOAP array (wsdl:arrayType `{}{}`)", decl.item, decl.dims),
                Some("arrays of one dimension, and arrays of arrays (`[][]`), are"),
            );
        }
        let mut item = if decl.item.ns == SOAP_ENC_NS {
            self.soapenc_type(&decl.item, &decl.pos)?
        } else {
            self.type_or_derived(&decl.item, &decl.pos)?
        };
        // `T[][]`: the items are arrays of `T` (one anonymous array type per inner group).
        for depth in 1..groups.len() {
            let id = self.reserve();
            let suffix = if depth > 1 { depth.to_string() } else { String::new() };
            let inner = QName::new(name.ns.clone(), format!("{}Item{suffix}", name.local));
            let what = format!("The items of the SOAP array `{}`", name.local);
            self.soap_array_of(id, inner, TypeOrigin::Synthesized(what), None, item, Occurs::Repeated);
            item = TypeRef::Named(id);
        }
        Ok(item)
    }

    /// Registers `id` as a SOAP array of `item` values.
    fn soap_array_of(
        &mut self,
        id: TypeId,
        name: QName,
        origin: TypeOrigin,
        doc: Option<String>,
        item: TypeRef,
        occurs: Occurs,
    ) {
        self.declare_namespace(SOAP_ENC_NS);
        self.declare_namespace(crate::xml::XSD_NS);
        let field = Field::synthetic("item", item, occurs);
        self.types[id] = Some(Type { name, origin, doc, kind: TypeKind::Array { item: field } });
        self.soap_arrays.insert(id);
    }
}

/// The types an encoded message reaches from `roots` (its body types), through fields,
/// attributes, variants and items.
pub(super) fn reachable(types: &[Type], roots: impl IntoIterator<Item = TypeId>) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<TypeId> = roots.into_iter().collect();
    while let Some(id) = todo.pop() {
        if !seen.insert(id) {
            continue;
        }
        let Some(t) = types.get(id.0) else { continue };
        let members: Vec<TypeRef> = match &t.kind {
            TypeKind::Struct { fields, attributes, text, .. } => {
                fields.iter().map(|f| f.ty).chain(attributes.iter().map(|a| a.ty)).chain(*text).collect()
            }
            TypeKind::WithDerived { base, variants, .. } => {
                variants.iter().map(|f| f.ty).chain([TypeRef::Named(*base)]).collect()
            }
            TypeKind::SequenceAlternative { fields } | TypeKind::Choice { variants: fields, .. } => {
                fields.iter().map(|f| f.ty).collect()
            }
            TypeKind::FlagList { item } | TypeKind::List { item } => vec![*item],
            TypeKind::Array { item } => vec![item.ty],
            TypeKind::Dictionary { key, value, .. } => vec![key.ty, value.ty],
            TypeKind::Enum { .. } => Vec::new(),
        };
        todo.extend(members.into_iter().filter_map(|m| match m {
            TypeRef::Named(id) => Some(id),
            TypeRef::Builtin(_) => None,
        }));
    }
    seen
}
