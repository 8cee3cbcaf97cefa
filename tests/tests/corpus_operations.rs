//! Every real WSDL in `tests/corpus/`: the ones the generator accepts are compiled here as their
//! own modules (depending only on `wsdlgen-runtime`; CI's clippy run covers them too) and every
//! one of their operations is checked on the wire, in both directions, against checkers that share
//! no code with the generator; the ones it refuses are refused with the documented error.
//!
//! For each corpus entry, `tests/build.rs` writes the bindings (`bindings.rs`) and the table of
//! their operations (`operations.rs`: one `(name, request type, check)` per generated
//! `impl Operation`). The schemas come from `wsdlgen_tests::support::xsd`, which reads the WSDL
//! and everything it imports itself (and checks the table against the WSDL's operations); the
//! instances from `support::instance_any`, three per direction (see [`SAMPLES`]): full (every
//! optional element and attribute until size, depth and recursion limits), minimal, and a
//! variant with other draws (choice alternatives, derived types with `xsi:type`, `xsi:nil`,
//! values), written with a default namespace. Per operation and sample:
//!
//! - **Request**: the instance of the request's body element is validated with
//!   `xmllint --schema` against the document's schemas, decoded with the generated request type,
//!   encoded with `wsdlgen_runtime::codegen::encode_request` (SOAP 1.1 or 1.2, alternating); the envelope
//!   must be well-formed with one body element, which must equal the instance (canonical trees:
//!   namespace URI + local name + attributes + text, `xsi:type` values resolved; prefixes do not
//!   matter) and validate too.
//! - **Response** (not for one-way operations): the instance of the response's body element,
//!   validated, wrapped in an envelope, decoded with `wsdlgen_runtime::codegen::decode_response`; the body
//!   encoded again must equal the instance and validate.
//!
//! All documents of one entry are validated by one xmllint run. The test prints one line per
//! entry (`onvif-devicemgmt: requests validated 103/103, responses round-tripped 103/103`: an
//! operation counts when all its samples pass) and a total. An operation may fail only if
//! `EXCUSED` lists it with a reason; an unlisted failure fails the test, and so does a listed
//! case that passes (remove it then). `CORPUS_DUMP=<dir>` writes every instance, envelope and
//! encoding there, for debugging.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;

use wsdlgen_runtime::codegen::XmlWriter;
use wsdlgen_runtime::codegen::soap::HeaderSink;
use wsdlgen_runtime::codegen::xml::from_xml;
use wsdlgen_runtime::server::Response;
use wsdlgen_runtime::server::codegen::{Call, ReplyHeaders, ServerOperation, handle};
use wsdlgen_runtime::{Decode, DecodeLimits, Encode, Operation, SoapVersion};
use wsdlgen_tests::support::instance::{QName, SOAP11_NS, SOAP12_NS, check_envelope, diff, xmllint_batch};
use wsdlgen_tests::support::instance_any::{AnyWriter, canonical};
use wsdlgen_tests::support::xsd::SchemaSet;

macro_rules! corpus {
    ($($module:ident => $dir:literal),* $(,)?) => {
        $(
            mod $module {
                include!(concat!(env!("OUT_DIR"), "/corpus/", $dir, "/bindings.rs"));
                include!(concat!(env!("OUT_DIR"), "/corpus/", $dir, "/operations.rs"));
            }
        )*
        const ENTRIES: &[Entry] = &[
            $(Entry { name: $dir, wsdl: $module::CORPUS_WSDL, operations: $module::OPERATION_CHECKS }),*
        ];
    };
}

corpus! {
    aeat_verifactu => "aeat-verifactu",
    afip_padron_a13 => "afip-padron-a13",
    afip_wsaa => "afip-wsaa",
    afip_wsfe => "afip-wsfe",
    bingads_campaignmanagement => "bingads-campaignmanagement",
    cdyne_weather => "cdyne-weather",
    cybersource_transaction => "cybersource-transaction",
    dhl_gkv => "dhl-gkv",
    fedex_ship => "fedex-ship",
    jaxws_addnumbers => "jaxws-addnumbers",
    onvif_devicemgmt => "onvif-devicemgmt",
    onvif_event => "onvif-event",
    onvif_federatedsearch => "onvif-federatedsearch",
    unicom_ip2tele => "unicom-ip2tele",
    webservicex_stockquote => "webservicex-stockquote",
    ws_i_scm_configurator => "ws-i-scm-configurator",
    ws_i_scm_loggingfacility => "ws-i-scm-loggingfacility",
    ws_i_scm_retailer => "ws-i-scm-retailer",
    ws_i_scm_warehouse => "ws-i-scm-warehouse",
}

/// The catalog `tests/build.rs` generates the corpus with: remote location -> local file
/// (relative to this crate).
const CATALOG: &[(&str, &str)] = &[("http://schemas.xmlsoap.org/soap/envelope/", "wsdl/soap11-envelope.xsd")];

/// Cases that may fail, each with the reason: (entry, operation, "request" or "response", why).
/// An operation is named as the test prints it (`Name`, or `Name (RustType)` where a WSDL has
/// the name in several port types); `*` stands for every operation of the entry (a bug that
/// breaks all of them). A listed case that passes fails the test: remove it then.
const EXCUSED: &[(&str, &str, &str, &str)] = &[];

/// One instance per direction and sample: every optional part, only the required ones, and
/// every optional part again with other draws (other choice alternatives, derived types, values).
/// The minimal one has every nillable element nil, the variant about one in three and is
/// written with the root's namespace as the default namespace (`xmlns=""` on unqualified
/// elements).
struct Sample {
    name: &'static str,
    minimal: bool,
    nil_every: u64,
    default_namespace: bool,
}

const SAMPLES: &[Sample] = &[
    Sample { name: "full", minimal: false, nil_every: 0, default_namespace: false },
    Sample { name: "minimal", minimal: true, nil_every: 1, default_namespace: false },
    Sample { name: "variant", minimal: false, nil_every: 3, default_namespace: true },
];

/// A request type as the checks use it: through the client and through the generated server
/// (a name for the bounds).
pub trait ServedOperation:
    ServerOperation<
        RequestHeaders: HeaderSink + Default + Send,
        ResponseHeaders: ReplyHeaders,
        Response: Encode + Default + Clone + Send + 'static,
    >
{
}

impl<O> ServedOperation for O where
    O: ServerOperation<
            RequestHeaders: HeaderSink + Default + Send,
            ResponseHeaders: ReplyHeaders,
            Response: Encode + Default + Clone + Send + 'static,
        >
{
}

/// One row of a generated `OPERATION_CHECKS` table: WSDL operation name, Rust request type,
/// and the check (a call of [`Checker::check`] or [`Checker::check_one_way`]).
pub type OperationCheck = (&'static str, &'static str, fn(&mut Checker));

struct Entry {
    name: &'static str,
    wsdl: &'static str,
    operations: &'static [OperationCheck],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Dir {
    Request,
    Response,
    Server,
}

impl Dir {
    fn label(self) -> &'static str {
        match self {
            Dir::Request => "request",
            Dir::Response => "response",
            Dir::Server => "server",
        }
    }
}

/// What one operation's check found.
#[derive(Debug, Default)]
struct OpResult {
    label: String,
    /// The request body element (namespace, local name) and the response's ("" for one-way).
    elements: Option<(QName, QName)>,
    one_way: bool,
    problems: BTreeMap<Dir, Vec<String>>,
}

/// Runs the checks of one corpus entry; the generated `operations.rs` calls
/// [`Checker::check`] / [`Checker::check_one_way`] with each operation's types.
pub struct Checker {
    set: SchemaSet,
    results: Vec<OpResult>,
    /// Documents to validate: (result index, direction, what, document).
    docs: Vec<(usize, Dir, String, String)>,
    dump: Option<PathBuf>,
    /// Runs the generated server's handling of each operation (in process, no HTTP).
    runtime: tokio::runtime::Runtime,
}

fn namespace_of(namespaces: &[(&str, &'static str)], prefix: &str) -> &'static str {
    namespaces.iter().find(|(p, _)| *p == prefix).map_or("", |(_, uri)| uri)
}

fn prefix_of(namespaces: &[(&'static str, &str)], ns: &str) -> Option<&'static str> {
    namespaces.iter().find(|(_, uri)| *uri == ns).map(|(p, _)| *p)
}

impl Checker {
    fn index(&self) -> usize {
        self.results.len() - 1
    }

    fn fail(&mut self, dir: Dir, problem: String) {
        let i = self.index();
        self.results[i].problems.entry(dir).or_default().push(problem);
    }

    fn validate(&mut self, dir: Dir, what: String, doc: String) {
        let i = self.index();
        self.dump_doc(dir, &what, &doc);
        self.docs.push((i, dir, what, doc));
    }

    fn dump_doc(&self, dir: Dir, what: &str, doc: &str) {
        if let Some(d) = &self.dump {
            let label = self.results[self.index()].label.replace([' ', '(', ')', '/'], "_");
            let file = d.join(format!("{label}.{}.{}.xml", dir.label(), what.replace(' ', "-")));
            let _ = std::fs::write(file, doc);
        }
    }

    /// A request-response operation `O`, whose request element decodes as `D` (`wrap` makes
    /// the request of it).
    pub fn check<O, D>(&mut self, wrap: fn(D) -> O)
    where
        O: ServedOperation,
        D: Decode,
    {
        self.request::<O, D>(wrap);
        self.response::<O>();
        self.server::<O, D>(wrap);
    }

    /// A one-way operation `O` (no response to check).
    pub fn check_one_way<O, D>(&mut self, wrap: fn(D) -> O)
    where
        O: ServedOperation,
        D: Decode,
    {
        let i = self.index();
        self.results[i].one_way = true;
        self.request::<O, D>(wrap);
        self.server::<O, D>(wrap);
    }

    /// The generated server's side of `O`, in process: the request the client encodes (from
    /// the full request instance) reaches the handler unchanged, and the handler's response
    /// (the full response instance) reaches the client unchanged; a one-way operation is
    /// answered with 202 and no body.
    fn server<O, D>(&mut self, wrap: fn(D) -> O)
    where
        O: ServedOperation,
        D: Decode,
    {
        let sample = &SAMPLES[0];
        let (ns, local) = O::REQUEST_ELEMENT;
        let Some(instance) = self.instance(Dir::Server, &QName::new(ns, local), sample) else { return };
        let request = match from_xml::<D>(instance.as_bytes(), ns, local) {
            Ok(decoded) => wrap(decoded),
            Err(e) => return self.fail(Dir::Server, format!("the request instance does not decode: {e}")),
        };
        let response = if O::ONE_WAY {
            O::Response::default()
        } else {
            let (rns, rlocal) = O::RESPONSE_ELEMENT;
            let Some(instance) = self.instance(Dir::Server, &QName::new(rns, rlocal), sample) else { return };
            let (_, env_ns) = self.version();
            let envelope = format!("<s:Envelope xmlns:s=\"{env_ns}\"><s:Body>{instance}</s:Body></s:Envelope>");
            match wsdlgen_runtime::codegen::decode_response::<O>(envelope.as_bytes(), DecodeLimits::default()) {
                Ok(reply) => reply.body,
                Err(e) => return self.fail(Dir::Server, format!("the response instance does not decode: {e}")),
            }
        };
        let element = |value: &dyn Fn(&mut XmlWriter)| {
            let mut w = XmlWriter::new();
            w.declare_on_next(O::NAMESPACES);
            value(&mut w);
            String::from_utf8(w.into_inner()).expect("UTF-8")
        };
        let sent = element(&|w| request.encode(w, O::REQUEST_TAG));
        let response_tag = match prefix_of(O::NAMESPACES, O::RESPONSE_ELEMENT.0) {
            Some(p) => format!("{p}:{}", O::RESPONSE_ELEMENT.1),
            None => O::RESPONSE_ELEMENT.1.to_owned(),
        };
        let expected = element(&|w| response.encode(w, &response_tag));
        let (version, _) = self.version();
        let envelope = wsdlgen_runtime::codegen::encode_request(version, &request, &O::RequestHeaders::default());
        let received = std::sync::Arc::new(std::sync::Mutex::new(None));
        let record = received.clone();
        let reply =
            self.runtime.block_on(handle::<O, _, _>(Call::new(envelope, version, O::SOAP_ACTION), move |got| {
                let mut w = XmlWriter::new();
                w.declare_on_next(O::NAMESPACES);
                got.body.encode(&mut w, O::REQUEST_TAG);
                *record.lock().unwrap() = Some(String::from_utf8(w.into_inner()).expect("UTF-8"));
                async move { Ok(Response::new(response)) }
            }));
        match received.lock().unwrap().take() {
            Some(got) if got == sent => {}
            Some(got) => {
                self.fail(Dir::Server, format!("the handler got another request:\n  sent: {sent}\n  got:  {got}"))
            }
            None => self.fail(
                Dir::Server,
                format!("the handler was not called: {} {}", reply.status, String::from_utf8_lossy(&reply.body)),
            ),
        }
        if O::ONE_WAY {
            if reply.status != 202 || !reply.body.is_empty() {
                self.fail(Dir::Server, format!("a one-way operation answered {}", reply.status));
            }
            return;
        }
        match wsdlgen_runtime::codegen::decode_response::<O>(&reply.body, DecodeLimits::default()) {
            Ok(back) => {
                let got = element(&|w| back.body.encode(w, &response_tag));
                if got != expected {
                    self.fail(
                        Dir::Server,
                        format!("the client got another response:\n  sent: {expected}\n  got:  {got}"),
                    );
                }
            }
            Err(e) => self.fail(Dir::Server, format!("the server's reply does not decode: {e}")),
        }
    }

    fn version(&self) -> (SoapVersion, &'static str) {
        if self.index().is_multiple_of(2) { (SoapVersion::Soap11, SOAP11_NS) } else { (SoapVersion::Soap12, SOAP12_NS) }
    }

    fn instance(&mut self, dir: Dir, name: &QName, sample: &Sample) -> Option<String> {
        let label = format!("{}/{}/{}", self.results[self.index()].label, dir.label(), sample.name);
        let mut writer = AnyWriter::new(&self.set);
        writer.options.minimal = sample.minimal;
        writer.options.nil_every = sample.nil_every;
        writer.options.default_namespace = sample.default_namespace;
        match writer.write(name, &label) {
            Ok(x) => {
                self.validate(dir, format!("{} instance", sample.name), x.clone());
                Some(x)
            }
            Err(e) => {
                self.fail(dir, format!("{}: instance writer: {e}", sample.name));
                None
            }
        }
    }

    fn request<O, D>(&mut self, wrap: fn(D) -> O)
    where
        O: Operation,
        O::RequestHeaders: Default,
        D: Decode,
    {
        let (prefix, local) = O::REQUEST_TAG.split_once(':').unwrap_or(("", O::REQUEST_TAG));
        let ns = namespace_of(O::NAMESPACES, prefix);
        let name = QName::new(ns, local);
        let i = self.index();
        self.results[i].elements = Some((name.clone(), QName::new(O::RESPONSE_ELEMENT.0, O::RESPONSE_ELEMENT.1)));
        for sample in SAMPLES {
            let Some(instance) = self.instance(Dir::Request, &name, sample) else { continue };
            let decoded: D = match from_xml(instance.as_bytes(), ns, local) {
                Ok(v) => v,
                Err(e) => {
                    let what = format!("{}: the generated request type cannot decode the instance: {e}", sample.name);
                    self.fail(Dir::Request, what);
                    continue;
                }
            };
            let (version, env_ns) = self.version();
            let envelope =
                wsdlgen_runtime::codegen::encode_request(version, &wrap(decoded), &O::RequestHeaders::default());
            let envelope = String::from_utf8(envelope).expect("UTF-8");
            self.dump_doc(Dir::Request, &format!("{} envelope", sample.name), &envelope);
            let body = match check_envelope(&envelope, env_ns) {
                Ok(parts) => parts.body.1,
                Err(e) => {
                    self.fail(
                        Dir::Request,
                        format!("{}: encoded envelope: {e}\n{}", sample.name, excerpt(&envelope, 1500)),
                    );
                    continue;
                }
            };
            self.compare(Dir::Request, sample, &instance, &body);
            self.validate(Dir::Request, format!("{} encoding", sample.name), body);
        }
    }

    fn response<O>(&mut self)
    where
        O: Operation,
        O::Response: Encode,
    {
        let (ns, local) = O::RESPONSE_ELEMENT;
        let tag = match prefix_of(O::NAMESPACES, ns) {
            Some(p) => format!("{p}:{local}"),
            None if ns.is_empty() => local.to_owned(),
            None => return self.fail(Dir::Response, format!("no prefix for the response namespace {ns}")),
        };
        for sample in SAMPLES {
            let Some(instance) = self.instance(Dir::Response, &QName::new(ns, local), sample) else { continue };
            let (_, env_ns) = self.version();
            let envelope = format!("<s:Envelope xmlns:s=\"{env_ns}\"><s:Body>{instance}</s:Body></s:Envelope>");
            let reply =
                match wsdlgen_runtime::codegen::decode_response::<O>(envelope.as_bytes(), DecodeLimits::default()) {
                    Ok(r) => r,
                    Err(e) => {
                        self.fail(Dir::Response, format!("{}: decode_response failed: {e}", sample.name));
                        continue;
                    }
                };
            let mut w = XmlWriter::new();
            w.declare_on_next(O::NAMESPACES);
            reply.body.encode(&mut w, &tag);
            let encoded = String::from_utf8(w.into_inner()).expect("UTF-8");
            self.compare(Dir::Response, sample, &instance, &encoded);
            self.validate(Dir::Response, format!("{} encoding", sample.name), encoded);
        }
    }

    fn compare(&mut self, dir: Dir, sample: &Sample, expected: &str, actual: &str) {
        let result = match (canonical(expected), canonical(actual)) {
            (Ok(e), Ok(a)) => diff(&e, &a),
            (Err(e), _) => Some(format!("the instance: {e}")),
            (_, Err(e)) => Some(format!("the encoding: {e}")),
        };
        if let Some(d) = result {
            let what = format!(
                "{}: the encoding differs from the instance: {d}\n  encoded: {}",
                sample.name,
                excerpt(actual, 1500)
            );
            self.fail(dir, what);
        }
    }
}

fn excerpt(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if out.len() < s.len() {
        out.push_str("...");
    }
    out
}

/// Prints past the test harness's capture, so the summary shows in a plain `cargo test`.
fn report(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

struct EntryOutcome {
    results: Vec<OpResult>,
    /// Problems of the entry as a whole (operation list against the WSDL).
    problems: Vec<String>,
}

fn run_entry(entry: &Entry) -> EntryOutcome {
    let catalog: Vec<(&str, PathBuf)> =
        CATALOG.iter().map(|(uri, file)| (*uri, PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(file))).collect();
    let catalog: Vec<(&str, &std::path::Path)> = catalog.iter().map(|(uri, file)| (*uri, file.as_path())).collect();
    let mut set = SchemaSet::from_wsdl_with(entry.wsdl, &catalog).unwrap_or_else(|e| panic!("{}: {e}", entry.name));
    let dir = std::env::temp_dir().join(format!("wsdlgen-corpus-{}-{}", std::process::id(), entry.name));
    let root = set.write_validation_schemas(&dir).unwrap_or_else(|e| panic!("{}: {e}", entry.name));
    for q in &set.relaxed {
        report(&format!(
            "{}: note: xmllint refuses {q} as not deterministic; validation reads its ##targetNamespace wildcards as ##other (instances leave them empty)",
            entry.name
        ));
    }
    let dump = std::env::var_os("CORPUS_DUMP").map(|d| {
        let d = PathBuf::from(d).join(entry.name);
        std::fs::create_dir_all(&d).expect("dump directory");
        d
    });
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a tokio runtime");
    let mut checker = Checker { set, results: Vec::new(), docs: Vec::new(), dump, runtime };
    for (name, ty, check) in entry.operations {
        let shared = entry.operations.iter().filter(|(n, _, _)| n == name).count() > 1;
        let label = if shared { format!("{name} ({ty})") } else { (*name).to_owned() };
        checker.results.push(OpResult { label, ..Default::default() });
        if let Err(panic) = std::panic::catch_unwind(AssertUnwindSafe(|| check(&mut checker))) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            let dir = if checker.docs.iter().any(|(i, d, _, _)| *i == checker.index() && *d == Dir::Response) {
                Dir::Response
            } else {
                Dir::Request
            };
            checker.fail(dir, format!("panicked: {message}"));
        }
    }
    let docs: Vec<&[u8]> = checker.docs.iter().map(|(_, _, _, d)| d.as_bytes()).collect();
    let verdicts = match std::panic::catch_unwind(|| xmllint_batch(&root, &docs)) {
        Ok(v) => v,
        Err(panic) => {
            let message = panic.downcast_ref::<String>().cloned().unwrap_or_else(|| "xmllint failed".into());
            vec![Err(message); docs.len()]
        }
    };
    for ((i, dir, what, doc), verdict) in checker.docs.iter().zip(verdicts) {
        if let Err(e) = verdict {
            checker.results[*i]
                .problems
                .entry(*dir)
                .or_default()
                .push(format!("xmllint: the {what} does not validate: {e}  document: {}", excerpt(doc, 1500)));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);

    // The generated operations against the WSDL's (read by the support code).
    let mut problems = Vec::new();
    let wsdl_ops = &checker.set.operations;
    for r in &checker.results {
        let name = r.label.split(' ').next().unwrap_or_default();
        let Some((req, resp)) = &r.elements else { continue };
        let matches = wsdl_ops.iter().any(|o| {
            o.name == name
                && o.input.as_ref() == Some(req)
                && (o.output.as_ref() == Some(resp) || (o.one_way && resp.local.is_empty()))
        });
        if !matches {
            problems.push(format!("operation {} ({req} -> {resp}) is not an operation of the WSDL", r.label));
        }
    }
    if wsdl_ops.len() != checker.results.len() {
        let generated: Vec<&str> =
            checker.results.iter().map(|r| r.label.split(' ').next().unwrap_or_default()).collect();
        let missing: Vec<String> =
            wsdl_ops.iter().filter(|o| !generated.contains(&o.name.as_str())).map(|o| o.name.clone()).collect();
        problems.push(format!(
            "the WSDL's SOAP port types have {} operations, the bindings {} (missing: {missing:?})",
            wsdl_ops.len(),
            checker.results.len()
        ));
    }
    EntryOutcome { results: checker.results, problems }
}

#[test]
fn every_corpus_operation_round_trips() {
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    let (mut req_ok, mut req_n, mut resp_ok, mut resp_n, mut total_excused) = (0, 0, 0, 0, 0);
    let (mut server_ok, mut server_n) = (0, 0);
    for (name, _, dir, _) in EXCUSED {
        assert!(ENTRIES.iter().any(|e| e.name == *name), "EXCUSED names an unknown entry {name}");
        assert!(matches!(*dir, "request" | "response" | "server"), "EXCUSED: direction {dir}");
    }
    for entry in ENTRIES {
        let outcome = run_entry(entry);
        let mut counts = [(0, 0), (0, 0), (0, 0)];
        let mut excused = 0;
        let mut one_way = 0;
        for r in &outcome.results {
            one_way += usize::from(r.one_way);
            for dir in [Dir::Request, Dir::Response, Dir::Server] {
                if dir == Dir::Response && r.one_way {
                    continue;
                }
                let slot = &mut counts[dir as usize];
                slot.1 += 1;
                let failed = r.problems.get(&dir);
                if failed.is_none() {
                    slot.0 += 1;
                }
                let listed = EXCUSED
                    .iter()
                    .find(|(e, op, d, _)| *e == entry.name && (*op == r.label || *op == "*") && *d == dir.label());
                match (failed, listed) {
                    (Some(_), Some(_)) => excused += 1,
                    (Some(p), None) => {
                        unexpected.push(format!("{} {} {}:\n  {}", entry.name, r.label, dir.label(), p.join("\n  ")))
                    }
                    (None, Some((_, _, _, why))) => fixed.push(format!(
                        "{} {} {} passes now: remove it from EXCUSED ({why})",
                        entry.name,
                        r.label,
                        dir.label()
                    )),
                    (None, None) => {}
                }
            }
        }
        for (e, op, _, _) in EXCUSED.iter().filter(|(e, ..)| *e == entry.name) {
            assert!(
                *op == "*" || outcome.results.iter().any(|r| r.label == *op),
                "EXCUSED names no operation: {e} {op}"
            );
        }
        let mut line = format!(
            "{}: requests validated {}/{}, responses round-tripped {}/{}, through the server {}/{}",
            entry.name, counts[0].0, counts[0].1, counts[1].0, counts[1].1, counts[2].0, counts[2].1
        );
        if one_way > 0 {
            line.push_str(&format!(" ({one_way} one-way)"));
        }
        if excused > 0 {
            line.push_str(&format!(", {excused} excused"));
        }
        report(&line);
        for p in &outcome.problems {
            unexpected.push(format!("{}: {p}", entry.name));
        }
        total_excused += excused;
        req_ok += counts[0].0;
        req_n += counts[0].1;
        resp_ok += counts[1].0;
        resp_n += counts[1].1;
        server_ok += counts[2].0;
        server_n += counts[2].1;
    }
    report(&format!(
        "corpus operations ({} WSDLs): requests validated {req_ok}/{req_n}, responses round-tripped {resp_ok}/{resp_n}, through the server {server_ok}/{server_n}, {total_excused} excused",
        ENTRIES.len(),
    ));
    for (entry, op, dir, why) in EXCUSED {
        report(&format!("  excused: {entry} {op} {dir}: {why}"));
    }
    let shown: Vec<&String> = unexpected.iter().take(60).collect();
    assert!(
        unexpected.is_empty() && fixed.is_empty(),
        "{} unexpected failures (first {} shown):\n{}\n{}",
        unexpected.len(),
        shown.len(),
        shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n"),
        fixed.join("\n")
    );
}

/// `mpqf.xsd` declares `<attribute name=" TargetMediaPath" .../>`: the name is an `NCName`,
/// whose whitespace is collapsed, so the attribute is `TargetMediaPath`. (libxml2 keeps the
/// space and so rejects any instance with the attribute; the instance writer leaves it out.)
#[test]
fn attribute_names_are_whitespace_collapsed() {
    use onvif_federatedsearch::QueryByMedia;
    let mpqf = "urn:mpeg:mpqf:schema:2008";
    let xml = format!(
        "<q:Query xmlns:q=\"{mpqf}\" TargetMediaPath=\"/a/b\"><q:MediaResourceREF>r1</q:MediaResourceREF></q:Query>"
    );
    let value: QueryByMedia = from_xml(xml.as_bytes(), mpqf, "Query").expect("decodes");
    assert_eq!(value.target_media_path.as_deref(), Some("/a/b"));
}

// The rpc/encoded entry, the corpus entry the generator refuses, and the clients of a few that it
// accepts (the modules above compile every generated entry: that is the compile-and-clippy check).

fn corpus_file(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus").join(path)
}

mod ericsson_evac {
    include!(concat!(env!("OUT_DIR"), "/corpus/ericsson-evac/bindings.rs"));
}

/// The rpc/encoded entry (Apache Axis 1, `soapenc:` types): not an instance of its schema on the
/// wire, so not run through the checks above; instead both operations go through the generated
/// client and server, and a reply written as Axis writes one (every struct a multi-reference
/// value) decodes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rpc_encoded_entry_round_trips_through_the_generated_server() {
    use ericsson_evac::*;
    use wsdlgen_runtime::server::{Request, serve};

    struct Provider;
    impl SyncNotifySpServiceService for Provider {
        async fn e_order_relation_update_notify(
            &self,
            request: Request<EOrderRelationUpdateNotify, SyncNotifySpServiceRequestHeaders>,
        ) -> SyncNotifySpServiceResult<EOrderRelationUpdateNotifyResponse> {
            let req = request.body.e_order_relation_update_notify_request;
            let result_code = req.update_type.unwrap_or(-1) * 10 + i32::from(req.content.is_none());
            let rsp = EOrderRelationUpdateNotifyRsp { record_sequence_id: req.record_sequence_id, result_code };
            Ok(EOrderRelationUpdateNotifyResponse { e_order_relation_update_notify_response: rsp }.into())
        }
    }

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/services/ESyncNotifySP", listener.local_addr().unwrap());
    let server = tokio::spawn(serve(listener, SyncNotifySpServiceServer::new(Provider).into_service()));
    let client = SyncNotifySpServiceClient::new(&url);
    let request = EOrderRelationUpdateNotifyReq {
        record_sequence_id: Some("seq-1 <&>".into()),
        update_type: Some(2),
        content: None,
        ..Default::default()
    };
    let rsp = client.e_order_relation_update_notify(request).await.unwrap();
    assert_eq!(rsp, EOrderRelationUpdateNotifyRsp { record_sequence_id: Some("seq-1 <&>".into()), result_code: 21 });
    // The operation the provider does not implement: the server's fault.
    let e = client.e_mem_order_relation_update_notify(Default::default()).await.unwrap_err();
    assert!(e.to_string().contains("not implemented"), "{e}");
    server.abort();

    // A reply as Axis 1 writes it.
    let axis = r##"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><ns1:eOrderRelationUpdateNotifyResponse soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xmlns:ns1="http://spclient.evac.ericsson.com"><eOrderRelationUpdateNotifyResponse href="#id0"/></ns1:eOrderRelationUpdateNotifyResponse><multiRef id="id0" soapenc:root="0" soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xsi:type="ns2:EOrderRelationUpdateNotifyRsp" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:ns2="http://rsp.spclient.evac.ericsson.com"><RecordSequenceID xsi:type="soapenc:string">seq-9</RecordSequenceID><ResultCode href="#id1"/></multiRef><multiRef id="id1" soapenc:root="0" soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xsi:type="xsd:int" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">0</multiRef></soapenv:Body></soapenv:Envelope>"##;
    let reply = wsdlgen_runtime::codegen::decode_response::<EOrderRelationUpdateNotify>(
        axis.as_bytes(),
        DecodeLimits::default(),
    )
    .unwrap();
    let rsp = reply.body.e_order_relation_update_notify_response;
    assert_eq!(rsp, EOrderRelationUpdateNotifyRsp { record_sequence_id: Some("seq-9".into()), result_code: 0 });
}

mod interop3_rpcenc {
    include!(concat!(env!("OUT_DIR"), "/corpus/soapbuilders-interop3-rpcenc/bindings.rs"));
}

mod interop4_complex_rpcenc {
    include!(concat!(env!("OUT_DIR"), "/corpus/soapbuilders-interop4-complex-rpcenc/bindings.rs"));
}

/// SOAPBuilders interop round 3, rpc/encoded: a string, a `soapenc:Array` of strings, a struct and
/// nothing, echoed by the generated server to the generated client (the output messages have no
/// `soap:body` of their own: encoded like the input).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interop_round_3_rpc_encoded_echoes() {
    use interop3_rpcenc::*;
    use wsdlgen_runtime::server::{Request, serve};

    struct Echo;
    type Req<T> = Request<T, WsdlInteropTestRpcEncPortTypeRequestHeaders>;
    impl WsdlInteropTestRpcEncPortTypeService for Echo {
        async fn echo_string(&self, r: Req<EchoString>) -> WsdlInteropTestRpcEncPortTypeResult<EchoStringResponse> {
            Ok(EchoStringResponse { r#return: r.body.param0 }.into())
        }
        async fn echo_string_array(
            &self,
            r: Req<EchoStringArray>,
        ) -> WsdlInteropTestRpcEncPortTypeResult<EchoStringArrayResponse> {
            Ok(EchoStringArrayResponse { r#return: r.body.param0 }.into())
        }
        async fn echo_struct(&self, r: Req<EchoStruct>) -> WsdlInteropTestRpcEncPortTypeResult<EchoStructResponse> {
            Ok(EchoStructResponse { r#return: r.body.param0 }.into())
        }
        async fn echo_void(&self, _: Req<EchoVoid>) -> WsdlInteropTestRpcEncPortTypeResult<EchoVoidResponse> {
            Ok(EchoVoidResponse {}.into())
        }
    }

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/interop", listener.local_addr().unwrap());
    let server = tokio::spawn(serve(listener, WsdlInteropTestRpcEncPortTypeServer::new(Echo).into_service()));
    let client = WsdlInteropTestRpcEncPortTypeClient::new(&url);
    assert_eq!(client.echo_string("<&> ünï".into()).await.unwrap(), "<&> ünï");
    let strings = vec!["a".to_owned(), String::new(), "c d".to_owned()];
    assert_eq!(client.echo_string_array(strings.clone()).await.unwrap(), strings);
    assert_eq!(client.echo_string_array(Vec::new()).await.unwrap(), Vec::<String>::new());
    let value = SoapStruct { var_float: -1.5, var_int: 7, var_string: "s".into() };
    assert_eq!(client.echo_struct(value.clone()).await.unwrap(), value);
    client.echo_void().await.unwrap();
    server.abort();
}

/// SOAPBuilders interop round 4, group H, rpc/encoded: faults whose detail parts have `type=`,
/// of types derived from each other (told apart by `xsi:type`), sent by the generated server as
/// the handler's declared fault and read back by the generated client's `{Operation}Fault`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interop_round_4_rpc_encoded_typed_faults() {
    use interop4_complex_rpcenc::*;
    use wsdlgen_runtime::server::{HandlerError, Request, serve};

    struct Faulty;
    impl ComplexRpcEncPortTypeService for Faulty {
        async fn echo_multiple_faults2(
            &self,
            r: Request<EchoMultipleFaults2, ComplexRpcEncPortTypeRequestHeaders>,
        ) -> ComplexRpcEncPortTypeResult<EchoMultipleFaults2Response, EchoMultipleFaults2Fault> {
            let b = r.body;
            Err(HandlerError::declared(match b.which_fault {
                1 => EchoMultipleFaults2Fault::ComplexFault1(b.param1),
                2 => EchoMultipleFaults2Fault::ComplexFault2(b.param2),
                _ => EchoMultipleFaults2Fault::ComplexFault3(b.param3),
            }))
        }
    }

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/interop", listener.local_addr().unwrap());
    let server = tokio::spawn(serve(listener, ComplexRpcEncPortTypeServer::new(Faulty).into_service()));
    let client = ComplexRpcEncPortTypeClient::new(&url);
    let base = BaseStruct { float_message: 0.5, short_message: -3 };
    let extended = ExtendedStruct {
        float_message: 1.25,
        short_message: 4,
        string_message: "ext <&>".into(),
        int_message: 5,
        another_int_message: 6,
    };
    let more = MoreExtendedStruct {
        float_message: 2.0,
        short_message: 7,
        string_message: "more".into(),
        int_message: 8,
        another_int_message: 9,
        boolean_message: true,
    };
    // A base-typed parameter given a derived value (xsi:type), and each fault in turn.
    let param1 = AnyBaseStruct::MoreExtendedStruct(more.clone());
    let param2 = AnyExtendedStruct::ExtendedStruct(extended.clone());
    for which in 1..=3 {
        let e = client.echo_multiple_faults2(which, param1.clone(), param2.clone(), more.clone()).await.unwrap_err();
        let wsdlgen_runtime::Error::Fault(fault) = e else { panic!("{e:?}") };
        let got = EchoMultipleFaults2Fault::from_fault(&fault).expect("a declared fault").expect("decodes");
        let want = match which {
            1 => EchoMultipleFaults2Fault::ComplexFault1(param1.clone()),
            2 => EchoMultipleFaults2Fault::ComplexFault2(param2.clone()),
            _ => EchoMultipleFaults2Fault::ComplexFault3(more.clone()),
        };
        assert_eq!(got, want, "fault {which}");
    }
    // The default answer of an operation the handler does not implement.
    let e = client.echo_base_struct_fault(AnyBaseStruct::BaseStruct(base)).await.unwrap_err();
    assert!(e.to_string().contains("not implemented"), "{e}");
    server.abort();
}

#[test]
fn a_malformed_file_is_refused_with_its_position() {
    let e = wsdlgen::Builder::new().generate(corpus_file("intuit-qbwc/qbws.wsdl")).unwrap_err().to_string();
    assert!(e.contains("qbws.wsdl:14:1: not well-formed XML"), "{e}");
}

#[test]
fn asmx_services_have_soap11_clients() {
    assert_eq!(cdyne_weather::WeatherSoapClient::SOAP_VERSION, wsdlgen_runtime::SoapVersion::Soap11);
    assert_eq!(afip_wsfe::ServiceSoapClient::SOAP_VERSION, wsdlgen_runtime::SoapVersion::Soap11);
}

#[test]
fn onvif_is_soap12_and_keeps_any_content() {
    assert_eq!(onvif_devicemgmt::DeviceClient::SOAP_VERSION, wsdlgen_runtime::SoapVersion::Soap12);
}

/// A handler's declared `wsdl:fault` (JAX-WS's `AddNumbersException`) goes out as the fault's
/// typed detail, in both SOAP versions, and the generated client's `{Operation}Fault` reads back
/// exactly the value the handler returned.
#[test]
fn a_declared_fault_reaches_the_client_as_the_handler_returned_it() {
    use jaxws_addnumbers::{AddNumbers, AddNumbersException, AddNumbersFault};
    use wsdlgen_runtime::server::HandlerError;
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a tokio runtime");
    for version in [SoapVersion::Soap11, SoapVersion::Soap12] {
        let sent =
            AddNumbersException { detail: Some("-1 + 2".into()), message: Some("negative <input> & more".into()) };
        let request = AddNumbers { arg0: -1, arg1: 2 };
        let envelope = wsdlgen_runtime::codegen::encode_request(version, &request, &Default::default());
        let fault = AddNumbersFault::AddNumbersException(sent.clone());
        let reply = runtime
            .block_on(handle::<AddNumbers, _, _>(Call::new(envelope, version, ""), move |_| async move {
                Err(HandlerError::declared(fault))
            }));
        assert_eq!(reply.status, 500, "{}", String::from_utf8_lossy(&reply.body));
        match wsdlgen_runtime::codegen::decode_response::<AddNumbers>(&reply.body, DecodeLimits::default()) {
            Err(wsdlgen_runtime::Error::Fault(f)) => {
                assert_eq!(f.version, version);
                let got = AddNumbersFault::from_fault(&f).expect("a declared fault").expect("its detail decodes");
                assert_eq!(got, AddNumbersFault::AddNumbersException(sent));
            }
            other => panic!("expected a fault, got {other:?}"),
        }
    }
}
