#!/usr/bin/env bash
# The default build before and after a range of commits, measured in one run with the two sides
# interleaved (before, after, before, after, ...), so that both see the same load on this shared
# machine. "before" is BASE_REV (checked out as a detached git worktree), "after" is this working
# tree. Four steps, all by default:
#
#   runtime   clean dev builds of wsdlgen-runtime with its default features, before and after
#             alternately, ROUNDS times each: `BASELINE=BASE_REV scripts/feature-build-cost.sh default`
#             (each build in a fresh target directory; wall, CPU, crates compiled).
#   bindings  the compile time a user of the generated bindings sees, dependencies already built
#             (as `scripts/bench.sh compile` measures it): each side's own generator writes the
#             full User bindings and the SaveCredential-only ones, each compiled in a crate of
#             its own against that side's runtime (default features, that side's Cargo.lock),
#             plus an empty crate that only uses the runtime, and the services87 crate built in
#             its own workspace (`cargo build -p services87`). Every round touches each crate's
#             lib.rs and rebuilds it (dev profile, incremental as cargo's default) on each side in
#             turn; the figure is the crate's own unit time from `cargo build --timings`.
#             COMPILE_ROUNDS rounds.
#   e2e       calls/s of the generated client calling SaveCredential against the local canned
#             server (`bench_e2e server`, after's, one for every client), CALLERS callers,
#             E2E_SECONDS measured after a 1 s warm-up, as `scripts/bench.sh e2e` does; each
#             side's client in two builds: `bench_e2e` of that side's workspace (as bench.sh
#             builds it: the tests crate enables runtime features for its tests, unified into the
#             bench binary), and a crate of its own holding the same client code (`client` of
#             bench_e2e.rs and that side's tests/benches/common) with the runtime's and services87's
#             default features only: the default build. E2E_ROUNDS rounds of before, after per
#             build; per round the ratio after / before and each client's CPU time per call
#             (user + sys of its process, warm-up included, over the calls at the window's rate),
#             then the median of the ratios, the ratio of the medians and of the best rounds.
#             On this 2-core VM a run is in one of two states (about 35-41k calls/s at 34-40 us
#             of client CPU per call, or 24-31k at 46-62 us), whichever binary, hence the rounds.
#   instructions  the default-build clients under valgrind's callgrind (threads serialized, the
#             server outside it), one run of each length in INSTR_SECONDS ("2 6", no warm-up):
#             the difference of the two runs' instructions over the difference of their calls
#             is the client's instructions per call, without the fixed costs (start, connections)
#             and independent of the machine's load. Needs valgrind.
#
# Usage: scripts/before-after.sh BASE_REV [runtime|bindings|e2e|instructions]...
# Environment: ROUNDS (runtime, default 2), COMPILE_ROUNDS (default 5), E2E_ROUNDS (default 9),
# E2E_SECONDS (default 5), CALLERS (default 64), INSTR_SECONDS, BA_DIR (work directory, default
# /tmp/wsdlgen-before-after: the worktree `before` (removed at exit when this script made it),
# target directories and results; `$BA_DIR/results` keeps each step's raw figures and summary).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
[ $# -ge 1 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2; }
base_rev=$(git rev-parse --verify "$1^{commit}")
shift
steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(runtime bindings e2e instructions)
want() { local s; for s in "${steps[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }
ROUNDS=${ROUNDS:-2}
COMPILE_ROUNDS=${COMPILE_ROUNDS:-5}
E2E_ROUNDS=${E2E_ROUNDS:-9}
E2E_SECONDS=${E2E_SECONDS:-5}
INSTR_SECONDS=${INSTR_SECONDS:-2 6}
CALLERS=${CALLERS:-64}
dir=${BA_DIR:-/tmp/wsdlgen-before-after}
mkdir -p "$dir/results"
dir=$(cd "$dir" && pwd)
res=$dir/results
export CARGO_TERM_COLOR=never
unset CARGO_TARGET_DIR
log() { echo "before-after.sh: $*" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# The "before" tree: a detached worktree at BASE_REV (reused when one is there already).
before=$dir/before
made_worktree=
if [ -d "$before" ]; then
    [ "$(git -C "$before" rev-parse HEAD)" = "$base_rev" ] || { log "$before is not at $base_rev"; exit 1; }
else
    git worktree add --detach "$before" "$base_rev" >&2
    made_worktree=1
fi
cleanup() {
    [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null || true
    [ -n "$made_worktree" ] && git -C "$root" worktree remove --force "$before" || true
}
trap cleanup EXIT
tree_of() { if [ "$1" = before ]; then echo "$before"; else echo "$root"; fi; }
sides=(before after)
{
    echo "before: $(git -C "$before" log -1 --format='%h %ad' --date=short)"
    echo "after: $(git log -1 --format='%h %ad' --date=short)$(git diff --quiet HEAD || echo ' (+ uncommitted changes)')"
    echo "rustc: $(rustc --version)"
    echo "load before: $(loadavg), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} | tee "$res/machine.txt" >&2

# The crate's own compile time in seconds, from the last `cargo build --timings` in target $1.
unit_time() {
    python3 -c '
import json, sys
text = open(sys.argv[1]).read()
start = text.index("UNIT_DATA = ") + len("UNIT_DATA = ")
units = json.loads(text[start:text.index("];", start) + 1])
print(sum(u["duration"] for u in units if u["name"] == sys.argv[2]))' "$1/cargo-timings/cargo-timing.html" "$2"
}

# ------------------------------------------------------------------------------------------------
if want runtime; then
    log "runtime: clean dev builds, default features, $ROUNDS rounds of before, after"
    BASELINE=$base_rev ROUNDS=$ROUNDS COST_DIR=$dir/runtime-builds scripts/feature-build-cost.sh default |
        tee "$res/runtime.md"
fi

# ------------------------------------------------------------------------------------------------
if want bindings; then
    log "bindings: services87, full User, SaveCredential only, empty; $COMPILE_ROUNDS rounds"
    crates=(services87 user savecredential empty)
    : >"$res/bindings-lines.txt"
    for side in "${sides[@]}"; do
        tree=$(tree_of "$side")
        target=$dir/target-$side
        (cd "$tree" && CARGO_TARGET_DIR=$target cargo build -q -p wsdlgen && CARGO_TARGET_DIR=$target cargo build -q -p services87)
        gen=$target/debug/wsdlgen
        src=$dir/bindings/$side
        mkdir -p "$src"
        (cd "$tree" && "$gen" generate wsdl/Services87-User.wsdl -o "$src/user.rs" &&
            "$gen" generate wsdl/Services87-User.wsdl -o "$src/savecredential.rs" --operation SaveCredential)
        echo "pub use wsdlgen_runtime;" >"$src/empty.rs"
        for name in user savecredential empty; do
            crate=$dir/crates/$side-$name
            mkdir -p "$crate/src"
            cat >"$crate/Cargo.toml" <<EOT
[package]
name = "ba-$side-$name"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
wsdlgen-runtime = { path = "$tree/runtime" }

[workspace]
EOT
            cp "$tree/Cargo.lock" "$crate/Cargo.lock"
            cp "$src/$name.rs" "$crate/src/lib.rs"
            (cd "$crate" && CARGO_TARGET_DIR=$target cargo build -q)
        done
        wc -l "$src/user.rs" "$src/savecredential.rs" | sed "s/^/$side: /" >>"$res/bindings-lines.txt"
    done
    : >"$res/bindings.txt"
    echo "load before: $(loadavg)" >>"$res/bindings.txt"
    for ((i = 1; i <= COMPILE_ROUNDS; i++)); do
        for name in "${crates[@]}"; do
            for side in "${sides[@]}"; do
                target=$dir/target-$side
                if [ "$name" = services87 ]; then
                    tree=$(tree_of "$side")
                    touch "$tree/generated/src/lib.rs"
                    (cd "$tree" && CARGO_TARGET_DIR=$target cargo build -q -p services87 --timings >/dev/null 2>&1)
                    unit=services87
                else
                    crate=$dir/crates/$side-$name
                    touch "$crate/src/lib.rs"
                    (cd "$crate" && CARGO_TARGET_DIR=$target cargo build -q --timings >/dev/null 2>&1)
                    unit=ba-$side-$name
                fi
                echo "$i $name $side $(unit_time "$target" "$unit")" | tee -a "$res/bindings.txt" >&2
            done
        done
    done
    echo "load after: $(loadavg)" >>"$res/bindings.txt"
    python3 - "$res/bindings.txt" <<'PY' | tee "$res/bindings.md"
import statistics, sys
t, load = {}, []
for line in open(sys.argv[1]):
    p = line.split()
    if p[0] == "load":
        load.append(line.strip())
        continue
    t.setdefault((p[1], p[2]), []).append(float(p[3]))
print("; ".join(load))
print()
print("| crate (own unit time, s) | before: median (min-max) | after: median (min-max) | after / before (medians) | per round after / before |")
print("|---|---|---|---|---|")
for name, label in (("services87", "services87 (User + SoPrincipal)"), ("user", "full User bindings"),
                    ("savecredential", "SaveCredential only"), ("empty", "empty (uses the runtime)")):
    b, a = t[(name, "before")], t[(name, "after")]
    mb, ma = statistics.median(b), statistics.median(a)
    rounds = ", ".join("%.2f" % (y / x) for x, y in zip(b, a))
    print("| %s | %.3f (%.3f-%.3f) | %.3f (%.3f-%.3f) | %.2f | %s |" % (label, mb, min(b), max(b), ma, min(a), max(a), ma / mb, rounds))
PY
fi

# ------------------------------------------------------------------------------------------------
# The clients of steps e2e and instructions, built once (release) on both sides.
built_clients=
build_clients() {
    [ -n "$built_clients" ] && return 0
    built_clients=1
    log "building the clients (release) on both sides"
    local side tree target crate
    : >"$res/e2e-features.txt"
    for side in "${sides[@]}"; do
        tree=$(tree_of "$side")
        target=$dir/target-$side
        (cd "$tree" && CARGO_TARGET_DIR=$target cargo build --release -q -p wsdlgen-tests --example bench_e2e)
        # The default build: the same client code in a crate of its own, the runtime's and
        # services87's default features only.
        crate=$dir/client-$side
        mkdir -p "$crate/src"
        cat >"$crate/Cargo.toml" <<EOT
[package]
name = "ba-client-$side"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
services87 = { path = "$tree/generated" }
wsdlgen-runtime = { path = "$tree/runtime" }
tokio = { version = "1", features = ["rt-multi-thread", "macros", "net", "io-util", "time", "sync"] }

[workspace]
EOT
        cp "$tree/Cargo.lock" "$crate/Cargo.lock"
        cat >"$crate/src/main.rs" <<EOT
//! bench_e2e's \`client\` (tests/examples/bench_e2e.rs), alone, against the default build.
#[path = "$tree/tests/benches/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use services87::user::UserClient;

#[global_allocator]
static ALLOC: common::CountingAlloc = common::CountingAlloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str, default: u64| -> u64 {
        args.iter().position(|a| a == name).map_or(default, |i| args[i + 1].parse().expect("a number"))
    };
    client(
        args.get(2).expect("client URL").clone(),
        flag("--callers", 64) as usize,
        Duration::from_secs(flag("--seconds", 5)),
        Duration::from_secs(flag("--warmup", 1)),
        flag("--max-in-flight", 0) as usize,
    );
}

$(sed -n '/^fn client(/,/^}/p' "$tree/tests/examples/bench_e2e.rs")
EOT
        (cd "$crate" && CARGO_TARGET_DIR=$target cargo build --release -q)
        (cd "$crate" && cargo tree -e normal -i wsdlgen-runtime -f '{p} [{f}]' --depth 0 2>/dev/null) |
            grep '^wsdlgen-runtime' | sed "s/^/$side default build: /" >>"$res/e2e-features.txt"
        (cd "$tree" && cargo tree -p wsdlgen-tests -e normal,dev -i wsdlgen-runtime -f '{p} [{f}]' --depth 0 2>/dev/null) |
            grep '^wsdlgen-runtime' | sed "s/^/$side bench_e2e: /" >>"$res/e2e-features.txt"
    done
    cat "$res/e2e-features.txt" >&2
    # One server for every client: after's (a current-thread runtime answering every POST with
    # the canned SaveCredential response).
    e2e_server=$dir/target-after/release/examples/bench_e2e
}

# Starts the server for $1 seconds (its URL in `url`); stop_server ends it.
start_server() {
    "$e2e_server" server --seconds "$1" >"$res/server.url" &
    server_pid=$!
    for _ in $(seq 100); do [ -s "$res/server.url" ] && break; sleep 0.05; done
    url=$(head -1 "$res/server.url")
    [ -n "$url" ] || { log "the server did not start"; exit 1; }
}
stop_server() {
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
}

if want e2e; then
    build_clients
    start_server $((E2E_ROUNDS * 4 * (E2E_SECONDS + 3) + 120))
    log "e2e: server $url; $E2E_ROUNDS rounds of before, after for each build; $CALLERS callers, ${E2E_SECONDS}s"
    : >"$res/e2e.txt"
    : >"$res/e2e-client.err"
    echo "load before: $(loadavg)" >>"$res/e2e.txt"
    for ((i = 1; i <= E2E_ROUNDS; i++)); do
        for build in bench_e2e default; do
            for side in "${sides[@]}"; do
                if [ "$build" = bench_e2e ]; then
                    bin=$dir/target-$side/release/examples/bench_e2e
                else
                    bin=$dir/target-$side/release/ba-client-$side
                fi
                # user + sys of the client process, warm-up included.
                cpu=$( { TIMEFORMAT='%U %S'; time "$bin" client "$url" --callers "$CALLERS" --seconds "$E2E_SECONDS" \
                    >"$res/e2e-last.json" 2>>"$res/e2e-client.err"; } 2>&1)
                rate=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["calls_per_s"])' "$res/e2e-last.json")
                echo "$i $build $side $rate $(loadavg | cut -d' ' -f1) $(echo "$cpu" | awk '{ print $1 + $2 }')" |
                    tee -a "$res/e2e.txt" >&2
            done
        done
    done
    echo "load after: $(loadavg)" >>"$res/e2e.txt"
    stop_server
    python3 - "$res/e2e.txt" "$CALLERS" "$E2E_SECONDS" <<'PY' | tee "$res/e2e.md"
import statistics, sys
rows, load = [], []
seconds = float(sys.argv[3])
for line in open(sys.argv[1]):
    p = line.split()
    if p[0] == "load":
        load.append(line.strip())
    else:
        # CPU per call, approximately: the client's CPU over the warm-up (1 s) and the window,
        # over the calls of both at the window's rate.
        rate, cpu = float(p[3]), float(p[5])
        rows.append((int(p[0]), p[1], p[2], rate, p[4], 1e6 * cpu / (rate * (seconds + 1))))
print("; ".join(load) + "; %s callers, %s s per client run" % (sys.argv[2], sys.argv[3]))
med = statistics.median
for build, label in (("bench_e2e", "bench_e2e of each workspace (as scripts/bench.sh e2e builds it)"),
                     ("default", "the same client, runtime and services87 default features only (the default build)")):
    r = {(i, s): (v, l, c) for i, b, s, v, l, c in rows if b == build}
    rounds = sorted({i for i, s in r})
    if not rounds:
        continue
    print()
    print("%s:" % label)
    print()
    print("| round | before (calls/s) | after (calls/s) | after / before | client CPU per call, before / after (us) | load (1 min) |")
    print("|---|---|---|---|---|---|")
    ratios, cratios = [], []
    for i in rounds:
        (b, lb, cb), (a, la, ca) = r[(i, "before")], r[(i, "after")]
        ratios.append(a / b)
        cratios.append(ca / cb)
        print("| %d | %.0f | %.0f | %.3f | %.1f / %.1f | %s, %s |" % (i, b, a, a / b, cb, ca, lb, la))
    bs = [r[(i, "before")][0] for i in rounds]
    as_ = [r[(i, "after")][0] for i in rounds]
    cbs = [r[(i, "before")][2] for i in rounds]
    cas = [r[(i, "after")][2] for i in rounds]
    print("| median | %.0f | %.0f | **%.3f** | %.1f / %.1f (after / before %.3f) | |" % (
        med(bs), med(as_), med(ratios), med(cbs), med(cas), med(cratios)))
    print()
    print("after / before: median of the rounds' ratios %.3f (range %.3f-%.3f), ratio of the medians %.3f, of the best rounds %.3f; "
          "rounds before %.0f-%.0f calls/s, after %.0f-%.0f; client CPU per call after / before, median of the rounds %.3f (range %.3f-%.3f)" % (
        med(ratios), min(ratios), max(ratios), med(as_) / med(bs), max(as_) / max(bs), min(bs), max(bs), min(as_), max(as_),
        med(cratios), min(cratios), max(cratios)))
PY
fi

# ------------------------------------------------------------------------------------------------
if want instructions; then
    command -v valgrind >/dev/null 2>&1 || { log "instructions: needs valgrind (apt-get install valgrind)"; exit 1; }
    build_clients
    log "instructions: the default-build clients under callgrind, runs of $INSTR_SECONDS s"
    start_server 900
    : >"$res/instructions.txt"
    for secs in $INSTR_SECONDS; do
        for side in "${sides[@]}"; do
            valgrind --tool=callgrind --callgrind-out-file=/dev/null "$dir/target-$side/release/ba-client-$side" \
                client "$url" --callers "$CALLERS" --seconds "$secs" --warmup 0 \
                >"$res/instructions-last.json" 2>"$res/instructions-$side-$secs.log"
            ir=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$res/instructions-$side-$secs.log")
            calls=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["calls"])' "$res/instructions-last.json")
            echo "$side $secs $calls $ir" | tee -a "$res/instructions.txt" >&2
        done
    done
    stop_server
    python3 - "$res/instructions.txt" <<'PY' | tee "$res/instructions.md"
import sys
t = {}
for line in open(sys.argv[1]):
    side, secs, calls, ir = line.split()
    t.setdefault(side, []).append((int(calls), int(ir)))
print("| client (default build) | calls, short / long run | instructions, short / long run | instructions per call (difference of the runs) |")
print("|---|---|---|---|")
per = {}
for side in ("before", "after"):
    runs = sorted(t[side])
    (c1, i1), (c2, i2) = runs[0], runs[-1]
    per[side] = (i2 - i1) / (c2 - c1)
    print("| %s | %d / %d | %.1f M / %.1f M | **%.0f** |" % (side, c1, c2, i1 / 1e6, i2 / 1e6, per[side]))
print()
print("after / before: %.3f" % (per["after"] / per["before"]))
PY
fi

echo "load after: $(loadavg), $(date -u +%Y-%m-%dT%H:%M:%SZ)" | tee -a "$res/machine.txt" >&2
log "done; results in $res"
