#!/usr/bin/env bash
# The compile-time cost of each feature of wsdlgen-runtime: one clean `cargo build -p
# wsdlgen-runtime` (dev profile, CARGO_INCREMENTAL=0) per feature set, each in a target
# directory of its own made for it (nothing cached but the downloaded sources), one after the
# other in one run. Prints, as Markdown tables, each build's wall time, CPU time (user + sys of
# cargo and everything it ran) and number of crates compiled, then per set the median over the
# rounds, its difference to the `default` set's median (to the first set's when `default` is not
# among them), and the crates it compiles that the default build does not (and the other way round).
#
# Usage: scripts/feature-build-cost.sh [FEATURE_SET]...
#   default       the default features (`http`, `rustls-ring`)
#   none (or -)   --no-default-features: the codec alone
#   +a,b          the default features plus a and b (--features a,b)
#   a,b           a and b alone (--no-default-features --features a,b), e.g. `http` (the HTTP
#                 transport without TLS) or `rustls-aws-lc-rs` (a TLS backend instead of the default)
# Without arguments: default, none, http, +gzip, +deflate, +cookies, +blocking, +server,
# +chrono, +time, +jiff, rustls-aws-lc-rs, native-tls, and every optional feature but the other
# TLS backends on top of the default (+gzip,deflate,cookies,blocking,server,chrono,time,jiff).
# Environment:
#   ROUNDS=N          every set N times, interleaved (round 1: each set once, round 2: ...); default 1
#   BASELINE=<commit> each round starts with the same build of the runtime at that commit, default
#                     features (the "before" of a before/after in one run)
# Needs what each set needs to build (gcc; for native-tls, pkg-config and OpenSSL's headers:
# Debian `libssl-dev`; aws-lc-sys builds with gcc alone). Build logs and raw rows are kept in
# $COST_DIR (default: a temporary directory, removed at exit).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

sets=("$@")
if [ ${#sets[@]} -eq 0 ]; then
    sets=(default none http +gzip +deflate +cookies +blocking +server +chrono +time +jiff rustls-aws-lc-rs native-tls
        +gzip,deflate,cookies,blocking,server,chrono,time,jiff)
fi
rounds=${ROUNDS:-1}

cargo fetch -q
if [ -n "${COST_DIR:-}" ]; then
    scratch=$COST_DIR
    rm -rf "$scratch/target" "$scratch/baseline" && mkdir -p "$scratch"
else
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
fi
rows=$scratch/rows.txt
: >"$rows"

# The label of set $1 and the cargo arguments that build it (into the array `args`).
label_and_args() {
    case $1 in
    default) label="default"; args=() ;;
    none | -) label="none (codec only)"; args=(--no-default-features) ;;
    +*) label="default + \`${1#+}\`"; args=(--features "${1#+}") ;;
    *) label="\`$1\` alone"; args=(--no-default-features --features "$1") ;;
    esac
}

# One clean build of the runtime in directory $1 with cargo arguments $4..., reported as $3 in
# round $2; the names of the crates compiled go to $scratch/crates-<key>.
measure() {
    local dir=$1 round=$2 name=$3
    shift 3
    local target="$scratch/target" key log start end times user sys crates
    key=$(printf '%s' "$name" | tr -c 'A-Za-z0-9+-' '_')
    log=$scratch/log-$key-$round
    rm -rf "$target"
    start=$(date +%s.%N)
    # user and sys: cargo and everything it ran (rustc, build scripts, cc).
    times=$( { TIMEFORMAT='%U %S'; time (cd "$dir" && CARGO_TARGET_DIR="$target" CARGO_INCREMENTAL=0 \
        CARGO_TERM_COLOR=never cargo build -p wsdlgen-runtime "$@" >"$log" 2>&1); } 2>&1) ||
        { echo "build failed: $name (log: $log)" >&2; tail -20 "$log" >&2; exit 1; }
    end=$(date +%s.%N)
    crates=$(grep -c '^ *Compiling ' "$log" || true)
    awk '$1 == "Compiling" { sub(/^v/, "", $3); print $2 "@" $3 }' "$log" | sort >"$scratch/crates-$key"
    read -r user sys <<<"$times"
    awk -v r="$round" -v n="$name" -v s="$start" -v e="$end" -v u="$user" -v y="$sys" -v c="$crates" -v k="$key" \
        'BEGIN { printf "%s\t%s\t%s\t%.1f\t%.1f\t%s\n", r, k, n, e - s, u + y, c }' | tee -a "$rows" |
        awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $3, $4, $5, $6 }'
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- runtime Cargo.lock || echo ' (+ changes)')"
if [ -n "${BASELINE:-}" ]; then
    mkdir -p "$scratch/baseline"
    git archive "$BASELINE" | tar -x -C "$scratch/baseline"
    (cd "$scratch/baseline" && cargo fetch -q)
fi
echo
echo "| round | features | wall (s) | CPU, user + sys (s) | crates compiled |"
echo "|---|---|---|---|---|"
for ((round = 1; round <= rounds; round++)); do
    if [ -n "${BASELINE:-}" ]; then
        measure "$scratch/baseline" "$round" "default, at $(git rev-parse --short "$BASELINE") (before)"
    fi
    for set in "${sets[@]}"; do
        label_and_args "$set"
        measure . "$round" "$label" "${args[@]}"
    done
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo
# Medians per set over the rounds, and the difference to the default build's medians.
python3 - "$rows" "$scratch" <<'PY'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
scratch = sys.argv[2]
order, by = [], {}
for r, key, name, wall, cpu, crates in rows:
    if key not in by:
        order.append(key)
        by[key] = {"name": name, "wall": [], "cpu": [], "crates": int(crates)}
    by[key]["wall"].append(float(wall))
    by[key]["cpu"].append(float(cpu))
med = {k: (statistics.median(v["wall"]), statistics.median(v["cpu"])) for k, v in by.items()}
crates = {k: set(open("%s/crates-%s" % (scratch, k)).read().split()) for k in by}
# The reference: the default build if measured, else the first set.
base = "default" if "default" in by else order[0]
ref = "default" if base == "default" else by[base]["name"]
head = "| features | wall (s) | CPU (s) | crates |"
head += " wall vs %s | CPU vs %s | crates vs %s |" % (ref, ref, ref)
print(head)
print("|---" * (head.count("|") - 1) + "|")
def spread(xs):
    return "%.1f" % statistics.median(xs) if len(xs) == 1 else "%.1f (%s)" % (statistics.median(xs), ", ".join("%.1f" % x for x in xs))
for k in order:
    v = by[k]
    line = "| %s | %s | %s | %d |" % (v["name"], spread(v["wall"]), spread(v["cpu"]), v["crates"])
    dw, dc = med[k][0] - med[base][0], med[k][1] - med[base][1]
    added = sorted(crates[k] - crates[base])
    removed = sorted(crates[base] - crates[k])
    diff = []
    # Shown by name; with the version where the other build has the crate in another version.
    def names(cs, other):
        seen = {c.split("@")[0] for c in other}
        return ", ".join(c if c.split("@")[0] in seen else c.split("@")[0] for c in cs)
    if added:
        diff.append("+%d: %s" % (len(added), names(added, crates[base])))
    if removed:
        diff.append("−%d: %s" % (len(removed), names(removed, crates[k])))
    line += " %+.1f s (%+.0f%%) | %+.1f s (%+.0f%%) | %s |" % (
        dw, 100 * dw / med[base][0], dc, 100 * dc / med[base][1], "; ".join(diff) or "same")
    print(line)
PY
