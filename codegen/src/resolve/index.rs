//! The name index: every definition of the document and its schemas by qualified name, built in
//! one walk that also refuses a name defined twice in its symbol space.

use std::collections::{HashMap, HashSet};

use crate::read::{
    Attribute, AttributeGroup, Binding, Content, Definitions, Element, Group, Message, PortType, TypeDef,
};
use crate::xml::{Pos, QName};

use super::error::{Definition, ResolveError, ResolveErrorKind, fail};

/// Every definition by name, and the derivation and substitution relations between them.
pub(super) struct Index<'d> {
    pub elements: HashMap<&'d QName, &'d Element>,
    pub types: HashMap<&'d QName, &'d TypeDef>,
    pub groups: HashMap<&'d QName, &'d Group>,
    pub attributes: HashMap<&'d QName, &'d Attribute>,
    pub attribute_groups: HashMap<&'d QName, &'d AttributeGroup>,
    pub messages: HashMap<&'d QName, &'d Message>,
    pub port_types: HashMap<&'d QName, &'d PortType>,
    pub bindings: HashMap<&'d QName, &'d Binding>,
    /// Named complex types that another complex type extends or restricts.
    pub bases: HashSet<&'d QName>,
    /// Named complex types and the named complex types derived from them directly, in schema order.
    pub derived: HashMap<&'d QName, Vec<&'d QName>>,
    /// Substitution group heads and the global elements that may stand in for them, in schema order.
    pub substitutes: HashMap<&'d QName, Vec<&'d Element>>,
}

/// Adds `item` under `name`, or fails at `pos` naming the first definition.
fn insert_once<'d, T>(
    map: &mut HashMap<&'d QName, &'d T>,
    what: Definition,
    name: &'d QName,
    item: &'d T,
    pos_of: impl Fn(&T) -> &Pos,
    pos: &Pos,
) -> Result<(), ResolveError> {
    if let Some(first) = map.get(name) {
        return fail(pos, ResolveErrorKind::Duplicate { what, name: name.to_string(), first: pos_of(first).clone() });
    }
    map.insert(name, item);
    Ok(())
}

impl<'d> Index<'d> {
    /// Indexes `defs`; the first name defined twice is an error.
    pub fn build(defs: &'d Definitions) -> Result<Self, ResolveError> {
        let mut index = Index {
            elements: HashMap::new(),
            types: HashMap::new(),
            groups: HashMap::new(),
            attributes: HashMap::new(),
            attribute_groups: HashMap::new(),
            messages: HashMap::new(),
            port_types: HashMap::new(),
            bindings: HashMap::new(),
            bases: HashSet::new(),
            derived: HashMap::new(),
            substitutes: HashMap::new(),
        };
        for schema in &defs.schemas {
            for t in &schema.types {
                if let Some(name) = t.name() {
                    insert_once(&mut index.types, Definition::Type, name, t, TypeDef::pos, t.pos())?;
                }
                if let TypeDef::Complex(ct) = t {
                    if let Content::Extension { base, .. } | Content::Restriction { base, .. } = &ct.content {
                        index.bases.insert(base);
                        if let Some(name) = t.name() {
                            index.derived.entry(base).or_default().push(name);
                        }
                    }
                }
            }
            for e in &schema.elements {
                insert_once(&mut index.elements, Definition::Element, &e.name, e, |e| &e.pos, &e.pos)?;
                if let Some(head) = &e.substitution_group {
                    index.substitutes.entry(head).or_default().push(e);
                }
            }
            for g in &schema.groups {
                insert_once(&mut index.groups, Definition::Group, &g.name, g, |g| &g.pos, &g.pos)?;
            }
            for a in &schema.attributes {
                insert_once(&mut index.attributes, Definition::Attribute, &a.name, a, |a| &a.pos, &a.pos)?;
            }
            for g in &schema.attribute_groups {
                insert_once(&mut index.attribute_groups, Definition::AttributeGroup, &g.name, g, |g| &g.pos, &g.pos)?;
            }
        }
        for m in &defs.messages {
            insert_once(&mut index.messages, Definition::Message, &m.name, m, |m| &m.pos, &m.pos)?;
        }
        for p in &defs.port_types {
            insert_once(&mut index.port_types, Definition::PortType, &p.name, p, |p| &p.pos, &p.pos)?;
        }
        for b in &defs.bindings {
            insert_once(&mut index.bindings, Definition::Binding, &b.name, b, |b| &b.pos, &b.pos)?;
        }
        Ok(index)
    }
}
