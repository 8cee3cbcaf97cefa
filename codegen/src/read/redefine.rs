//! `xs:redefine`: a schema is included with some of its types, groups and attribute groups
//! replaced. Each redefinition derives from the component it replaces (a type from itself, a
//! group or attribute group by referring to itself at most once), and the replacement holds
//! wherever the component is used, in the redefined schema as much as in the redefining one.
//!
//! The loader reads the redefined schema as an include, reads the `xs:redefine` element's
//! children as components, and calls [`apply`], which merges each one with the component it
//! replaces so that later stages see one ordinary definition:
//! - a complex type extending itself: the original's content followed by the added particle,
//!   and the original's attributes followed by the added ones;
//! - a complex type restricting itself: the restriction's content (a restriction restates the
//!   whole content model) and the original's attributes with those the restriction declares
//!   again replaced;
//! - a simple type restricting itself: the original's base and variety, the facets of both
//!   (the restriction's enumeration, when it has one, replaces the original's);
//! - a group or attribute group: the new definition, with its reference to itself replaced by
//!   the original's content.

use super::ReadError;
use super::xsd::{
    AttributeGroup, AttributeUse, ComplexType, Compositor, Content, Group, MaxOccurs, Particle, Schema, SimpleType,
    SimpleVariety, TypeDef,
};
use crate::xml::{Pos, QName};

/// Replaces, in `schemas`, each component `redefinitions` (the children of one `xs:redefine`)
/// redefines with its merged redefinition. A redefinition of a component none of `schemas`
/// defines, or one that does not derive from it, is an error at the redefinition.
pub(super) fn apply(schemas: &mut [Schema], redefinitions: Schema) -> Result<(), ReadError> {
    for def in redefinitions.types {
        let name = def.name().cloned().expect("top-level types have names");
        let Some(original) = schemas.iter_mut().flat_map(|s| s.types.iter_mut()).find(|t| t.name() == Some(&name))
        else {
            return Err(missing("type", &name, def.pos()));
        };
        // (On an error the half-merged set is dropped with the error.)
        let old = std::mem::replace(original, def.clone());
        *original = match (def, old) {
            (TypeDef::Complex(new), TypeDef::Complex(old)) => TypeDef::Complex(Box::new(complex(*new, *old, &name)?)),
            (TypeDef::Simple(new), TypeDef::Simple(old)) => TypeDef::Simple(simple(new, old, &name)?),
            (new, _) => {
                return Err(invalid(
                    new.pos(),
                    format!(
                        "xs:redefine of type `{}`: a redefinition keeps the kind (simple or complex) of the type",
                        name.local
                    ),
                ));
            }
        };
    }
    for group in redefinitions.groups {
        let Some(original) = schemas.iter_mut().flat_map(|s| s.groups.iter_mut()).find(|g| g.name == group.name) else {
            return Err(missing("group", &group.name, &group.pos));
        };
        let old = original.particle.take();
        let mut replaced = 0;
        let particle = group.particle.map(|p| substitute_group(p, &group.name, &old, &mut replaced));
        if replaced > 1 {
            return Err(invalid(
                &group.pos,
                format!("xs:redefine of group `{}`: it may refer to itself once at most", group.name.local),
            ));
        }
        *original = Group { name: group.name, particle, pos: group.pos };
    }
    for group in redefinitions.attribute_groups {
        let Some(original) =
            schemas.iter_mut().flat_map(|s| s.attribute_groups.iter_mut()).find(|g| g.name == group.name)
        else {
            return Err(missing("attribute group", &group.name, &group.pos));
        };
        let old = std::mem::take(&mut original.attributes);
        let mut attributes = Vec::with_capacity(old.len() + group.attributes.len());
        let mut old = Some(old);
        for use_ in group.attributes {
            match use_ {
                AttributeUse::Group { name, .. } if name == group.name => match old.take() {
                    Some(old) => attributes.extend(old),
                    None => {
                        return Err(invalid(
                            &group.pos,
                            format!(
                                "xs:redefine of attribute group `{}`: it may refer to itself once at most",
                                group.name.local
                            ),
                        ));
                    }
                },
                other => attributes.push(other),
            }
        }
        *original = AttributeGroup { name: group.name, attributes, pos: group.pos };
    }
    Ok(())
}

fn complex(new: ComplexType, old: ComplexType, name: &QName) -> Result<ComplexType, ReadError> {
    let is_restriction = matches!(new.content, Content::Restriction { .. });
    let content = match new.content {
        Content::Extension { base, particle } if base == *name => match old.content {
            Content::Particle(first) => Content::Particle(then(first, particle, &new.pos)),
            Content::Extension { base, particle: first } => {
                Content::Extension { base, particle: then(first, particle, &new.pos) }
            }
            Content::Restriction { particle: first, .. } => Content::Particle(then(first, particle, &new.pos)),
            Content::Simple { base } if particle.is_none() => Content::Simple { base },
            Content::Simple { .. } => {
                return Err(invalid(
                    &new.pos,
                    format!("xs:redefine of type `{}`: a type with simple content cannot gain elements", name.local),
                ));
            }
        },
        Content::Restriction { base, particle } if base == *name => match old.content {
            Content::Simple { base } => Content::Simple { base },
            _ => Content::Particle(particle),
        },
        Content::Simple { base } if base == *name => old.content,
        _ => {
            return Err(invalid(
                &new.pos,
                format!(
                    "xs:redefine of type `{}`: the redefinition must extend or restrict the type itself (base=\"{}\")",
                    name.local, name.local
                ),
            ));
        }
    };
    let attributes = if is_restriction {
        // Attributes the redefinition declares again replace the original's of the same name.
        let mut attributes: Vec<AttributeUse> =
            old.attributes.into_iter().filter(|a| !new.attributes.iter().any(|b| same_attribute(a, b))).collect();
        attributes.extend(new.attributes);
        attributes
    } else {
        let mut attributes = old.attributes;
        attributes.extend(new.attributes);
        attributes
    };
    Ok(ComplexType {
        name: old.name,
        is_abstract: new.is_abstract || old.is_abstract,
        mixed: new.mixed || old.mixed,
        content,
        attributes,
        any_attribute: new.any_attribute || old.any_attribute,
        is_dictionary: old.is_dictionary,
        array_type: new.array_type.or(old.array_type),
        doc: new.doc.or(old.doc),
        pos: new.pos,
    })
}

fn same_attribute(a: &AttributeUse, b: &AttributeUse) -> bool {
    match (a, b) {
        (AttributeUse::Local(a), AttributeUse::Local(b)) => a.name == b.name,
        (AttributeUse::Ref { name: a, .. }, AttributeUse::Ref { name: b, .. })
        | (AttributeUse::Group { name: a, .. }, AttributeUse::Group { name: b, .. }) => a == b,
        _ => false,
    }
}

fn simple(new: SimpleType, old: SimpleType, name: &QName) -> Result<SimpleType, ReadError> {
    let SimpleVariety::Restriction { base: Some(base), enumerations, patterns, .. } = new.variety else {
        return Err(invalid(
            &new.pos,
            format!("xs:redefine of type `{}`: the redefinition must restrict the type itself", name.local),
        ));
    };
    if base != *name {
        return Err(invalid(
            &new.pos,
            format!(
                "xs:redefine of type `{}`: the redefinition must restrict the type itself (base=\"{}\")",
                name.local, name.local
            ),
        ));
    }
    let variety = match old.variety {
        SimpleVariety::Restriction { base, inline_base, enumerations: old_enumerations, patterns: old_patterns } => {
            SimpleVariety::Restriction {
                base,
                inline_base,
                enumerations: if enumerations.is_empty() { old_enumerations } else { enumerations },
                patterns: old_patterns.into_iter().chain(patterns).collect(),
            }
        }
        // Facets on a list or union narrow its values, not its shape: kept as it was.
        other => other,
    };
    Ok(SimpleType { name: old.name, variety, doc: new.doc.or(old.doc), pos: new.pos })
}

/// `first` followed by `then` (either may be absent).
fn then(first: Option<Particle>, then: Option<Particle>, pos: &Pos) -> Option<Particle> {
    match (first, then) {
        (None, p) | (p, None) => p,
        (Some(a), Some(b)) => Some(Particle::Sequence(Compositor {
            items: vec![a, b],
            min: 1,
            max: MaxOccurs::Bounded(1),
            pos: pos.clone(),
        })),
    }
}

/// `particle` with its references to group `name` replaced by `original` (counted in `replaced`).
fn substitute_group(particle: Particle, name: &QName, original: &Option<Particle>, replaced: &mut usize) -> Particle {
    match particle {
        Particle::GroupRef { name: r, min, max, pos } if r == *name => {
            *replaced += 1;
            let inner = original.clone().map_or_else(Vec::new, |p| vec![p]);
            Particle::Sequence(Compositor { items: inner, min, max, pos })
        }
        Particle::Sequence(c) => Particle::Sequence(substitute_in(c, name, original, replaced)),
        Particle::Choice(c) => Particle::Choice(substitute_in(c, name, original, replaced)),
        Particle::All(c) => Particle::All(substitute_in(c, name, original, replaced)),
        other => other,
    }
}

fn substitute_in(mut c: Compositor, name: &QName, original: &Option<Particle>, replaced: &mut usize) -> Compositor {
    c.items = c.items.into_iter().map(|p| substitute_group(p, name, original, replaced)).collect();
    c
}

fn missing(what: &str, name: &QName, pos: &Pos) -> ReadError {
    invalid(pos, format!("xs:redefine of {what} `{}`: the redefined schema has no {what} of that name", name.local))
}

fn invalid(pos: &Pos, message: String) -> ReadError {
    ReadError::Invalid { pos: pos.clone(), message }
}
