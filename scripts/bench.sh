#!/usr/bin/env bash
# Measures wsdlgen on the real User WSDL and writes every figure to target/bench/ (see BENCHMARKS.md):
#
#   1. the generator, whole process (release): User WSDL formatted, unformatted, --operation
#      SaveCredential; per-stage times (--timings); peak memory; generated lines;
#   2. compile times (dev profile, dependencies built): the services87 crate, and crates holding
#      only the full User bindings, only the SaveCredential bindings, and nothing (fixed cost);
#   3. in-process encode/decode: `cargo bench --bench codec` (criterion; quick-xml serde and raw
#      Reader baselines in the same groups), with the ratios computed from criterion's estimates
#      and from interleaved runs (codec-interleaved.txt, the ones BENCHMARKS.md quotes);
#   4. memory: decoding a 50 MB, 100,000-item GetCredentialTypes response;
#   5. zeep 4.3 in process (WSDL load, envelope, decodes) on the same responses;
#   6. end to end: save_credential calls/s over keep-alive HTTP against one local server
#      (127.0.0.1 only, stops by itself), our client, gSOAP's and then zeep's, 64 callers each;
#   7. servers answering SaveCredential: the generated server, a canned-response floor, gSOAP,
#      node-soap and spyne: wrk throughput, open-loop latency, memory per connection;
#   8. gSOAP on the same WSDL: generated code size, generation and build time, in-process
#      encode/decode of the payloads of step 3 (gSOAP built in target/bench, nothing kept).
#
# Usage: scripts/bench.sh [all|generator|compile|codec|memory|zeep|e2e|server|gsoap]...   (default: all)
# Environment: RUNS (compile-time repetitions, default 3), E2E_SECONDS (default 5),
# CALLERS (default 64), SERVERS (step 7, default "floor generated gsoap node spyne"), LOAD_RATE
# and LOAD_RATE_FAST (step 7's open-loop rates, default 500 and 5000 req/s), LOAD_SECONDS
# (default 10), HOLD_CONNECTIONS (default 1000), XSD_PARSER=1 to also generate and compile
# xsd-parser 1.5's bindings of the WSDL's schemas in /tmp (downloads xsd-parser from crates.io;
# nothing of it is kept here). CARGO_TARGET_DIR is honoured (results in $CARGO_TARGET_DIR/bench).
#
# The machine is shared (2 cores): the load average is recorded before and after; compare the
# ratios, which come from one run, rather than the absolute figures.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
# Cargo's target directory: CARGO_TARGET_DIR when set (made absolute), else ./target.
target=${CARGO_TARGET_DIR:-$root/target}
[ -n "${CARGO_TARGET_DIR+set}" ] && caller_target_dir=$CARGO_TARGET_DIR
case $target in /*) ;; *) target=$root/$target ;; esac
out=$target/bench
mkdir -p "$out"
export CARGO_TERM_COLOR=never

RUNS=${RUNS:-3}
E2E_SECONDS=${E2E_SECONDS:-5}
CALLERS=${CALLERS:-64}
LOAD_RATE=${LOAD_RATE:-500}
LOAD_RATE_FAST=${LOAD_RATE_FAST:-5000}
LOAD_SECONDS=${LOAD_SECONDS:-10}
HOLD_CONNECTIONS=${HOLD_CONNECTIONS:-1000}
wsdl=wsdl/Services87-User.wsdl
steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(all)
want() { local s; for s in "${steps[@]}"; do [ "$s" = all ] || [ "$s" = "$1" ] && return 0; done; return 1; }
log() { echo "bench.sh: $*" >&2; }

# Peak resident set (KiB) of a command, via getrusage of its children.
maxrss() {
    python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}

# Compile time of crate UNIT (the first argument; the rest is the cargo command): RUNS times
# BEFORE_EACH, then the command with --timings. Prints "unit MIN MEDIAN wall MIN MEDIAN" in
# seconds: the unit's own duration from cargo's timing report, and the whole command's.
compile_runs() {
    local unit=$1 units=() walls=() i s e report
    shift
    for ((i = 0; i < RUNS; i++)); do
        eval "$BEFORE_EACH"
        s=$(date +%s.%N)
        "$@" --timings >/dev/null 2>&1
        e=$(date +%s.%N)
        walls+=("$(awk "BEGIN { print $e - $s }")")
        report=${CARGO_TARGET_DIR:-target}/cargo-timings/cargo-timing.html
        units+=("$(python3 -c '
import json, sys
text = open(sys.argv[1]).read()
start = text.index("UNIT_DATA = ") + len("UNIT_DATA = ")
units = json.loads(text[start:text.index("];", start) + 1])
print(sum(u["duration"] for u in units if u["name"] == sys.argv[2]))' "$report" "$unit")")
    done
    echo "unit $(min_median "${units[@]}") wall $(min_median "${walls[@]}")"
}

min_median() {
    printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%.2f %.2f", a[1], a[int((NR+1)/2)]}'
}

venv=tests/.venv
ensure_venv() {
    local requirements=tests/python/requirements.txt
    if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$venv/requirements.installed"; then
        log "creating $venv (as scripts/test.sh does)"
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-virtualenv -r "$requirements"
        cp "$requirements" "$venv/requirements.installed"
    fi
}

# gSOAP (Debian's gsoap and libgsoap-dev) and g++, for the gSOAP peers (tests/gsoap/build.sh).
ensure_gsoap() {
    if ! command -v soapcpp2 >/dev/null 2>&1 || [ ! -f /usr/include/stdsoap2.h ] || ! command -v g++ >/dev/null 2>&1; then
        log "installing gsoap, libgsoap-dev and g++ (Debian packages)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gsoap libgsoap-dev g++ pkg-config >/dev/null
    fi
}

# node-soap in tests/node/node_modules, as scripts/test.sh installs it.
ensure_node() {
    local dir=tests/node
    if [ ! -d "$dir/node_modules/soap" ] || ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.package-lock.installed"; then
        command -v npm >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null; }
        log "installing node-soap into $dir (npm ci)"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
        cp "$dir/package-lock.json" "$dir/node_modules/.package-lock.installed"
    fi
}

# spyne and gunicorn in tests/.venv-bench (tests/python/requirements-bench.txt).
bench_venv=tests/.venv-bench
ensure_bench_venv() {
    local requirements=tests/python/requirements-bench.txt
    if [ ! -x "$bench_venv/bin/python" ] || ! cmp -s "$requirements" "$bench_venv/requirements.installed"; then
        log "creating $bench_venv (spyne, gunicorn)"
        rm -rf "$bench_venv"
        python3 -m venv "$bench_venv"
        "$bench_venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-virtualenv -r "$requirements"
        cp "$requirements" "$bench_venv/requirements.installed"
    fi
}

# Sum of a /proc/PID/status field (VmRSS, VmHWM; KiB) over PID and its descendants (node's
# cluster workers, gunicorn's workers).
tree_kib() {
    local field=$1 pid=$2 total=0 p v
    for p in $pid $(descendants "$pid"); do
        v=$(awk -v f="$field:" '$1 == f {print $2}' "/proc/$p/status" 2>/dev/null || true)
        total=$((total + ${v:-0}))
    done
    echo "$total"
}
descendants() {
    local c
    for c in $(pgrep -P "$1" 2>/dev/null || true); do
        echo "$c"
        descendants "$c"
    done
}

# Starts server NAME (floor, generated, gsoap, node, spyne) answering SaveCredential on
# 127.0.0.1, each stopping by itself after 300 s; sets server_pid and server_url, and checks
# (bench_e2e check) that it answers the benchmark's request with a true SaveCredentialResponse.
start_server() {
    local which=$1 urlfile=$out/serve-$1.url
    : >"$urlfile"
    case $which in
    floor | generated) "$e2e" "serve-$which" --seconds 300 >"$urlfile" 2>>"$out/serve-$which.log" & ;;
    gsoap) "$out/gsoap-O2/server" 300 >"$urlfile" 2>>"$out/serve-$which.log" & ;;
    node) node tests/node/soap_server.js "$wsdl" 300 >"$urlfile" 2>>"$out/serve-$which.log" & ;;
    spyne) "$bench_venv/bin/python" tests/python/spyne_server.py 300 >"$urlfile" 2>>"$out/serve-$which.log" & ;;
    *) log "unknown server $which"; exit 2 ;;
    esac
    server_pid=$!
    for _ in $(seq 300); do [ -s "$urlfile" ] && break; sleep 0.05; done
    server_url=$(head -1 "$urlfile")
    [ -n "$server_url" ] || { log "$which did not start"; exit 1; }
    "$e2e" check "$server_url" "$out/save-credential-request.xml" >"$out/check-$which.json" ||
        { log "$which does not answer the request correctly"; stop_server; exit 1; }
    # A moment for every worker of the multi-process servers to settle.
    sleep 0.5
}
stop_server() {
    local p
    for p in $(descendants "$server_pid") "$server_pid"; do kill "$p" 2>/dev/null || true; done
    wait "$server_pid" 2>/dev/null || true
}

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)')"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) cores"
    echo "memory: $(free -g | awk '/Mem:/ {print $2 " GiB"}')"
    echo "kernel: $(uname -r)"
    echo "rustc: $(rustc --version)"
    echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$out/machine.txt"
cat "$out/machine.txt" >&2

log "building (release): wsdlgen CLI, bench_e2e"
cargo build --release -q -p wsdlgen
cargo build --release -q -p wsdlgen-tests --example bench_e2e
gen=$target/release/wsdlgen
e2e=$target/release/examples/bench_e2e

# ------------------------------------------------------------------------------------------------
if want generator; then
    log "1. generator"
    g=$out/generator
    mkdir -p "$g"
    "$gen" generate "$wsdl" -o "$g/user.rs" --timings 2>"$g/timings-formatted.txt"
    "$gen" generate "$wsdl" -o "$g/user-unformatted.rs" --no-format --timings 2>"$g/timings-unformatted.txt"
    "$gen" generate "$wsdl" -o "$g/user-savecredential.rs" --operation SaveCredential --timings \
        2>"$g/timings-savecredential.txt"
    cmds=(
        "$gen generate $wsdl -o $g/user-unformatted.rs --no-format"
        "$gen generate $wsdl -o $g/user.rs"
        "$gen generate $wsdl -o $g/user-savecredential.rs --operation SaveCredential"
    )
    if command -v hyperfine >/dev/null 2>&1; then
        hyperfine -N --warmup 3 --runs 30 --export-json "$g/hyperfine.json" "${cmds[@]}" >"$g/hyperfine.txt" 2>&1 ||
            hyperfine --warmup 3 --runs 30 --export-json "$g/hyperfine.json" "${cmds[@]}" >"$g/hyperfine.txt"
    else
        log "hyperfine not found (apt-get install hyperfine); timing 30 runs in a loop"
        for c in "${cmds[@]}"; do
            s=$(date +%s.%N)
            for _ in $(seq 30); do $c >/dev/null 2>&1; done
            e=$(date +%s.%N)
            echo "$c: mean $(awk "BEGIN { printf \"%.1f\", ($e - $s) * 1000 / 30 }") ms" >>"$g/hyperfine.txt"
        done
    fi
    {
        echo "peak RSS KiB, User WSDL formatted: $(maxrss "$gen" generate "$wsdl" -o "$g/user.rs")"
        echo "peak RSS KiB, User WSDL unformatted: $(maxrss "$gen" generate "$wsdl" -o "$g/user-unformatted.rs" --no-format)"
        echo "peak RSS KiB, SaveCredential only: $(maxrss "$gen" generate "$wsdl" -o "$g/user-savecredential.rs" --operation SaveCredential)"
        echo "lines, User (formatted): $(wc -l <"$g/user.rs")"
        echo "lines, SaveCredential only (formatted): $(wc -l <"$g/user-savecredential.rs")"
        echo "stages, formatted: $(tail -n +1 "$g/timings-formatted.txt" | grep -m1 read)"
        echo "stages, unformatted: $(grep -m1 read "$g/timings-unformatted.txt")"
        echo "stages, SaveCredential: $(grep -m1 read "$g/timings-savecredential.txt")"
    } >"$g/summary.txt"
    cat "$g/hyperfine.txt" "$g/summary.txt" >&2
fi

# ------------------------------------------------------------------------------------------------
if want compile; then
    log "2. compile times (dev profile, dependencies built, $RUNS runs each)"
    c=$out/compile
    mkdir -p "$c"
    # Its own target directory: other builds of the workspace neither hold cargo's lock nor
    # rebuild anything in it while it is timed. The figure that counts is the crate's own
    # compile time from `cargo build --timings` (frontend + codegen of that one unit); the wall
    # time of the whole `cargo build` is printed beside it.
    export CARGO_TARGET_DIR=$c/target
    cargo build -q -p services87
    BEFORE_EACH="touch generated/src/lib.rs" compile_runs services87 cargo build -q -p services87 >"$c/services87.txt"
    cp "$CARGO_TARGET_DIR/cargo-timings/cargo-timing.html" "$c/services87-cargo-timing.html"

    # Two standalone crates, one per generated file, sharing that target directory (and the
    # workspace's Cargo.lock, so that the runtime's dependencies are the same and built once).
    "$gen" generate "$wsdl" -o "$c/user.rs"
    "$gen" generate "$wsdl" -o "$c/user-savecredential.rs" --operation SaveCredential
    # The third, empty but for `use wsdlgen_runtime`, is the fixed cost of any such crate.
    echo "pub use wsdlgen_runtime;" >"$c/empty.rs"
    for name in user user-savecredential empty; do
        crate=$c/crates/$name
        mkdir -p "$crate/src"
        cat >"$crate/Cargo.toml" <<EOF
[package]
name = "bench-$name"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
wsdlgen-runtime = { path = "$root/runtime" }

[workspace]
EOF
        cp Cargo.lock "$crate/Cargo.lock"
        cp "$c/$name.rs" "$crate/src/lib.rs"
        (cd "$crate" && cargo build -q 2>/dev/null)
        (cd "$crate" && BEFORE_EACH="touch src/lib.rs" compile_runs "bench-$name" cargo build -q) >"$c/$name.txt"
    done
    # Back to the caller's setting (unset: each crate built below uses its own ./target).
    if [ -n "${caller_target_dir+set}" ]; then export CARGO_TARGET_DIR=$caller_target_dir; else unset CARGO_TARGET_DIR; fi

    if [ "${XSD_PARSER:-0}" = 1 ]; then
        log "2b. xsd-parser 1.5 on the WSDL's schemas, in /tmp/wsdlgen-bench-xsd-parser"
        x=/tmp/wsdlgen-bench-xsd-parser
        mkdir -p "$x/schemas" "$x/gen/src" "$x/crate/src"
        # The three schemas of the WSDL's types section as .xsd files, imports pointing at each other.
        ensure_venv
        "$venv/bin/python" - "$wsdl" "$x/schemas" <<'EOF'
import sys
from lxml import etree
XS = "http://www.w3.org/2001/XMLSchema"
src, dst = sys.argv[1], sys.argv[2]
schemas = etree.parse(src).getroot().findall(".//{%s}schema" % XS)
files = {s.get("targetNamespace"): "schema%d.xsd" % i for i, s in enumerate(schemas)}
for i, s in enumerate(schemas):
    for imp in s.findall("{%s}import" % XS):
        imp.set("schemaLocation", files[imp.get("namespace")])
    # lxml writes the namespace declarations in scope (the WSDL's too), which QName values use.
    with open("%s/schema%d.xsd" % (dst, i), "wb") as f:
        f.write(etree.tostring(s, xml_declaration=True, encoding="utf-8"))
EOF
        cat >"$x/gen/Cargo.toml" <<'EOF'
[package]
name = "xsd-parser-gen"
version = "0.1.0"
edition = "2021"
publish = false
[dependencies]
xsd-parser = "1.5"
anyhow = "1"
[workspace]
EOF
        cat >"$x/gen/src/main.rs" <<'EOF'
// xsd-parser 1.5 with quick-xml serializers and deserializers: OUTPUT SCHEMA...
use std::path::PathBuf;
use xsd_parser::config::{ParserFlags, Resolver, Schema};
use xsd_parser::{generate, Config};
fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let output = PathBuf::from(args.remove(0));
    let mut config = Config::default().with_quick_xml();
    config.parser.resolver = vec![Resolver::File];
    config.parser.flags = ParserFlags::all();
    // WCF names elements like types (`ArrayOfCredentialType` next to `ArrayOfCredential` + "Type"):
    // other postfixes keep xsd-parser's names apart.
    config.generator.type_postfix.element = "Element".into();
    config.generator.type_postfix.type_ = "Ty".into();
    config.parser.schemas =
        args.iter().map(|p| PathBuf::from(p).canonicalize().map(Schema::File)).collect::<Result<_, _>>()?;
    std::fs::write(&output, generate(config)?.to_string())?;
    Ok(())
}
EOF
        (cd "$x/gen" && CARGO_TARGET_DIR=$x/gen/target cargo build -q --release)
        xgen="$x/gen/target/release/xsd-parser-gen"
        # The WSDL's main schema imports the other two.
        schema=$x/schemas/schema0.xsd
        if command -v hyperfine >/dev/null 2>&1; then
            hyperfine -N --warmup 1 --runs 10 --export-json "$c/xsd-parser-hyperfine.json" \
                "$xgen $x/crate/src/lib.rs $schema" >"$c/xsd-parser-generate.txt" 2>&1
        fi
        echo "peak RSS KiB: $(maxrss "$xgen" "$x/crate/src/lib.rs" "$schema")" >>"$c/xsd-parser-generate.txt"
        rustfmt --edition 2021 "$x/crate/src/lib.rs"
        sed -i '1i #![allow(warnings)]' "$x/crate/src/lib.rs"
        echo "lines (rustfmt): $(wc -l <"$x/crate/src/lib.rs")" >>"$c/xsd-parser-generate.txt"
        cat >"$x/crate/Cargo.toml" <<'EOF'
[package]
name = "xsd-parser-user"
version = "0.1.0"
edition = "2021"
publish = false
[dependencies]
xsd-parser-types = { version = "0.2.1", features = ["quick-xml"] }
[workspace]
EOF
        (cd "$x/crate" && cargo build -q 2>/dev/null)
        (cd "$x/crate" && BEFORE_EACH="touch src/lib.rs" compile_runs xsd-parser-user cargo build -q) >"$c/xsd-parser.txt"
        cat "$c/xsd-parser-generate.txt" >&2
    fi
    for f in "$c"/*.txt; do echo "$(basename "$f" .txt): $(cat "$f" | tr '\n' ' ')"; done >"$c/summary.txt"
    echo "(seconds, $RUNS runs: unit = the crate's own compile time (cargo --timings), min median; wall = the cargo command, min median)" >>"$c/summary.txt"
    cat "$c/summary.txt" >&2
fi

# ------------------------------------------------------------------------------------------------
if want codec; then
    log "3. in-process encode/decode (criterion)"
    cargo bench -q -p wsdlgen-tests --bench codec 2>&1 | tee "$out/codec.txt" >&2
    # criterion writes its results under the target directory, wherever CARGO_TARGET_DIR puts it.
    python3 - "$target/criterion" >"$out/codec-ratios.txt" <<'EOF'
import json, os, sys
base = sys.argv[1]
def est(group, bench):
    with open(os.path.join(base, group, bench, "new", "estimates.json")) as f:
        e = json.load(f)
    return e["median"]["point_estimate"]  # nanoseconds
def fmt(ns):
    return "%.2f us" % (ns / 1e3) if ns < 1e6 else "%.2f ms" % (ns / 1e6)
enc = {b: est("encode_save_credential", b) for b in ("wsdlgen_payload", "quick_xml_serde_payload", "wsdlgen_envelope_3_headers")}
print("encode SaveCredential payload: wsdlgen %s, quick-xml serde %s: %.2fx faster (target >= 3x)" % (
    fmt(enc["wsdlgen_payload"]), fmt(enc["quick_xml_serde_payload"]), enc["quick_xml_serde_payload"] / enc["wsdlgen_payload"]))
print("encode whole envelope + 3 headers: %s (target < 1 us)" % fmt(enc["wsdlgen_envelope_3_headers"]))
for group in ("decode_save_credential", "decode_get_credential_types_100", "decode_get_credential_types_10000"):
    ours, serde, raw = (est(group, b) for b in ("wsdlgen", "quick_xml_serde", "quick_xml_reader_events"))
    print("%s: wsdlgen %s, quick-xml serde %s (%.2fx faster, target >= 2x), raw Reader %s (wsdlgen/raw = %.2f, target <= 2)" % (
        group, fmt(ours), fmt(serde), serde / ours, fmt(raw), ours / raw))
EOF
    # The interleaved medians (all contenders under the same load): the ratios to quote.
    grep -E '^(interleaved|alloc):' "$out/codec.txt" >"$out/codec-interleaved.txt" || true
    cat "$out/codec-ratios.txt" "$out/codec-interleaved.txt" >&2
fi

# ------------------------------------------------------------------------------------------------
if want memory; then
    log "4. memory: decoding a 50 MB, 100,000-item response"
    "$e2e" decode-memory 100000 500 >"$out/memory.json"
    cat "$out/memory.json" >&2
fi

# ------------------------------------------------------------------------------------------------

if want zeep; then
    log "5. zeep in process"
    ensure_venv
    "$e2e" write-responses "$out/responses"
    "$venv/bin/python" tests/python/bench_zeep.py inproc "$wsdl" "$out/responses" >"$out/zeep-inproc.json"
    cat "$out/zeep-inproc.json" >&2
fi

# ------------------------------------------------------------------------------------------------
if want e2e; then
    log "6. end to end: $CALLERS callers, ${E2E_SECONDS}s each, one local server: wsdlgen, gSOAP, zeep"
    ensure_venv
    ensure_gsoap
    tests/gsoap/build.sh "$out/gsoap-O2" -O2 client >&2
    "$e2e" server --seconds 600 >"$out/server.url" &
    server=$!
    trap 'kill "$server" 2>/dev/null || true' EXIT
    for _ in $(seq 100); do [ -s "$out/server.url" ] && break; sleep 0.05; done
    url=$(head -1 "$out/server.url")
    "$e2e" client "$url" --callers "$CALLERS" --seconds "$E2E_SECONDS" >"$out/e2e-wsdlgen.json"
    "$e2e" client "$url" --callers "$CALLERS" --seconds "$E2E_SECONDS" --max-in-flight "$CALLERS" \
        >"$out/e2e-wsdlgen-inflight$CALLERS.json"
    # gSOAP: one thread and one keep-alive connection per caller, the same request and headers.
    "$out/gsoap-O2/client" "$url" "$CALLERS" "$E2E_SECONDS" 1 >"$out/e2e-gsoap.json"
    "$venv/bin/python" tests/python/bench_zeep.py e2e "$wsdl" "$url" --callers "$CALLERS" --seconds "$E2E_SECONDS" \
        >"$out/e2e-zeep.json"
    kill "$server" 2>/dev/null || true
    trap - EXIT
    cat "$out/e2e-wsdlgen.json" "$out/e2e-wsdlgen-inflight$CALLERS.json" "$out/e2e-gsoap.json" "$out/e2e-zeep.json" >&2
    python3 - "$out" "$CALLERS" <<'EOF' | tee "$out/e2e-ratio.txt" >&2
import json, sys
d, callers = sys.argv[1], sys.argv[2]
ours = json.load(open(d + "/e2e-wsdlgen.json"))["calls_per_s"]
ours_n = json.load(open(d + "/e2e-wsdlgen-inflight%s.json" % callers))["calls_per_s"]
gsoap = json.load(open(d + "/e2e-gsoap.json"))["calls_per_s"]
zeep = json.load(open(d + "/e2e-zeep.json"))["calls_per_s"]
print("end to end: wsdlgen %.0f calls/s, zeep %.0f calls/s: %.1fx (target >= 20x)" % (ours, zeep, ours / zeep))
print("end to end: wsdlgen %.0f calls/s (%.0f with %s in flight), gSOAP %.0f calls/s: %.2fx (%.2fx) (target > 1)"
      % (ours, ours_n, callers, gsoap, ours / gsoap, ours_n / gsoap))
EOF
fi

# ------------------------------------------------------------------------------------------------
if want server; then
    servers=(${SERVERS:-floor generated gsoap node spyne})
    log "7. servers answering SaveCredential: ${servers[*]}"
    log "   7a. wrk (1 thread, $CALLERS connections, ${E2E_SECONDS}s), two interleaved rounds"
    log "   7b. open-loop latency at $LOAD_RATE req/s for all, $LOAD_RATE_FAST req/s for floor, generated and gsoap"
    log "       (${LOAD_SECONDS}s, $CALLERS connections)"
    log "   7c. memory per idle connection and per request in flight ($HOLD_CONNECTIONS of each)"
    if ! command -v wrk >/dev/null 2>&1; then
        log "installing wrk (Debian package)"
        apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
    fi
    for s in "${servers[@]}"; do
        case $s in
        gsoap) ensure_gsoap && tests/gsoap/build.sh "$out/gsoap-O2" -O2 server >&2 ;;
        node) ensure_node ;;
        spyne) ensure_bench_venv ;;
        esac
    done
    "$e2e" request-file "$out/save-credential-request.xml"
    {
        echo "local f = io.open(\"$out/save-credential-request.xml\", \"rb\")"
        echo 'wrk.method = "POST"'
        echo 'wrk.body = f:read("*a")'
        echo 'f:close()'
        echo 'wrk.headers["Content-Type"] = "text/xml; charset=utf-8"'
        echo 'wrk.headers["SOAPAction"] = "\"http://www.superoffice.net/ws/crm/NetServer/Services87/User/SaveCredential\""'
    } >"$out/post.lua"
    # Holding thousands of connections needs as many descriptors in this shell's children.
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

    : >"$out/server.txt"
    for round in 1 2; do
        for which in "${servers[@]}"; do
            start_server "$which"
            rss_idle=$(tree_kib VmRSS "$server_pid")
            wrk -t1 -c"$CALLERS" -d"${E2E_SECONDS}s" --latency -s "$out/post.lua" "$server_url" >"$out/wrk-$which-$round.txt"
            rss_peak=$(tree_kib VmHWM "$server_pid")
            stop_server
            rps=$(awk '/Requests\/sec/ {print $2}' "$out/wrk-$which-$round.txt")
            p50=$(awk '$1 == "50%" {print $2}' "$out/wrk-$which-$round.txt")
            p99=$(awk '$1 == "99%" {print $2}' "$out/wrk-$which-$round.txt")
            non2xx=$(awk '/Non-2xx/ {print $5}' "$out/wrk-$which-$round.txt")
            errors=$(awk '/Socket errors/ {print $0}' "$out/wrk-$which-$round.txt" | tr -d ' ,')
            echo "$round $which $rps $p50 $p99 ${non2xx:-0} $rss_idle $rss_peak ${errors:--}" >>"$out/server.txt"
        done
    done

    rm -f "$out"/latency-*.json
    for which in "${servers[@]}"; do
        rates=("$LOAD_RATE")
        case $which in floor | generated | gsoap) rates+=("$LOAD_RATE_FAST") ;; esac
        start_server "$which"
        for rate in "${rates[@]}"; do
            "$e2e" load "$server_url" "$out/save-credential-request.xml" --rate "$rate" --seconds "$LOAD_SECONDS" \
                --connections "$CALLERS" >"$out/latency-$rate-$which.json"
        done
        stop_server
    done

    : >"$out/server-memory.txt"
    for which in "${servers[@]}"; do
        for mode in idle in-flight; do
            start_server "$which"
            before=$(tree_kib VmRSS "$server_pid")
            rm -f "$out/hold.txt"
            "$e2e" hold "$server_url" "$out/save-credential-request.xml" --connections "$HOLD_CONNECTIONS" \
                --mode "$mode" --seconds 120 >"$out/hold.txt" &
            hold_pid=$!
            for _ in $(seq 600); do grep -q ready "$out/hold.txt" 2>/dev/null && break; sleep 0.1; done
            sleep 1
            after=$(tree_kib VmRSS "$server_pid")
            held=$(awk '/ready/ {print $2}' "$out/hold.txt")
            kill "$hold_pid" 2>/dev/null || true
            wait "$hold_pid" 2>/dev/null || true
            stop_server
            echo "$which $mode ${held:-0} $before $after" >>"$out/server-memory.txt"
        done
    done

    python3 - "$out" <<'PY' | tee "$out/server-ratio.txt" >&2
import json, os, sys
out = sys.argv[1]
rows = [line.split() for line in open(out + "/server.txt")]
print("7a. wrk, closed loop (req/s; p50/p99 under full load; RSS of the server's processes)")
for r in rows:
    print("round %s %-9s %9.0f req/s  p50 %-8s p99 %-8s non-2xx %s  RSS idle %s KiB, peak %s KiB  %s"
          % (r[0], r[1], float(r[2]), r[3], r[4], r[5], r[6], r[7], "" if r[8] == "-" else r[8]))
best = {}
for r in rows:
    best[r[1]] = max(best.get(r[1], 0.0), float(r[2]))
gen = best.get("generated")
if gen:
    targets = {"floor": "target >= 0.8", "gsoap": "target >= 1 (ahead of gSOAP)", "spyne": "target >= 20"}
    for which, rps in best.items():
        if which == "generated":
            continue
        print("generated / %-6s best of rounds: %6.0f / %6.0f = %.2f  %s"
              % (which, gen, rps, gen / rps, targets.get(which, "")))
print("7b. open loop, latency from the scheduled send (us)")
names = [n for n in os.listdir(out) if n.startswith("latency-") and n.endswith(".json")]
for name in sorted(names, key=lambda n: (int(n.split("-")[1]), n)):
    d = json.load(open(os.path.join(out, name)))
    l, s = d["latency_us"], d["service_time_us"]
    print("%5d req/s %-9s achieved %7.1f req/s  p50 %5d  p90 %5d  p99 %6d  p99.9 %6d  max %6d  (service p50 %d, p99 %d)  errors %d non-200 %d"
          % (d["rate"], name[:-5].split("-", 2)[2], d["achieved_rate"], l["p50"], l["p90"], l["p99"], l["p999"], l["max"], s["p50"], s["p99"],
             d["errors"], d["non_200"]))
print("7c. memory (RSS of the server's processes, KiB)")
for line in open(out + "/server-memory.txt"):
    which, mode, held, before, after = line.split()
    held = int(held)
    per = (int(after) - int(before)) / held if held else float("nan")
    print("%-9s %-9s %5d held: %7s -> %7s KiB: %.1f KiB each" % (which, mode, held, before, after, per))
PY
fi

# ------------------------------------------------------------------------------------------------
if want gsoap; then
    log "8. gSOAP 2.8 on the User WSDL: generated code, build time, in-process encode/decode"
    ensure_gsoap
    gs=$out/gsoap
    rm -rf "$gs/build-O0" "$gs/build-O2"
    mkdir -p "$gs"
    # Fresh builds, one file at a time: the client side (soapC.cpp + proxy) at -O0, and
    # everything (soapC.cpp, proxy, service class) at -O2.
    GSOAP_JOBS=1 tests/gsoap/build.sh "$gs/build-O0" -O0 interop >&2
    GSOAP_JOBS=1 tests/gsoap/build.sh "$gs/build-O2" -O2 codec server >&2
    "$e2e" write-responses "$out/responses"
    # gSOAP's codec and ours, measured the same way (batches of ~2 ms, median), alternately
    # three times each so that both see the same load; the median of the three is kept.
    : >"$gs/codec-gsoap.jsonl"
    : >"$gs/codec-wsdlgen.jsonl"
    for _ in 1 2 3; do
        "$gs/build-O2/codec" "$out/responses" >>"$gs/codec-gsoap.jsonl" 2>"$gs/codec-envelope.txt"
        "$e2e" codec-times "$out/responses" >>"$gs/codec-wsdlgen.jsonl"
    done
    # This project on the same WSDL: the client alone, and client + server (gSOAP's files hold both).
    "$gen" generate "$wsdl" -o "$gs/user.rs"
    "$gen" generate "$wsdl" --server -o "$gs/user-server.rs"
    s=$(date +%s.%N)
    for _ in $(seq 10); do "$gen" generate "$wsdl" --server -o "$gs/user-server.rs" 2>/dev/null; done
    echo "$(awk "BEGIN { printf \"%.1f\", ($(date +%s.%N) - $s) * 100 }")" >"$gs/wsdlgen-generate-ms.txt"
    python3 - "$gs" "$out/compile" <<'EOF' | tee "$gs/summary.txt" >&2
import json, os, sys
gs, compile_dir = sys.argv[1:]
def timings(build):
    t = {}
    for line in open(os.path.join(gs, build, "timings.txt")):
        parts = line.split()
        if parts[0] == "generated":
            t["lines"], t["bytes"] = int(parts[2]), int(parts[4])
        else:
            t[" ".join(parts[:-1])] = float(parts[-1])
    return t
o0, o2 = timings("build-O0"), timings("build-O2")
lines = lambda f: sum(1 for _ in open(f))
ours_client, ours_server = os.path.join(gs, "user.rs"), os.path.join(gs, "user-server.rs")
print("generated code for the User WSDL:")
print("  gSOAP: %d lines, %.1f MB (soapC.cpp, soapH.h, soapStub.h, proxy and service class); wsdl2h %.2f s + soapcpp2 %.2f s"
      % (o0["lines"], o0["bytes"] / 1e6, o0["wsdl2h"], o0["soapcpp2"]))
print("  wsdlgen: %d lines, %.2f MB (client), %d lines, %.2f MB (client + server); generate (formatted, with server) %s ms"
      % (lines(ours_client), os.path.getsize(ours_client) / 1e6, lines(ours_server), os.path.getsize(ours_server) / 1e6,
         open(os.path.join(gs, "wsdlgen-generate-ms.txt")).read().strip()))
print("build time (one file at a time):")
for name, t in (("-O0", o0), ("-O2", o2)):
    for k, v in t.items():
        if k.startswith("g++"):
            print("  gSOAP %s %s: %.1f s" % (name, k.split(" ", 2)[2], v))
client_o0 = o0["g++ -O0 soapC.cpp"] + o0["g++ -O0 soapBasicHttpBinding_USCOREUserProxy.cpp"]
print("  gSOAP client, -O0, generated sources: %.1f s" % client_o0)
user = os.path.join(compile_dir, "user.txt")
if os.path.exists(user):
    unit = open(user).read().split()
    print("  wsdlgen client bindings, dev profile, crate unit time (step 2 of this run): min %s s, median %s s" % (unit[1], unit[2]))
else:
    print("  (run the compile step in the same run for this project's figure)")
def medians(name):
    runs = [json.loads(line) for line in open(os.path.join(gs, name))]
    return {k: sorted(r[k] for r in runs)[len(runs) // 2] for k in runs[0] if k.endswith("_ns")}
g, w = medians("codec-gsoap.jsonl"), medians("codec-wsdlgen.jsonl")
fmt = lambda ns: "%.2f us" % (ns / 1e3) if ns < 1e6 else "%.2f ms" % (ns / 1e6)
print("in process, per message (median of batches, median of 3 alternating runs):")
for key, label in (("encode_payload_ns", "encode SaveCredential payload"),
                   ("encode_envelope_3_headers_ns", "encode envelope + 3 headers"),
                   ("decode_save_credential_ns", "decode SaveCredential response"),
                   ("decode_100_items_ns", "decode 100 items"),
                   ("decode_10000_items_ns", "decode 10,000 items")):
    print("  %-32s gSOAP %10s  wsdlgen %10s  gSOAP / wsdlgen = %.1f" % (label, fmt(g[key]), fmt(w[key]), g[key] / w[key]))
EOF
fi

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/machine.txt"
log "done; results in $out (load after: $(cut -d' ' -f1-3 /proc/loadavg))"
