#!/usr/bin/env bash
# The project's test command: installs the tools the tests need, then runs every test of the
# workspace (unit, integration and doc tests). Extra arguments are passed on to `cargo test`,
# e.g. `scripts/test.sh --test support_selftest` or `scripts/test.sh -- --nocapture`;
# `scripts/test.sh --install-only` installs and stops.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
fi

# xmllint validates generated XML against the WSDL's schemas (tests/support/schema.rs).
if ! command -v xmllint >/dev/null 2>&1; then
    echo "scripts/test.sh: xmllint not found, installing libxml2-utils" >&2
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "scripts/test.sh: apt-get not available; install xmllint (libxml2) yourself" >&2
        exit 1
    fi
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libxml2-utils
    command -v xmllint >/dev/null
fi

# The runtime's native-tls backend builds against the platform's OpenSSL (openssl-sys finds its
# headers with pkg-config); .ci/run builds and tests that backend, and the docs of all features.
if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists openssl; then
    echo "scripts/test.sh: OpenSSL's headers not found, installing libssl-dev and pkg-config" >&2
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "scripts/test.sh: apt-get not available; install OpenSSL's headers and pkg-config yourself" >&2
        exit 1
    fi
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libssl-dev pkg-config
fi

# gSOAP is an independent SOAP client of the generated server (tests/tests/server_gsoap.rs): its
# wsdl2h and soapcpp2 generate C++ from the User WSDL, compiled with g++ against libgsoap++.
if ! command -v soapcpp2 >/dev/null 2>&1 || ! command -v wsdl2h >/dev/null 2>&1 ||
    [ ! -f /usr/include/stdsoap2.h ] || ! command -v g++ >/dev/null 2>&1 || ! command -v pkg-config >/dev/null 2>&1; then
    echo "scripts/test.sh: gSOAP or g++ not found, installing gsoap, libgsoap-dev, g++ and pkg-config" >&2
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "scripts/test.sh: apt-get not available; install gSOAP 2.8 (wsdl2h, soapcpp2, libgsoap++) and g++ yourself" >&2
        exit 1
    fi
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gsoap libgsoap-dev g++ pkg-config
fi

# Python's zeep cross-checks our request bodies (tests/tests/conformance_user.rs, zeep_agrees).
# It lives in tests/.venv, made here when missing or when tests/python/requirements.txt changed.
venv=tests/.venv
requirements=tests/python/requirements.txt
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$venv/requirements.installed"; then
    echo "scripts/test.sh: creating $venv (python3 -m venv, pip install -r $requirements)" >&2
    if ! command -v python3 >/dev/null 2>&1; then
        echo "scripts/test.sh: python3 not found; install python3 (with venv) to run the zeep cross-check" >&2
        exit 1
    fi
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-virtualenv -r "$requirements"
    cp "$requirements" "$venv/requirements.installed"
fi

# node-soap is an independent SOAP client of the generated servers (tests/tests/server_user.rs).
# It lives in tests/node/node_modules, installed with `npm ci` from the committed lockfile when
# missing or when the lockfile changed.
node_dir=tests/node
if [ ! -d "$node_dir/node_modules/soap" ] || ! cmp -s "$node_dir/package-lock.json" "$node_dir/node_modules/.package-lock.installed"; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "scripts/test.sh: npm not found, installing nodejs and npm" >&2
        "${sudo[@]}" apt-get update
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm
    fi
    echo "scripts/test.sh: installing node-soap into $node_dir (npm ci)" >&2
    (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$node_dir/package-lock.json" "$node_dir/node_modules/.package-lock.installed"
fi

# `scripts/test.sh --install-only`: the tools above, and no test (.ci/run, before its builds).
if [ "${1:-}" = "--install-only" ]; then
    exit 0
fi

# `cargo test --workspace` covers lib, bin, integration and doc tests.
cargo test --workspace "$@"
