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
#      (127.0.0.1 only, stops by itself), our client and then zeep's, 64 callers each.
#
# Usage: scripts/bench.sh [all|generator|compile|codec|memory|zeep|e2e|server]...   (default: all)
# Environment: RUNS (compile-time repetitions, default 3), E2E_SECONDS (default 5),
# CALLERS (default 64), XSD_PARSER=1 to also generate and compile xsd-parser 1.5's bindings of
# the WSDL's schemas in /tmp (downloads xsd-parser from crates.io; nothing of it is kept here).
#
# The machine is shared (2 cores): the load average is recorded before and after; compare the
# ratios, which come from one run, rather than the absolute figures.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
out=$root/target/bench
mkdir -p "$out"
export CARGO_TERM_COLOR=never

RUNS=${RUNS:-3}
E2E_SECONDS=${E2E_SECONDS:-5}
CALLERS=${CALLERS:-64}
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
gen=$root/target/release/wsdlgen
e2e=$root/target/release/examples/bench_e2e

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
    unset CARGO_TARGET_DIR

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
        (cd "$x/gen" && cargo build -q --release)
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
    python3 - "${CARGO_TARGET_DIR:-$root/target}/criterion" >"$out/codec-ratios.txt" <<'EOF'
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
    log "6. end to end: $CALLERS callers, ${E2E_SECONDS}s each, one local server"
    ensure_venv
    "$e2e" server --seconds 600 >"$out/server.url" &
    server=$!
    trap 'kill "$server" 2>/dev/null || true' EXIT
    for _ in $(seq 100); do [ -s "$out/server.url" ] && break; sleep 0.05; done
    url=$(head -1 "$out/server.url")
    "$e2e" client "$url" --callers "$CALLERS" --seconds "$E2E_SECONDS" >"$out/e2e-wsdlgen.json"
    "$e2e" client "$url" --callers "$CALLERS" --seconds "$E2E_SECONDS" --max-in-flight "$CALLERS" \
        >"$out/e2e-wsdlgen-inflight$CALLERS.json"
    "$venv/bin/python" tests/python/bench_zeep.py e2e "$wsdl" "$url" --callers "$CALLERS" --seconds "$E2E_SECONDS" \
        >"$out/e2e-zeep.json"
    kill "$server" 2>/dev/null || true
    trap - EXIT
    cat "$out/e2e-wsdlgen.json" "$out/e2e-wsdlgen-inflight$CALLERS.json" "$out/e2e-zeep.json" >&2
    python3 - "$out" <<'EOF' | tee "$out/e2e-ratio.txt" >&2
import json, sys
d = sys.argv[1]
ours = json.load(open(d + "/e2e-wsdlgen.json"))["calls_per_s"]
zeep = json.load(open(d + "/e2e-zeep.json"))["calls_per_s"]
print("end to end: wsdlgen %.0f calls/s, zeep %.0f calls/s: %.1fx (target >= 20x)" % (ours, zeep, ours / zeep))
EOF
fi

# ------------------------------------------------------------------------------------------------
if want server; then
    log "7. the generated server: wrk (1 thread, $CALLERS connections, ${E2E_SECONDS}s) against the"
    log "   canned-response floor on the same HTTP stack, then the generated UserServer; twice, interleaved"
    if ! command -v wrk >/dev/null 2>&1; then
        log "installing wrk (Debian package)"
        apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
    fi
    "$e2e" request-file "$out/save-credential-request.xml"
    {
        echo "local f = io.open(\"$out/save-credential-request.xml\", \"rb\")"
        echo 'wrk.method = "POST"'
        echo 'wrk.body = f:read("*a")'
        echo 'f:close()'
        echo 'wrk.headers["Content-Type"] = "text/xml; charset=utf-8"'
        echo 'wrk.headers["SOAPAction"] = "\"http://www.superoffice.net/ws/crm/NetServer/Services87/User/SaveCredential\""'
    } >"$out/post.lua"
    : >"$out/server.txt"
    for round in 1 2; do
        for which in floor generated; do
            "$e2e" "serve-$which" --seconds 120 >"$out/serve-$which.url" &
            pid=$!
            for _ in $(seq 100); do [ -s "$out/serve-$which.url" ] && break; sleep 0.05; done
            url=$(head -1 "$out/serve-$which.url")
            rss_idle=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
            wrk -t1 -c"$CALLERS" -d"${E2E_SECONDS}s" --latency -s "$out/post.lua" "$url" >"$out/wrk-$which-$round.txt"
            rss_peak=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
            rps=$(awk '/Requests\/sec/ {print $2}' "$out/wrk-$which-$round.txt")
            p50=$(awk '$1 == "50%" {print $2}' "$out/wrk-$which-$round.txt")
            p99=$(awk '$1 == "99%" {print $2}' "$out/wrk-$which-$round.txt")
            non2xx=$(awk '/Non-2xx/ {print $5}' "$out/wrk-$which-$round.txt")
            echo "$round $which $rps $p50 $p99 ${non2xx:-0} $rss_idle $rss_peak" >>"$out/server.txt"
        done
    done
    python3 - "$out/server.txt" <<'PY' | tee "$out/server-ratio.txt" >&2
import sys
rows = [line.split() for line in open(sys.argv[1])]
for r in rows:
    print("round %s %-9s %9.0f req/s  p50 %-8s p99 %-8s non-2xx %s  RSS idle %s KiB, peak %s KiB"
          % (r[0], r[1], float(r[2]), r[3], r[4], r[5], r[6], r[7]))
best = lambda which: max(float(r[2]) for r in rows if r[1] == which)
print("generated server / canned floor: %.2f (target >= 0.8)" % (best("generated") / best("floor")))
PY
fi

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/machine.txt"
log "done; results in $out (load after: $(cut -d' ' -f1-3 /proc/loadavg))"
