#!/usr/bin/env bash
# The project's test command: installs the tools the tests need, then runs every test of the
# workspace (unit, integration and doc tests). Extra arguments are passed on to `cargo test`,
# e.g. `scripts/test.sh --test support_selftest` or `scripts/test.sh -- --nocapture`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# xmllint validates generated XML against the WSDL's schemas (tests/support/schema.rs).
if ! command -v xmllint >/dev/null 2>&1; then
    echo "scripts/test.sh: xmllint not found, installing libxml2-utils" >&2
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "scripts/test.sh: apt-get not available; install xmllint (libxml2) yourself" >&2
        exit 1
    fi
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo=(sudo)
    fi
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libxml2-utils
    command -v xmllint >/dev/null
fi

# `cargo test --workspace` covers lib, bin, integration and doc tests.
cargo test --workspace "$@"
