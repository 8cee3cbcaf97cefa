//! Named and anonymous types: simple types, complex types, attributes, and the enums of
//! types derived from a base (`xsi:type`).

use std::collections::HashSet;

use crate::model::*;
use crate::read::{ComplexType, Content, Element, SimpleType, SimpleVariety, TypeDef};
use crate::xml::{Pos, QName, WCF_SERIALIZATION_NS, XSD_NS};

use super::*;

/// The XML Schema built-ins by local name.
pub(super) fn builtin(local: &str) -> Option<Builtin> {
    use Builtin::*;
    Some(match local {
        "string" | "normalizedString" | "token" | "language" | "Name" | "NCName" | "NMTOKEN" | "NMTOKENS" | "ID"
        | "IDREF" | "IDREFS" | "ENTITY" | "ENTITIES" | "anyURI" | "QName" | "NOTATION" | "anySimpleType" | "gYear"
        | "gYearMonth" | "gMonth" | "gMonthDay" | "gDay" | "hexBinary" => String,
        "boolean" => Bool,
        "byte" => I8,
        "short" => I16,
        "int" => I32,
        "long" => I64,
        "unsignedByte" => U8,
        "unsignedShort" => U16,
        "unsignedInt" => U32,
        "unsignedLong" => U64,
        "float" => F32,
        "double" => F64,
        "decimal" | "integer" | "nonNegativeInteger" | "positiveInteger" | "nonPositiveInteger" | "negativeInteger" => {
            Decimal
        }
        // `timeInstant` and `timeDuration`: the 1999 draft's names of dateTime and duration.
        "dateTime" | "timeInstant" => DateTime,
        "date" => Date,
        "time" => Time,
        "duration" | "timeDuration" => Duration,
        "base64Binary" => Base64Binary,
        "anyType" => AnyType,
        _ => return None,
    })
}

impl<'d> Resolver<'d> {
    pub(super) fn element_decl(&self, name: &QName, pos: &Pos) -> Result<&'d Element, ResolveError> {
        match self.index.elements.get(name) {
            Some(e) => Ok(e),
            None if self.defs.schemas.is_empty() => fail(
                pos,
                ResolveErrorKind::Undefined {
                    what: Definition::Element,
                    name: name.to_string(),
                    context: Some("the document has no <wsdl:types> and imports no schema".into()),
                },
            ),
            None => undefined(pos, Definition::Element, name),
        }
    }

    /// The type of an element declaration (after following `ref`).
    pub(super) fn element_type(&mut self, element: &'d Element) -> Result<TypeRef, ResolveError> {
        if let Some(inline) = &element.inline_type {
            return self.anonymous_type(inline, &element.name, element.doc.as_deref());
        }
        match &element.type_name {
            Some(name) => self.type_or_derived(name, &element.pos),
            None => Ok(TypeRef::Builtin(Builtin::AnyType)),
        }
    }

    /// The type named `name` where a value of it is expected: for a complex type that other
    /// types derive from, the enum of it and its derived types, because the schema lets any of
    /// them stand in its place (told apart by `xsi:type`), and a struct of the base alone would
    /// drop the derived fields. The enum is made once per base; the base's own struct (what
    /// [`exact_type`](Self::exact_type) gives) is its first variant, and what derived types
    /// extend it with.
    pub(super) fn type_or_derived(&mut self, name: &QName, pos: &Pos) -> Result<TypeRef, ResolveError> {
        let plain = self.exact_type(name, pos)?;
        if !self.index.derived.contains_key(name) {
            return Ok(plain);
        }
        if let Some(t) = self.with_derived.get(name) {
            return Ok(*t);
        }
        let TypeRef::Named(base) = plain else {
            return Ok(plain);
        };
        if !matches!(self.kind_of(base), Some(TypeKind::Struct { .. }) | None) {
            return Ok(plain);
        }
        let id = self.reserve();
        self.with_derived.insert(name.clone(), TypeRef::Named(id));
        let base_abstract = matches!(self.index.types.get(name), Some(TypeDef::Complex(ct)) if ct.is_abstract);
        let mut variants = Vec::new();
        if !base_abstract {
            variants.push(self.derived_variant(name, base));
        }
        // Every type derived from the base, directly or not, in schema order.
        let mut queue: std::collections::VecDeque<&'d QName> =
            self.index.derived.get(name).cloned().unwrap_or_default().into();
        let mut seen: HashSet<&QName> = HashSet::from([name]);
        while let Some(d) = queue.pop_front() {
            if !seen.insert(d) {
                continue;
            }
            queue.extend(self.index.derived.get(d).cloned().unwrap_or_default());
            let is_abstract = matches!(self.index.types.get(d), Some(TypeDef::Complex(ct)) if ct.is_abstract);
            // A derived type that uses a construct not supported yet leaves the others usable:
            // it is left out (values of it decode as the base) and the output says so.
            let checkpoint = self.types.len();
            match self.exact_type(d, pos) {
                Ok(TypeRef::Named(sid)) if !is_abstract => variants.push(self.derived_variant(d, sid)),
                Ok(_) => {}
                Err(e) => {
                    self.rollback(checkpoint);
                    self.notes.push(format!("type {d} (derived from {name}) is left out: {e}"));
                }
            }
        }
        let mut base_abstract = base_abstract;
        if variants.is_empty() {
            // An abstract base whose derived types are all abstract or left out: no value of
            // a concrete type is possible. Values are read and written as the base itself, as
            // when nothing derives from it (an enum of no variant could hold nothing).
            self.notes.push(format!(
                "type {name} is abstract and no concrete type derived from it is generated: its values are read and \
                 written as {name} itself"
            ));
            base_abstract = false;
            variants.push(self.derived_variant(name, base));
        }
        self.types[id] = Some(Type {
            name: QName::new(name.ns.clone(), format!("Any{}", name.local)),
            origin: TypeOrigin::Synthesized(format!(
                "`{}` or a type derived from it, told apart by `xsi:type`",
                name.local
            )),
            doc: None,
            kind: TypeKind::WithDerived { base, base_abstract, variants },
        });
        Ok(TypeRef::Named(id))
    }

    /// Forgets every type registered since `checkpoint` (after a failed, optional resolution).
    pub(super) fn rollback(&mut self, checkpoint: usize) {
        self.types.truncate(checkpoint);
        let keep = |t: &TypeRef| !matches!(t, TypeRef::Named(id) if id.0 >= checkpoint);
        self.named.retain(|_, t| keep(t));
        self.soap_arrays.retain(|id| id.0 < checkpoint);
        self.anonymous.retain(|_, t| keep(t));
        self.with_derived.retain(|_, t| keep(t));
    }

    pub(super) fn derived_variant(&mut self, type_name: &QName, id: TypeId) -> Field {
        self.declare_namespace(&type_name.ns);
        Field {
            name: type_name.clone(),
            ty: TypeRef::Named(id),
            occurs: Occurs::Required,
            boxed: false,
            secret: false,
            constraint: None,
            doc: None,
        }
    }

    /// The type named `name` itself (a complex type as its struct): what a derivation builds
    /// on, and a body element's own type.
    pub(super) fn exact_type(&mut self, name: &QName, pos: &Pos) -> Result<TypeRef, ResolveError> {
        if let Some(t) = self.named.get(name) {
            return Ok(*t);
        }
        if name.ns == XSD_NS {
            return match builtin(&name.local) {
                Some(b) => Ok(TypeRef::Builtin(b)),
                None => fail(
                    pos,
                    ResolveErrorKind::Undefined {
                        what: Definition::Type,
                        name: name.to_string(),
                        context: Some(format!("`{}` is not an XML Schema built-in type", name.local)),
                    },
                ),
            };
        }
        if name.ns == WCF_SERIALIZATION_NS && name.local == "guid" {
            return Ok(TypeRef::Builtin(Builtin::Uuid));
        }
        if name.ns == crate::xml::SOAP_ENC_NS {
            return self.soapenc_type(name, pos);
        }
        let Some(def) = self.index.types.get(name).copied() else {
            // Apache Axis 1's own types, which its rpc/encoded WSDLs name without defining them
            // (`apachesoap:Map`, `apachesoap:Vector`, DOM content): kept as raw XML.
            if name.ns == "http://xml.apache.org/xml-soap"
                && matches!(name.local.as_str(), "Map" | "Vector" | "Element" | "Document")
            {
                return Ok(TypeRef::Builtin(Builtin::AnyType));
            }
            return undefined(pos, Definition::Type, name);
        };
        let resolved = match def {
            TypeDef::Complex(ct) => {
                let id = self.reserve();
                self.named.insert(name.clone(), TypeRef::Named(id));
                self.complex_or_raw(id, ct, name.clone(), false)?;
                TypeRef::Named(id)
            }
            TypeDef::Simple(st) => {
                let t = self.one_level_deeper(&st.pos, |r| r.simple(st, name.clone()))?;
                self.named.insert(name.clone(), t);
                t
            }
        };
        Ok(resolved)
    }

    /// Runs `f` one level deeper in the nesting of type definitions being resolved (each level
    /// is a few stack frames), refusing to go past [`MAX_TYPE_DEPTH`].
    pub(super) fn one_level_deeper<T>(
        &mut self,
        pos: &Pos,
        f: impl FnOnce(&mut Self) -> Result<T, ResolveError>,
    ) -> Result<T, ResolveError> {
        self.deeper(pos, Nesting::Types, f)
    }

    /// Runs `f` one level deeper in the nesting of definitions being resolved (types, group
    /// references, attribute group references: `what`; they share one count, as they share the
    /// stack), refusing to go past [`MAX_TYPE_DEPTH`].
    pub(super) fn deeper<T>(
        &mut self,
        pos: &Pos,
        what: Nesting,
        f: impl FnOnce(&mut Self) -> Result<T, ResolveError>,
    ) -> Result<T, ResolveError> {
        if self.depth >= MAX_TYPE_DEPTH {
            return fail(pos, ResolveErrorKind::TooDeep { what, limit: MAX_TYPE_DEPTH });
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    /// Says what an anonymous type made for `t` stands for, when `t` is one (a named type or a
    /// built-in stays as it is).
    fn describe(&mut self, t: TypeRef, what: String) {
        if let TypeRef::Named(id) = t {
            if let Some(ty) = self.types[id].as_mut().filter(|ty| ty.origin == TypeOrigin::Element) {
                ty.origin = TypeOrigin::Synthesized(what);
            }
        }
    }

    pub(super) fn anonymous_type(
        &mut self,
        def: &'d TypeDef,
        owner: &QName,
        doc: Option<&str>,
    ) -> Result<TypeRef, ResolveError> {
        let key = def as *const TypeDef as usize;
        if let Some(t) = self.anonymous.get(&key) {
            return Ok(*t);
        }
        let name = QName::new(owner.ns.clone(), owner.local.clone());
        let t = match def {
            TypeDef::Complex(ct) => {
                let id = self.reserve();
                self.anonymous.insert(key, TypeRef::Named(id));
                self.complex_or_raw(id, ct, name, true)?;
                if let (Some(Type { doc: slot @ None, .. }), Some(doc)) = (self.types[id].as_mut(), doc) {
                    *slot = Some(doc.to_owned());
                }
                TypeRef::Named(id)
            }
            TypeDef::Simple(st) => self.simple(st, name)?,
        };
        self.anonymous.insert(key, t);
        Ok(t)
    }

    pub(super) fn simple(&mut self, st: &'d SimpleType, name: QName) -> Result<TypeRef, ResolveError> {
        match &st.variety {
            SimpleVariety::Restriction { base, inline_base, enumerations, patterns } => {
                let base_ref = match (base, inline_base) {
                    (Some(b), _) => self.type_or_derived(b, &st.pos)?,
                    (None, Some(inline)) => {
                        let base = self.simple(inline, QName::new(name.ns.clone(), format!("{}Base", name.local)))?;
                        self.describe(base, format!("The anonymous base of the restriction `{}`", name.local));
                        base
                    }
                    (None, None) => TypeRef::Builtin(Builtin::String),
                };
                if enumerations.is_empty() {
                    // A boolean whose patterns admit no letters has only the forms `0` and `1`
                    // (SOAP 1.1's `mustUnderstand`): written that way.
                    let digits_only =
                        !patterns.is_empty() && patterns.iter().all(|p| !p.chars().any(|c| c.is_ascii_alphabetic()));
                    if base_ref == TypeRef::Builtin(Builtin::Bool) && digits_only {
                        return Ok(TypeRef::Builtin(Builtin::NumericBool));
                    }
                    return Ok(base_ref);
                }
                let collapse = base_ref != TypeRef::Builtin(Builtin::String);
                let id = self.reserve();
                let mut values: Vec<String> = Vec::new();
                for v in enumerations {
                    if !values.contains(v) {
                        values.push(v.clone());
                    }
                }
                self.types[id] = Some(Type {
                    name,
                    origin: TypeOrigin::of_anonymous(st.name.is_none()),
                    doc: st.doc.clone(),
                    kind: TypeKind::Enum { values, collapse },
                });
                Ok(TypeRef::Named(id))
            }
            SimpleVariety::List { item, inline_item } => {
                let item_ref = match (item, inline_item) {
                    (Some(i), _) => self.type_or_derived(i, &st.pos)?,
                    (None, Some(inline)) => {
                        let item = self.simple(inline, QName::new(name.ns.clone(), format!("{}Flag", name.local)))?;
                        self.describe(item, format!("The items of the list type `{}`", name.local));
                        item
                    }
                    (None, None) => return invalid(&st.pos, "<xs:list> has neither itemType nor an inline type"),
                };
                let is_enum =
                    matches!(item_ref, TypeRef::Named(id) if matches!(self.kind_of(id), Some(TypeKind::Enum { .. })));
                let id = self.reserve();
                let kind =
                    if is_enum { TypeKind::FlagList { item: item_ref } } else { TypeKind::List { item: item_ref } };
                let origin = TypeOrigin::of_anonymous(st.name.is_none());
                self.types[id] = Some(Type { name, origin, doc: st.doc.clone(), kind });
                Ok(TypeRef::Named(id))
            }
            // A union's value is kept as its text: lossless, whatever member it matches.
            SimpleVariety::Union => Ok(TypeRef::Builtin(Builtin::String)),
        }
    }

    /// Resolves the complex type `ct` into the type reserved as `id` (reserved first, so that
    /// the type's own fields can refer to it: cycles are broken by boxing afterwards).
    /// A complex type as [`complex`](Self::complex) makes it; one whose content uses a construct
    /// wsdlgen does not model keeps that content as raw XML instead (written back as received,
    /// and built by hand to send), with its attributes, and the output's notes name the type and
    /// the construct: one such type does not cost the rest of the document.
    fn complex_or_raw(
        &mut self,
        id: TypeId,
        ct: &'d ComplexType,
        name: QName,
        anonymous: bool,
    ) -> Result<(), ResolveError> {
        let checkpoint = self.types.len();
        match self.one_level_deeper(&ct.pos, |r| r.complex(id, ct, name.clone(), anonymous)) {
            Err(e) if matches!(e.kind, ResolveErrorKind::Unsupported { .. }) => {
                self.raw_content(id, ct, name, anonymous, checkpoint, &e);
                Ok(())
            }
            other => other,
        }
    }

    /// The raw-XML fallback of [`complex_or_raw`](Self::complex_or_raw), out of line: the
    /// resolver recurses through the other path once per nesting level, and its frames stay small.
    #[cold]
    #[inline(never)]
    fn raw_content(
        &mut self,
        id: TypeId,
        ct: &'d ComplexType,
        name: QName,
        anonymous: bool,
        checkpoint: usize,
        error: &ResolveError,
    ) {
        self.rollback(checkpoint);
        let mut attributes = Vec::new();
        let typed = self.attribute_uses(&ct.attributes, &mut attributes, &mut HashSet::new()).is_ok();
        if !typed {
            self.rollback(checkpoint);
            attributes.clear();
        }
        let construct = match &error.kind {
            ResolveErrorKind::Unsupported { construct, .. } => construct.as_str(),
            _ => "a construct",
        };
        let what = if anonymous { format!("the type of element {name}") } else { format!("type {name}") };
        self.notes.push(format!(
            "{what} uses {construct} ({}), which wsdlgen does not model: its content is kept as raw XML (`RawXml`)",
            super::short_pos(&error.pos)
        ));
        let kind = TypeKind::Struct {
            fields: Vec::new(),
            attributes,
            text: Some(TypeRef::Builtin(Builtin::AnyType)),
            any_attribute: ct.any_attribute || !typed,
        };
        let doc = format!("Its content uses {construct}, which wsdlgen does not model: kept as raw XML.");
        let doc = Some(match &ct.doc {
            Some(d) => format!("{d}\n\n{doc}"),
            None => doc,
        });
        self.types[id] = Some(Type { name, origin: TypeOrigin::of_anonymous(anonymous), doc, kind });
    }

    pub(super) fn complex(
        &mut self,
        id: TypeId,
        ct: &'d ComplexType,
        name: QName,
        anonymous: bool,
    ) -> Result<(), ResolveError> {
        if ct.mixed {
            // Text interleaved with elements: kept as raw XML (lossless), with the attributes.
            let mut attributes = Vec::new();
            self.attribute_uses(&ct.attributes, &mut attributes, &mut HashSet::new())?;
            let kind = TypeKind::Struct {
                fields: Vec::new(),
                attributes,
                text: Some(TypeRef::Builtin(Builtin::AnyType)),
                any_attribute: ct.any_attribute,
            };
            self.types[id] =
                Some(Type { name, origin: TypeOrigin::of_anonymous(anonymous), doc: ct.doc.clone(), kind });
            return Ok(());
        }
        if Self::is_soap_array(ct) {
            return self.soap_array(id, ct, name, anonymous);
        }
        let mut attributes = Vec::new();
        let mut text = None;
        let mut fields = Vec::new();
        match &ct.content {
            Content::Simple { base } => match self.exact_type(base, &ct.pos)? {
                TypeRef::Named(base_id) => match self.kind_of(base_id) {
                    Some(TypeKind::Struct { text: Some(t), attributes: a, .. }) => {
                        text = Some(*t);
                        attributes = a.clone();
                    }
                    Some(
                        TypeKind::Struct { .. }
                        | TypeKind::Array { .. }
                        | TypeKind::Dictionary { .. }
                        | TypeKind::Choice { .. },
                    )
                    | None => {
                        return invalid(
                            &ct.pos,
                            format!("type {name}: simpleContent's base {base} has no simple content"),
                        );
                    }
                    Some(_) => text = Some(TypeRef::Named(base_id)),
                },
                b @ TypeRef::Builtin(_) => text = Some(b),
            },
            Content::Particle(particle) => {
                if ct.attributes.is_empty() {
                    if let Some(kind) = self.wrapper_kind(ct, &name, anonymous, particle.as_ref())? {
                        self.types[id] =
                            Some(Type { name, origin: TypeOrigin::of_anonymous(anonymous), doc: ct.doc.clone(), kind });
                        return Ok(());
                    }
                }
                if let Some(p) = particle {
                    self.fields(&name, p, false, false, &mut fields)?;
                }
            }
            // An extension's struct is the base's fields, then its own (the wire order); the base
            // is resolved first, so a base that (indirectly) extends this type is still `None`.
            Content::Extension { base, particle } => {
                (fields, attributes) = self.extension_base(base, &name, &ct.pos)?;
                if let Some(p) = particle {
                    self.fields(&name, p, false, false, &mut fields)?;
                }
            }
            Content::Restriction { particle, .. } => {
                if let Some(p) = particle {
                    self.fields(&name, p, false, false, &mut fields)?;
                }
            }
        }
        self.attribute_uses(&ct.attributes, &mut attributes, &mut HashSet::new())?;
        for f in fields.iter_mut() {
            f.secret = f.secret || self.is_secret(Some(&name.local), &f.name.local);
        }
        for a in attributes.iter_mut() {
            a.secret = a.secret || self.is_secret(Some(&name.local), &a.name.local);
        }
        let any_attribute = ct.any_attribute
            || match &ct.content {
                Content::Extension { base, .. } | Content::Simple { base } => match self.named.get(base) {
                    Some(TypeRef::Named(b)) => {
                        matches!(self.kind_of(*b), Some(TypeKind::Struct { any_attribute: true, .. }))
                    }
                    _ => false,
                },
                _ => false,
            };
        let kind = TypeKind::Struct { fields, attributes, text, any_attribute };
        self.types[id] = Some(Type { name, origin: TypeOrigin::of_anonymous(anonymous), doc: ct.doc.clone(), kind });
        Ok(())
    }

    /// The fields and attributes type `name` inherits from `base`, which it extends. Out of line:
    /// type resolution recurses through `complex` once per nesting level, and its frame stays
    /// small.
    #[inline(never)]
    fn extension_base(
        &mut self,
        base: &QName,
        name: &QName,
        pos: &Pos,
    ) -> Result<(Vec<Field>, Vec<Attribute>), ResolveError> {
        match self.exact_type(base, pos)? {
            TypeRef::Named(base_id) => match self.kind_of(base_id) {
                Some(TypeKind::Struct { fields, attributes, text: None, .. }) => {
                    Ok((fields.clone(), attributes.clone()))
                }
                // The base is still being resolved further up: a type whose content refers to a
                // type derived from it (a tree whose nodes may be special nodes). Its members are
                // read off its definition instead; only a derivation chain that comes back to
                // this type is a cycle.
                None if self.derives_from(base, name) => {
                    fail(pos, ResolveErrorKind::Cycle { what: Definition::Type, name: name.to_string() })
                }
                None => self.members_of_definition(base, pos),
                Some(_) => invalid(pos, format!("type {name} extends {base}, which has no element content")),
            },
            TypeRef::Builtin(Builtin::AnyType) => Ok((Vec::new(), Vec::new())),
            TypeRef::Builtin(_) => {
                invalid(pos, format!("type {name}: complexContent cannot extend the simple type {base}"))
            }
        }
    }

    /// Whether the derivation chain of type `from` (its bases, their bases, ...) reaches `to`.
    fn derives_from(&self, from: &QName, to: &QName) -> bool {
        let mut seen = HashSet::new();
        let mut at = from;
        while seen.insert(at) {
            if at == to {
                return true;
            }
            match self.index.types.get(at) {
                Some(TypeDef::Complex(ct)) => match &ct.content {
                    Content::Extension { base, .. } | Content::Restriction { base, .. } | Content::Simple { base } => {
                        at = base;
                    }
                    Content::Particle(_) => return false,
                },
                _ => return false,
            }
        }
        // A loop that does not pass through `to`: reported when that type is resolved.
        false
    }

    /// The fields and attributes of complex type `name` read off its definition, for a type that
    /// extends it while it is itself being resolved (see `complex`).
    fn members_of_definition(&mut self, name: &QName, pos: &Pos) -> Result<(Vec<Field>, Vec<Attribute>), ResolveError> {
        let Some(TypeDef::Complex(ct)) = self.index.types.get(name).copied() else {
            return invalid(pos, format!("{name} is not a complex type with element content"));
        };
        let (mut fields, mut attributes) = (Vec::new(), Vec::new());
        match &ct.content {
            Content::Particle(particle) | Content::Restriction { particle, .. } => {
                if let Some(p) = particle {
                    self.fields(name, p, false, false, &mut fields)?;
                }
            }
            Content::Extension { base, particle } => {
                (fields, attributes) = self.one_level_deeper(&ct.pos, |r| r.extension_base(base, name, pos))?;
                if let Some(p) = particle {
                    self.fields(name, p, false, false, &mut fields)?;
                }
            }
            Content::Simple { .. } => {
                return invalid(pos, format!("{name} has simple content, not elements to extend"));
            }
        }
        self.attribute_uses(&ct.attributes, &mut attributes, &mut HashSet::new())?;
        Ok((fields, attributes))
    }

    /// Resolves attribute uses (local, references, groups) into `out`, replacing an inherited
    /// attribute of the same name.
    pub(super) fn attribute_uses(
        &mut self,
        uses: &'d [crate::read::AttributeUse],
        out: &mut Vec<Attribute>,
        groups_seen: &mut HashSet<QName>,
    ) -> Result<(), ResolveError> {
        use crate::read::AttributeUse as Use;
        for u in uses {
            let (decl, required, pos): (&crate::read::Attribute, bool, &Pos) = match u {
                Use::Local(a) => (a, a.required, &a.pos),
                Use::Ref { name, required, pos } => match self.index.attributes.get(name).copied() {
                    Some(a) => (a, *required, pos),
                    // xml:lang, xml:space, xml:base, xml:id need no schema: plain text.
                    None if name.ns == crate::xml::XML_NS => {
                        self.declare_namespace(&name.ns);
                        out.retain(|a| a.name != *name);
                        let usage = if *required { AttributeUsage::Required } else { AttributeUsage::Optional };
                        out.push(Attribute {
                            name: name.clone(),
                            ty: TypeRef::Builtin(Builtin::String),
                            usage,
                            secret: false,
                        });
                        continue;
                    }
                    // SOAP encoding's own attributes (`soapenc:arrayType`, `offset`, `root`...):
                    // the encoding's plumbing, read and written by the runtime, not data.
                    None if name.ns == crate::xml::SOAP_ENC_NS => continue,
                    None => return undefined(pos, Definition::Attribute, name),
                },
                Use::Group { name, pos } => {
                    let Some(group) = self.index.attribute_groups.get(name).copied() else {
                        // `soapenc:commonAttributes` (`id`, `href`): multi-reference plumbing.
                        if name.ns == crate::xml::SOAP_ENC_NS {
                            continue;
                        }
                        return undefined(pos, Definition::AttributeGroup, name);
                    };
                    if groups_seen.insert(name.clone()) {
                        // One level per attribute group of a chain (each referring to the next).
                        self.deeper(pos, Nesting::AttributeGroupReferences, |r| {
                            r.attribute_uses(&group.attributes, out, groups_seen)
                        })?;
                    }
                    continue;
                }
            };
            let ty = match (&decl.type_name, &decl.inline_type) {
                (Some(t), _) => self.type_or_derived(t, pos)?,
                (None, Some(inline)) => {
                    let value =
                        self.simple(inline, QName::new(decl.name.ns.clone(), format!("{}Value", decl.name.local)))?;
                    self.describe(value, format!("The anonymous type of the attribute `{}`", decl.name.local));
                    value
                }
                (None, None) => TypeRef::Builtin(Builtin::String),
            };
            if let TypeRef::Named(tid) = ty {
                if !matches!(
                    self.kind_of(tid),
                    Some(TypeKind::Enum { .. } | TypeKind::FlagList { .. } | TypeKind::List { .. })
                ) {
                    return invalid(pos, format!("attribute {} has a complex type", decl.name));
                }
            }
            if matches!(ty, TypeRef::Builtin(Builtin::AnyType)) {
                return invalid(pos, format!("attribute {} has type anyType", decl.name));
            }
            self.declare_namespace(&decl.name.ns);
            let usage = match (&decl.fixed, &decl.default) {
                _ if required => AttributeUsage::Required,
                (Some(v), _) => AttributeUsage::Fixed(v.clone()),
                (None, Some(v)) => AttributeUsage::Default(v.clone()),
                (None, None) => AttributeUsage::Optional,
            };
            out.retain(|a| a.name != decl.name);
            out.push(Attribute { name: decl.name.clone(), ty, usage, secret: false });
        }
        Ok(())
    }

    /// Whether the field `local` of type `owner` (or the header element `local`) is a secret.
    pub(super) fn is_secret(&self, owner: Option<&str>, local: &str) -> bool {
        looks_secret(local)
            || self.secrets.iter().any(|s| match s.split_once('.') {
                Some((t, f)) => owner == Some(t) && f == local,
                None => s == local,
            })
    }
}
