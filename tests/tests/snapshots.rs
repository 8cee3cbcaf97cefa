//! Snapshots of generated code: every generator change shows up as a diff of these files.
//!
//! Regenerate them on purpose with `WSDLGEN_UPDATE_SNAPSHOTS=1 cargo test -p wsdlgen-tests --test snapshots`.
//! The snapshots themselves are compiled: the fixture tests (`mapping.rs`, `constructs.rs`, `rpc.rs`,
//! ...) `include!` the checked-in files, and `tests/snapshots_compile.rs` compiles the rest.

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The options `services87`'s build.rs uses, so the snapshot is what that crate compiles.
fn services87_builder() -> wsdlgen::Builder {
    let mut b = wsdlgen::Builder::new();
    b.service_error("Succeeded", "ExceptionInfo", Some("Message")).secrets(["Credential.Value"]);
    b
}

/// Every snapshot: (input WSDL relative to the workspace, snapshot file under
/// `tests/snapshots/`, the builder that makes it). One per fixture WSDL, so that every construct
/// the generator supports has reviewed output, and one per option that changes the output.
fn snapshots() -> Vec<(&'static str, &'static str, wsdlgen::Builder)> {
    let save_credential = || {
        let mut b = services87_builder();
        b.operations(["SaveCredential"]);
        b
    };
    vec![
        ("wsdl/Services87-User.wsdl", "Services87-User.rs", services87_builder()),
        ("wsdl/Services87-SoPrincipal.wsdl", "Services87-SoPrincipal.rs", services87_builder()),
        ("wsdl/Services87-User.wsdl", "Services87-User-SaveCredential.rs", save_credential()),
        ("tests/wsdl/mapping.wsdl", "mapping.rs", wsdlgen::Builder::new()),
        ("tests/wsdl/constructs.wsdl", "constructs.rs", wsdlgen::Builder::new()),
        ("tests/wsdl/rpc.wsdl", "rpc.rs", wsdlgen::Builder::new()),
        ("tests/wsdl/multi/service.wsdl", "multi-service.rs", wsdlgen::Builder::new()),
        ("tests/wsdl/redefine/service.wsdl", "redefine.rs", wsdlgen::Builder::new()),
        ("tests/wsdl/headers.wsdl", "headers.rs", {
            let mut b = wsdlgen::Builder::new();
            b.server(true);
            b
        }),
        ("tests/wsdl/typed_parts.wsdl", "typed_parts.rs", {
            let mut b = wsdlgen::Builder::new();
            b.server(true);
            b
        }),
        ("tests/wsdl/typed_header.wsdl", "typed_header.rs", {
            let mut b = wsdlgen::Builder::new();
            b.server(true);
            b
        }),
        ("tests/wsdl/bare_parts.wsdl", "bare_parts.rs", {
            let mut b = wsdlgen::Builder::new();
            b.server(true);
            b
        }),
        ("tests/wsdl/unmodelled.wsdl", "unmodelled.rs", {
            let mut b = wsdlgen::Builder::new();
            b.server(true);
            b
        }),
        ("tests/wsdl/encoded.wsdl", "encoded.rs", {
            let mut b = wsdlgen::Builder::new();
            b.server(true);
            b
        }),
        ("tests/wsdl/open.wsdl", "open.rs", wsdlgen::Builder::new()),
        ("tests/wsdl/dataset.wsdl", "dataset.rs", wsdlgen::Builder::new()),
        ("tests/wsdl/addressing.wsdl", "addressing.rs", wsdlgen::Builder::new()),
        ("tests/wsdl/degenerate.wsdl", "degenerate.rs", wsdlgen::Builder::new()),
        ("tests/wsdl/abstract.wsdl", "abstract.rs", {
            let mut b = wsdlgen::Builder::new();
            b.server(true);
            b
        }),
        // Options that change the output.
        ("wsdl/Services87-User.wsdl", "options/soap-version-1.2.rs", {
            let mut b = save_credential();
            b.soap_version(wsdlgen::SoapVersion::Soap12);
            b
        }),
        ("wsdl/Services87-User.wsdl", "options/server.rs", {
            let mut b = save_credential();
            b.server(true);
            b
        }),
        ("wsdl/Services87-User.wsdl", "options/blocking.rs", {
            let mut b = save_credential();
            b.blocking(true);
            b
        }),
        ("wsdl/Services87-User.wsdl", "options/no-client.rs", {
            let mut b = save_credential();
            b.client(false);
            b
        }),
        ("tests/wsdl/rpc.wsdl", "options/runtime-path.rs", {
            let mut b = wsdlgen::Builder::new();
            b.runtime_path("crate::soap_runtime").expect("a path");
            b
        }),
        ("tests/wsdl/rpc.wsdl", "options/unformatted.rs", {
            let mut b = wsdlgen::Builder::new();
            b.format(false);
            b
        }),
    ]
}

/// Compares the generator's output with every snapshot, or rewrites them all when
/// `WSDLGEN_UPDATE_SNAPSHOTS` is set. All differences are reported together.
#[test]
fn generated_code_matches_the_snapshots() {
    let update = std::env::var_os("WSDLGEN_UPDATE_SNAPSHOTS").is_some();
    let mut stale = Vec::new();
    for (wsdl, snapshot, builder) in snapshots() {
        let generated =
            builder.generate(workspace().join(wsdl)).unwrap_or_else(|e| panic!("{wsdl}: generation fails: {e}"));
        // The header names the input file only (not its directory), so output is the same everywhere.
        let path = workspace().join("tests/snapshots").join(snapshot);
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).expect("snapshot directory");
            std::fs::write(&path, &generated.code).expect("write snapshot");
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if expected != generated.code {
            let line = expected
                .lines()
                .zip(generated.code.lines())
                .position(|(a, b)| a != b)
                .map_or_else(|| expected.lines().count().min(generated.code.lines().count()) + 1, |i| i + 1);
            stale.push(format!(
                "{} (from {wsdl}) differs starting at line {line}:\n  snapshot:  {:?}\n  generated: {:?}",
                path.display(),
                expected.lines().nth(line - 1).unwrap_or(""),
                generated.code.lines().nth(line - 1).unwrap_or(""),
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nIf the change is intended, run `WSDLGEN_UPDATE_SNAPSHOTS=1 cargo test -p wsdlgen-tests --test snapshots` \
         and review the diff.",
        stale.join("\n")
    );
}

/// Every fixture WSDL has a snapshot: a fixture added without one fails here. A WSDL that
/// another fixture imports (`location="..."`) is covered by its importer.
#[test]
fn every_fixture_wsdl_has_a_snapshot() {
    let covered: Vec<PathBuf> = snapshots().iter().map(|(wsdl, _, _)| workspace().join(wsdl)).collect();
    let mut wsdls = Vec::new();
    let mut dirs = vec![workspace().join("tests/wsdl")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("tests/wsdl") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "wsdl") {
                wsdls.push(path);
            }
        }
    }
    let mut imported = Vec::new();
    for wsdl in &wsdls {
        let text = std::fs::read_to_string(wsdl).expect("fixture");
        for piece in text.split("location=\"").skip(1) {
            let location = &piece[..piece.find('"').expect("closing quote")];
            imported.push(wsdl.parent().unwrap().join(location));
        }
    }
    let missing: Vec<_> = wsdls.iter().filter(|w| !covered.contains(w) && !imported.contains(w)).collect();
    assert!(missing.is_empty(), "fixture WSDLs without a snapshot in tests/tests/snapshots.rs: {missing:?}");
    assert!(covered.len() > 10 && imported.iter().any(|i| i.ends_with("interface.wsdl")));
}

#[test]
fn output_is_deterministic() {
    let wsdl = workspace().join("wsdl/Services87-User.wsdl");
    let a = services87_builder().generate(&wsdl).unwrap().code;
    let b = services87_builder().generate(&wsdl).unwrap().code;
    assert!(a == b, "two runs on the same input differ");
    assert!(a.starts_with("// @generated by wsdlgen"));
}
