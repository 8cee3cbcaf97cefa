//! The XML tokenizer under [`XmlReader`](super::XmlReader): it cuts a document, already checked
//! as UTF-8 and for characters XML does not allow, into start tags, end tags, text and CDATA
//! sections, and refuses whatever is not well-formed XML 1.0 with namespaces as it goes.
//!
//! What it checks (XML 1.0 Fifth Edition, Namespaces in XML 1.0, without DTDs):
//! - one root element, preceded only by an XML declaration (at the very start), comments,
//!   processing instructions and whitespace, followed only by comments, processing instructions
//!   and whitespace;
//! - names (`Name`), qualified names (at most one `:`, not first or last), `<` always starting
//!   markup, every start tag closed by an end tag of the same name, no `]]>` in text;
//! - attributes: `name="value"` or `name='value'`, whitespace before each, no `<` in values, no
//!   two of the same name in one tag;
//! - references (`&name;` for the five predefined entities, `&#digits;` / `&#xhex;` for
//!   characters XML allows), in text and attribute values alike, read or skipped;
//! - comments (no `--` inside), processing instructions (a target, not `xml` in any case),
//!   CDATA sections only inside the root element;
//! - the XML declaration: `version="1.x"`, an optional encoding, which must name UTF-8 (or
//!   ASCII), an optional `standalone="yes|no"`, in that order;
//! - `<!DOCTYPE` anywhere is [`DecodeErrorKind::DocType`]: no DTD is ever read.
//!
//! Comments, processing instructions and the declaration produce no token. Namespace prefixes
//! are resolved by the reader, which also checks the limits. Offsets are byte offsets into the
//! input.

use memchr::{memchr, memchr2, memchr3};

use super::chars::{is_space_byte, name_end, qname_end};
use super::encoding::{is_utf8_label, unsupported_encoding};
use super::error::DecodeErrorKind;
use super::references::parse_reference;

/// What [`Tokenizer::next_token`] read. The start tag or the text itself is read from the
/// tokenizer ([`Tokenizer::tag`], [`Tokenizer::text`]): tokens are not moved around, which for
/// a start tag would cost more than reading it (a struct written piece by piece and then copied
/// whole stalls the processor's store forwarding).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    /// A start tag, or an empty-element tag (`<a/>`), whose [`Token::End`] is the next token.
    Start,
    /// The end tag of the innermost open element (its name has been checked).
    End,
    /// Character data between markup: references checked but not replaced
    /// ([`Tokenizer::references`] says whether there are any), line ends as written.
    Text,
    /// A CDATA section: its content, as written.
    CData,
    /// The end of the document, after the root element.
    Eof,
}

/// A start tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StartTag<'a> {
    /// The qualified name, as written.
    pub name: &'a str,
    /// The index of the `:` in `name`, or 0 when it has no prefix.
    pub colon: usize,
    /// The attributes as written, from the first attribute's name to the last one's closing
    /// quote (empty when there is none); their syntax has been checked.
    pub attributes: &'a str,
    /// Whether an attribute is a namespace declaration (`xmlns` or `xmlns:p`).
    pub declares: bool,
    /// Whether an attribute other than a namespace declaration has a prefix.
    pub prefixed: bool,
    /// Whether every attribute is a namespace declaration (also when there is none).
    pub declarations_only: bool,
    /// Whether this is an empty-element tag (`<a/>`).
    pub empty: bool,
}

impl<'a> StartTag<'a> {
    /// The prefix (`""` for none).
    #[inline]
    pub fn prefix(&self) -> &'a str {
        &self.name[..self.colon]
    }

    /// The local name.
    #[inline]
    pub fn local(&self) -> &'a str {
        if self.colon == 0 { self.name } else { &self.name[self.colon + 1..] }
    }
}

/// Where a document is refused, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError {
    /// Byte offset of the construct that is refused.
    pub offset: usize,
    /// Why.
    pub kind: DecodeErrorKind,
}

type Result<T> = std::result::Result<T, Box<TokenError>>;

fn error<T>(offset: usize, kind: DecodeErrorKind) -> Result<T> {
    Err(Box::new(TokenError { offset, kind }))
}

fn syntax<T>(offset: usize, message: impl Into<String>) -> Result<T> {
    error(offset, DecodeErrorKind::Syntax(message.into()))
}

/// Where in the document the tokenizer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Before the root element.
    Prolog,
    /// Inside the root element.
    Content,
    /// After the root element.
    Epilog,
}

/// Splits a document into [`Token`]s. See the module documentation.
#[derive(Debug)]
pub struct Tokenizer<'a> {
    input: &'a str,
    /// Where the next token starts.
    pos: usize,
    /// Where the last token returned started.
    token_start: usize,
    /// The qualified names of the open elements, outermost first.
    open: Vec<&'a str>,
    place: Place,
    /// The last token was an empty-element tag: its end comes next.
    end_pending: bool,
    /// Whether `]]>` occurs anywhere in the input; without it, text need not be searched for it.
    /// (Searching with a searcher built once: building one per text costs more than the search.)
    cdata_end_anywhere: Option<memchr::memmem::Finder<'static>>,
    /// The attributes of the last start tag, `(name, value as written)`.
    pairs: Vec<(&'a str, &'a str)>,
    /// Scratch for the duplicate check of start tags with many attributes.
    names: Vec<&'a str>,
    /// The last start tag read.
    tag: StartTag<'a>,
    /// The last text or CDATA content read.
    text: &'a str,
    /// Whether that text holds references.
    references: bool,
}

/// Up to this many attributes, duplicates are found by comparing each pair; beyond it, by sorting.
const PAIRWISE_ATTRIBUTES: usize = 16;

impl<'a> Tokenizer<'a> {
    /// A tokenizer at the start of `input`.
    pub fn new(input: &'a str) -> Self {
        Self {
            input,
            pos: 0,
            token_start: 0,
            open: Vec::with_capacity(16),
            place: Place::Prolog,
            end_pending: false,
            cdata_end_anywhere: {
                let finder = memchr::memmem::Finder::new(b"]]>");
                finder.find(input.as_bytes()).is_some().then_some(finder)
            },
            pairs: Vec::new(),
            names: Vec::new(),
            tag: StartTag::default(),
            text: "",
            references: false,
        }
    }

    /// The start tag the last [`Token::Start`] stands for.
    #[inline]
    pub fn tag(&self) -> &StartTag<'a> {
        &self.tag
    }

    /// The attributes of the start tag the last [`Token::Start`] stands for, as
    /// `(name, value as written)`, in document order.
    #[inline]
    pub fn attributes(&self) -> &[(&'a str, &'a str)] {
        if self.tag.attributes.is_empty() { &[] } else { &self.pairs }
    }

    /// The text of the last [`Token::Text`] (as written) or [`Token::CData`] (its content).
    #[inline]
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Whether the text of the last [`Token::Text`] holds a reference (`&...;`).
    #[inline]
    pub fn references(&self) -> bool {
        self.references
    }

    /// The document.
    #[inline]
    pub fn input(&self) -> &'a str {
        self.input
    }

    /// The offset just after the last token returned.
    #[inline]
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// The offset where the last token returned started (for the end of an empty-element tag,
    /// the same as [`pos`](Self::pos)).
    #[inline]
    pub fn token_start(&self) -> usize {
        self.token_start
    }

    /// The number of open elements.
    #[inline]
    pub fn depth(&self) -> usize {
        self.open.len()
    }

    /// The next token.
    #[inline]
    pub fn next_token(&mut self) -> Result<Token> {
        if self.end_pending {
            self.end_pending = false;
            self.token_start = self.pos;
            self.close();
            return Ok(Token::End);
        }
        if self.place == Place::Content {
            let bytes = self.input.as_bytes();
            loop {
                self.token_start = self.pos;
                match bytes.get(self.pos) {
                    Some(b'<') => match bytes.get(self.pos + 1) {
                        Some(b'/') => return self.end_tag(),
                        Some(b'!' | b'?') => {
                            if let Some(token) = self.markup()? {
                                return Ok(token);
                            }
                        }
                        _ => return self.start_tag(),
                    },
                    Some(_) => return self.read_text(),
                    None => return error(self.input.len(), DecodeErrorKind::UnexpectedEof),
                }
            }
        }
        self.outside_content()
    }

    /// The next token before or after the root element.
    fn outside_content(&mut self) -> Result<Token> {
        loop {
            let bytes = self.input.as_bytes();
            // Before or after the root element: whitespace, comments, processing instructions.
            while self.pos < bytes.len() && is_space_byte(bytes[self.pos]) {
                self.pos += 1;
            }
            self.token_start = self.pos;
            match bytes.get(self.pos) {
                None if self.place == Place::Prolog => return error(self.pos, DecodeErrorKind::NoRoot),
                None => return Ok(Token::Eof),
                Some(b'<') => {
                    if let Some(token) = self.markup()? {
                        return Ok(token);
                    }
                }
                Some(_) => return self.outside_root(self.pos),
            }
        }
    }

    /// The error for content before or after the root element.
    fn outside_root<T>(&self, at: usize) -> Result<T> {
        match self.place {
            Place::Prolog => syntax(at, "text before the root element"),
            _ => syntax(at, "content after the root element"),
        }
    }

    fn close(&mut self) {
        self.open.pop();
        if self.open.is_empty() {
            self.place = Place::Epilog;
        }
    }

    /// Markup at `self.pos` (a `<`): a token, or `None` for a comment, a processing instruction
    /// or the XML declaration.
    fn markup(&mut self) -> Result<Option<Token>> {
        let at = self.pos;
        let bytes = self.input.as_bytes();
        match bytes.get(at + 1) {
            Some(b'/') => self.end_tag().map(Some),
            Some(b'?') => self.processing_instruction().map(|()| None),
            Some(b'!') => self.bang(),
            _ => self.start_tag().map(Some),
        }
    }

    /// `<!--`, `<![CDATA[`, `<!DOCTYPE` at `self.pos`.
    fn bang(&mut self) -> Result<Option<Token>> {
        let at = self.pos;
        let rest = &self.input.as_bytes()[at..];
        if rest.starts_with(b"<!--") {
            self.comment()?;
            Ok(None)
        } else if rest.starts_with(b"<![CDATA[") {
            if self.place != Place::Content {
                return self.outside_root(at);
            }
            let start = at + 9;
            let Some(end) = find_cdata_end(self.input.as_bytes(), start) else {
                return syntax(at, "a CDATA section is not closed by `]]>`");
            };
            self.pos = end + 3;
            self.text = &self.input[start..end];
            Ok(Some(Token::CData))
        } else if rest.len() >= 9 && rest[..9].eq_ignore_ascii_case(b"<!DOCTYPE") {
            error(at, DecodeErrorKind::DocType)
        } else {
            syntax(at, "`<!` starts neither a comment nor a CDATA section")
        }
    }

    /// A comment at `self.pos`: no `--` inside, closed by `-->`.
    fn comment(&mut self) -> Result<()> {
        let at = self.pos;
        let bytes = self.input.as_bytes();
        let mut i = at + 4;
        while let Some(k) = memchr(b'-', &bytes[i..]) {
            let dash = i + k;
            if bytes.get(dash + 1) == Some(&b'-') {
                if bytes.get(dash + 2) == Some(&b'>') {
                    self.pos = dash + 3;
                    return Ok(());
                }
                return syntax(dash, "`--` inside a comment");
            }
            i = dash + 1;
        }
        syntax(at, "a comment is not closed by `-->`")
    }

    /// A processing instruction (or, at the very start, the XML declaration) at `self.pos`.
    fn processing_instruction(&mut self) -> Result<()> {
        let at = self.pos;
        let bytes = self.input.as_bytes();
        let target_end = name_end(self.input, at + 2);
        let target = &self.input[at + 2..target_end];
        if target.is_empty() {
            return syntax(at, "a processing instruction without a target");
        }
        if target.eq_ignore_ascii_case("xml") {
            if at == 0 && target == "xml" {
                return self.declaration();
            }
            return syntax(at, "the XML declaration `<?xml ...?>` may only stand at the very start of the document");
        }
        let mut i = target_end;
        if !bytes[i..].starts_with(b"?>") {
            if !bytes.get(i).copied().is_some_and(is_space_byte) {
                return syntax(i, "a processing instruction's target must be followed by whitespace or `?>`");
            }
            loop {
                match memchr(b'?', &bytes[i..]) {
                    Some(k) if bytes.get(i + k + 1) == Some(&b'>') => {
                        i += k;
                        break;
                    }
                    Some(k) => i += k + 1,
                    None => return syntax(at, "a processing instruction is not closed by `?>`"),
                }
            }
        }
        self.pos = i + 2;
        Ok(())
    }

    /// The XML declaration at offset 0.
    fn declaration(&mut self) -> Result<()> {
        let bytes = self.input.as_bytes();
        let malformed = |at: usize, what: &str| syntax(at, format!("malformed XML declaration: {what}"));
        let mut i = 5;
        // (name, required, check): version, encoding, standalone, in this order.
        let mut seen_version = false;
        let mut order = 0;
        loop {
            let space = i;
            while i < bytes.len() && is_space_byte(bytes[i]) {
                i += 1;
            }
            if i >= bytes.len() {
                return malformed(0, "not closed by `?>`");
            }
            if bytes[i..].starts_with(b"?>") {
                if !seen_version {
                    return malformed(0, "`version` is missing");
                }
                self.pos = i + 2;
                return Ok(());
            }
            if i == space {
                return malformed(i, "whitespace must separate its parts");
            }
            let name_to = name_end(self.input, i);
            let name = &self.input[i..name_to];
            let rank = match name {
                "version" => 0,
                "encoding" => 1,
                "standalone" => 2,
                _ => return malformed(i, "expected `version`, `encoding`, `standalone` or `?>`"),
            };
            if rank < order || (rank == 0 && seen_version) || (rank > 0 && !seen_version) {
                return malformed(i, "`version`, `encoding` and `standalone` must come in this order, each once");
            }
            order = rank + 1;
            let mut j = name_to;
            while j < bytes.len() && is_space_byte(bytes[j]) {
                j += 1;
            }
            if bytes.get(j) != Some(&b'=') {
                return malformed(j, "`=` expected");
            }
            j += 1;
            while j < bytes.len() && is_space_byte(bytes[j]) {
                j += 1;
            }
            let quote = match bytes.get(j) {
                Some(&q @ (b'"' | b'\'')) => q,
                _ => return malformed(j, "a quoted value expected"),
            };
            let Some(len) = memchr(quote, &bytes[j + 1..]) else {
                return malformed(j, "a value is not closed");
            };
            let value = &self.input[j + 1..j + 1 + len];
            let valid = match rank {
                0 => value
                    .strip_prefix("1.")
                    .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())),
                1 => {
                    value.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
                        && value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
                }
                _ => matches!(value, "yes" | "no"),
            };
            if !valid {
                return malformed(j + 1, &format!("`{name}` cannot be {value:?}"));
            }
            if rank == 1 && !is_utf8_label(value) {
                return error(j + 1, unsupported_encoding(value));
            }
            seen_version = true;
            i = j + 2 + len;
        }
    }

    /// A start tag at `self.pos`, into `self.tag`.
    #[inline]
    fn start_tag(&mut self) -> Result<Token> {
        let at = self.pos;
        if self.place == Place::Epilog {
            return self.outside_root(at);
        }
        let (name_to, colon) = qname_end(self.input, at + 1);
        if name_to == at + 1 {
            return syntax(
                at,
                "`<` must start a tag, a comment, a CDATA section or a processing instruction (a literal `<` is written `&lt;`)",
            );
        }
        let name = &self.input[at + 1..name_to];
        let colon = colon.ok_or_else(|| not_a_qname(at + 1, name))?;
        self.tag = StartTag {
            name,
            colon,
            attributes: "",
            declares: false,
            prefixed: false,
            declarations_only: true,
            empty: false,
        };
        let bytes = self.input.as_bytes();
        // The common cases first: `<name>` and `<name/>`.
        let end = match bytes.get(name_to) {
            Some(b'>') => name_to + 1,
            Some(b'/') if bytes.get(name_to + 1) == Some(&b'>') => {
                self.tag.empty = true;
                name_to + 2
            }
            _ => self.read_attributes(at, name_to)?,
        };
        self.pos = end;
        self.place = Place::Content;
        self.open.push(name);
        self.end_pending = self.tag.empty;
        Ok(Token::Start)
    }

    /// The attributes of the start tag at `at`, from `from` (just after its name) to its `>` or
    /// `/>`, into `self.tag`; returns the offset after those.
    fn read_attributes(&mut self, at: usize, from: usize) -> Result<usize> {
        let mut tag = self.tag;
        let end = self.attributes_into(at, from, &mut tag);
        self.tag = tag;
        end
    }

    fn attributes_into(&mut self, at: usize, from: usize, tag: &mut StartTag<'a>) -> Result<usize> {
        let input = self.input;
        let bytes = input.as_bytes();
        let mut i = from;
        let mut first = None;
        let mut last = from;
        self.pairs.clear();
        let end = loop {
            let space = i;
            while i < bytes.len() && is_space_byte(bytes[i]) {
                i += 1;
            }
            match bytes.get(i) {
                Some(b'>') => break i + 1,
                Some(b'/') if bytes.get(i + 1) == Some(&b'>') => {
                    tag.empty = true;
                    break i + 2;
                }
                None => return syntax(at, "a start tag is not closed by `>`"),
                Some(_) if i == space => {
                    return syntax(i, "an attribute must be preceded by whitespace (or the tag closed by `>` or `/>`)");
                }
                Some(_) => {}
            }
            let (name_to, colon) = qname_end(input, i);
            if name_to == i {
                return syntax(i, "an attribute name, `>` or `/>` expected");
            }
            let name = &input[i..name_to];
            let colon = colon.ok_or_else(|| not_a_qname(i, name))?;
            if name == "xmlns" || (colon == 5 && name.starts_with("xmlns")) {
                tag.declares = true;
            } else {
                tag.declarations_only = false;
                tag.prefixed |= colon != 0;
            }
            first.get_or_insert(i);
            i = name_to;
            while i < bytes.len() && is_space_byte(bytes[i]) {
                i += 1;
            }
            if bytes.get(i) != Some(&b'=') {
                return syntax(i, format!("`=` expected after the attribute name `{name}`"));
            }
            i += 1;
            while i < bytes.len() && is_space_byte(bytes[i]) {
                i += 1;
            }
            let quote = match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => q,
                _ => return syntax(i, format!("the value of the attribute `{name}` must be quoted")),
            };
            i += 1;
            let value_start = i;
            loop {
                match memchr3(quote, b'<', b'&', &bytes[i..]) {
                    Some(k) if bytes[i + k] == quote => {
                        i += k + 1;
                        break;
                    }
                    Some(k) if bytes[i + k] == b'&' => {
                        let amp = i + k;
                        i = parse_reference(input, amp).map_err(|e| TokenError { offset: amp, kind: e.into_kind() })?.1;
                    }
                    Some(k) => return syntax(i + k, "`<` in an attribute value (write `&lt;`)"),
                    None => return syntax(at, "an attribute value is not closed"),
                }
            }
            self.pairs.push((name, &input[value_start..i - 1]));
            last = i;
        };
        if let Some(first) = first {
            tag.attributes = &input[first..last];
            self.check_unique(input)?;
        }
        Ok(end)
    }

    /// Refuses two attributes of the same name in the start tag just read.
    fn check_unique(&mut self, input: &str) -> Result<()> {
        let duplicate = if self.pairs.len() <= PAIRWISE_ATTRIBUTES {
            let pairs = &self.pairs;
            (1..pairs.len()).find_map(|j| pairs[..j].iter().any(|(n, _)| *n == pairs[j].0).then_some(pairs[j].0))
        } else {
            // By name, then by place: the second of two equal neighbours is the later one.
            self.names.clear();
            self.names.extend(self.pairs.iter().map(|(n, _)| *n));
            self.names.sort_unstable_by(|a, b| a.cmp(b).then(a.as_ptr().cmp(&b.as_ptr())));
            self.names.windows(2).filter(|w| w[0] == w[1]).map(|w| w[1]).min_by_key(|n| n.as_ptr())
        };
        match duplicate {
            Some(name) => {
                let offset = name.as_ptr() as usize - input.as_ptr() as usize;
                syntax(offset, format!("the attribute `{name}` appears twice in one start tag"))
            }
            None => Ok(()),
        }
    }

    /// An end tag at `self.pos`.
    #[inline]
    fn end_tag(&mut self) -> Result<Token> {
        let at = self.pos;
        let bytes = self.input.as_bytes();
        let Some(&open) = self.open.last() else {
            return match self.place {
                Place::Prolog => syntax(at, "an end tag before the root element"),
                _ => syntax(at, "content after the root element"),
            };
        };
        let from = at + 2;
        let mut i = from + open.len();
        let same = starts_with(&bytes[from..], open.as_bytes())
            && matches!(bytes.get(i), None | Some(b'>' | b' ' | b'\t' | b'\r' | b'\n'));
        if !same {
            let found = &self.input[from..name_end(self.input, from)];
            return syntax(at, format!("expected the end tag `</{open}>`, found `</{found}`"));
        }
        while i < bytes.len() && is_space_byte(bytes[i]) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'>') {
            return syntax(at, format!("the end tag `</{open}` is not closed by `>`"));
        }
        self.pos = i + 1;
        self.close();
        Ok(Token::End)
    }

    /// Text at `self.pos` (inside the root element, not markup), into `self.text`.
    #[inline]
    fn read_text(&mut self) -> Result<Token> {
        let start = self.pos;
        let input = self.input;
        let bytes = input.as_bytes();
        let mut i = start;
        let mut references = false;
        let end = loop {
            match find_lt_or_amp(bytes, i) {
                Some(at) if bytes[at] == b'<' => break at,
                Some(amp) => {
                    i = parse_reference(input, amp).map_err(|e| TokenError { offset: amp, kind: e.into_kind() })?.1;
                    references = true;
                }
                None => return error(bytes.len(), DecodeErrorKind::UnexpectedEof),
            }
        };
        let raw = &input[start..end];
        if let Some(finder) = &self.cdata_end_anywhere {
            if let Some(k) = finder.find(raw.as_bytes()) {
                return syntax(start + k, "`]]>` in text (write `]]&gt;`)");
            }
        }
        self.pos = end;
        self.text = raw;
        self.references = references;
        Ok(Token::Text)
    }
}

/// The attributes of a start tag, as `(name, value as written)`, from its
/// [`attributes`](StartTag::attributes) (whose syntax the tokenizer has checked).
#[derive(Debug, Clone)]
pub struct RawAttributes<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> RawAttributes<'a> {
    /// The attributes in `text`, a [`StartTag::attributes`].
    #[inline]
    pub fn new(text: &'a str) -> Self {
        Self { text, pos: 0 }
    }
}

impl<'a> Iterator for RawAttributes<'a> {
    type Item = (&'a str, &'a str);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        let mut i = self.pos;
        while i < bytes.len() && is_space_byte(bytes[i]) {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        let name_start = i;
        while i < bytes.len() && bytes[i] != b'=' && !is_space_byte(bytes[i]) {
            i += 1;
        }
        let name = &self.text[name_start..i];
        while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\'' {
            i += 1;
        }
        let quote = *bytes.get(i)?;
        let value_start = i + 1;
        let value_end = value_start + memchr(quote, &bytes[value_start..])?;
        self.pos = value_end + 1;
        Some((name, &self.text[value_start..value_end]))
    }
}

fn not_a_qname(at: usize, name: &str) -> Box<TokenError> {
    Box::new(TokenError {
        offset: at,
        kind: DecodeErrorKind::Syntax(format!(
            "`{name}` is not a qualified name (`local` or `prefix:local`, one colon at most)"
        )),
    })
}

/// Whether `hay` starts with `name`: eight bytes at a time (names are short; a call to `memcmp`
/// costs more than comparing them here).
#[inline]
fn starts_with(hay: &[u8], name: &[u8]) -> bool {
    if hay.len() < name.len() {
        return false;
    }
    let mut i = 0;
    while i + 8 <= name.len() {
        if word(hay, i) != word(name, i) {
            return false;
        }
        i += 8;
    }
    while i < name.len() {
        if hay[i] != name[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The eight bytes of `bytes` at `i` as one integer (`i + 8 <= bytes.len()`).
#[inline(always)]
fn word(bytes: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&bytes[i..i + 8]);
    u64::from_le_bytes(w)
}

/// The offset of the first `<` or `&` in `bytes` from `from`.
///
/// Most text between tags is short (a value, indentation), where a call to `memchr2` costs more
/// than the search: eight bytes at a time are tested with integer arithmetic first, and only text
/// longer than 64 bytes is handed to `memchr2`.
#[inline]
fn find_lt_or_amp(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    const LT: u64 = u64::from_ne_bytes([b'<'; 8]);
    const AMP: u64 = u64::from_ne_bytes([b'&'; 8]);
    let mut i = from;
    while i + 8 <= bytes.len() {
        if i - from >= 64 {
            return memchr2(b'<', b'&', &bytes[i..]).map(|k| i + k);
        }
        let word = word(bytes, i);
        // A byte of `x` is zero where `word` holds the byte looked for; the lowest flagged byte
        // is the first zero byte (flags above it may be false, which does not matter).
        let (lt, amp) = (word ^ LT, word ^ AMP);
        let found = ((lt.wrapping_sub(ONES) & !lt) | (amp.wrapping_sub(ONES) & !amp)) & HIGH;
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    bytes[i..].iter().position(|&b| b == b'<' || b == b'&').map(|k| i + k)
}

/// The offset of the `]]>` that ends a CDATA section whose content starts at `from`.
fn find_cdata_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(k) = memchr(b'>', &bytes[i..]) {
        let gt = i + k;
        if gt >= from + 2 && bytes[gt - 2] == b']' && bytes[gt - 1] == b']' {
            return Some(gt - 2);
        }
        i = gt + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens of `doc`, written out, or where and why it is refused.
    fn tokens(doc: &str) -> std::result::Result<Vec<String>, (usize, String)> {
        let mut t = Tokenizer::new(doc);
        let mut out = Vec::new();
        loop {
            match t.next_token() {
                Ok(Token::Eof) => return Ok(out),
                Ok(Token::Start) => {
                    let tag = *t.tag();
                    let mut s = format!("<{}", tag.name);
                    for (name, value) in RawAttributes::new(tag.attributes) {
                        s.push_str(&format!(" {name}={value:?}"));
                    }
                    s.push_str(if tag.empty { "/>" } else { ">" });
                    out.push(s);
                }
                Ok(Token::End) => out.push("</>".into()),
                Ok(Token::Text) => out.push(format!("{:?}{}", t.text(), if t.references() { "&" } else { "" })),
                Ok(Token::CData) => out.push(format!("cdata {:?}", t.text())),
                Err(e) => {
                    let message = match e.kind {
                        DecodeErrorKind::Syntax(m) => m,
                        other => format!("{other:?}"),
                    };
                    return Err((e.offset, message));
                }
            }
        }
    }

    #[track_caller]
    fn ok(doc: &str, expected: &[&str]) {
        assert_eq!(tokens(doc), Ok(expected.iter().map(|s| s.to_string()).collect()), "{doc}");
    }

    #[track_caller]
    fn refused(doc: &str, offset: usize, message: &str) {
        match tokens(doc) {
            Err((at, m)) => {
                assert!(m.contains(message), "{doc}: {m:?} does not say {message:?}");
                assert_eq!(at, offset, "{doc}: {m}");
            }
            Ok(t) => panic!("{doc}: accepted as {t:?}"),
        }
    }

    #[test]
    fn well_formed_documents() {
        ok("<a/>", &["<a/>", "</>"]);
        ok("<a></a>", &["<a>", "</>"]);
        ok(" \r\n\t<a>x</a >\n", &["<a>", "\"x\"", "</>"]);
        ok("<?xml version=\"1.0\" encoding='UTF-8' standalone=\"yes\" ?><a/>", &["<a/>", "</>"]);
        ok("<?xml version='1.1'?><a/>", &["<a/>", "</>"]);
        ok("<!-- c --><?pi x y?><?pi?><a/><!----><?xml-stylesheet href='x'?>", &["<a/>", "</>"]);
        ok(
            "<p:a xmlns:p='urn:p' x = \"1\"\ty='&lt;&#65;&#x42;'  ><b/>t&amp;u<![CDATA[<&]]]]><!--c-->v</p:a>",
            &[
                "<p:a xmlns:p=\"urn:p\" x=\"1\" y=\"&lt;&#65;&#x42;\">",
                "<b/>",
                "</>",
                "\"t&amp;u\"&",
                "cdata \"<&]]\"",
                "\"v\"",
                "</>",
            ],
        );
        ok("<a b=\"'\" c='\"' d=''/>", &["<a b=\"'\" c=\"\\\"\" d=\"\"/>", "</>"]);
        ok("<é·b-c.d_e xmlns:x1='u' x1:y='>'/>", &["<é·b-c.d_e xmlns:x1=\"u\" x1:y=\">\"/>", "</>"]);
        ok("<a>]] ]> a>b ]</a>", &["<a>", "\"]] ]> a>b ]\"", "</>"]);
        ok("<a x=']]>'><!-- ]]> --><![CDATA[]]></a>", &["<a x=\"]]>\">", "cdata \"\"", "</>"]);
    }

    #[test]
    fn start_tags_report_their_parts() {
        let mut t = Tokenizer::new("<s:Envelope xmlns:s='urn:s' a=\"1\"><s:Body/></s:Envelope>");
        assert_eq!(t.next_token(), Ok(Token::Start));
        let tag = *t.tag();
        assert_eq!((tag.prefix(), tag.local(), tag.attributes), ("s", "Envelope", "xmlns:s='urn:s' a=\"1\""));
        assert!(tag.declares && !tag.prefixed && !tag.empty && !tag.declarations_only);
        assert_eq!(t.attributes(), &[("xmlns:s", "urn:s"), ("a", "1")]);
        assert_eq!((t.token_start(), t.pos()), (0, 34));
        assert_eq!(t.next_token(), Ok(Token::Start));
        let body = *t.tag();
        assert_eq!((body.prefix(), body.local(), body.attributes, body.empty), ("s", "Body", "", true));
        assert_eq!(t.depth(), 2);
        assert_eq!(t.next_token(), Ok(Token::End));
        // The end of an empty-element tag takes no room.
        assert_eq!((t.token_start(), t.pos()), (43, 43));
        assert_eq!(t.next_token(), Ok(Token::End));
        assert_eq!(t.token_start(), 43);
        assert_eq!(t.next_token(), Ok(Token::Eof));
        let mut t = Tokenizer::new("<a x:y='1'/>");
        assert_eq!(t.next_token(), Ok(Token::Start));
        let tag = t.tag();
        assert!(tag.prefixed && !tag.declares && tag.colon == 0);
    }

    #[test]
    fn malformed_documents_are_refused_where_they_go_wrong() {
        // The document as a whole.
        refused("", 0, "NoRoot");
        refused("  <!-- c -->  ", 14, "NoRoot");
        refused("x<a/>", 0, "text before the root element");
        refused("&amp;<a/>", 0, "text before the root element");
        refused("<![CDATA[x]]><a/>", 0, "text before the root element");
        refused("</a>", 0, "an end tag before the root element");
        refused("<a/>x", 4, "content after the root element");
        refused("<a/><b/>", 4, "content after the root element");
        refused("<a/></a>", 4, "content after the root element");
        refused("<a/><![CDATA[x]]>", 4, "content after the root element");
        refused("<a>", 3, "UnexpectedEof");
        refused("<a>text", 7, "UnexpectedEof");
        refused("<a><b></b>", 10, "UnexpectedEof");
        // Tags.
        refused("<a></b>", 3, "expected the end tag `</a>`, found `</b`");
        refused("<a><b></a></b>", 6, "expected the end tag `</b>`, found `</a`");
        refused("<a></ab>", 3, "found `</ab`");
        refused("<a></a x>", 3, "not closed by `>`");
        refused("<a></ a>", 3, "found `</`");
        refused("<a></a", 3, "not closed by `>`");
        refused("< a/>", 0, "`<` must start a tag");
        refused("<a>1 < 2</a>", 5, "`<` must start a tag");
        refused("<1a/>", 0, "`<` must start a tag");
        refused("<a/ >", 2, "an attribute must be preceded by whitespace");
        refused("<a", 0, "a start tag is not closed");
        refused("<:a/>", 1, "is not a qualified name");
        refused("<a:/>", 1, "is not a qualified name");
        refused("<a:b:c/>", 1, "is not a qualified name");
        refused("<a:-b/>", 1, "is not a qualified name");
        refused("<a:\u{b7}b/>", 1, "is not a qualified name");
        refused("<a p:1='x'/>", 3, "is not a qualified name");
        // Attributes.
        refused("<a x='1' x='2'/>", 9, "the attribute `x` appears twice");
        refused("<a x='1'y='2'/>", 8, "an attribute must be preceded by whitespace");
        refused("<a x=1/>", 5, "must be quoted");
        refused("<a x/>", 4, "`=` expected");
        refused("<a ='1'/>", 3, "an attribute name, `>` or `/>` expected");
        refused("<a x='1/>", 0, "an attribute value is not closed");
        refused("<a x='<'/>", 6, "`<` in an attribute value");
        refused("<a x='&'/>", 6, "does not start a reference");
        refused("<a x='&ghost;'/>", 6, "UnknownEntity(\"ghost\")");
        refused("<a x='&#1;'/>", 6, "U+0001 is not allowed");
        refused("<a b:c:d='1'/>", 3, "is not a qualified name");
        // References in text.
        refused("<a>&ghost;</a>", 3, "UnknownEntity(\"ghost\")");
        refused("<a>x & y</a>", 5, "does not start a reference");
        refused("<a>&amp</a>", 3, "does not start a reference");
        refused("<a>&#xD800;</a>", 3, "names no character");
        refused("<a>&#0;</a>", 3, "U+0000 is not allowed");
        refused("<a>a]]>b</a>", 4, "`]]>` in text");
        // Comments, processing instructions, CDATA, declarations.
        refused("<a><!-- a -- b --></a>", 10, "`--` inside a comment");
        refused("<a><!-- a ---></a>", 10, "`--` inside a comment");
        refused("<a><!-- a </a>", 3, "a comment is not closed");
        refused("<a><!--></a>", 3, "a comment is not closed");
        refused("<a><![CDATA[x</a>", 3, "a CDATA section is not closed");
        refused("<a><![cdata[x]]></a>", 3, "`<!` starts neither");
        refused("<a><!X></a>", 3, "`<!` starts neither");
        refused("<a><??></a>", 3, "without a target");
        refused("<a><?pi x</a>", 3, "a processing instruction is not closed");
        refused("<a><?pi</a>", 7, "must be followed by whitespace");
        refused("<a><?pi!?></a>", 7, "must be followed by whitespace");
        refused("<a><?xml version='1.0'?></a>", 3, "may only stand at the very start");
        refused("<a><?XmL x?></a>", 3, "may only stand at the very start");
        refused(" <?xml version='1.0'?><a/>", 1, "may only stand at the very start");
        refused("<?xml?><a/>", 0, "`version` is missing");
        refused("<?xml encoding='utf-8'?><a/>", 6, "must come in this order");
        refused("<?xml version='1.0' standalone='yes' encoding='utf-8'?><a/>", 37, "must come in this order");
        refused("<?xml version='2.0'?><a/>", 15, "`version` cannot be \"2.0\"");
        refused("<?xml version='1.0' standalone='maybe'?><a/>", 32, "`standalone` cannot be");
        refused("<?xml version='1.0'encoding='utf-8'?><a/>", 19, "whitespace must separate");
        refused("<?xml version='1.0' encoding='latin1'?><a/>", 30, "unsupported encoding latin1");
        refused("<?xml version='1.0' foo='x'?><a/>", 20, "expected `version`");
        refused("<?xml version='1.0'", 0, "not closed by `?>`");
        refused("<!DOCTYPE a><a/>", 0, "DocType");
        refused("<!doctype a><a/>", 0, "DocType");
        refused("<a><!DOCTYPE a></a>", 3, "DocType");
    }

    #[test]
    fn markup_and_references_are_found_at_any_distance() {
        for len in 0..200 {
            for (at, b) in [(len, b'<'), (len, b'&')] {
                let mut text = vec![b'x'; len + 5];
                text[at] = b;
                assert_eq!(find_lt_or_amp(&text, 0), Some(at), "{len}");
                assert_eq!(find_lt_or_amp(&text, at), Some(at));
                assert_eq!(find_lt_or_amp(&text, at + 1), None);
            }
            // Bytes next to the ones looked for (`;`, `=`, `%`, `'`) and non-ASCII are not them.
            let text: Vec<u8> = (0..len).map(|i| [b';', b'=', b'%', b'\'', 0xC3, 0xA9][i % 6]).collect();
            assert_eq!(find_lt_or_amp(&text, 0), None);
        }
    }

    #[test]
    fn many_attributes_are_checked_for_duplicates_in_linear_time() {
        let mut doc = String::from("<a");
        for i in 0..20_000 {
            doc.push_str(&format!(" a{i}='{i}'"));
        }
        let ok_doc = format!("{doc}/>");
        assert!(tokens(&ok_doc).is_ok());
        doc.push_str(" a7='x' a3='y'/>");
        let at = doc.find(" a7='x'").unwrap() + 1;
        refused(&doc, at, "the attribute `a7` appears twice");
    }
}
