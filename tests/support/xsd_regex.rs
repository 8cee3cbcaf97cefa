//! XML Schema regular expressions (`xs:pattern`), enough to write a value that matches one and to
//! check that a value does: literals, escapes (`\d`, `\w`, `\s`, `\i`, `\c` and their negations,
//! `\p{..}` as a rough category), character classes with ranges, negation and subtraction
//! (`[\i-[:]]`), groups, alternatives and the quantifiers `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`.
//! XSD patterns are implicitly anchored: a value matches when the whole of it does.

use super::instance::Entropy;

/// A parsed pattern: alternatives, each a sequence of quantified atoms.
#[derive(Clone, Debug)]
pub struct Pattern {
    source: String,
    alternatives: Vec<Vec<Quantified>>,
}

#[derive(Clone, Debug)]
struct Quantified {
    atom: Atom,
    min: u32,
    /// `None`: unbounded.
    max: Option<u32>,
}

#[derive(Clone, Debug)]
enum Atom {
    Literal(char),
    Class(Class),
    Group(Vec<Vec<Quantified>>),
}

#[derive(Clone, Debug)]
struct Class {
    negated: bool,
    items: Vec<Item>,
    subtract: Option<Box<Class>>,
}

#[derive(Clone, Debug)]
enum Item {
    /// A range (or one character). `escaped`: an end of it was written as an escape (`\^-~`),
    /// which libxml2 (xmllint) reads as three characters instead of a range.
    Range(char, char, bool),
    /// A multi-character escape (`d`, `D`, `w`, `i`, `c`, `s`, `.`, ...), or a `\p{..}` / `\P{..}`
    /// category (`p` / `P` with its name).
    Escape(char, Option<String>),
}

impl Item {
    fn contains(&self, c: char) -> bool {
        match self {
            Item::Range(a, b, _) => (*a..=*b).contains(&c),
            Item::Escape(e, category) => escape_contains(*e, category.as_deref(), c),
        }
    }
}

fn is_name_start(c: char) -> bool {
    c == '_' || c == ':' || c.is_alphabetic()
}

fn is_name_char(c: char) -> bool {
    is_name_start(c) || c.is_numeric() || matches!(c, '-' | '.' | '\u{b7}')
}

fn escape_contains(e: char, category: Option<&str>, c: char) -> bool {
    match e {
        'd' => c.is_numeric(),
        'D' => !c.is_numeric(),
        'w' => !(c.is_ascii_punctuation() || c.is_whitespace() || c.is_control()),
        'W' => c.is_ascii_punctuation() || c.is_whitespace() || c.is_control(),
        's' => matches!(c, ' ' | '\t' | '\n' | '\r'),
        'S' => !matches!(c, ' ' | '\t' | '\n' | '\r'),
        'i' => is_name_start(c),
        'I' => !is_name_start(c),
        'c' => is_name_char(c),
        'C' => !is_name_char(c),
        '.' => c != '\n' && c != '\r',
        'p' | 'P' => {
            let category = category.unwrap_or_default();
            let inside = match category.chars().next() {
                Some('L') => c.is_alphabetic(),
                Some('N') => c.is_numeric(),
                Some('P') => c.is_ascii_punctuation(),
                Some('Z') => c == ' ',
                Some('C') => c.is_control(),
                _ => true,
            };
            inside == (e == 'p')
        }
        _ => false,
    }
}

impl Class {
    fn contains(&self, c: char) -> bool {
        let inside = self.items.iter().any(|i| i.contains(c)) != self.negated;
        inside && !self.subtract.as_ref().is_some_and(|s| s.contains(c))
    }

    /// Whether `c` is a member whichever way a range with an escaped end is read.
    fn surely_contains(&self, c: char) -> bool {
        if self.negated {
            return self.contains(c) && !self.items.iter().any(|i| matches!(i, Item::Range(a, _, true) if *a == c));
        }
        let inside = self.items.iter().any(|i| match i {
            Item::Range(a, b, true) => c == *a || c == *b,
            other => other.contains(c),
        });
        inside && !self.subtract.as_ref().is_some_and(|s| s.contains(c))
    }
}

/// Characters tried when a class must produce one, best first per tier: a value made of lower
/// case letters and digits is valid in most places and survives case normalisation (a GUID
/// pattern allowing both cases gives lower case, as the runtime writes it).
const TIERS: &[&str] = &[
    "abcdefghijklmnopqrstuvwxyz0123456789",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "-_.:/+*=!#$%'()@,;?[]^`{|}~",
    "&<>\"",
    " ",
    "éüß€ñ",
];

impl Pattern {
    /// Parses an XSD pattern.
    pub fn parse(source: &str) -> Result<Pattern, String> {
        let chars: Vec<char> = source.chars().collect();
        let mut p = Parser { chars: &chars, pos: 0 };
        let alternatives = p.alternatives().map_err(|e| format!("pattern {source:?}: {e}"))?;
        if p.pos != chars.len() {
            return Err(format!("pattern {source:?}: unexpected {:?} at {}", chars[p.pos], p.pos));
        }
        Ok(Pattern { source: source.to_owned(), alternatives })
    }

    /// The pattern as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the whole of `value` matches.
    pub fn matches(&self, value: &str) -> bool {
        let chars: Vec<char> = value.chars().collect();
        ends(&self.alternatives, &chars, 0).contains(&chars.len())
    }

    /// A value matching the pattern (quantifiers and alternatives chosen by `rng`), or `None`
    /// when a class has no character to offer.
    pub fn generate(&self, rng: &mut dyn Entropy) -> Option<String> {
        let mut out = String::new();
        emit(&self.alternatives, rng, &mut out)?;
        Some(out)
    }
}

fn emit(alternatives: &[Vec<Quantified>], rng: &mut dyn Entropy, out: &mut String) -> Option<()> {
    let alt = &alternatives[rng.below(alternatives.len() as u64) as usize];
    for q in alt {
        let max = q.max.unwrap_or(q.min + 2);
        let n = q.min + rng.below(u64::from(max - q.min) + 1) as u32;
        for _ in 0..n {
            match &q.atom {
                Atom::Literal(c) => out.push(*c),
                Atom::Class(class) => out.push(pick_char(class, rng)?),
                Atom::Group(inner) => emit(inner, rng, out)?,
            }
        }
    }
    Some(())
}

fn pick_char(class: &Class, rng: &mut dyn Entropy) -> Option<char> {
    // Characters every reader agrees on first, then any member.
    for test in [Class::surely_contains as fn(&Class, char) -> bool, Class::contains] {
        for tier in TIERS {
            let members: Vec<char> = tier.chars().filter(|c| test(class, *c)).collect();
            if !members.is_empty() {
                return Some(members[rng.below(members.len() as u64) as usize]);
            }
        }
    }
    // A class of rarer characters only: its first range's first character, if it is a member.
    class.items.iter().find_map(|i| match i {
        Item::Range(a, _, _) if class.contains(*a) => Some(*a),
        _ => None,
    })
}

/// Every position where a match of `alternatives` starting at `pos` can end.
fn ends(alternatives: &[Vec<Quantified>], s: &[char], pos: usize) -> Vec<usize> {
    let mut out = Vec::new();
    for alt in alternatives {
        let mut here = vec![pos];
        for q in alt {
            here = repeat(q, s, &here);
            if here.is_empty() {
                break;
            }
        }
        out.extend(here);
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn repeat(q: &Quantified, s: &[char], starts: &[usize]) -> Vec<usize> {
    let mut result = Vec::new();
    let mut current: Vec<usize> = starts.to_vec();
    let mut count = 0u32;
    loop {
        if count >= q.min {
            result.extend(current.iter().copied());
        }
        if q.max.is_some_and(|m| count >= m) || current.is_empty() {
            break;
        }
        let mut next = Vec::new();
        for &p in &current {
            match &q.atom {
                Atom::Literal(c) => {
                    if s.get(p) == Some(c) {
                        next.push(p + 1);
                    }
                }
                Atom::Class(class) => {
                    if s.get(p).is_some_and(|c| class.contains(*c)) {
                        next.push(p + 1);
                    }
                }
                Atom::Group(inner) => next.extend(ends(inner, s, p)),
            }
        }
        next.sort_unstable();
        next.dedup();
        current = next;
        count += 1;
        // An unbounded repetition of something that can match the empty string stops once
        // every position has had its chance.
        if count > s.len() as u32 + q.min + 1 {
            break;
        }
    }
    result.sort_unstable();
    result.dedup();
    result
}

struct Parser<'a> {
    chars: &'a [char],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Result<char, String> {
        let c = self.peek().ok_or("unexpected end")?;
        self.pos += 1;
        Ok(c)
    }

    fn alternatives(&mut self) -> Result<Vec<Vec<Quantified>>, String> {
        let mut alts = vec![Vec::new()];
        while let Some(c) = self.peek() {
            match c {
                ')' => break,
                '|' => {
                    self.pos += 1;
                    alts.push(Vec::new());
                }
                _ => {
                    let atom = self.atom()?;
                    let (min, max) = self.quantifier()?;
                    alts.last_mut().unwrap().push(Quantified { atom, min, max });
                }
            }
        }
        Ok(alts)
    }

    fn atom(&mut self) -> Result<Atom, String> {
        match self.next()? {
            '(' => {
                let inner = self.alternatives()?;
                if self.next()? != ')' {
                    return Err("unbalanced group".into());
                }
                Ok(Atom::Group(inner))
            }
            '[' => Ok(Atom::Class(self.class()?)),
            '\\' => match self.escape()? {
                Escaped::Char(c) => Ok(Atom::Literal(c)),
                Escaped::Multi(e, category) => {
                    Ok(Atom::Class(Class { negated: false, items: vec![Item::Escape(e, category)], subtract: None }))
                }
            },
            '.' => Ok(Atom::Class(Class { negated: false, items: vec![Item::Escape('.', None)], subtract: None })),
            c => Ok(Atom::Literal(c)),
        }
    }

    fn escape(&mut self) -> Result<Escaped, String> {
        let e = self.next()?;
        Ok(match e {
            'n' => Escaped::Char('\n'),
            'r' => Escaped::Char('\r'),
            't' => Escaped::Char('\t'),
            'd' | 'D' | 'w' | 'W' | 's' | 'S' | 'i' | 'I' | 'c' | 'C' => Escaped::Multi(e, None),
            'p' | 'P' => {
                if self.next()? != '{' {
                    return Err("\\p without {".into());
                }
                let mut name = String::new();
                loop {
                    match self.next()? {
                        '}' => break,
                        c => name.push(c),
                    }
                }
                Escaped::Multi(e, Some(name))
            }
            other => Escaped::Char(other),
        })
    }

    /// After `[`.
    fn class(&mut self) -> Result<Class, String> {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut items = Vec::new();
        let mut subtract = None;
        let mut first = true;
        loop {
            let c = self.next()?;
            match c {
                ']' if !first => break,
                '-' if self.peek() == Some('[') && !first => {
                    self.pos += 1;
                    subtract = Some(Box::new(self.class()?));
                    if self.next()? != ']' {
                        return Err("subtraction must end the class".into());
                    }
                    break;
                }
                _ => {
                    let start_escaped = c == '\\';
                    let start = if c == '\\' {
                        match self.escape()? {
                            Escaped::Char(ch) => ch,
                            Escaped::Multi(e, category) => {
                                items.push(Item::Escape(e, category));
                                first = false;
                                continue;
                            }
                        }
                    } else {
                        c
                    };
                    // A range `a-z`; `-` before `]` or `[` is a literal.
                    if self.peek() == Some('-') && !matches!(self.chars.get(self.pos + 1), Some(']') | Some('[') | None)
                    {
                        self.pos += 1;
                        let end_escaped = self.peek() == Some('\\');
                        let end = match self.next()? {
                            '\\' => match self.escape()? {
                                Escaped::Char(ch) => ch,
                                Escaped::Multi(..) => return Err("range ending in a class escape".into()),
                            },
                            ch => ch,
                        };
                        items.push(Item::Range(start, end, start_escaped || end_escaped));
                    } else {
                        items.push(Item::Range(start, start, false));
                    }
                }
            }
            first = false;
        }
        Ok(Class { negated, items, subtract })
    }

    fn quantifier(&mut self) -> Result<(u32, Option<u32>), String> {
        Ok(match self.peek() {
            Some('?') => {
                self.pos += 1;
                (0, Some(1))
            }
            Some('*') => {
                self.pos += 1;
                (0, None)
            }
            Some('+') => {
                self.pos += 1;
                (1, None)
            }
            Some('{') => {
                self.pos += 1;
                let mut body = String::new();
                loop {
                    match self.next()? {
                        '}' => break,
                        c => body.push(c),
                    }
                }
                let num = |s: &str| s.trim().parse::<u32>().map_err(|_| format!("bad quantifier {{{body}}}"));
                match body.split_once(',') {
                    None => {
                        let n = num(&body)?;
                        (n, Some(n))
                    }
                    Some((a, b)) if b.trim().is_empty() => (num(a)?, None),
                    Some((a, b)) => (num(a)?, Some(num(b)?)),
                }
            }
            _ => (1, Some(1)),
        })
    }
}

enum Escaped {
    Char(char),
    Multi(char, Option<String>),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::instance::SplitMix;

    #[test]
    fn patterns_generate_matching_values() {
        for source in [
            r"[\da-fA-F]{8}-[\da-fA-F]{4}",
            r"\-?P(\d*D)?(T(\d*H)?(\d*M)?(\d*(\.\d*)?S)?)?",
            r"([\i-[:]][\c-[:]]*:)?(//)?([\i-[:]][\c-[:]]*|\*)((/|//)(([\i-[:]][\c-[:]]*:)?[\i-[:]][\c-[:]]*|\*|[.]))*",
            "([Xx]\\-)?[!#$%&'*+.0-9A-Z\\^-~\u{7f}]+/([Xx]\\-)?[!#$%&'*+.0-9A-Z\\^-~\u{7f}\\-]+",
            r"[ -~]{8,63}",
            r"\d{2,2}-\d{2,2}-\d{4,4} \d{2,2}:\d{2,2}:\d{2,2}",
            r"[^abc]+x",
        ] {
            let p = Pattern::parse(source).unwrap();
            let mut rng = SplitMix::from_label(source);
            for _ in 0..20 {
                let v = p.generate(&mut rng).unwrap();
                assert!(p.matches(&v), "{source}: {v:?}");
            }
        }
        let p = Pattern::parse(r"\d{4}").unwrap();
        assert!(p.matches("2026") && !p.matches("202") && !p.matches("20266") && !p.matches("20a6"));
    }
}
