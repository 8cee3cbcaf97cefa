//! Operations: their body elements (document and rpc style), headers, faults, and the
//! service-error rule.

use std::collections::HashSet;

use crate::model::*;
use crate::read::{Binding, BindingOperation, Message, PortOperation};
use crate::xml::{Pos, QName, SOAP_ENC_NS};

use super::*;

impl<'d> Resolver<'d> {
    pub(super) fn message(&self, name: &QName, pos: &Pos) -> Result<&'d Message, ResolveError> {
        match self.index.messages.get(name) {
            Some(m) => Ok(m),
            None => undefined(pos, Definition::Message, name),
        }
    }

    pub(super) fn operation(
        &mut self,
        binding: &Binding,
        op: &PortOperation,
        bop: &BindingOperation,
        client: &mut Client,
    ) -> Result<Operation, ResolveError> {
        let style = bop.style.as_deref().or(binding.style.as_deref()).unwrap_or("document");
        let (Some(input), Some(binput)) = (&op.input, &bop.input) else {
            return unsupported(
                &op.pos,
                format!("operation `{}` has no input: a notification operation", op.name),
                Some("only request-response and one-way operations are"),
            );
        };
        let output = match (&op.output, &bop.output) {
            (Some(o), Some(b)) => Some((o, b)),
            (None, _) => None,
            (Some(_), None) => {
                return invalid(
                    &bop.pos,
                    format!("binding operation `{}` has no <output> for the port type's output", op.name),
                );
            }
        };
        let empty = crate::read::BindingMessage::default();
        let boutput = output.map_or(&empty, |(_, b)| b);
        for (what, bm) in [("input", binput), ("output", boutput)] {
            if let Some(pos) = &bm.mime {
                return unsupported(
                    pos,
                    format!(
                        "binding `{}` operation `{}` {what} uses MIME attachments (`mime:multipartRelated`, SOAP \
                         with Attachments), which",
                        binding.name.local, op.name
                    ),
                    Some("only plain SOAP envelopes are"),
                );
            }
        }
        let encoded = self.encoded_use(binding, op, style, binput, output.map(|(_, b)| b))?;
        let (request, response) = match style {
            "document" => {
                let request = match self.body_element(&op.name, input, binput, &op.pos)? {
                    Some(element) => element,
                    // No body part: an empty body, sent as an empty struct named after the operation.
                    None => {
                        let id = self.reserve();
                        self.types[id] = Some(Type {
                            name: QName::new(binding.name.ns.clone(), op.name.clone()),
                            origin: TypeOrigin::Synthesized(format!("The request of `{}`: its body is empty", op.name)),
                            doc: None,
                            kind: TypeKind::element_struct(Vec::new()),
                        });
                        BodyElement { name: QName::new("", ""), ty: id }
                    }
                };
                let response = match output {
                    Some((o, b)) => self.body_element(&format!("{}Response", op.name), o, b, &op.pos)?,
                    None => None,
                };
                (request, response)
            }
            "rpc" => (
                self.rpc_body(&op.name, input, binput, &op.pos)?,
                output.map(|(o, b)| self.rpc_body(&format!("{}Response", op.name), o, b, &op.pos)).transpose()?,
            ),
            other => {
                return invalid(
                    &bop.pos,
                    format!(
                        "binding `{}` operation `{}` has style=\"{other}\"; only document and rpc are defined",
                        binding.name.local, op.name
                    ),
                );
            }
        };
        let request_headers = self.headers(binput, &mut client.request_headers, RequestHeaderId)?;
        let response_headers = self.headers(boutput, &mut client.response_headers, ResponseHeaderId)?;
        let mut faults = Vec::new();
        for (name, message) in &op.faults {
            let msg = self.message(message, &op.pos)?;
            let Some(part) = msg.parts.first() else {
                return invalid(&msg.pos, format!("fault message `{}` has no part", msg.name.local));
            };
            let Some(element) = &part.element else {
                // An encoded fault's detail is an accessor named after the part, of its type.
                if let (true, Some(type_name)) = (encoded, &part.type_name) {
                    let ty = self.type_or_derived(type_name, &part.pos)?;
                    faults.push(OperationFault { name: name.clone(), element: QName::new("", part.name.clone()), ty });
                    continue;
                }
                return invalid(
                    &part.pos,
                    format!("fault part `{}` needs element= (a literal fault detail)", part.name),
                );
            };
            let decl = self.element_decl(element, &part.pos)?;
            self.declare_namespace(&decl.name.ns);
            let ty = self.element_type(decl)?;
            faults.push(OperationFault { name: name.clone(), element: decl.name.clone(), ty });
        }
        let action = bop.soap_action.clone().unwrap_or_default();
        Ok(Operation {
            name: op.name.clone(),
            doc: op.doc.clone(),
            addressing_action: addressing_action(&binding.port_type, op, &action),
            response_action: response_action(&binding.port_type, op),
            action,
            request,
            response,
            one_way: output.is_none(),
            request_headers,
            response_headers,
            faults,
            encoded,
        })
    }

    /// Whether the operation's messages are SOAP-encoded (`use="encoded"`): rpc style, SOAP 1.1
    /// encoding, input and output alike. What is not is refused at the `soap:body` that says it.
    fn encoded_use(
        &self,
        binding: &Binding,
        op: &PortOperation,
        style: &str,
        input: &crate::read::BindingMessage,
        output: Option<&crate::read::BindingMessage>,
    ) -> Result<bool, ResolveError> {
        let is_encoded = |bm: &crate::read::BindingMessage| bm.body.as_ref().is_some_and(|b| b.use_ == "encoded");
        let encoded = is_encoded(input) || output.is_some_and(is_encoded);
        if !encoded {
            return Ok(false);
        }
        let context = format!("binding `{}` operation `{}`", binding.name.local, op.name);
        for bm in std::iter::once(input).chain(output) {
            let Some(body) = &bm.body else { continue };
            if body.use_ != "encoded" {
                return unsupported(
                    &body.pos,
                    format!("{context} mixes `use=\"encoded\"` and `use=\"literal\"` bodies, which"),
                    Some("encoded or literal messages both ways are"),
                );
            }
            if style != "rpc" {
                return unsupported(
                    &body.pos,
                    format!("{context} uses `use=\"encoded\"` with style=\"{style}\" (document/encoded), which"),
                    Some("rpc/encoded and literal messages are"),
                );
            }
            if binding.protocol == crate::read::BindingProtocol::Soap12 {
                return unsupported(
                    &body.pos,
                    format!("{context} uses `use=\"encoded\"` in a SOAP 1.2 binding (SOAP 1.2 encoding), which"),
                    Some("SOAP 1.1 encoding (section 5) is"),
                );
            }
            if let Some(style) = &body.encoding_style {
                if !style.split_whitespace().any(|s| s.trim_end_matches('/') == SOAP_ENC_NS.trim_end_matches('/')) {
                    return unsupported(
                        &body.pos,
                        format!("{context} uses encodingStyle=\"{style}\", which"),
                        Some("only SOAP 1.1 encoding (`http://schemas.xmlsoap.org/soap/encoding/`) is"),
                    );
                }
            }
        }
        Ok(true)
    }

    /// The parts of `message` that go in the body: those `soap:body parts="..."` lists (in
    /// message order), or else every part not sent as a header.
    pub(super) fn body_parts(
        &self,
        message: &QName,
        bm: &crate::read::BindingMessage,
        pos: &Pos,
    ) -> Result<(&'d Message, Vec<&'d crate::read::Part>), ResolveError> {
        let msg = self.message(message, pos)?;
        match bm.body.as_ref().and_then(|b| b.parts.as_ref()) {
            Some(names) => {
                if let Some(missing) = names.iter().find(|n| !msg.parts.iter().any(|p| p.name == **n)) {
                    return fail(
                        &msg.pos,
                        ResolveErrorKind::Undefined {
                            what: Definition::Part,
                            name: missing.clone(),
                            context: Some(format!("message `{}` has no such part", msg.name.local)),
                        },
                    );
                }
                Ok((msg, msg.parts.iter().filter(|p| names.contains(&p.name)).collect()))
            }
            None => {
                let headers: HashSet<&str> =
                    bm.headers.iter().filter(|h| h.message == *message).map(|h| h.part.as_str()).collect();
                Ok((msg, msg.parts.iter().filter(|p| !headers.contains(p.name.as_str())).collect()))
            }
        }
    }

    /// The body element of a document/literal message; `None` when no part goes in the body
    /// (the body is empty, which WS-I Basic Profile allows). A message of several body parts
    /// (not WS-I, but services use it and zeep reads it) gets a struct of one field per part,
    /// named `name` (the operation, or `{operation}Response`), whose parts are the Body's
    /// children, without a wrapper element.
    pub(super) fn body_element(
        &mut self,
        name: &str,
        message: &QName,
        bm: &crate::read::BindingMessage,
        pos: &Pos,
    ) -> Result<Option<BodyElement>, ResolveError> {
        let (msg, parts) = self.body_parts(message, bm, pos)?;
        let part = match parts.as_slice() {
            [] => return Ok(None),
            [part] => part,
            parts => return self.bare_parts(name, msg, parts).map(Some),
        };
        // A part with `type=` (not WS-I, but services generated by older toolkits use it, and
        // zeep accepts it): the body element is named after the part, in no namespace, with
        // that type.
        let element = match (&part.element, &part.type_name) {
            (Some(element_name), _) => {
                let element = self.element_decl(element_name, &part.pos)?;
                self.declare_namespace(&element.name.ns);
                let ty = self.element_type(element)?;
                BodyDecl { name: element.name.clone(), ty, doc: element.doc.clone(), pos: element.pos.clone() }
            }
            (None, Some(type_name)) => BodyDecl {
                name: QName::new("", part.name.clone()),
                ty: self.type_or_derived(type_name, &part.pos)?,
                doc: None,
                pos: part.pos.clone(),
            },
            (None, None) => {
                return invalid(&part.pos, format!("part `{}` has neither element= nor type=", part.name));
            }
        };
        let ty = element.ty;
        // A bare body element of a type that is not a struct gets a struct of its own: the text
        // value of a simple type, or the items of an array wrapper.
        let kind = match ty {
            TypeRef::Named(id) => match self.kind_of(id) {
                Some(TypeKind::Struct { .. }) | None => {
                    return Ok(Some(BodyElement { name: element.name.clone(), ty: id }));
                }
                // A body element of a type other types derive from may be any of them: it is
                // written with `xsi:type` naming the one it is (required when the base is
                // abstract) and read back as that type, like an element of that type anywhere.
                Some(TypeKind::WithDerived { .. }) => {
                    return Ok(Some(BodyElement { name: element.name.clone(), ty: id }));
                }
                Some(TypeKind::Array { item }) => TypeKind::element_struct(vec![item.clone()]),
                Some(TypeKind::Enum { .. } | TypeKind::FlagList { .. } | TypeKind::List { .. }) => {
                    TypeKind::text_struct(ty, false)
                }
                Some(TypeKind::Dictionary { .. } | TypeKind::Choice { .. } | TypeKind::SequenceAlternative { .. }) => {
                    return unsupported(
                        &element.pos,
                        format!("body element {} of a dictionary or choice type", element.name),
                        None,
                    );
                }
            },
            // Any content at all (no type, or `xs:anyType`) is kept as raw XML, with any attributes.
            TypeRef::Builtin(b) => TypeKind::text_struct(ty, b == Builtin::AnyType),
        };
        let id = self.reserve();
        let origin = TypeOrigin::Synthesized(format!("The content of the body element `{}`", element.name.local));
        self.types[id] = Some(Type { name: element.name.clone(), origin, doc: element.doc.clone(), kind });
        Ok(Some(BodyElement { name: element.name.clone(), ty: id }))
    }
}

impl<'d> Resolver<'d> {
    /// The body of a document-style message of several parts: a struct with one field per part
    /// (an element part by its element's name and type, a typed part by its own name in no
    /// namespace), written and read as the Body's children in part order. Its body element, for
    /// matching requests and responses, is the first part's.
    fn bare_parts(
        &mut self,
        name: &str,
        msg: &'d Message,
        parts: &[&'d crate::read::Part],
    ) -> Result<BodyElement, ResolveError> {
        let mut fields = Vec::new();
        for part in parts {
            fields.push(self.part_field(name, part)?);
        }
        let first = fields[0].name.clone();
        let id = self.reserve();
        self.types[id] = Some(Type {
            name: QName::new(first.ns.clone(), name),
            origin: TypeOrigin::BareParts(format!(
                "The {} parts of message `{}`, written as the Body's children without a wrapper element",
                fields.len(),
                msg.name.local
            )),
            doc: None,
            kind: TypeKind::Struct { fields, attributes: Vec::new(), text: None, any_attribute: false },
        });
        Ok(BodyElement { name: first, ty: id })
    }

    /// The field of one message part: an element part by its element's name, type and
    /// nillability; a typed part by its own name in no namespace. Always present.
    fn part_field(&mut self, owner: &str, part: &'d crate::read::Part) -> Result<Field, ResolveError> {
        let (name, ty, nillable, doc) = match (&part.type_name, &part.element) {
            (Some(t), _) => (QName::new("", part.name.clone()), self.type_or_derived(t, &part.pos)?, false, None),
            (None, Some(e)) => {
                let decl = self.element_decl(e, &part.pos)?;
                self.declare_namespace(&decl.name.ns);
                (decl.name.clone(), self.element_type(decl)?, decl.nillable, decl.doc.clone())
            }
            (None, None) => {
                return invalid(&part.pos, format!("part `{}` has neither type= nor element=", part.name));
            }
        };
        let secret = self.is_secret(Some(owner), &name.local);
        Ok(Field { name, ty, occurs: Occurs::new(1, false, nillable), boxed: false, secret, constraint: None, doc })
    }
}

/// What a document-style body element is declared as: by an element, or by a part with a type.
struct BodyDecl {
    name: QName,
    ty: TypeRef,
    doc: Option<String>,
    pos: Pos,
}

impl<'d> Resolver<'d> {
    /// The body of an rpc/literal message: an element named after the operation (or
    /// `{operation}Response`) in the `soap:body` namespace, holding one unqualified element per part.
    pub(super) fn rpc_body(
        &mut self,
        wrapper: &str,
        message: &QName,
        bm: &crate::read::BindingMessage,
        pos: &Pos,
    ) -> Result<BodyElement, ResolveError> {
        let (_, parts) = self.body_parts(message, bm, pos)?;
        let ns = bm.body.as_ref().and_then(|b| b.namespace.clone()).unwrap_or_default();
        let mut fields = Vec::new();
        for part in parts {
            fields.push(self.part_field(wrapper, part)?);
        }
        self.declare_namespace(&ns);
        let name = QName::new(ns, wrapper);
        let id = self.reserve();
        self.types[id] = Some(Type {
            origin: TypeOrigin::Synthesized(format!("The rpc wrapper element `{}`", name.local)),
            name: name.clone(),
            doc: None,
            kind: TypeKind::Struct { fields, attributes: Vec::new(), text: None, any_attribute: false },
        });
        Ok(BodyElement { name, ty: id })
    }

    pub(super) fn kind_of(&self, id: TypeId) -> Option<&TypeKind> {
        self.types[id].as_ref().map(|t| &t.kind)
    }

    /// The header entries of a binding message, added to the client's `set` of headers in that
    /// direction when new; their ids in `set`, made by `id`.
    pub(super) fn headers<Id>(
        &mut self,
        bm: &crate::read::BindingMessage,
        set: &mut Vec<Header>,
        id: fn(usize) -> Id,
    ) -> Result<Vec<Id>, ResolveError> {
        let mut indices = Vec::new();
        for h in &bm.headers {
            if h.use_ == "encoded" {
                return unsupported(&h.pos, "an encoded SOAP header", Some("only literal headers are"));
            }
            let msg = self.message(&h.message, &h.pos)?;
            let Some(part) = msg.parts.iter().find(|p| p.name == h.part) else {
                return fail(
                    &h.pos,
                    ResolveErrorKind::Undefined {
                        what: Definition::Part,
                        name: h.part.clone(),
                        context: Some(format!("message `{}` has no such part", msg.name.local)),
                    },
                );
            };
            // A part with `element=` is that element; one with `type=` (WSDL 1.1 allows it, Axis
            // and gSOAP write it) is an element named after the part, in no namespace, of that
            // type, as zeep reads and writes it (and as document-style typed body parts are).
            let (name, ty, nillable) = match (&part.element, &part.type_name) {
                (Some(element_name), _) => {
                    let element = self.element_decl(element_name, &part.pos)?;
                    self.declare_namespace(&element.name.ns);
                    (element.name.clone(), self.element_type(element)?, element.nillable)
                }
                (None, Some(t)) => (QName::new("", part.name.clone()), self.type_or_derived(t, &part.pos)?, false),
                (None, None) => {
                    return invalid(&part.pos, format!("header part `{}` has neither element= nor type=", part.name));
                }
            };
            let index = match set.iter().position(|x| x.name == name) {
                Some(i) => i,
                None => {
                    let secret = self.is_secret(None, &name.local);
                    set.push(Header { name, ty, nillable, secret });
                    set.len() - 1
                }
            };
            indices.push(id(index));
        }
        Ok(indices)
    }

    pub(super) fn service_error(
        &self,
        client: &Client,
        rule: &ServiceErrorRule,
        pos: &Pos,
    ) -> Result<Option<ServiceErrorHeaders>, ResolveError> {
        let find =
            |local: &str| client.response_headers.iter().position(|h| h.name.local == local).map(ResponseHeaderId);
        let (Some(success), Some(detail)) = (find(&rule.success_header), find(&rule.detail_header)) else {
            return Ok(None);
        };
        if client.response_headers[success].ty != TypeRef::Builtin(Builtin::Bool) {
            return invalid(pos, format!("service-error header `{}` is not a boolean", rule.success_header));
        }
        if let Some(field) = &rule.message_field {
            let TypeRef::Named(id) = client.response_headers[detail].ty else {
                return invalid(pos, format!("service-error header `{}` is not a complex type", rule.detail_header));
            };
            let has = matches!(self.kind_of(id), Some(TypeKind::Struct { fields, .. }) if fields.iter().any(|f| f.name.local == *field));
            if !has {
                return invalid(pos, format!("service-error detail has no field `{field}`"));
            }
        }
        Ok(Some(ServiceErrorHeaders { success, detail, message_field: rule.message_field.clone() }))
    }
}
