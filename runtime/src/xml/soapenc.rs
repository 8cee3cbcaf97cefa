//! SOAP 1.1 section 5 encoding, as generated rpc/encoded codecs use it: `encodingStyle` on the
//! operation wrapper, `xsi:type` on every value, and `soapenc:Array` (`soapenc:arrayType`,
//! `soapenc:offset`, `soapenc:position`). Multi-reference values (`href`/`id`) are copied in
//! before decoding, by `multiref.rs`.

use super::chars::is_xml_space;
use super::error::{DecodeError, DecodeErrorKind};
use super::reader::{Start, XmlReader};
use super::writer::XmlWriter;

/// The SOAP 1.1 encoding namespace: the `encodingStyle` of encoded messages, and the namespace
/// of `Array`, `arrayType`, `offset`, `position` and the SOAP-ENC built-in types.
pub const SOAP_ENC_NS: &str = "http://schemas.xmlsoap.org/soap/encoding/";

impl XmlWriter {
    /// Sets the `xsi:type` (a prefixed type name the envelope declares) of the element the next
    /// field helper writes: on each item of a repeated field, on nothing when the field is absent.
    #[inline]
    pub fn typed(&mut self, ty: &'static str) -> &mut Self {
        self.pending_type = Some(ty);
        self
    }

    /// Writes ` s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"` into the open tag
    /// once, when the envelope is an encoded message's (the wrapper element of an rpc/encoded
    /// operation); nothing otherwise (the value written as a document of its own).
    pub fn encoding_style(&mut self) {
        if std::mem::take(&mut self.encoding_style) {
            self.attribute("s:encodingStyle", SOAP_ENC_NS);
        }
    }

    /// Asks for `encodingStyle` on the next [`encoding_style`](Self::encoding_style) call.
    pub(crate) fn set_encoding_style(&mut self, on: bool) {
        self.encoding_style = on;
    }

    /// Writes the start tag of a SOAP array of `len` items: `<tag xsi:type="{array}"
    /// {array_type_attr}="{item_type}[{len}]">`, where `array` is the prefixed name of
    /// `soapenc:Array`, `array_type_attr` that of `soapenc:arrayType`, and `item_type` the
    /// prefixed type of the items (`xsd:string`, or `xsd:string[]` for an array of arrays).
    pub fn soap_array_start(
        &mut self,
        tag: &str,
        array: &'static str,
        array_type_attr: &str,
        item_type: &str,
        len: usize,
    ) {
        self.pending_type = Some(array);
        self.open(tag);
        let mut value = String::with_capacity(item_type.len() + 8);
        value.push_str(item_type);
        value.push('[');
        value.push_str(itoa::Buffer::new().format(len));
        value.push(']');
        self.attribute(array_type_attr, &value);
        self.close_open();
    }
}

/// What the start tag of a SOAP array says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoapArray {
    /// The size `soapenc:arrayType` declares, if it declares one (`xsd:int[3]`; not `xsd:int[]`).
    pub size: Option<usize>,
}

fn encoding_error(r: &XmlReader<'_>, start: &Start<'_>, attribute: &str, message: String) -> DecodeError {
    r.error_in(start, attribute, DecodeErrorKind::SoapEncoding(message))
}

impl<'a> XmlReader<'a> {
    /// Reads the `soapenc:arrayType` and `soapenc:offset` of a SOAP array's start tag, for an
    /// array of one dimension: another rank (`xsd:int[2,3]`) and a partially transmitted array
    /// (an offset other than `[0]`) are errors, since a `Vec` would lose their shape or the
    /// members not sent. Without `arrayType` (a peer that sends none), nothing is checked.
    pub fn soap_array(&self, start: &Start<'a>) -> Result<SoapArray, DecodeError> {
        let mut size = None;
        if let Some(value) = self.attribute(start, SOAP_ENC_NS, "arrayType")? {
            let value = value.trim_matches(is_xml_space);
            // The last bracket group is this array's; the ones before belong to its item type.
            let group = value.rfind('[').map(|at| &value[at..]);
            let Some(inner) = group.and_then(|g| g.strip_prefix('[')).and_then(|g| g.strip_suffix(']')) else {
                return Err(encoding_error(self, start, "@arrayType", format!("malformed arrayType {value:?}")));
            };
            if inner.contains(',') {
                return Err(encoding_error(
                    self,
                    start,
                    "@arrayType",
                    format!("arrayType {value:?} is a multi-dimensional array; this type holds one dimension"),
                ));
            }
            let inner = inner.trim_matches(is_xml_space);
            if !inner.is_empty() {
                let n: usize = inner.parse().map_err(|_| {
                    encoding_error(self, start, "@arrayType", format!("malformed array size in arrayType {value:?}"))
                })?;
                let limit = self.limits().max_list_items;
                if n > limit {
                    return Err(self.error_in(
                        start,
                        "@arrayType",
                        DecodeErrorKind::Limit { what: "number of list items", limit },
                    ));
                }
                size = Some(n);
            }
        }
        if let Some(offset) = self.attribute(start, SOAP_ENC_NS, "offset")? {
            if position(&offset) != Some(0) {
                return Err(encoding_error(
                    self,
                    start,
                    "@offset",
                    format!(
                        "a partially transmitted array (offset {:?}): the members before it were not sent, and this \
                         type has no place for members that are missing",
                        offset.trim_matches(is_xml_space)
                    ),
                ));
            }
        }
        Ok(SoapArray { size })
    }

    /// Checks the `soapenc:position` of the item `child` of a SOAP array, which must be where
    /// the item stands (`index`): a sparse array would leave members out.
    pub fn soap_array_item(&self, child: &Start<'a>, index: usize) -> Result<(), DecodeError> {
        if let Some(at) = self.attribute(child, SOAP_ENC_NS, "position")? {
            if position(&at) != Some(index) {
                return Err(encoding_error(
                    self,
                    child,
                    "@position",
                    format!(
                        "a sparse array: item {index} is sent at position {:?}, and this type has no place for the \
                         members left out",
                        at.trim_matches(is_xml_space)
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Checks, after the last item, that a SOAP array held as many items as its `arrayType`
    /// declared.
    pub fn soap_array_end(&self, start: &Start<'a>, array: SoapArray, len: usize) -> Result<(), DecodeError> {
        match array.size {
            Some(size) if size != len => Err(encoding_error(
                self,
                start,
                "",
                format!("the array declares {size} items (arrayType) and holds {len}"),
            )),
            _ => Ok(()),
        }
    }
}

/// The one coordinate of a position or offset of a one-dimensional array (`[2]`).
fn position(value: &str) -> Option<usize> {
    let inner = value.trim_matches(is_xml_space).strip_prefix('[')?.strip_suffix(']')?;
    inner.trim_matches(is_xml_space).parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENC: &str = r#"xmlns:e="http://schemas.xmlsoap.org/soap/encoding/""#;

    fn check(attrs: &str, items: &[&str]) -> Result<usize, DecodeError> {
        let doc = format!("<a {ENC} {attrs}>{}</a>", items.concat());
        let mut r = XmlReader::new(doc.as_bytes());
        let root = r.root()?;
        let array = r.soap_array(&root)?;
        let mut n = 0;
        while let Some(child) = r.next_item()? {
            r.soap_array_item(&child, n)?;
            r.skip(&child)?;
            n += 1;
        }
        r.soap_array_end(&root, array, n)?;
        Ok(n)
    }

    #[test]
    fn arrays_of_one_dimension_are_read_and_checked() {
        assert_eq!(check(r#"e:arrayType="xsd:int[2]""#, &["<i>1</i>", "<i>2</i>"]).unwrap(), 2);
        assert_eq!(check(r#"e:arrayType="xsd:int[]""#, &["<i>1</i>"]).unwrap(), 1);
        assert_eq!(check("", &["<i>1</i>"]).unwrap(), 1);
        assert_eq!(check(r#"e:arrayType="xsd:int[][ 2 ]""#, &["<i/>", "<i/>"]).unwrap(), 2);
        assert_eq!(check(r#"e:offset="[0]""#, &[r#"<i e:position="[0]"/>"#, r#"<i e:position="[1]"/>"#]).unwrap(), 2);
        let refused = |attrs: &str, items: &[&str]| match check(attrs, items).unwrap_err().kind {
            DecodeErrorKind::SoapEncoding(m) => m,
            other => panic!("{attrs}: {other:?}"),
        };
        assert!(refused(r#"e:arrayType="xsd:int[2,3]""#, &[]).contains("multi-dimensional"));
        assert!(refused(r#"e:arrayType="xsd:int[3]""#, &["<i/>"]).contains("declares 3 items"));
        assert!(refused(r#"e:arrayType="xsd:int[1]""#, &["<i/>", "<i/>"]).contains("holds 2"));
        assert!(refused(r#"e:arrayType="xsd:int""#, &[]).contains("malformed"));
        assert!(refused(r#"e:arrayType="xsd:int[x]""#, &[]).contains("malformed"));
        assert!(refused(r#"e:offset="[2]""#, &["<i/>"]).contains("partially transmitted"));
        assert!(refused("", &["<i/>", r#"<i e:position="[5]"/>"#]).contains("sparse"));
        assert!(refused("", &["<i/>", "4"]).contains("text \"4\" where array items are expected"));
        assert_eq!(check("", &["<i/>", " \n\t", "<i/>"]).unwrap(), 2);
        let e = check(r#"e:arrayType="xsd:int[999999999]""#, &[]).unwrap_err();
        assert!(matches!(e.kind, DecodeErrorKind::Limit { .. }), "{e}");
        assert_eq!(e.path, "a/@arrayType");
    }

    #[test]
    fn writes_arrays_and_types() {
        let mut w = XmlWriter::new();
        w.soap_array_start("v", "e:Array", "e:arrayType", "xsd:string", 2);
        w.typed("xsd:string").repeated("item", &["a".to_owned(), "b".to_owned()]);
        w.typed("xsd:int").optional::<i32>("none", &None);
        w.element("plain", &1);
        w.end("v");
        assert_eq!(
            String::from_utf8(w.into_inner()).unwrap(),
            "<v xsi:type=\"e:Array\" e:arrayType=\"xsd:string[2]\"><item xsi:type=\"xsd:string\">a</item>\
             <item xsi:type=\"xsd:string\">b</item><plain>1</plain></v>"
        );
        let mut w = XmlWriter::new();
        w.open("op");
        w.encoding_style();
        w.close_open();
        assert_eq!(w.as_bytes(), b"<op>");
        let mut w = XmlWriter::new();
        w.set_encoding_style(true);
        w.open("op");
        w.encoding_style();
        w.encoding_style();
        assert_eq!(w.as_bytes(), b"<op s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"");
    }
}
