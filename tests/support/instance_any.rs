//! Schema-valid instances of any global element of a [`SchemaSet`] (any WSDL's schemas), for
//! the corpus conformance test. Like [`super::instance`], it knows nothing of the generator or
//! the runtime; unlike it, it is not tied to one WSDL's style: it writes attributes (required
//! ones always, optional ones in a full instance, `fixed` values as fixed), simple content,
//! choices (an alternative drawn per occurrence), groups, `xs:all`, wildcards (`xs:any` and
//! `xs:anyAttribute` with `lax`/`skip` processing get a small element / attribute in a foreign
//! namespace; a required `strict` one a declared global element), mixed content (text before the
//! children), abstract types (a concrete derived type with `xsi:type`) and polymorphism (a
//! derived type with `xsi:type` in place of a base that has derived types, now and then),
//! substitution groups, enumerations, patterns (a value generated from the pattern and checked
//! against every pattern of the type), length, range and digit facets, lists (distinct items),
//! unions, `ID` / `IDREF`, `xsi:nil` now and then, and every built-in type the corpus uses,
//! always in the canonical lexical form a re-encoding writes back. [`AnyOptions`] picks a full
//! or minimal instance (attributes with a `default` or `fixed` value are always written, since a
//! reader fills them in) and prefixed or default-namespace names.
//!
//! Values are drawn from a [`SplitMix`] seeded with a label, so an instance is the same on every
//! run. A schema the writer cannot satisfy gives `Err` naming what, never an invalid instance
//! on purpose.
//!
//! [`canonical`]: documents as trees of namespace URI + local name + attributes + text, with
//! `xsi:type` values resolved to `{namespace}local` (prefix choice does not matter).

use std::collections::HashMap;
use std::fmt::Write as _;

use super::instance::{CNode, Entropy, QName, SplitMix, XS_NS, XSI_NS, base64, escape_attr, escape_text};
use super::xsd::{
    AttributeRef, AttributeUse, Complex, Content, Derivation, ElementDecl, Facets, NsConstraint, Particle, Process,
    SchemaSet, SimpleType, Term, TypeDef, TypeRef, Wildcard, XML_NS,
};
use super::xsd_regex::Pattern;

/// The namespace of the elements and attributes written for wildcards.
pub const FOREIGN_NS: &str = "urn:wsdlgen-tests:foreign";

const IDREF_MARK: &str = "\u{1}IDREF\u{1}";
const INFINITE: u64 = 1 << 40;

/// What the writer puts in an instance.
#[derive(Clone, Debug)]
pub struct AnyOptions {
    /// After this many elements, only what the schema requires.
    pub max_elements: usize,
    /// Below this depth, only what the schema requires.
    pub max_depth: usize,
    /// How many times a complex type may be on one path before only what it requires is written.
    pub recursion_limit: usize,
    /// Use derived types (with `xsi:type`) in place of a base type now and then.
    pub polymorphism: bool,
    /// Write wildcard content (foreign elements and attributes) where the schema allows it.
    pub wildcards: bool,
    /// Only what the schema requires (and attributes with a default or fixed value, which a
    /// reader fills in when absent).
    pub minimal: bool,
    /// Write a nillable element as `xsi:nil="true"` about one time in `n` (0: never).
    pub nil_every: u64,
    /// Write the root's namespace as the default namespace (as WCF and .NET do), with
    /// `xmlns=""` on elements in no namespace; otherwise every element is prefixed.
    pub default_namespace: bool,
}

impl Default for AnyOptions {
    fn default() -> Self {
        AnyOptions {
            max_elements: 1500,
            max_depth: 14,
            recursion_limit: 2,
            polymorphism: true,
            wildcards: true,
            minimal: false,
            nil_every: 0,
            default_namespace: false,
        }
    }
}

/// Writes instances of global elements.
#[derive(Debug)]
pub struct AnyWriter<'s> {
    set: &'s SchemaSet,
    pub options: AnyOptions,
}

impl<'s> AnyWriter<'s> {
    pub fn new(set: &'s SchemaSet) -> Self {
        AnyWriter { set, options: AnyOptions::default() }
    }

    /// An instance of the global element `name`: full (every optional part present until the
    /// size, depth and recursion limits) or minimal, as the options say; values drawn from a
    /// source seeded with `label`.
    pub fn write(&self, name: &QName, label: &str) -> Result<String, String> {
        let decl = self.set.elements.get(name).ok_or_else(|| format!("no global element {name}"))?;
        let mut g = Gen {
            set: self.set,
            o: &self.options,
            rng: SplitMix::from_label(label),
            elements: 0,
            stack: Vec::new(),
            ids: Vec::new(),
            memo: HashMap::new(),
            no_wildcards: false,
        };
        let root = g.element(decl, !self.options.minimal, 0)?;
        g.serialize(&root)
    }
}

/// A document element under construction.
#[derive(Clone, Debug)]
struct XElem {
    name: QName,
    attrs: Vec<(QName, AttrValue)>,
    content: Vec<XContent>,
}

#[derive(Clone, Debug)]
enum AttrValue {
    Text(String),
    QName(QName),
}

#[derive(Clone, Debug)]
enum XContent {
    Elem(XElem),
    Text(String),
}

/// A type after following its name.
#[derive(Clone, Copy)]
enum Ty<'s> {
    Builtin(&'s str),
    Complex(&'s Complex, usize),
    Simple(&'s SimpleType),
}

/// An attribute a complex type allows, after groups, references and the base chain.
#[derive(Clone, Debug)]
struct EffAttr<'s> {
    name: QName,
    ty: Option<&'s TypeRef>,
    required: bool,
    prohibited: bool,
    fixed: Option<String>,
    /// Has a `default` (a reader fills it in when absent, so a minimal instance writes it).
    defaulted: bool,
    /// Declared with spaces around its name, which xmllint cannot match (see
    /// [`super::xsd::AttributeDecl::name_has_spaces`]): left out unless required.
    spaced: bool,
}

struct Gen<'s, 'o> {
    set: &'s SchemaSet,
    o: &'o AnyOptions,
    rng: SplitMix,
    elements: usize,
    /// Complex types (by address) on the current path.
    stack: Vec<usize>,
    ids: Vec<String>,
    /// Minimal size of a complex type (by address), once known.
    memo: HashMap<usize, u64>,
    /// Inside the particles of a type whose wildcards the validation schemas relax.
    no_wildcards: bool,
}

fn type_key(def: &std::sync::Arc<TypeDef>) -> usize {
    std::sync::Arc::as_ptr(def) as usize
}

impl<'s> Gen<'s, '_> {
    fn below(&mut self, n: usize) -> usize {
        self.rng.below(n as u64) as usize
    }

    fn resolve_name(&self, q: &'s QName) -> Result<Ty<'s>, String> {
        if q.ns == XS_NS {
            return Ok(Ty::Builtin(&q.local));
        }
        match self.set.types.get(q) {
            Some(def) => Ok(match &**def {
                TypeDef::Complex(c) => Ty::Complex(c, type_key(def)),
                TypeDef::Simple(s) => Ty::Simple(s),
            }),
            None => Err(format!("type {q} is not defined")),
        }
    }

    fn resolve(&self, ty: &'s TypeRef) -> Result<Ty<'s>, String> {
        match ty {
            TypeRef::Named(q) => self.resolve_name(q),
            TypeRef::Anonymous(def) => Ok(match &**def {
                TypeDef::Complex(c) => Ty::Complex(c, type_key(def)),
                TypeDef::Simple(s) => Ty::Simple(s),
            }),
        }
    }

    /// Whether `ty` names an abstract complex type.
    fn is_abstract(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(q) => self.complex_named(q).is_some_and(|(c, _)| c.abstract_),
            TypeRef::Anonymous(_) => false,
        }
    }

    fn complex_named(&self, q: &QName) -> Option<(&'s Complex, usize)> {
        match self.set.types.get(q).map(|d| (&**d, type_key(d))) {
            Some((TypeDef::Complex(c), k)) => Some((c, k)),
            _ => None,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Elements
    // -----------------------------------------------------------------------------------------

    fn element(&mut self, decl: &'s ElementDecl, full: bool, depth: usize) -> Result<XElem, String> {
        self.elements += 1;
        let mut e = XElem { name: decl.name.clone(), attrs: Vec::new(), content: Vec::new() };
        // Not for an element of an abstract type: `xsi:nil` alone leaves that type in force,
        // which no instance may (Element Locally Valid (Type), clause 2).
        if decl.nillable
            && decl.fixed.is_none()
            && self.o.nil_every > 0
            && !self.is_abstract(&decl.ty)
            && self.rng.below(self.o.nil_every) == 0
        {
            e.attrs.push((QName::new(XSI_NS, "nil"), AttrValue::Text("true".into())));
            return Ok(e);
        }
        let mut ty = self.resolve(&decl.ty)?;
        if let (Ty::Complex(c, _), TypeRef::Named(declared)) = (ty, &decl.ty) {
            if let Some((chosen, def, key)) = self.pick_derived(declared, c)? {
                e.attrs.push((QName::new(XSI_NS, "type"), AttrValue::QName(chosen)));
                ty = Ty::Complex(def, key);
            }
        } else if let (Ty::Complex(c, _), true) = (ty, matches!(&decl.ty, TypeRef::Anonymous(_)))
            && c.abstract_
        {
            return Err(format!("element {} has an abstract anonymous type", decl.name));
        }
        let full = full && self.elements < self.o.max_elements && depth < self.o.max_depth;
        match ty {
            Ty::Builtin("anyType") => {
                if let Some(fixed) = &decl.fixed {
                    e.content.push(XContent::Text(fixed.clone()));
                } else if full && self.o.wildcards {
                    e.content.push(XContent::Elem(foreign_element("AnyContent", FOREIGN_NS)));
                } else {
                    e.content.push(XContent::Text("any".into()));
                }
            }
            Ty::Builtin(_) | Ty::Simple(_) => {
                let value = match &decl.fixed {
                    Some(f) => f.clone(),
                    None => self.simple_value(ty, &[], false)?,
                };
                e.content.push(XContent::Text(value));
            }
            Ty::Complex(c, key) => {
                let seen = self.stack.iter().filter(|k| **k == key).count();
                let full = full && seen < self.o.recursion_limit;
                self.stack.push(key);
                let result = self.complex_body(&mut e, c, full, depth, decl.fixed.as_deref());
                self.stack.pop();
                result?;
            }
        }
        Ok(e)
    }

    /// For an element declared with the named complex type `declared`: a derived type to use
    /// instead (always for an abstract type, now and then for a base of derived types).
    fn pick_derived(
        &mut self,
        declared: &QName,
        c: &'s Complex,
    ) -> Result<Option<(QName, &'s Complex, usize)>, String> {
        if c.blocks_substitution && !c.abstract_ {
            return Ok(None);
        }
        if !c.abstract_ && !self.o.polymorphism {
            return Ok(None);
        }
        let derived: Vec<(QName, &'s Complex, usize)> = self
            .set
            .all_derived(declared)
            .into_iter()
            .filter_map(|q| self.complex_named(&q).filter(|(d, _)| !d.abstract_).map(|(d, k)| (q, d, k)))
            .collect();
        if c.abstract_ {
            if derived.is_empty() {
                return Err(format!("abstract type {declared} has no concrete derived type"));
            }
            // Prefer derived types not already on the path (recursive expressions).
            let fresh: Vec<_> = derived.iter().filter(|(_, _, k)| !self.stack.contains(k)).cloned().collect();
            let pool = if fresh.is_empty() { derived } else { fresh };
            let i = self.below(pool.len());
            return Ok(Some(pool[i].clone()));
        }
        if derived.is_empty() {
            return Ok(None);
        }
        // The base itself half of the time, otherwise one of the derived types.
        if self.below(2) == 0 {
            return Ok(None);
        }
        let i = self.below(derived.len());
        Ok(Some(derived[i].clone()))
    }

    fn complex_body(
        &mut self,
        e: &mut XElem,
        c: &'s Complex,
        full: bool,
        depth: usize,
        fixed: Option<&str>,
    ) -> Result<(), String> {
        let (attrs, any_attribute) = self.attributes_of(c)?;
        for a in attrs {
            let wanted = a.required || (!a.spaced && (full || a.defaulted || a.fixed.is_some()));
            if a.prohibited || !wanted || e.attrs.iter().any(|(n, _)| *n == a.name) {
                continue;
            }
            let value = match (&a.fixed, &a.ty) {
                (Some(f), _) => f.clone(),
                (None, Some(ty)) => {
                    let ty = self.resolve(ty)?;
                    self.simple_value(ty, &[], false)?
                }
                (None, None) => "value".to_owned(),
            };
            e.attrs.push((a.name.clone(), AttrValue::Text(value)));
        }
        if let Some(w) = any_attribute
            && full
            && self.o.wildcards
            && w.process != Process::Strict
            && w.namespaces.allows(FOREIGN_NS)
        {
            e.attrs.push((QName::new(FOREIGN_NS, "extra"), AttrValue::Text("1".into())));
        }
        match self.simple_content_of(c)? {
            Some((value_type, facets)) => {
                let value = match fixed {
                    Some(f) => f.to_owned(),
                    None => self.simple_value(value_type, &facets, false)?,
                };
                e.content.push(XContent::Text(value));
            }
            None => {
                if self.is_mixed(c) && full {
                    e.content.push(XContent::Text("mixed text ".into()));
                }
                for (p, owner) in self.particles_of(c)? {
                    let saved = self.no_wildcards;
                    self.no_wildcards = owner.name.as_ref().is_some_and(|n| self.set.relaxed.contains(n));
                    let result = self.particle(p, &mut e.content, full, depth + 1);
                    self.no_wildcards = saved;
                    result?;
                }
            }
        }
        Ok(())
    }

    fn is_mixed(&self, c: &Complex) -> bool {
        c.mixed
            || match &c.base {
                Some((b, Derivation::Extension)) => self.complex_named(b).is_some_and(|(bc, _)| self.is_mixed(bc)),
                _ => false,
            }
    }

    /// The attributes of `c` with its base's (an extension adds to them, a restriction
    /// overrides them by name), and its attribute wildcard.
    fn attributes_of(&self, c: &'s Complex) -> Result<(Vec<EffAttr<'s>>, Option<&'s Wildcard>), String> {
        let (mut attrs, mut any) = match &c.base {
            Some((b, _)) => match self.complex_named(b) {
                Some((bc, _)) => self.attributes_of(bc)?,
                None => (Vec::new(), None),
            },
            None => (Vec::new(), None),
        };
        let mut own = Vec::new();
        let own_any = self.expand_uses(&c.attributes, &mut own, 0)?;
        for a in own {
            match attrs.iter_mut().find(|x| x.name == a.name) {
                Some(x) => *x = a,
                None => attrs.push(a),
            }
        }
        if c.any_attribute.is_some() {
            any = c.any_attribute.as_ref();
        } else if own_any.is_some() {
            any = own_any;
        }
        Ok((attrs, any))
    }

    fn expand_uses(
        &self,
        uses: &'s [AttributeUse],
        out: &mut Vec<EffAttr<'s>>,
        depth: usize,
    ) -> Result<Option<&'s Wildcard>, String> {
        let mut any = None;
        if depth > 16 {
            return Err("attribute groups nest too deep".into());
        }
        for u in uses {
            match u {
                AttributeUse::Attribute { decl, required, prohibited, fixed, default } => {
                    let (d, name) = match decl {
                        AttributeRef::Local(d) => (Some(d), d.name.clone()),
                        AttributeRef::Global(q) => match self.set.attributes.get(q) {
                            Some(d) => (Some(d), d.name.clone()),
                            None if q.ns == XML_NS => (None, q.clone()),
                            None => return Err(format!("attribute {q} is not declared")),
                        },
                    };
                    out.push(EffAttr {
                        name,
                        ty: d.and_then(|d| d.ty.as_ref()),
                        required: *required,
                        prohibited: *prohibited,
                        fixed: fixed.clone().or_else(|| d.and_then(|d| d.fixed.clone())),
                        defaulted: default.is_some() || d.is_some_and(|d| d.default.is_some()),
                        spaced: d.is_some_and(|d| d.name_has_spaces),
                    });
                }
                AttributeUse::Group(q) => {
                    let (inner, group_any) = self
                        .set
                        .attribute_groups
                        .get(q)
                        .ok_or_else(|| format!("attribute group {q} is not declared"))?;
                    if let Some(w) = self.expand_uses(inner, out, depth + 1)? {
                        any = Some(w);
                    }
                    if group_any.is_some() {
                        any = group_any.as_ref();
                    }
                }
            }
        }
        Ok(any)
    }

    /// For a type with simple content: the value's type and the facets restrictions add on top.
    fn simple_content_of(&self, c: &'s Complex) -> Result<Option<(Ty<'s>, Vec<Facets>)>, String> {
        let Content::Simple { facets, value_type } = &c.content else { return Ok(None) };
        let mut extra: Vec<Facets> = facets.iter().map(|f| (**f).clone()).collect();
        if let Some(v) = value_type {
            return Ok(Some((self.resolve(v)?, extra)));
        }
        let Some((base, _)) = &c.base else { return Err("simple content without base".into()) };
        match self.complex_named(base) {
            Some((bc, _)) => {
                let (t, more) = self.simple_content_of(bc)?.ok_or_else(|| format!("{base} has no simple content"))?;
                extra.extend(more);
                Ok(Some((t, extra)))
            }
            None => Ok(Some((self.resolve_name(base)?, extra))),
        }
    }

    /// The particles of `c` on the wire (an extension's base's first), each with the type
    /// declaring it.
    fn particles_of(&self, c: &'s Complex) -> Result<Vec<(&'s Particle, &'s Complex)>, String> {
        let mut out = Vec::new();
        if let Some((b, Derivation::Extension)) = &c.base
            && let Some((bc, _)) = self.complex_named(b)
        {
            out.extend(self.particles_of(bc)?);
        }
        if let Content::Elements(p) = &c.content {
            out.push((p, c));
        }
        Ok(out)
    }

    // -----------------------------------------------------------------------------------------
    // Particles
    // -----------------------------------------------------------------------------------------

    fn particle(&mut self, p: &'s Particle, out: &mut Vec<XContent>, full: bool, depth: usize) -> Result<(), String> {
        let max = p.max.unwrap_or(u32::MAX);
        let recursive = self.closes_cycle(&p.term);
        let count =
            if full && !recursive { if max > 1 { 2.clamp(p.min, max) } else { p.min.max(1).min(max) } } else { p.min };
        for i in 0..count {
            self.term(&p.term, out, full && i == 0, depth, p.min > 0)?;
        }
        Ok(())
    }

    /// Whether `term` is an element whose complex type is already on the path as often as the
    /// recursion limit allows.
    fn closes_cycle(&self, term: &'s Term) -> bool {
        let ty = match term {
            Term::Element(d) => &d.ty,
            Term::ElementRef(q) => match self.set.elements.get(q) {
                Some(d) => &d.ty,
                None => return false,
            },
            _ => return false,
        };
        match self.resolve(ty) {
            Ok(Ty::Complex(_, key)) => self.stack.iter().filter(|k| **k == key).count() >= self.o.recursion_limit,
            _ => false,
        }
    }

    fn term(
        &mut self,
        term: &'s Term,
        out: &mut Vec<XContent>,
        full: bool,
        depth: usize,
        required: bool,
    ) -> Result<(), String> {
        match term {
            Term::Element(decl) => {
                let e = self.element(decl, full, depth)?;
                out.push(XContent::Elem(e));
            }
            Term::ElementRef(q) => {
                let members: Vec<&'s ElementDecl> = self
                    .set
                    .substitution_members(q)
                    .iter()
                    .filter_map(|m| self.set.elements.get(m))
                    .map(|d| &**d)
                    .filter(|d| !d.abstract_)
                    .collect();
                if members.is_empty() {
                    return Err(format!("element {q} is not declared (or abstract with no substitute)"));
                }
                let decl = if full {
                    members[self.below(members.len())]
                } else {
                    let mut best = members[0];
                    let mut best_cost = u64::MAX;
                    for m in &members {
                        let c = self.cost_type(&m.ty);
                        if c < best_cost {
                            best = m;
                            best_cost = c;
                        }
                    }
                    best
                };
                let e = self.element(decl, full, depth)?;
                out.push(XContent::Elem(e));
            }
            Term::Sequence(items) | Term::All(items) => {
                for p in items {
                    self.particle(p, out, full, depth)?;
                }
            }
            Term::Choice(items) => {
                if items.is_empty() {
                    return Ok(());
                }
                let costs: Vec<u64> = items.iter().map(|p| self.cost_particle(p)).collect();
                let i = if full {
                    let feasible: Vec<usize> = (0..items.len()).filter(|i| costs[*i] < INFINITE).collect();
                    if feasible.is_empty() { 0 } else { feasible[self.below(feasible.len())] }
                } else {
                    (0..items.len()).min_by_key(|i| costs[*i]).unwrap_or(0)
                };
                let chosen = &items[i];
                // One occurrence of the alternative (at least one, even if it is optional).
                let count = if full { chosen.min.max(1).min(chosen.max.unwrap_or(u32::MAX)) } else { chosen.min };
                for _ in 0..count {
                    self.term(&chosen.term, out, full, depth, true)?;
                }
            }
            Term::GroupRef(q) => {
                let g = self.set.groups.get(q).ok_or_else(|| format!("group {q} is not declared"))?;
                self.term(&g.term, out, full, depth, required)?;
            }
            Term::Any(w) => {
                if self.no_wildcards {
                    if required {
                        return Err("a required wildcard in a content model relaxed for validation".into());
                    }
                    return Ok(());
                }
                if !(required || full && self.o.wildcards) {
                    return Ok(());
                }
                if let Some(e) = self.wildcard_element(w, depth)? {
                    out.push(XContent::Elem(e));
                } else if required {
                    return Err("a required strict wildcard allows no declared element".into());
                }
            }
        }
        Ok(())
    }

    fn wildcard_element(&mut self, w: &'s Wildcard, depth: usize) -> Result<Option<XElem>, String> {
        if w.process != Process::Strict {
            let ns = if w.namespaces.allows(FOREIGN_NS) {
                FOREIGN_NS.to_owned()
            } else {
                match &w.namespaces {
                    NsConstraint::List(list) => list[0].clone(),
                    _ => return Ok(None),
                }
            };
            self.elements += 1;
            return Ok(Some(foreign_element("ForeignExtra", &ns)));
        }
        // Strict: a declared global element of an allowed namespace, the simplest there is.
        let mut best: Option<(&'s ElementDecl, u64)> = None;
        for (q, d) in &self.set.elements {
            if d.abstract_ || !w.namespaces.allows(&q.ns) {
                continue;
            }
            let c = self.cost_type(&d.ty);
            if best.is_none_or(|(_, bc)| c < bc) {
                best = Some((d, c));
            }
        }
        match best {
            Some((d, _)) => Ok(Some(self.element(d, false, depth)?)),
            None => Ok(None),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Minimal sizes (to pick the cheapest alternative where only the required parts are wanted)
    // -----------------------------------------------------------------------------------------

    fn cost_particle(&mut self, p: &'s Particle) -> u64 {
        if p.min == 0 {
            return 0;
        }
        (u64::from(p.min) * self.cost_term(&p.term)).min(INFINITE)
    }

    fn cost_term(&mut self, t: &'s Term) -> u64 {
        match t {
            Term::Element(d) => 1 + self.cost_type(&d.ty),
            Term::ElementRef(q) => {
                let members = self.set.substitution_members(q);
                let mut best = INFINITE;
                for m in members {
                    if let Some(d) = self.set.elements.get(&m)
                        && !d.abstract_
                    {
                        best = best.min(1 + self.cost_type(&d.ty));
                    }
                }
                best
            }
            Term::Sequence(items) | Term::All(items) => {
                items.iter().map(|p| self.cost_particle(p)).fold(0, |a, b| (a + b).min(INFINITE))
            }
            Term::Choice(items) => items.iter().map(|p| self.cost_particle(p)).min().unwrap_or(0),
            Term::GroupRef(q) => match self.set.groups.get(q) {
                Some(g) => self.cost_term(&g.term),
                None => INFINITE,
            },
            Term::Any(_) => 1,
        }
    }

    fn cost_type(&mut self, ty: &'s TypeRef) -> u64 {
        match self.resolve(ty) {
            Ok(Ty::Complex(c, key)) => self.cost_complex(c, key),
            _ => 0,
        }
    }

    fn cost_complex(&mut self, c: &'s Complex, key: usize) -> u64 {
        if let Some(v) = self.memo.get(&key) {
            return *v;
        }
        if self.stack.contains(&key) {
            return INFINITE;
        }
        self.stack.push(key);
        let mut total = 0;
        if c.abstract_ {
            total = INFINITE;
            if let Some(q) = &c.name {
                for d in self.set.all_derived(q) {
                    if let Some((dc, dk)) = self.complex_named(&d)
                        && !dc.abstract_
                    {
                        total = total.min(self.cost_complex(dc, dk));
                    }
                }
            }
        } else if let Ok(particles) = self.particles_of(c) {
            for (p, _) in particles {
                total = (total + self.cost_particle(p)).min(INFINITE);
            }
        }
        self.stack.pop();
        if total < INFINITE {
            self.memo.insert(key, total);
        }
        total
    }

    // -----------------------------------------------------------------------------------------
    // Simple values
    // -----------------------------------------------------------------------------------------

    /// A value of the simple type `ty`, with the facet steps `extra` on top. `in_list`: an item
    /// of a list (no whitespace inside).
    fn simple_value(&mut self, ty: Ty<'s>, extra: &[Facets], in_list: bool) -> Result<String, String> {
        // Walk the restriction chain, most derived first.
        let mut levels: Vec<Facets> = extra.to_vec();
        let mut current = ty;
        let base = loop {
            match current {
                Ty::Builtin(b) => break Base::Builtin(b),
                Ty::Simple(SimpleType::Restriction { base, facets }) => {
                    levels.push((**facets).clone());
                    current = self.resolve(base)?;
                }
                Ty::Simple(SimpleType::List { item }) => break Base::List(item),
                Ty::Simple(SimpleType::Union { members }) => break Base::Union(members),
                Ty::Complex(c, _) => match self.simple_content_of(c)? {
                    Some((t, more)) => {
                        levels.extend(more);
                        current = t;
                    }
                    None => return Err(format!("complex type {:?} used as a simple type", c.name)),
                },
            }
        };
        if let Some(values) = levels.iter().find(|f| !f.enumeration.is_empty()).map(|f| f.enumeration.clone()) {
            let usable: Vec<&String> =
                values.iter().filter(|v| !(in_list && v.contains(char::is_whitespace))).collect();
            if usable.is_empty() {
                return Err(format!("no enumeration value usable in a list: {values:?}"));
            }
            return Ok(usable[self.below(usable.len())].clone());
        }
        let patterns: Vec<Vec<Pattern>> = levels
            .iter()
            .filter(|f| !f.patterns.is_empty())
            .map(|f| f.patterns.iter().map(|p| Pattern::parse(p)).collect::<Result<Vec<_>, _>>())
            .collect::<Result<_, _>>()?;
        match base {
            Base::Builtin(b) => {
                let collapse = collapses(b) || levels.iter().any(|f| f.whitespace.as_deref() == Some("collapse"));
                let mut last = String::new();
                for attempt in 0..60 {
                    let v = self.builtin_value(b, &levels, &patterns, in_list, attempt)?;
                    let normalized =
                        if collapse { v.split_whitespace().collect::<Vec<_>>().join(" ") } else { v.clone() };
                    if collapse && normalized != v {
                        last = format!("{v:?} is not collapsed");
                        continue;
                    }
                    match check_facets(b, &normalized, &levels, &patterns) {
                        Ok(()) => return Ok(v),
                        Err(e) => last = e,
                    }
                }
                Err(format!("no value of xs:{b} satisfies the facets (last try: {last})"))
            }
            Base::List(item) => {
                let (lo, hi) = length_range(&levels);
                let n = 2.clamp(lo, hi.max(lo));
                // Distinct items: a list of an enumeration is a set to some readers.
                let item = self.resolve(item)?;
                let mut items: Vec<String> = Vec::new();
                for _ in 0..n * 8 {
                    if items.len() == n {
                        break;
                    }
                    let v = self.simple_value(item, &[], true)?;
                    if !items.contains(&v) {
                        items.push(v);
                    }
                }
                if items.len() < lo {
                    return Err(format!("cannot find {lo} distinct list items"));
                }
                let v = items.join(" ");
                for level in &patterns {
                    if !level.iter().any(|p| p.matches(&v)) {
                        return Err(format!("list value {v:?} does not match {:?}", level[0].source()));
                    }
                }
                Ok(v)
            }
            Base::Union(members) => {
                let mut errors = Vec::new();
                for m in members {
                    let m = self.resolve(m)?;
                    match self.simple_value(m, &[], in_list) {
                        Ok(v) if patterns.iter().all(|level| level.iter().any(|p| p.matches(&v))) => return Ok(v),
                        Ok(v) => errors.push(format!("{v:?} does not match the union's pattern")),
                        Err(e) => errors.push(e),
                    }
                }
                Err(format!("no union member gives a value: {}", errors.join("; ")))
            }
        }
    }

    fn builtin_value(
        &mut self,
        b: &str,
        levels: &[Facets],
        patterns: &[Vec<Pattern>],
        in_list: bool,
        attempt: usize,
    ) -> Result<String, String> {
        // A string-like value with a pattern comes from the pattern (the most derived step's).
        if string_like(b) && !patterns.is_empty() {
            let level = &patterns[0];
            let p = &level[self.below(level.len())];
            return p.generate(&mut self.rng).ok_or_else(|| format!("pattern {:?} offers no character", p.source()));
        }
        let (lo, hi) = length_range(levels);
        Ok(match b {
            "string" | "normalizedString" | "token" | "anySimpleType" => {
                const SAMPLES: &[&str] = &[
                    "wsdlgen sample",
                    "a & b <c> \"d\" 'e'",
                    "ünïcødé € 日本",
                    "x",
                    "Hello, World",
                    "tab\tand newline\n",
                    "  padded  ",
                    "cr\r\nlf",
                    "]]> & ]]",
                    "",
                    "emoji 😀 𝄞",
                ];
                const LIST_SAMPLES: &[&str] = &["item", "a&b", "ünï", "x<y"];
                let pool = if in_list { LIST_SAMPLES } else { SAMPLES };
                let mut v = pool[self.below(pool.len())].to_owned();
                if b == "token" || b == "normalizedString" {
                    v = v.replace(['\t', '\n', '\r'], " ");
                }
                if attempt > 10 {
                    v = "x".into();
                }
                fit_length(v, lo, hi)
            }
            "Name" | "NCName" | "NMTOKEN" => fit_length(format!("name{}", self.below(100)), lo, hi),
            "NMTOKENS" => "tok-1 tok-2".into(),
            "ID" => {
                let id = format!("id{}", self.ids.len() + 1);
                self.ids.push(id.clone());
                id
            }
            "IDREF" | "IDREFS" => IDREF_MARK.to_owned(),
            "language" => ["en", "en-US", "nb-NO"][self.below(3)].to_owned(),
            "anyURI" => fit_length(
                ["http://example.com/a?b=1&c=2", "urn:wsdlgen:test", "relative/path"][self.below(3)].to_owned(),
                lo,
                hi,
            ),
            "QName" => "Thing".into(),
            "boolean" => ["true", "false"][self.below(2)].to_owned(),
            "byte" | "short" | "int" | "long" | "unsignedByte" | "unsignedShort" | "unsignedInt" | "unsignedLong"
            | "integer" | "nonNegativeInteger" | "positiveInteger" | "nonPositiveInteger" | "negativeInteger" => {
                self.integer(b, levels)?
            }
            "decimal" => {
                let mut candidates: Vec<String> = ["12.5", "0", "1.25", "100", "-3.75", "0.5", "7", "2026.01"]
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect();
                for f in levels {
                    candidates.extend(f.min_inclusive.iter().cloned());
                    candidates.extend(f.max_inclusive.iter().cloned());
                }
                self.pick_number(candidates, levels)?
            }
            "float" | "double" => {
                let candidates =
                    ["1.5", "0.25", "-3.5", "12.75", "0.0", "100.0"].iter().map(|s| (*s).to_owned()).collect();
                self.pick_number(candidates, levels)?
            }
            "dateTime" => self.pick(&[
                "2026-03-14T15:09:26Z",
                "2001-12-31T23:59:59.5+01:00",
                "2026-11-29T05:45:00",
                "1999-01-01T00:00:00.1234567-08:00",
            ]),
            "date" => self.pick(&["2026-03-14", "2001-12-31+02:00", "2026-11-29Z"]),
            "time" => self.pick(&["15:09:26", "23:59:59.125Z", "00:00:00+05:30"]),
            "duration" => self.pick(&["P1DT2H3M4.5S", "PT5M", "-P3D", "PT0S"]),
            "gYear" => "2026".into(),
            "gYearMonth" => "2026-03".into(),
            "gMonthDay" => "--03-14".into(),
            "gDay" => "---14".into(),
            "gMonth" => "--03".into(),
            "base64Binary" | "hexBinary" => {
                let n = 6.clamp(lo, hi.max(lo));
                let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + self.below(7)) as u8).collect();
                if b == "base64Binary" { base64(&bytes) } else { bytes.iter().map(|x| format!("{x:02X}")).collect() }
            }
            "anyType" => "text".into(),
            other => return Err(format!("no value writer for xs:{other}")),
        })
    }

    fn pick(&mut self, items: &[&str]) -> String {
        items[self.below(items.len())].to_owned()
    }

    fn integer(&mut self, b: &str, levels: &[Facets]) -> Result<String, String> {
        let (mut lo, mut hi): (i128, i128) = match b {
            "byte" => (i8::MIN.into(), i8::MAX.into()),
            "short" => (i16::MIN.into(), i16::MAX.into()),
            "int" => (i32::MIN.into(), i32::MAX.into()),
            "long" => (i64::MIN.into(), i64::MAX.into()),
            "unsignedByte" => (0, u8::MAX.into()),
            "unsignedShort" => (0, u16::MAX.into()),
            "unsignedInt" => (0, u32::MAX.into()),
            "unsignedLong" => (0, u64::MAX.into()),
            "nonNegativeInteger" => (0, 10i128.pow(20)),
            "positiveInteger" => (1, 10i128.pow(20)),
            "nonPositiveInteger" => (-(10i128.pow(20)), 0),
            "negativeInteger" => (-(10i128.pow(20)), -1),
            _ => (-(10i128.pow(20)), 10i128.pow(20)),
        };
        let bound =
            |s: &Option<String>| s.as_deref().and_then(|v| v.trim().trim_start_matches('+').parse::<f64>().ok());
        for f in levels {
            if let Some(v) = bound(&f.min_inclusive) {
                lo = lo.max(v.ceil() as i128);
            }
            if let Some(v) = bound(&f.min_exclusive) {
                lo = lo.max(v.floor() as i128 + 1);
            }
            if let Some(v) = bound(&f.max_inclusive) {
                hi = hi.min(v.floor() as i128);
            }
            if let Some(v) = bound(&f.max_exclusive) {
                hi = hi.min(v.ceil() as i128 - 1);
            }
            if let Some(d) = f.total_digits {
                let m = 10i128.pow(d.min(30)) - 1;
                lo = lo.max(-m);
                hi = hi.min(m);
            }
        }
        if lo > hi {
            return Err(format!("no xs:{b} between {lo} and {hi}"));
        }
        let candidates = [lo, hi, 0, 1, 42, 7, lo + (hi - lo) / 2, -5];
        let within: Vec<i128> = candidates.into_iter().filter(|v| (lo..=hi).contains(v)).collect();
        Ok(within[self.below(within.len())].to_string())
    }

    fn pick_number(&mut self, mut candidates: Vec<String>, levels: &[Facets]) -> Result<String, String> {
        // Shuffle, then the first candidate inside every bound and digit limit.
        for i in (1..candidates.len()).rev() {
            let j = self.below(i + 1);
            candidates.swap(i, j);
        }
        candidates
            .iter()
            .find(|c| number_fits(c, levels))
            .cloned()
            .ok_or_else(|| format!("no number among {candidates:?} fits the facets"))
    }

    // -----------------------------------------------------------------------------------------
    // Writing
    // -----------------------------------------------------------------------------------------

    fn serialize(&self, root: &XElem) -> Result<String, String> {
        let mut namespaces: Vec<String> = Vec::new();
        collect_namespaces(root, &mut namespaces);
        let prefix_of = |ns: &str| -> String {
            if ns == XSI_NS {
                "xsi".to_owned()
            } else if ns == XML_NS {
                "xml".to_owned()
            } else {
                format!("n{}", namespaces.iter().position(|n| n == ns).expect("collected"))
            }
        };
        let idref = match self.ids.first() {
            Some(id) => id.clone(),
            None if contains_idref(root) => {
                return Err("an IDREF needs an ID in the document, and there is none".into());
            }
            None => String::new(),
        };
        let default = self.o.default_namespace.then(|| root.name.ns.clone()).filter(|ns| !ns.is_empty());
        let w = ElemWriter { namespaces: &namespaces, prefix_of: &prefix_of, idref: &idref, default };
        let mut out = String::new();
        w.write(root, true, "", &mut out);
        Ok(out)
    }
}

enum Base<'s> {
    Builtin(&'s str),
    List(&'s TypeRef),
    Union(&'s [TypeRef]),
}

fn foreign_element(local: &str, ns: &str) -> XElem {
    XElem {
        name: QName::new(ns, local),
        attrs: vec![(QName::new("", "note"), AttrValue::Text("kept & returned".into()))],
        content: vec![XContent::Text("foreign <content>".into())],
    }
}

fn contains_idref(e: &XElem) -> bool {
    e.attrs.iter().any(|(_, v)| matches!(v, AttrValue::Text(t) if t.contains(IDREF_MARK)))
        || e.content.iter().any(|c| match c {
            XContent::Elem(x) => contains_idref(x),
            XContent::Text(t) => t.contains(IDREF_MARK),
        })
}

fn collect_namespaces(e: &XElem, out: &mut Vec<String>) {
    let mut add = |ns: &str| {
        if !ns.is_empty() && ns != XSI_NS && ns != XML_NS && !out.iter().any(|n| n == ns) {
            out.push(ns.to_owned());
        }
    };
    add(&e.name.ns);
    for (n, v) in &e.attrs {
        add(&n.ns);
        if let AttrValue::QName(q) = v {
            add(&q.ns);
        }
    }
    for c in &e.content {
        if let XContent::Elem(x) = c {
            collect_namespaces(x, out);
        }
    }
}

/// Writes an element tree: every namespace declared on the root with a prefix, and with
/// `default` the root's namespace also as the default namespace (its elements unprefixed,
/// elements in no namespace undeclaring it with `xmlns=""`).
struct ElemWriter<'a> {
    namespaces: &'a [String],
    prefix_of: &'a dyn Fn(&str) -> String,
    idref: &'a str,
    default: Option<String>,
}

impl ElemWriter<'_> {
    fn name(&self, q: &QName) -> String {
        if q.ns.is_empty() { q.local.clone() } else { format!("{}:{}", (self.prefix_of)(&q.ns), q.local) }
    }

    /// `scope`: the default namespace in scope ("" for none).
    fn write(&self, e: &XElem, root: bool, scope: &str, out: &mut String) {
        let (tag, inner_scope, declare) = match &self.default {
            Some(d) if e.name.ns == *d => (e.name.local.clone(), d.as_str(), scope != d),
            Some(_) if e.name.ns.is_empty() => (e.name.local.clone(), "", !scope.is_empty()),
            _ => (self.name(&e.name), scope, false),
        };
        write!(out, "<{tag}").unwrap();
        if declare {
            write!(out, " xmlns=\"{}\"", escape_attr(inner_scope)).unwrap();
        }
        if root {
            write!(out, " xmlns:xsi=\"{XSI_NS}\"").unwrap();
            for ns in self.namespaces {
                write!(out, " xmlns:{}=\"{}\"", (self.prefix_of)(ns), escape_attr(ns)).unwrap();
            }
        }
        for (n, v) in &e.attrs {
            let value = match v {
                AttrValue::Text(t) => t.replace(IDREF_MARK, self.idref),
                AttrValue::QName(q) => self.name(q),
            };
            write!(out, " {}=\"{}\"", self.name(n), escape_attr(&value)).unwrap();
        }
        if e.content.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        for c in &e.content {
            match c {
                XContent::Elem(x) => self.write(x, false, inner_scope, out),
                XContent::Text(t) => out.push_str(&escape_text(&t.replace(IDREF_MARK, self.idref))),
            }
        }
        write!(out, "</{tag}>").unwrap();
    }
}

fn string_like(b: &str) -> bool {
    matches!(
        b,
        "string"
            | "normalizedString"
            | "token"
            | "anySimpleType"
            | "Name"
            | "NCName"
            | "NMTOKEN"
            | "language"
            | "anyURI"
            | "ID"
            | "IDREF"
    )
}

/// Whether values of the built-in type have their whitespace collapsed before validation.
fn collapses(b: &str) -> bool {
    !matches!(b, "string" | "normalizedString" | "anySimpleType")
}

/// The (min, max) length the facets allow (in characters, list items or octets).
fn length_range(levels: &[Facets]) -> (usize, usize) {
    let mut lo = 0;
    let mut hi = usize::MAX;
    for f in levels {
        if let Some(l) = f.length {
            lo = lo.max(l);
            hi = hi.min(l);
        }
        if let Some(l) = f.min_length {
            lo = lo.max(l);
        }
        if let Some(l) = f.max_length {
            hi = hi.min(l);
        }
    }
    (lo, hi)
}

fn fit_length(mut v: String, lo: usize, hi: usize) -> String {
    let n = v.chars().count();
    if n > hi {
        v = v.chars().take(hi).collect();
        while v.ends_with(char::is_whitespace) && !v.is_empty() {
            v.pop();
            v.push('x');
        }
    }
    let mut n = v.chars().count();
    while n < lo {
        v.push('x');
        n += 1;
    }
    v
}

fn number_fits(v: &str, levels: &[Facets]) -> bool {
    let x: f64 = match v.parse() {
        Ok(x) => x,
        Err(_) => return false,
    };
    let (int_digits, frac_digits) = {
        let t = v.trim_start_matches(['-', '+']);
        let (i, f) = t.split_once('.').unwrap_or((t, ""));
        let i = i.trim_start_matches('0');
        let f = f.trim_end_matches('0');
        (i.len() as u32, f.len() as u32)
    };
    levels.iter().all(|f| {
        let b = |s: &Option<String>| s.as_deref().and_then(|s| s.parse::<f64>().ok());
        b(&f.min_inclusive).is_none_or(|m| x >= m)
            && b(&f.max_inclusive).is_none_or(|m| x <= m)
            && b(&f.min_exclusive).is_none_or(|m| x > m)
            && b(&f.max_exclusive).is_none_or(|m| x < m)
            && f.total_digits.is_none_or(|t| int_digits + frac_digits <= t)
            && f.fraction_digits.is_none_or(|t| frac_digits <= t)
    })
}

/// Whether `v` (already whitespace-normalised) satisfies length facets and every step's patterns.
fn check_facets(b: &str, v: &str, levels: &[Facets], patterns: &[Vec<Pattern>]) -> Result<(), String> {
    let (lo, hi) = length_range(levels);
    let len = match b {
        "base64Binary" | "hexBinary" => None,
        "string" | "normalizedString" | "token" | "anySimpleType" | "Name" | "NCName" | "NMTOKEN" | "language"
        | "anyURI" | "ID" | "IDREF" | "QName" => Some(v.chars().count()),
        _ => None,
    };
    if let Some(n) = len
        && v != IDREF_MARK
        && (n < lo || n > hi)
    {
        return Err(format!("{v:?} has {n} characters, not {lo}..={hi}"));
    }
    for level in patterns {
        if v != IDREF_MARK && !level.iter().any(|p| p.matches(v)) {
            return Err(format!("{v:?} does not match {:?}", level[0].source()));
        }
    }
    Ok(())
}

// =============================================================================================
// Canonical trees
// =============================================================================================

/// The canonical tree of the root element of `xml` (see [`super::instance::canonical`]), with
/// `xsi:type` values resolved to `{namespace}local`.
pub fn canonical(xml: &str) -> Result<CNode, String> {
    super::instance::canonical_with(
        xml,
        &super::instance::CanonOptions { resolve_xsi_type: true, ..Default::default() },
    )
}
