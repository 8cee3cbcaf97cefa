//! The XML Schema subset of the syntax model, and its reader.

use roxmltree::Node;

use super::{ReadError, Source, documentation_text, elements, is};
use crate::xml::{Pos, QName, WCF_SERIALIZATION_NS, Wildcard, XSD_NS};

/// `maxOccurs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxOccurs {
    /// A number.
    Bounded(u64),
    /// `unbounded`.
    Unbounded,
}

impl MaxOccurs {
    /// Whether more than one occurrence is allowed.
    pub fn is_many(self) -> bool {
        !matches!(self, MaxOccurs::Bounded(0 | 1))
    }
}

/// One `xs:schema`.
#[derive(Debug, Clone)]
pub struct Schema {
    /// Top-level element declarations.
    pub elements: Vec<Element>,
    /// Top-level named complex and simple types.
    pub types: Vec<TypeDef>,
    /// Top-level `xs:group`s.
    pub groups: Vec<Group>,
    /// Top-level `xs:attributeGroup`s.
    pub attribute_groups: Vec<AttributeGroup>,
    /// Top-level attribute declarations.
    pub attributes: Vec<Attribute>,
    /// Where the `xs:schema` element is.
    pub pos: Pos,
}

/// An element declaration (top-level or local) or an element reference.
#[derive(Debug, Clone)]
pub struct Element {
    /// The element's name, qualified per `form` / `elementFormDefault` (empty namespace when unqualified).
    pub name: QName,
    /// `ref="..."`, for an element reference (then `name` is the referenced name).
    pub reference: Option<QName>,
    /// `type="..."`.
    pub type_name: Option<QName>,
    /// An anonymous type defined inside.
    pub inline_type: Option<Box<TypeDef>>,
    /// `minOccurs`.
    pub min: u64,
    /// `maxOccurs`.
    pub max: MaxOccurs,
    /// `nillable="true"`.
    pub nillable: bool,
    /// `abstract="true"`.
    pub is_abstract: bool,
    /// `substitutionGroup="..."`.
    pub substitution_group: Option<QName>,
    /// `default="..."`.
    pub default: Option<String>,
    /// `fixed="..."`.
    pub fixed: Option<String>,
    /// `xs:annotation/xs:documentation`.
    pub doc: Option<String>,
    /// Where it is declared.
    pub pos: Pos,
}

/// A named or anonymous type definition.
#[derive(Debug, Clone)]
pub enum TypeDef {
    /// `xs:complexType`.
    Complex(Box<ComplexType>),
    /// `xs:simpleType`.
    Simple(SimpleType),
}

impl TypeDef {
    /// The type's name, if it is named.
    pub fn name(&self) -> Option<&QName> {
        match self {
            TypeDef::Complex(c) => c.name.as_ref(),
            TypeDef::Simple(s) => s.name.as_ref(),
        }
    }

    /// Where it is defined.
    pub fn pos(&self) -> &Pos {
        match self {
            TypeDef::Complex(c) => &c.pos,
            TypeDef::Simple(s) => &s.pos,
        }
    }
}

/// `xs:complexType`.
#[derive(Debug, Clone)]
pub struct ComplexType {
    /// Its name, when it is a top-level type.
    pub name: Option<QName>,
    /// `abstract="true"`.
    pub is_abstract: bool,
    /// `mixed="true"` (on the type or its complexContent).
    pub mixed: bool,
    /// The content model.
    pub content: Content,
    /// Attribute declarations and references, in order.
    pub attributes: Vec<AttributeUse>,
    /// `xs:anyAttribute` present.
    pub any_attribute: bool,
    /// WCF's `<IsDictionary>true</IsDictionary>` annotation.
    pub is_dictionary: bool,
    /// The `wsdl:arrayType` of a restriction of `soapenc:Array` (on its `soapenc:arrayType`
    /// attribute reference), if it gives one.
    pub array_type: Option<ArrayTypeDecl>,
    pub doc: Option<String>,
    /// Where it is defined.
    pub pos: Pos,
}

/// `wsdl:arrayType="xsd:string[]"`: the item type of a SOAP-encoded array and the dimensions
/// after it, as written (`[]`, `[][]`, `[,]`).
#[derive(Debug, Clone)]
pub struct ArrayTypeDecl {
    /// The item type.
    pub item: QName,
    /// The brackets after the item type, without whitespace.
    pub dims: String,
    /// Where the attribute stands.
    pub pos: Pos,
}

/// The content model of a complex type.
#[derive(Debug, Clone)]
pub enum Content {
    /// A particle (or nothing) directly in the type.
    Particle(Option<Particle>),
    /// `complexContent/extension`: the base's content, then this particle.
    Extension {
        /// The base type.
        base: QName,
        /// The added particle.
        particle: Option<Particle>,
    },
    /// `complexContent/restriction`.
    Restriction {
        /// The base type.
        base: QName,
        /// The restricted particle.
        particle: Option<Particle>,
    },
    /// `simpleContent/extension` or `simpleContent/restriction`: text of `base` plus attributes.
    Simple {
        /// The base type of the text.
        base: QName,
    },
}

/// A particle of a content model.
#[derive(Debug, Clone)]
pub enum Particle {
    /// `xs:sequence`.
    Sequence(Compositor),
    /// `xs:choice`.
    Choice(Compositor),
    /// `xs:all`.
    All(Compositor),
    /// An element declaration or reference.
    Element(Box<Element>),
    /// `xs:any`.
    Any {
        /// The namespaces it accepts.
        namespace: Wildcard,
        /// `minOccurs`.
        min: u64,
        /// `maxOccurs`.
        max: MaxOccurs,
        pos: Pos,
    },
    /// `xs:group ref="..."`.
    GroupRef {
        name: QName,
        /// `minOccurs`.
        min: u64,
        /// `maxOccurs`.
        max: MaxOccurs,
        pos: Pos,
    },
}

/// The body of a sequence, choice or all.
#[derive(Debug, Clone)]
pub struct Compositor {
    /// The particles in order.
    pub items: Vec<Particle>,
    /// `minOccurs`.
    pub min: u64,
    /// `maxOccurs`.
    pub max: MaxOccurs,
    pub pos: Pos,
}

/// `xs:group name="..."`.
#[derive(Debug, Clone)]
pub struct Group {
    pub name: QName,
    pub particle: Option<Particle>,
    pub pos: Pos,
}

/// `xs:attributeGroup name="..."`.
#[derive(Debug, Clone)]
pub struct AttributeGroup {
    pub name: QName,
    pub attributes: Vec<AttributeUse>,
    pub pos: Pos,
}

/// An attribute declaration.
#[derive(Debug, Clone)]
pub struct Attribute {
    /// Its name, qualified per `form` / `attributeFormDefault`.
    pub name: QName,
    /// `type="..."`.
    pub type_name: Option<QName>,
    /// An anonymous simple type.
    pub inline_type: Option<Box<SimpleType>>,
    /// `use="required"`.
    pub required: bool,
    /// `default="..."`.
    pub default: Option<String>,
    /// `fixed="..."`.
    pub fixed: Option<String>,
    pub pos: Pos,
}

/// An attribute use inside a complex type.
#[derive(Debug, Clone)]
pub enum AttributeUse {
    /// A local declaration.
    Local(Attribute),
    /// `xs:attribute ref="..."`.
    Ref {
        /// The referenced attribute.
        name: QName,
        /// `use="required"`.
        required: bool,
        pos: Pos,
    },
    /// `xs:attributeGroup ref="..."`.
    Group {
        /// The referenced group.
        name: QName,
        pos: Pos,
    },
}

/// `xs:simpleType`.
#[derive(Debug, Clone)]
pub struct SimpleType {
    /// Its name, when top-level.
    pub name: Option<QName>,
    pub variety: SimpleVariety,
    pub doc: Option<String>,
    pub pos: Pos,
}

/// The three kinds of simple type.
#[derive(Debug, Clone)]
pub enum SimpleVariety {
    /// `xs:restriction`.
    Restriction {
        /// `base="..."`, or `None` with an inline base.
        base: Option<QName>,
        /// An inline base type.
        inline_base: Option<Box<SimpleType>>,
        /// `xs:enumeration` values, in order.
        enumerations: Vec<String>,
        /// `xs:pattern` values, in order.
        patterns: Vec<String>,
    },
    /// `xs:list`.
    List {
        /// `itemType="..."`.
        item: Option<QName>,
        /// An inline item type.
        inline_item: Option<Box<SimpleType>>,
    },
    /// `xs:union` (kept as text, whatever its members).
    Union,
}

/// Reading context for one `xs:schema`.
pub(crate) struct SchemaReader<'s, 'a> {
    pub src: &'s Source<'a>,
    pub target_ns: String,
    pub element_qualified: bool,
    pub attribute_qualified: bool,
}

fn occurs(src: &Source<'_>, node: Node<'_, '_>) -> Result<(u64, MaxOccurs), ReadError> {
    let min = match node.attribute("minOccurs") {
        None => 1,
        Some(v) => v.trim().parse().map_err(|_| src.invalid(node, format!("minOccurs=\"{v}\" is not a number")))?,
    };
    let max = match node.attribute("maxOccurs").map(str::trim) {
        None => MaxOccurs::Bounded(1),
        Some("unbounded") => MaxOccurs::Unbounded,
        Some(v) => MaxOccurs::Bounded(
            v.parse().map_err(|_| src.invalid(node, format!("maxOccurs=\"{v}\" is not a number or `unbounded`")))?,
        ),
    };
    Ok((min, max))
}

fn annotation_doc(node: Node<'_, '_>) -> Option<String> {
    let annotation = elements(node).find(|n| is(*n, XSD_NS, "annotation"))?;
    let docs: Vec<String> =
        elements(annotation).filter(|n| is(*n, XSD_NS, "documentation")).filter_map(documentation_text).collect();
    if docs.is_empty() { None } else { Some(docs.join("\n\n")) }
}

fn is_dictionary(node: Node<'_, '_>) -> bool {
    elements(node)
        .filter(|n| is(*n, XSD_NS, "annotation"))
        .flat_map(elements)
        .filter(|n| is(*n, XSD_NS, "appinfo"))
        .flat_map(elements)
        .any(|n| is(n, WCF_SERIALIZATION_NS, "IsDictionary") && n.text().is_some_and(|t| t.trim() == "true"))
}

impl SchemaReader<'_, '_> {
    fn pos(&self, node: Node<'_, '_>) -> Pos {
        self.src.pos(node)
    }

    fn top_name(&self, node: Node<'_, '_>) -> Result<QName, ReadError> {
        Ok(QName::new(self.target_ns.clone(), self.src.attr(node, "name")?))
    }

    /// Reads the top-level components of `schema` into `out`.
    pub fn read_components(&self, schema: Node<'_, '_>, out: &mut Schema) -> Result<(), ReadError> {
        for child in elements(schema) {
            if child.tag_name().namespace() != Some(XSD_NS) {
                continue;
            }
            match child.tag_name().name() {
                "element" => out.elements.push(self.element(child, true)?),
                "complexType" => out.types.push(TypeDef::Complex(Box::new(self.complex_type(child, true)?))),
                "simpleType" => out.types.push(TypeDef::Simple(self.simple_type(child, true)?)),
                "group" => out.groups.push(Group {
                    name: self.top_name(child)?,
                    particle: self.particle_child(child)?,
                    pos: self.pos(child),
                }),
                "attributeGroup" => out.attribute_groups.push(AttributeGroup {
                    name: self.top_name(child)?,
                    attributes: self.attribute_uses(child)?.0,
                    pos: self.pos(child),
                }),
                "attribute" => out.attributes.push(self.attribute(child, true)?),
                // import / include / redefine are followed by the loader; annotations carry nothing to generate.
                "import" | "include" | "redefine" | "annotation" | "notation" => {}
                other => return Err(self.src.invalid(child, format!("unknown XML Schema component <xs:{other}>"))),
            }
        }
        Ok(())
    }

    /// An element declaration; `top` for a top-level one.
    pub fn element(&self, node: Node<'_, '_>, top: bool) -> Result<Element, ReadError> {
        let (min, max) = if top { (1, MaxOccurs::Bounded(1)) } else { occurs(self.src, node)? };
        let reference = self.src.qname_attr(node, "ref")?;
        let name = match &reference {
            Some(r) => r.clone(),
            None => {
                let local = self.src.attr(node, "name")?;
                let qualified = top
                    || match node.attribute("form") {
                        Some("qualified") => true,
                        Some("unqualified") => false,
                        _ => self.element_qualified,
                    };
                QName::new(if qualified { self.target_ns.clone() } else { String::new() }, local)
            }
        };
        let mut inline_type = None;
        for child in elements(node) {
            if is(child, XSD_NS, "complexType") {
                inline_type = Some(Box::new(TypeDef::Complex(Box::new(self.complex_type(child, false)?))));
            } else if is(child, XSD_NS, "simpleType") {
                inline_type = Some(Box::new(TypeDef::Simple(self.simple_type(child, false)?)));
            }
        }
        Ok(Element {
            name,
            reference,
            type_name: self.src.qname_attr(node, "type")?,
            inline_type,
            min,
            max,
            nillable: node.attribute("nillable").is_some_and(|v| v.trim() == "true" || v.trim() == "1"),
            is_abstract: node.attribute("abstract").is_some_and(|v| v.trim() == "true" || v.trim() == "1"),
            substitution_group: self.src.qname_attr(node, "substitutionGroup")?,
            default: node.attribute("default").map(str::to_owned),
            fixed: node.attribute("fixed").map(str::to_owned),
            doc: annotation_doc(node),
            pos: self.pos(node),
        })
    }

    fn attribute(&self, node: Node<'_, '_>, top: bool) -> Result<Attribute, ReadError> {
        let local = self.src.attr(node, "name")?;
        let qualified = top
            || match node.attribute("form") {
                Some("qualified") => true,
                Some("unqualified") => false,
                _ => self.attribute_qualified,
            };
        let inline_type = match elements(node).find(|n| is(*n, XSD_NS, "simpleType")) {
            Some(st) => Some(Box::new(self.simple_type(st, false)?)),
            None => None,
        };
        Ok(Attribute {
            name: QName::new(if qualified { self.target_ns.clone() } else { String::new() }, local),
            type_name: self.src.qname_attr(node, "type")?,
            inline_type,
            required: node.attribute("use") == Some("required"),
            default: node.attribute("default").map(str::to_owned),
            fixed: node.attribute("fixed").map(str::to_owned),
            pos: self.pos(node),
        })
    }

    /// The attribute uses among `node`'s children, and whether there is an `xs:anyAttribute`.
    fn attribute_uses(&self, node: Node<'_, '_>) -> Result<(Vec<AttributeUse>, bool), ReadError> {
        let mut uses = Vec::new();
        let mut any = false;
        for child in elements(node) {
            if is(child, XSD_NS, "attribute") {
                if let Some(r) = self.src.qname_attr(child, "ref")? {
                    uses.push(AttributeUse::Ref {
                        name: r,
                        required: child.attribute("use") == Some("required"),
                        pos: self.pos(child),
                    });
                } else if child.attribute("use") != Some("prohibited") {
                    uses.push(AttributeUse::Local(self.attribute(child, false)?));
                }
            } else if is(child, XSD_NS, "attributeGroup") {
                let name = self.src.qname(child, self.src.attr(child, "ref")?)?;
                uses.push(AttributeUse::Group { name, pos: self.pos(child) });
            } else if is(child, XSD_NS, "anyAttribute") {
                any = true;
            }
        }
        Ok((uses, any))
    }

    /// The single particle child (sequence, choice, all, group) of `node`, if any.
    fn particle_child(&self, node: Node<'_, '_>) -> Result<Option<Particle>, ReadError> {
        for child in elements(node) {
            if child.tag_name().namespace() != Some(XSD_NS) {
                continue;
            }
            if matches!(child.tag_name().name(), "sequence" | "choice" | "all" | "group") {
                return self.particle(child).map(Some);
            }
        }
        Ok(None)
    }

    fn particle(&self, node: Node<'_, '_>) -> Result<Particle, ReadError> {
        let (min, max) = occurs(self.src, node)?;
        let pos = self.pos(node);
        let compositor = |this: &Self| -> Result<Compositor, ReadError> {
            let mut items = Vec::new();
            for child in elements(node) {
                if child.tag_name().namespace() != Some(XSD_NS) {
                    continue;
                }
                match child.tag_name().name() {
                    "element" => items.push(Particle::Element(Box::new(this.element(child, false)?))),
                    "sequence" | "choice" | "all" | "group" | "any" => items.push(this.particle(child)?),
                    "annotation" => {}
                    other => {
                        return Err(this.src.invalid(child, format!("<xs:{other}> is not allowed in a model group")));
                    }
                }
            }
            Ok(Compositor { items, min, max, pos: pos.clone() })
        };
        Ok(match node.tag_name().name() {
            "sequence" => Particle::Sequence(compositor(self)?),
            "choice" => Particle::Choice(compositor(self)?),
            "all" => Particle::All(compositor(self)?),
            "any" => Particle::Any {
                namespace: Wildcard::parse(node.attribute("namespace"), &self.target_ns),
                min,
                max,
                pos,
            },
            "group" => {
                let name = self.src.qname(node, self.src.attr(node, "ref")?)?;
                Particle::GroupRef { name, min, max, pos }
            }
            other => return Err(self.src.invalid(node, format!("<xs:{other}> is not a particle"))),
        })
    }

    /// `xs:complexType`; `top` for a named top-level one.
    pub fn complex_type(&self, node: Node<'_, '_>, top: bool) -> Result<ComplexType, ReadError> {
        let name = if top { Some(self.top_name(node)?) } else { None };
        let mut mixed = node.attribute("mixed") == Some("true");
        let mut content = None;
        let mut attributes = Vec::new();
        let mut any_attribute = false;
        let mut array_type = None;
        for child in elements(node) {
            if child.tag_name().namespace() != Some(XSD_NS) {
                continue;
            }
            match child.tag_name().name() {
                "complexContent" | "simpleContent" => {
                    let simple = child.tag_name().name() == "simpleContent";
                    if child.attribute("mixed") == Some("true") {
                        mixed = true;
                    }
                    let derivation = elements(child)
                        .find(|n| is(*n, XSD_NS, "extension") || is(*n, XSD_NS, "restriction"))
                        .ok_or_else(|| self.src.invalid(child, "expected <xs:extension> or <xs:restriction>"))?;
                    let base = self.src.qname(derivation, self.src.attr(derivation, "base")?)?;
                    let (uses, any) = self.attribute_uses(derivation)?;
                    array_type = self.array_type(derivation)?;
                    attributes = uses;
                    any_attribute = any;
                    content = Some(if simple {
                        Content::Simple { base }
                    } else if derivation.tag_name().name() == "extension" {
                        Content::Extension { base, particle: self.particle_child(derivation)? }
                    } else {
                        Content::Restriction { base, particle: self.particle_child(derivation)? }
                    });
                }
                "sequence" | "choice" | "all" | "group" => {
                    content = Some(Content::Particle(Some(self.particle(child)?)))
                }
                _ => {}
            }
        }
        if content.is_none() || matches!(content, Some(Content::Particle(_))) {
            let (uses, any) = self.attribute_uses(node)?;
            attributes = uses;
            any_attribute = any;
        }
        Ok(ComplexType {
            name,
            is_abstract: node.attribute("abstract") == Some("true"),
            mixed,
            content: content.unwrap_or(Content::Particle(None)),
            attributes,
            any_attribute,
            is_dictionary: is_dictionary(node),
            array_type,
            doc: annotation_doc(node),
            pos: self.pos(node),
        })
    }

    /// The `wsdl:arrayType` on an `xs:attribute` child of `derivation` (a restriction of
    /// `soapenc:Array`), as item type and dimensions.
    fn array_type(&self, derivation: Node<'_, '_>) -> Result<Option<ArrayTypeDecl>, ReadError> {
        for child in elements(derivation).filter(|n| is(*n, XSD_NS, "attribute")) {
            let Some(value) = child.attribute((crate::xml::WSDL_NS, "arrayType")) else { continue };
            let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
            let Some(at) = value.find('[') else {
                return Err(self.src.invalid(child, format!("wsdl:arrayType=\"{value}\" has no dimensions (`[]`)")));
            };
            let (item, dims) = value.split_at(at);
            if !dims.chars().all(|c| matches!(c, '[' | ']' | ',' | '0'..='9')) {
                return Err(self.src.invalid(child, format!("wsdl:arrayType=\"{value}\": malformed dimensions")));
            }
            return Ok(Some(ArrayTypeDecl {
                item: self.src.qname(child, item)?,
                dims: dims.to_owned(),
                pos: self.pos(child),
            }));
        }
        Ok(None)
    }

    /// `xs:simpleType`; `top` for a named top-level one.
    pub fn simple_type(&self, node: Node<'_, '_>, top: bool) -> Result<SimpleType, ReadError> {
        let name = if top { Some(self.top_name(node)?) } else { None };
        let body = elements(node)
            .find(|n| n.tag_name().namespace() == Some(XSD_NS) && n.tag_name().name() != "annotation")
            .ok_or_else(|| self.src.invalid(node, "<xs:simpleType> has no restriction, list or union"))?;
        let inline_simple = |n: Node<'_, '_>| -> Result<Option<Box<SimpleType>>, ReadError> {
            match elements(n).find(|c| is(*c, XSD_NS, "simpleType")) {
                Some(st) => Ok(Some(Box::new(self.simple_type(st, false)?))),
                None => Ok(None),
            }
        };
        let variety = match body.tag_name().name() {
            "restriction" => SimpleVariety::Restriction {
                base: self.src.qname_attr(body, "base")?,
                inline_base: inline_simple(body)?,
                enumerations: elements(body)
                    .filter(|n| is(*n, XSD_NS, "enumeration"))
                    .map(|n| self.src.attr(n, "value").map(str::to_owned))
                    .collect::<Result<_, _>>()?,
                patterns: elements(body)
                    .filter(|n| is(*n, XSD_NS, "pattern"))
                    .map(|n| self.src.attr(n, "value").map(str::to_owned))
                    .collect::<Result<_, _>>()?,
            },
            "list" => {
                SimpleVariety::List { item: self.src.qname_attr(body, "itemType")?, inline_item: inline_simple(body)? }
            }
            "union" => {
                // The members are not needed (a union's value is kept as its text), but a prefix
                // that is not bound is still an error in the document.
                for member in body.attribute("memberTypes").unwrap_or_default().split_whitespace() {
                    self.src.qname(body, member)?;
                }
                SimpleVariety::Union
            }
            other => return Err(self.src.invalid(body, format!("<xs:{other}> is not allowed in <xs:simpleType>"))),
        };
        Ok(SimpleType { name, variety, doc: annotation_doc(node), pos: self.pos(node) })
    }
}
