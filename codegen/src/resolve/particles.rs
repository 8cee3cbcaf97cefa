//! Content models flattened into fields: sequences, choices, group references, substitution
//! groups, wildcards, and the `ArrayOfX` / dictionary wrappers.
//!
//! A Rust struct is a flat list of fields in wire order, while a content model nests
//! compositors. Flattening works because a sequence inside a sequence puts its elements among
//! its parent's siblings anyway: only how often each element occurs changes, and that is carried
//! down (`optional`, `many`) instead of making a type per compositor. A choice cannot be
//! flattened (exactly one alternative is present), so it becomes an enum field whose variants
//! stand among the siblings, with no element of its own on the wire.

use std::collections::HashSet;

use crate::model::*;
use crate::read::{ComplexType, Content, Element, Particle, TypeDef};
use crate::xml::QName;

use super::*;

impl<'d> Resolver<'d> {
    /// Recognises `ArrayOfX` wrappers and WCF dictionaries: a named complex type whose only
    /// content is one repeated element becomes a `Vec` in the fields that use it (the wrapper
    /// element stays on the wire), so users write `vec![..]` rather than `ArrayOfX { x: vec![..] }`.
    /// Not for a base of other types (a derived type would add to its content), an abstract or
    /// anonymous type, or one with attributes (checked by the caller): those keep their struct.
    pub(super) fn wrapper_kind(
        &mut self,
        ct: &'d ComplexType,
        name: &QName,
        anonymous: bool,
        particle: Option<&'d Particle>,
    ) -> Result<Option<TypeKind>, ResolveError> {
        if anonymous || ct.is_abstract || self.index.bases.contains(name) {
            return Ok(None);
        }
        let item = match particle {
            Some(Particle::Sequence(seq)) if !seq.max.is_many() && seq.items.len() == 1 => match &seq.items[0] {
                Particle::Element(e) if e.max.is_many() => e,
                _ => return Ok(None),
            },
            _ => return Ok(None),
        };
        let element = self.local_element(item)?;
        if ct.is_dictionary {
            if let Some(TypeDef::Complex(entry)) = element
                .inline_type
                .as_deref()
                .or_else(|| element.type_name.as_ref().and_then(|t| self.index.types.get(t).copied()))
            {
                if let Content::Particle(Some(Particle::Sequence(seq))) = &entry.content {
                    if let [Particle::Element(k), Particle::Element(v)] = seq.items.as_slice() {
                        if k.name.local == "Key" && v.name.local == "Value" && !k.max.is_many() && !v.max.is_many() {
                            self.declare_namespace(&element.name.ns);
                            let key = self.field(k, false, false)?;
                            let value = self.field(v, false, false)?;
                            return Ok(Some(TypeKind::Dictionary { entry: item.name.clone(), key, value }));
                        }
                    }
                }
            }
        }
        Ok(Some(TypeKind::Array { item: self.field(item, false, false)? }))
    }

    /// A local element particle, following `ref` to the top-level declaration.
    pub(super) fn local_element(&self, e: &'d Element) -> Result<&'d Element, ResolveError> {
        match &e.reference {
            Some(r) => self.element_decl(r, &e.pos),
            None => Ok(e),
        }
    }

    pub(super) fn field(&mut self, e: &'d Element, optional: bool, many: bool) -> Result<Field, ResolveError> {
        let decl = self.local_element(e)?;
        self.declare_namespace(&e.name.ns);
        let ty = self.element_type(decl)?;
        let min = if optional { 0 } else { e.min };
        Ok(Field {
            name: e.name.clone(),
            ty,
            occurs: Occurs::new(min, many || e.max.is_many(), decl.nillable),
            boxed: false,
            secret: false,
            constraint: match (&decl.fixed, &decl.default) {
                (Some(v), _) => Some(ValueConstraint::Fixed(v.clone())),
                (None, Some(v)) => Some(ValueConstraint::Default(v.clone())),
                (None, None) => None,
            },
            doc: e.doc.clone().or_else(|| decl.doc.clone()),
        })
    }

    /// A reference to the head of a substitution group: a choice of the head (unless abstract)
    /// and every element that may substitute for it, transitively, in schema order.
    pub(super) fn substitution_choice(
        &mut self,
        owner: &QName,
        e: &'d Element,
        optional: bool,
        many: bool,
        out: &mut Vec<Field>,
    ) -> Result<(), ResolveError> {
        let head = self.local_element(e)?;
        let mut members: Vec<&'d Element> = Vec::new();
        if !head.is_abstract {
            members.push(head);
        }
        let mut queue = vec![&head.name];
        let mut seen: HashSet<&QName> = HashSet::from([&head.name]);
        while let Some(name) = queue.pop() {
            for m in self.index.substitutes.get(name).cloned().unwrap_or_default() {
                if seen.insert(&m.name) {
                    queue.push(&m.name);
                    if !m.is_abstract {
                        members.push(m);
                    }
                }
            }
        }
        if members.is_empty() {
            return invalid(&e.pos, format!("element {} is abstract and nothing substitutes for it", head.name));
        }
        let mut variants = Vec::new();
        for m in members {
            self.declare_namespace(&m.name.ns);
            let ty = self.element_type(m)?;
            let secret = self.is_secret(Some(&owner.local), &m.name.local);
            let occurs = if m.nillable { Occurs::RequiredNillable } else { Occurs::Required };
            variants.push(Field {
                name: m.name.clone(),
                ty,
                occurs,
                boxed: false,
                secret,
                constraint: None,
                doc: m.doc.clone(),
            });
        }
        let id = self.reserve();
        self.types[id] = Some(Type {
            name: QName::new(head.name.ns.clone(), format!("{}Substitutes", head.name.local)),
            origin: TypeOrigin::Synthesized(format!("An element of the substitution group of `{}`", head.name.local)),
            doc: None,
            kind: TypeKind::Choice { variants, wildcard: None },
        });
        let min = if optional { 0 } else { e.min };
        out.push(Field::synthetic(
            head.name.local.clone(),
            TypeRef::Named(id),
            Occurs::new(min, many || e.max.is_many(), false),
        ));
        Ok(())
    }

    /// The field that keeps, in order, every element the other fields do not claim (`xs:any`);
    /// one per struct however many wildcards it has.
    pub(super) fn any_field(&mut self, out: &mut Vec<Field>) {
        if !out.iter().any(|f| f.ty == TypeRef::Builtin(Builtin::AnyElement)) {
            out.push(Field {
                doc: Some("Elements allowed by xs:any, kept as XML.".into()),
                ..Field::synthetic("any", TypeRef::Builtin(Builtin::AnyElement), Occurs::Repeated)
            });
        }
    }

    /// Flattens a particle into fields of `owner`; `optional` / `many` come from enclosing
    /// compositors: an element inside an optional sequence is optional whatever its own
    /// `minOccurs`, and one inside a repeated sequence repeats.
    pub(super) fn fields(
        &mut self,
        owner: &QName,
        p: &'d Particle,
        optional: bool,
        many: bool,
        out: &mut Vec<Field>,
    ) -> Result<(), ResolveError> {
        match p {
            Particle::Sequence(c) | Particle::All(c) => {
                let optional = optional || c.min == 0;
                let repeated = c.max.is_many();
                // `(a, b)*` would flatten to `a*, b*`, which loses the pairing (and accepts
                // documents the schema does not): refused rather than guessed.
                if repeated && c.items.len() > 1 {
                    return unsupported(&c.pos, "a repeated sequence of several particles", None);
                }
                for item in &c.items {
                    self.fields(owner, item, optional, many || repeated, out)?;
                }
                Ok(())
            }
            // `<xs:element ref="xs:schema"/>`: an inline schema travels in the message (.NET
            // DataSets: the schema, then the data under `xs:any`). It is any element to us.
            Particle::Element(e)
                if e.reference.as_ref().is_some_and(|r| r.ns == crate::xml::XSD_NS && r.local == "schema") =>
            {
                self.any_field(out);
                Ok(())
            }
            // A reference to a substitution group's head accepts any member in its place: a
            // choice of the members, so that what was sent is kept (and written back) as sent.
            Particle::Element(e) if e.reference.as_ref().is_some_and(|r| self.index.substitutes.contains_key(r)) => {
                self.substitution_choice(owner, e, optional, many, out)
            }
            Particle::Element(e) => {
                let field = self.field(e, optional, many)?;
                out.push(field);
                Ok(())
            }
            // One enum field for the choice. Its occurrence folds in the alternatives': if any
            // alternative may be absent (or is an empty sequence), the whole choice may be; if any
            // repeats, the field is a `Vec` of choices, which keeps the order of what was sent.
            Particle::Choice(c) => {
                let mut variants = Vec::new();
                let mut wildcard: Option<crate::xml::Wildcard> = None;
                let mut variant_optional = false;
                let mut variant_many = false;
                for item in &c.items {
                    match item {
                        Particle::Element(e) => {
                            variant_optional |= e.min == 0;
                            variant_many |= e.max.is_many();
                            // A variant holds one value: its element's own occurrence moved to
                            // the choice field above; only nillability stays with the variant.
                            let mut f = self.field(e, false, false)?;
                            f.occurs = if matches!(f.occurs, Occurs::RequiredNillable) {
                                Occurs::RequiredNillable
                            } else {
                                Occurs::Required
                            };
                            f.secret = self.is_secret(Some(&owner.local), &f.name.local);
                            variants.push(f);
                        }
                        Particle::Sequence(inner) if inner.items.is_empty() => variant_optional = true,
                        // Elements no other alternative names, from the namespaces it accepts, kept
                        // as XML. (Two wildcards in one choice would overlap or need a union of
                        // constraints; schemas have one.)
                        Particle::Any { namespace, min, max, pos } => {
                            if wildcard.is_some() {
                                return unsupported(pos, "an xs:choice with two xs:any alternatives", None);
                            }
                            variant_optional |= *min == 0;
                            variant_many |= max.is_many();
                            wildcard = Some(namespace.clone());
                        }
                        // A sequence, a nested choice or a group reference, repeated or not: a
                        // run of sibling elements, as a struct of the fields it flattens into
                        // (a `SequenceAlternative`, named after the owner and its position).
                        Particle::Sequence(_) | Particle::All(_) | Particle::Choice(_) | Particle::GroupRef { .. } => {
                            let (kind, min, pos) = match item {
                                Particle::Sequence(c) | Particle::All(c) => ("Sequence".to_owned(), c.min, &c.pos),
                                Particle::Choice(c) => ("Choice".to_owned(), c.min, &c.pos),
                                Particle::GroupRef { name, min, pos, .. } => (name.local.clone(), *min, pos),
                                _ => unreachable!("matched above"),
                            };
                            variant_optional |= min == 0;
                            let k = variants.len() + 1;
                            let group_name = QName::new(owner.ns.clone(), format!("{}{kind}{k}", owner.local));
                            let mut fields = Vec::new();
                            self.fields(&group_name, item, false, false, &mut fields)?;
                            if fields.is_empty() {
                                // An alternative with nothing in it (`<xs:sequence><xs:choice
                                // minOccurs="0"/></xs:sequence>`, a group without particles)
                                // matches no element: choosing it is choosing nothing.
                                variant_optional = true;
                                continue;
                            }
                            // The decoder picks an alternative by the element it meets first; a
                            // wildcard in an alternative would claim every element.
                            if fields.iter().any(|f| f.ty == TypeRef::Builtin(Builtin::AnyElement)) {
                                return unsupported(pos, "an xs:choice alternative holding xs:any", None);
                            }
                            let id = self.reserve();
                            self.types[id] = Some(Type {
                                origin: TypeOrigin::Synthesized(format!(
                                    "A sequence that is one alternative of a choice in `{}`",
                                    owner.local
                                )),
                                name: group_name,
                                doc: None,
                                kind: TypeKind::SequenceAlternative { fields },
                            });
                            variants.push(Field::synthetic(format!("{kind}{k}"), TypeRef::Named(id), Occurs::Required));
                        }
                    }
                }
                let min = if optional || variant_optional { 0 } else { c.min };
                if variants.is_empty() && wildcard.is_none() {
                    // No alternative (none written, or none left): the choice matches no element.
                    // Optional, it can only be absent, and is no field at all; required, no
                    // instance of the owner is valid, so nothing could be sent or received.
                    if min == 0 {
                        return Ok(());
                    }
                    return invalid(
                        &c.pos,
                        format!(
                            "this xs:choice has no alternative{} and is required (minOccurs is not 0): no \
                             element can satisfy it, so {owner} has no valid instance",
                            if c.items.is_empty() { "" } else { " left" }
                        ),
                    );
                }
                let id = self.reserve();
                let name = QName::new(owner.ns.clone(), format!("{}Choice", owner.local));
                let origin = TypeOrigin::Synthesized(format!("A choice in the content of `{}`", owner.local));
                self.types[id] = Some(Type { name, origin, doc: None, kind: TypeKind::Choice { variants, wildcard } });
                let occurs = Occurs::new(min, many || c.max.is_many() || variant_many, false);
                out.push(Field::synthetic("Choice", TypeRef::Named(id), occurs));
                Ok(())
            }
            Particle::Any { .. } => {
                self.any_field(out);
                Ok(())
            }
            // A group reference is its particle written in place (the checks refused circular
            // groups, so this ends).
            Particle::GroupRef { name, min, max, pos } => {
                let Some(group) = self.index.groups.get(name).copied() else {
                    return undefined(pos, Definition::Group, name);
                };
                if let Some(inner) = &group.particle {
                    // A chain of groups each referring to the next recurses once per group (a
                    // cycle is refused before resolving; a long chain is refused here).
                    let (optional, many) = (optional || *min == 0, many || max.is_many());
                    self.deeper(pos, Nesting::GroupReferences, |r| r.fields(owner, inner, optional, many, out))?;
                }
                Ok(())
            }
        }
    }
}
