//! Schema-aware mutants of real WSDLs through the whole generator (read, resolve, emit, format).
//!
//! Each seed (`wsdl/`, `tests/wsdl/`, `tests/corpus/`) is parsed into a tree, mutated the way
//! `fuzz/src/wsdl_mutate.rs` describes (compositors swapped, emptied, nested; occurrences and
//! flags changed; references swapped, re-pointed, left dangling; definitions deleted; cycles
//! through types, derivations, groups, attribute groups and substitution groups; binding styles,
//! uses and SOAP versions changed), written back out and generated. The oracle
//! (`fuzz/src/oracle.rs`): bindings that parse as Rust, or an error that names `file:line:col`;
//! never a panic, never more than 10 s, never a stack overflow (each run has a bounded stack; an
//! overflow aborts the test, which fails it).
//!
//! `mutants_of_the_real_wsdls` is the fixed-seed property test (part of `cargo test`, about a
//! minute in a debug build). `long_run` (ignored; `fuzz/run.sh mutants SECONDS` runs it in a
//! release build) keeps mutating for `WSDL_MUTANTS_SECONDS`, builds on mutants that gave an
//! outcome not seen before, `cargo check`s a generated mutant against the runtime now and then,
//! and writes what it found to `WSDL_MUTANTS_WORK`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[path = "../../fuzz/src/oracle.rs"]
mod oracle;
#[path = "../../fuzz/src/wsdl_mutate.rs"]
mod wsdl_mutate;
#[path = "../../fuzz/src/xml_mutate.rs"]
#[allow(dead_code)]
mod xml_mutate;

use oracle::Outcome;
use xml_mutate::Rng;

/// A run longer than this is a failure (a hang, or work that grows too fast with the input).
const TIMEOUT: Duration = Duration::from_secs(10);
/// The stack of each run: far more than the generator's bounded recursion needs (256 levels),
/// small enough that unbounded recursion overflows it (which aborts the process).
const STACK: usize = 64 << 20;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A seed document: its path (imports are read next to it) and its text.
struct Seed {
    path: PathBuf,
    text: String,
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "wsdl")
            || path.file_name().is_some_and(|n| n == "campaignmanagement_service.xml")
        {
            out.push(path);
        }
    }
}

/// The WSDLs (not the schemas they import) of the repository, sorted, at most `max_len` bytes.
fn seeds(max_len: usize) -> Vec<Seed> {
    let mut paths = Vec::new();
    for dir in ["wsdl", "tests/wsdl", "tests/corpus"] {
        files(&root().join(dir), &mut paths);
    }
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            (text.len() <= max_len && wsdl_mutate::parse(&text).is_some()).then_some(Seed { path, text })
        })
        .collect()
}

/// What went wrong with one mutant.
#[derive(Debug)]
enum Failure {
    Panic(String),
    Bug(String),
    Timeout,
}

impl Failure {
    /// What tells two failures apart: the place of a panic, the shape of a message.
    fn signature(&self) -> String {
        match self {
            Failure::Panic(m) => {
                let location = m.split_once("panicked at ").map_or(m.as_str(), |(_, rest)| rest);
                format!("panic at {}", location.lines().next().unwrap_or_default().trim_end_matches(':'))
            }
            Failure::Bug(m) => format!("bug: {}", shape(m)),
            Failure::Timeout => "timeout".to_owned(),
        }
    }
}

/// A message with its position, names and numbers taken out: the kind of error it is.
fn shape(message: &str) -> String {
    let body =
        if oracle::has_position(message) { message.split_once(": ").map_or(message, |(_, m)| m) } else { message };
    // The place of a first definition, of a file: not the kind of error.
    let body = body.split(" (first at ").next().unwrap_or(body);
    let body = body.split(" /").next().unwrap_or(body);
    let mut out = String::new();
    let mut quote: Option<char> = None;
    // After `{namespace}`, the local name that follows is a name too.
    let mut in_local = false;
    for c in body.chars() {
        if in_local && (c.is_alphanumeric() || matches!(c, '_' | '-' | '.')) {
            continue;
        }
        in_local = false;
        match (quote, c) {
            (Some('}'), '}') => {
                quote = None;
                in_local = true;
            }
            (None, '`') => {
                quote = Some('`');
                out.push_str("`_`");
            }
            (None, '{') => {
                quote = Some('}');
                out.push_str("{_}");
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, c) if c.is_ascii_digit() => {
                if !out.ends_with('#') {
                    out.push('#');
                }
            }
            (None, c) => out.push(c),
        }
    }
    // A message that names a definition without quotes (`type T is ...`): the first words are its kind.
    out.split_whitespace().take(12).collect::<Vec<_>>().join(" ")
}

thread_local! {
    static PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Panics on the generator's threads are recorded (with their place), not printed.
fn quiet_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() == Some("generate") {
                PANIC.with(|p| *p.borrow_mut() = Some(info.to_string()));
            } else {
                default(info);
            }
        }));
    });
}

/// Generates `text` (named `path`) on a thread of its own with a bounded stack, waiting at most
/// [`TIMEOUT`]. A run that times out is left behind (a thread cannot be stopped).
fn run(path: &Path, text: String) -> Result<Outcome, Failure> {
    quiet_panics();
    let (tx, rx) = mpsc::channel();
    let path = path.to_owned();
    std::thread::Builder::new()
        .name("generate".into())
        .stack_size(STACK)
        .spawn(move || {
            let envelope = root().join("tests/wsdl/soap11-envelope.xsd");
            // The corpus's one remote import (the WS-I sample's), read from its local copy.
            let locations = [("http://schemas.xmlsoap.org/soap/envelope/", envelope.as_path())];
            let result = std::panic::catch_unwind(|| oracle::generate_outcome(&path, &text, &locations));
            let result = result.map_err(|_| PANIC.with(|p| p.borrow_mut().take()).unwrap_or_default());
            let _ = tx.send(result);
        })
        .expect("spawn a generator thread");
    match rx.recv_timeout(TIMEOUT) {
        Ok(Ok(Outcome::Bug(message))) => Err(Failure::Bug(message)),
        Ok(Ok(outcome)) => Ok(outcome),
        Ok(Err(panic)) => Err(Failure::Panic(panic)),
        Err(_) => Err(Failure::Timeout),
    }
}

/// Counts of outcomes: how far mutants got, and the kinds of refusal.
#[derive(Default)]
struct Stats {
    mutants: u64,
    generated: u64,
    refused_read: u64,
    refused_resolve: u64,
    failures: u64,
    kinds: BTreeMap<String, u64>,
}

impl Stats {
    fn count(&mut self, result: &Result<Outcome, Failure>) -> Option<String> {
        self.mutants += 1;
        let kind = match result {
            Ok(Outcome::Generated(_)) => {
                self.generated += 1;
                "generated".to_owned()
            }
            Ok(Outcome::Refused { stage, message }) => {
                if *stage == "read" {
                    self.refused_read += 1;
                } else {
                    self.refused_resolve += 1;
                }
                format!("{stage}: {}", shape(message))
            }
            Ok(Outcome::Bug(_)) => unreachable!("run() turns a bug into a failure"),
            Err(f) => {
                self.failures += 1;
                f.signature()
            }
        };
        let n = self.kinds.entry(kind.clone()).or_default();
        *n += 1;
        (*n == 1).then_some(kind)
    }

    fn report(&self, elapsed: Duration) -> String {
        let pct = |n: u64| 100.0 * n as f64 / self.mutants.max(1) as f64;
        let mut out = format!(
            "{} mutants in {:.0} s ({:.1}/s): generated {} ({:.1}%), refused by read {} ({:.1}%), by resolve {} ({:.1}%), \
             failures {}; reached resolve {:.1}%, emit and format {:.1}%; {} distinct outcomes\n",
            self.mutants,
            elapsed.as_secs_f64(),
            self.mutants as f64 / elapsed.as_secs_f64().max(0.001),
            self.generated,
            pct(self.generated),
            self.refused_read,
            pct(self.refused_read),
            self.refused_resolve,
            pct(self.refused_resolve),
            self.failures,
            pct(self.generated + self.refused_resolve),
            pct(self.generated),
            self.kinds.len(),
        );
        let mut kinds: Vec<(&String, &u64)> = self.kinds.iter().collect();
        kinds.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (kind, n) in kinds {
            out.push_str(&format!("{n:>8}  {kind}\n"));
        }
        out
    }
}

/// The fixed-seed property test: every seed up to 64 KB, `PER_SEED` mutants each (1-3 stacked
/// mutations), the same ones on every run. About a minute in a debug build.
#[test]
fn mutants_of_the_real_wsdls() {
    const PER_SEED: usize = 32;
    let seeds = seeds(64 << 10);
    assert!(seeds.len() >= 15, "expected the corpus and fixture WSDLs, found {}", seeds.len());
    let mut rng = Rng::new(0x5EED_F3D5);
    let mut stats = Stats::default();
    let mut failures = Vec::new();
    let start = Instant::now();
    for seed in &seeds {
        for i in 0..PER_SEED {
            let rounds = 1 + rng.below(3);
            let Some(mutant) = wsdl_mutate::mutate_wsdl(&seed.text, &mut rng, rounds) else { continue };
            let result = run(&seed.path, mutant.clone());
            stats.count(&result);
            if let Err(failure) = result {
                let out = std::env::temp_dir().join(format!(
                    "wsdl-mutant-{}-{i}.wsdl",
                    seed.path.file_stem().unwrap_or_default().to_string_lossy()
                ));
                std::fs::write(&out, &mutant).unwrap();
                failures.push(format!("{}: {failure:?} (mutant saved to {})", seed.path.display(), out.display()));
                if matches!(failure, Failure::Timeout) {
                    break;
                }
            }
        }
    }
    eprintln!("{}", stats.report(start.elapsed()));
    assert!(failures.is_empty(), "{} failing mutants:\n{}", failures.len(), failures.join("\n"));
    // The mutants do reach the later stages (a mutator that only broke the XML would not).
    assert!(stats.generated * 5 > stats.mutants, "too few mutants generate: {}", stats.report(start.elapsed()));
    assert!(stats.refused_resolve * 20 > stats.mutants, "too few mutants reach resolve");
}

/// `cargo check`s generated code against the runtime in a scratch crate under `work`.
fn compiles(work: &Path, code: &str) -> Result<(), String> {
    let dir = work.join("compile");
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let runtime = root().join("runtime");
    let manifest = format!(
        "[package]\nname = \"mutant-check\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nwsdlgen-runtime = {{ path = {:?} }}\n\n[workspace]\n",
        runtime.display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    if !dir.join("Cargo.lock").exists() {
        let _ = std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock"));
    }
    std::fs::write(dir.join("src/lib.rs"), "#![allow(warnings)]\npub mod generated;\n").map_err(|e| e.to_string())?;
    std::fs::write(dir.join("src/generated.rs"), code).map_err(|e| e.to_string())?;
    let out = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "--quiet", "--offline", "--message-format=short"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter(|l| l.contains("error"))
            .take(5)
            .collect::<Vec<_>>()
            .join("\n"))
    }
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The long run: `WSDL_MUTANTS_SECONDS` (default 60) of mutants from seed `WSDL_MUTANTS_SEED`,
/// results in `WSDL_MUTANTS_WORK` (default `<temp>/wsdl-mutants`): `stats.txt`, each distinct
/// failure as `failure-N.wsdl` with `failure-N.txt` (the seed it came from, what went wrong),
/// `inflight.wsdl` / `inflight.txt` (the mutant being generated: after an abort, a stack
/// overflow, that is the one; `fuzz/run.sh` saves it and starts again). A timeout ends the
/// process too (exit status 3): the stuck thread cannot be stopped.
#[test]
#[ignore = "the long run: fuzz/run.sh mutants SECONDS"]
fn long_run() {
    let seconds: u64 = env_or("WSDL_MUTANTS_SECONDS", 60);
    let seed: u64 = env_or("WSDL_MUTANTS_SEED", 1);
    let compile_every: u64 = env_or("WSDL_MUTANTS_COMPILE_SECONDS", 120);
    let work = std::env::var_os("WSDL_MUTANTS_WORK")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("wsdl-mutants"));
    std::fs::create_dir_all(&work).unwrap();
    let seeds = seeds(usize::MAX);
    let mut rng = Rng::new(seed);
    let mut stats = Stats::default();
    // Mutants whose outcome was new, to mutate further (the seed they came from, the text).
    let mut pool: Vec<(usize, String)> = Vec::new();
    let mut signatures: BTreeSet<String> = BTreeSet::new();
    let mut compile_checks = (0u64, 0u64);
    let mut last_compile = Instant::now();
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let mut last_report = Instant::now();
    while Instant::now() < deadline {
        let (index, base) = match pool.len() {
            n if n > 0 && rng.below(2) == 0 => pool[rng.below(n)].clone(),
            _ => {
                let i = rng.below(seeds.len());
                (i, seeds[i].text.clone())
            }
        };
        let seed_path = &seeds[index].path;
        let rounds = 1 + rng.below(4);
        let Some(mutant) = wsdl_mutate::mutate_wsdl(&base, &mut rng, rounds) else { continue };
        std::fs::write(work.join("inflight.wsdl"), &mutant).unwrap();
        std::fs::write(work.join("inflight.txt"), seed_path.display().to_string()).unwrap();
        let result = run(seed_path, mutant.clone());
        if let Some(_new) = stats.count(&result) {
            if pool.len() < 512 {
                pool.push((index, mutant.clone()));
            } else {
                let k = rng.below(pool.len());
                pool[k] = (index, mutant.clone());
            }
        }
        match &result {
            Err(failure) => {
                let signature = failure.signature();
                if signatures.insert(signature.clone()) {
                    let n = signatures.len();
                    std::fs::write(work.join(format!("failure-{n}.wsdl")), &mutant).unwrap();
                    std::fs::write(
                        work.join(format!("failure-{n}.txt")),
                        format!("seed: {}\n{signature}\n{failure:?}\n", seed_path.display()),
                    )
                    .unwrap();
                    eprintln!("new failure {n}: {signature}");
                }
                if matches!(failure, Failure::Timeout) {
                    std::fs::write(work.join("stats.txt"), stats.report(start.elapsed())).unwrap();
                    eprintln!("a run took more than {TIMEOUT:?}: stopping (the thread cannot be stopped)");
                    std::process::exit(3);
                }
            }
            Ok(Outcome::Generated(code)) if last_compile.elapsed() >= Duration::from_secs(compile_every) => {
                last_compile = Instant::now();
                compile_checks.0 += 1;
                if let Err(errors) = compiles(&work, code) {
                    compile_checks.1 += 1;
                    let signature = format!("does not compile: {}", shape(errors.lines().next().unwrap_or_default()));
                    if signatures.insert(signature.clone()) {
                        let n = signatures.len();
                        std::fs::write(work.join(format!("failure-{n}.wsdl")), &mutant).unwrap();
                        std::fs::write(
                            work.join(format!("failure-{n}.txt")),
                            format!("seed: {}\n{signature}\n{errors}\n", seed_path.display()),
                        )
                        .unwrap();
                        eprintln!("new failure {n}: {signature}");
                    }
                }
            }
            Ok(_) => {}
        }
        if last_report.elapsed() > Duration::from_secs(60) {
            last_report = Instant::now();
            let mut report = stats.report(start.elapsed());
            report.insert_str(0, &format!("compile checks: {} ({} failed)\n", compile_checks.0, compile_checks.1));
            std::fs::write(work.join("stats.txt"), report).unwrap();
        }
    }
    let mut report = stats.report(start.elapsed());
    report.insert_str(0, &format!("compile checks: {} ({} failed)\n", compile_checks.0, compile_checks.1));
    std::fs::write(work.join("stats.txt"), &report).unwrap();
    let _ = std::fs::remove_file(work.join("inflight.wsdl"));
    eprintln!("{report}");
    assert!(signatures.is_empty(), "distinct failures: {signatures:#?} (inputs in {})", work.display());
}
