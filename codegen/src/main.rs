//! The `wsdlgen` command line: generate bindings, check checked-in bindings, inspect a WSDL,
//! compare two versions of a WSDL.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  wsdlgen --version
  wsdlgen generate <WSDL> [-o <FILE.rs>] [--operation NAME]... [--runtime-path PATH]
                   [--service-error SUCCESS,DETAIL[,MESSAGE]] [--secret TYPE.FIELD]... [--soap-version 1.1|1.2]
                   [--location URI=FILE]... [--server] [--blocking] [--no-client] [--no-format] [--check] [--timings]
  wsdlgen inspect <WSDL> [--location URI=FILE]...
  wsdlgen diff <OLD.wsdl> <NEW.wsdl> [--format text|json] [--fail-on api|wire|any|none] [--docs]
                   [--operation NAME]... [--location URI=FILE]...

generate   writes the Rust bindings for WSDL to FILE.rs (stdout without -o).
           --operation NAME   only this operation and the types it reaches (repeatable)
           --runtime-path P   how generated code names the runtime crate (default ::wsdlgen_runtime)
           --service-error S,D[,M]
                              report `S == false` response headers as a typed error carrying
                              header D (whose field M is its message)
           --secret T.F       also print field F of type T as <redacted> in Debug (repeatable;
                              fields named like Password, Ticket, Token, Secret already are)
           --soap-version V   make every client default to SOAP 1.1 or 1.2, whatever its binding says
           --location U=F     read the document an import names by the remote location U from the
                              local file F (nothing is fetched); a U ending in `/` maps every
                              location under it into the directory F (repeatable)
           --server           also generate a service trait and a server per port type
                              (needs the runtime's `server` feature)
           --blocking         also generate a blocking client per port type, in a module
                              `blocking` (needs the runtime's `blocking` feature)
           --no-client        generate no client: types, header sets, operations and faults only
           --no-format        write unformatted tokens
           --check            write nothing; exit 1 if FILE.rs differs from what would be generated
           --timings          print the time each stage took
inspect    lists services, ports, bindings, operations (SOAP action, headers) and types.
diff       reports what changes from OLD to NEW in the generated Rust and on the wire: each change
           classified for the Rust API (does code written against the old bindings compile?) and
           the wire both ways (old client -> new service, new client -> old service).
           --format F         text (default) or json (a stable schema, see the README)
           --fail-on A        exit 1 when a change breaks: api, wire, any (default) or none
           --docs             also report changes of documentation only
           --operation NAME   only this operation and the types it reaches (repeatable)
           --location U=F     as for generate
           Exit status: 0 nothing breaks on the chosen axis, 1 something does, 2 usage or input errors.
--version  prints the version.";

struct GenerateArgs {
    wsdl: PathBuf,
    output: Option<PathBuf>,
    operations: Vec<String>,
    runtime_path: Option<String>,
    service_error: Option<(String, String, Option<String>)>,
    secrets: Vec<String>,
    soap_version: Option<wsdlgen::SoapVersion>,
    locations: wsdlgen::Locations,
    format: bool,
    server: bool,
    blocking: bool,
    client: bool,
    check: bool,
    timings: bool,
}

struct DiffArgs {
    old: PathBuf,
    new: PathBuf,
    json: bool,
    fail_on: wsdlgen::FailOn,
    docs: bool,
    operations: Vec<String>,
    locations: wsdlgen::Locations,
}

enum Command {
    Generate(GenerateArgs),
    Diff(DiffArgs),
    Inspect(PathBuf, wsdlgen::Locations),
    Help,
    Version,
}

fn parse_args() -> Result<Command, lexopt::Error> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let command = match parser.next()? {
        Some(Value(v)) => v.string()?,
        Some(Long("help") | Short('h')) | None => return Ok(Command::Help),
        Some(Long("version") | Short('V')) => return Ok(Command::Version),
        Some(other) => return Err(other.unexpected()),
    };
    match command.as_str() {
        "generate" => {
            let mut wsdl = None;
            let mut args = GenerateArgs {
                wsdl: PathBuf::new(),
                output: None,
                operations: Vec::new(),
                runtime_path: None,
                service_error: None,
                secrets: Vec::new(),
                soap_version: None,
                locations: Default::default(),
                format: true,
                server: false,
                blocking: false,
                client: true,
                check: false,
                timings: false,
            };
            while let Some(arg) = parser.next()? {
                match arg {
                    Short('o') | Long("output") => args.output = Some(parser.value()?.into()),
                    Long("operation") => args.operations.push(parser.value()?.string()?),
                    Long("runtime-path") => args.runtime_path = Some(parser.value()?.string()?),
                    Long("service-error") => {
                        let v = parser.value()?.string()?;
                        let mut parts = v.split(',').map(str::to_owned);
                        let (Some(s), Some(d)) = (parts.next(), parts.next()) else {
                            return Err("--service-error takes SUCCESS,DETAIL[,MESSAGE]".into());
                        };
                        args.service_error = Some((s, d, parts.next()));
                    }
                    Long("secret") => args.secrets.push(parser.value()?.string()?),
                    Long("soap-version") => {
                        args.soap_version = Some(match parser.value()?.string()?.as_str() {
                            "1.1" => wsdlgen::SoapVersion::Soap11,
                            "1.2" => wsdlgen::SoapVersion::Soap12,
                            other => return Err(format!("--soap-version takes 1.1 or 1.2, not `{other}`").into()),
                        })
                    }
                    Long("location") => add_location(&mut args.locations, parser.value()?.string()?)?,
                    Long("no-format") => args.format = false,
                    Long("server") => args.server = true,
                    Long("blocking") => args.blocking = true,
                    Long("no-client") => args.client = false,
                    Long("check") => args.check = true,
                    Long("timings") => args.timings = true,
                    Long("help") | Short('h') => return Ok(Command::Help),
                    Value(v) if wsdl.is_none() => wsdl = Some(PathBuf::from(v)),
                    other => return Err(other.unexpected()),
                }
            }
            args.wsdl = wsdl.ok_or("missing <WSDL>")?;
            if args.check && args.output.is_none() {
                return Err("--check needs -o <FILE.rs>: the file to compare".into());
            }
            Ok(Command::Generate(args))
        }
        "inspect" => {
            let mut wsdl = None;
            let mut locations = wsdlgen::Locations::new();
            while let Some(arg) = parser.next()? {
                match arg {
                    Long("location") => add_location(&mut locations, parser.value()?.string()?)?,
                    Value(v) if wsdl.is_none() => wsdl = Some(PathBuf::from(v)),
                    Long("help") | Short('h') => return Ok(Command::Help),
                    other => return Err(other.unexpected()),
                }
            }
            Ok(Command::Inspect(wsdl.ok_or("missing <WSDL>")?, locations))
        }
        "diff" => {
            let mut files = Vec::new();
            let mut args = DiffArgs {
                old: PathBuf::new(),
                new: PathBuf::new(),
                json: false,
                fail_on: wsdlgen::FailOn::Any,
                docs: false,
                operations: Vec::new(),
                locations: wsdlgen::Locations::new(),
            };
            while let Some(arg) = parser.next()? {
                match arg {
                    Long("format") => {
                        args.json = match parser.value()?.string()?.as_str() {
                            "text" => false,
                            "json" => true,
                            other => return Err(format!("--format takes text or json, not `{other}`").into()),
                        }
                    }
                    Long("fail-on") => {
                        args.fail_on = match parser.value()?.string()?.as_str() {
                            "api" => wsdlgen::FailOn::Api,
                            "wire" => wsdlgen::FailOn::Wire,
                            "any" => wsdlgen::FailOn::Any,
                            "none" => wsdlgen::FailOn::None,
                            other => {
                                return Err(format!("--fail-on takes api, wire, any or none, not `{other}`").into());
                            }
                        }
                    }
                    Long("docs") => args.docs = true,
                    Long("operation") => args.operations.push(parser.value()?.string()?),
                    Long("location") => add_location(&mut args.locations, parser.value()?.string()?)?,
                    Long("help") | Short('h') => return Ok(Command::Help),
                    Value(v) if files.len() < 2 => files.push(PathBuf::from(v)),
                    other => return Err(other.unexpected()),
                }
            }
            let mut files = files.into_iter();
            args.old = files.next().ok_or("missing <OLD.wsdl>")?;
            args.new = files.next().ok_or("missing <NEW.wsdl>")?;
            Ok(Command::Diff(args))
        }
        "help" => Ok(Command::Help),
        other => Err(format!("unknown command `{other}`").into()),
    }
}

/// `URI=FILE`, split at the last `=` (a URI may hold `=`, as in `Service?xsd=1`).
fn add_location(locations: &mut wsdlgen::Locations, value: String) -> Result<(), lexopt::Error> {
    match value.rsplit_once('=') {
        Some((uri, file)) if !uri.is_empty() && !file.is_empty() => {
            locations.insert(uri, file);
            Ok(())
        }
        _ => Err(format!("--location takes URI=FILE, not `{value}`").into()),
    }
}

fn main() -> ExitCode {
    let command = match parse_args() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("wsdlgen: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match command {
        Command::Help => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Command::Version => {
            println!("wsdlgen {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Command::Generate(args) => generate(args),
        Command::Inspect(wsdl, locations) => inspect(&wsdl, locations),
        Command::Diff(args) => {
            return match diff(args) {
                Ok(code) => code,
                Err(e) => {
                    // An input that cannot be compared is trouble, not a finding: status 2, as
                    // `diff` has it.
                    eprintln!("wsdlgen: error: {e}");
                    ExitCode::from(2)
                }
            };
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("wsdlgen: error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn generate(args: GenerateArgs) -> Result<ExitCode, wsdlgen::Error> {
    let mut builder = wsdlgen::Builder::new();
    builder
        .format(args.format)
        .server(args.server)
        .blocking(args.blocking)
        .client(args.client)
        .emit_rerun_if_changed(false);
    if !args.operations.is_empty() {
        builder.operations(args.operations);
    }
    if let Some(path) = &args.runtime_path {
        builder.runtime_path(path)?;
    }
    builder.secrets(args.secrets).locations(args.locations);
    if let Some(version) = args.soap_version {
        builder.soap_version(version);
    }
    if let Some((success, detail, message)) = &args.service_error {
        builder.service_error(success.as_str(), detail.as_str(), message.as_deref());
    }
    let generated = builder.generate(&args.wsdl)?;
    if args.timings {
        let t = generated.timings;
        eprintln!(
            "wsdlgen: read {:.1} ms, resolve {:.1} ms, emit {:.1} ms, format {:.1} ms",
            t.read.as_secs_f64() * 1e3,
            t.resolve.as_secs_f64() * 1e3,
            t.emit.as_secs_f64() * 1e3,
            t.format.as_secs_f64() * 1e3
        );
    }
    let Some(output) = args.output else {
        print!("{}", generated.code);
        return Ok(ExitCode::SUCCESS);
    };
    if args.check {
        let current = std::fs::read(&output).unwrap_or_default();
        if current != generated.code.as_bytes() {
            eprintln!(
                "wsdlgen: {} is stale: it differs from what {} generates; run the same command without --check to update it",
                output.display(),
                args.wsdl.display()
            );
            return Ok(ExitCode::FAILURE);
        }
        eprintln!("wsdlgen: {} is up to date", output.display());
        return Ok(ExitCode::SUCCESS);
    }
    let changed = generated.write_if_changed(&output)?;
    let lines = generated.code.lines().count();
    eprintln!("wsdlgen: {} {} ({lines} lines)", if changed { "wrote" } else { "unchanged:" }, output.display());
    Ok(ExitCode::SUCCESS)
}

fn diff(args: DiffArgs) -> Result<ExitCode, wsdlgen::Error> {
    let mut builder = wsdlgen::Builder::new();
    builder.locations(args.locations);
    if !args.operations.is_empty() {
        builder.operations(args.operations);
    }
    let report = builder.diff(&args.old, &args.new)?;
    if args.json {
        print!("{}", report.to_json(args.docs));
    } else {
        print!("{}", report.to_text(args.docs));
    }
    Ok(if report.breaks(args.fail_on) { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn inspect(wsdl: &std::path::Path, locations: wsdlgen::Locations) -> Result<ExitCode, wsdlgen::Error> {
    print!("{}", wsdlgen::Builder::new().locations(locations).inspect(wsdl)?);
    Ok(ExitCode::SUCCESS)
}
