#!/usr/bin/env bash
# Builds a new crate that depends on the runtime by path, the way a user's crate does, with the
# newest versions of its dependencies that Cargo.toml allows (no lockfile: not the workspace's
# Cargo.lock), and fails if compiling the runtime prints any warning. A path dependency's
# warnings are not capped, so a deprecation in a newer dependency (rustls 0.23.48 deprecated
# `ring::default_provider`, for one) shows up in the user's build.
#
# Not part of scripts/test.sh: it resolves against the registry and builds every dependency
# afresh (a few minutes). Run it before a release, or after changing the runtime's dependencies.
# A reused target directory makes reruns fast: DOWNSTREAM_TARGET_DIR=/tmp/downstream-target.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runtime="$(pwd)/runtime"

crate="$(mktemp -d)"
trap 'rm -rf "$crate"' EXIT
mkdir "$crate/src"
cat > "$crate/Cargo.toml" <<EOF
[package]
name = "downstream"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
wsdlgen-runtime = { path = "$runtime" }
EOF
cat > "$crate/src/main.rs" <<'EOF'
fn main() {
    let client = wsdlgen_runtime::SoapClient::new("https://example.com/Service.svc");
    println!("{}", client.endpoint());
}
EOF

target="${DOWNSTREAM_TARGET_DIR:-$crate/target}"
log="$crate/build.log"
if ! CARGO_TARGET_DIR="$target" cargo build --manifest-path "$crate/Cargo.toml" --color never >"$log" 2>&1; then
    cat "$log" >&2
    echo "scripts/check-downstream.sh: the downstream crate does not build" >&2
    exit 1
fi
# Cargo prints `warning: `<package>` (lib) generated N warnings` after a package's warnings.
if grep -q '^warning' "$log"; then
    cat "$log" >&2
    echo "scripts/check-downstream.sh: warnings while building a crate that depends on the runtime" >&2
    exit 1
fi
versions="$(grep -A1 -E '^name = "(rustls|reqwest|tokio)"$' "$crate/Cargo.lock" | grep -o '"[^"]*"' | paste -sd' ')"
echo "scripts/check-downstream.sh: no warnings (resolved: $versions)"
