#!/usr/bin/env bash
# Compile time of generated bindings against two versions of the runtime, interleaved in one
# run (the machine is shared and noisy: compare the two columns of one run, never two runs).
#   scripts/compile-ab.sh [BASE_REV] [ROUNDS]    (defaults: HEAD, 7)
# "base" is the runtime at BASE_REV, "work" the runtime in the working tree. Three crates per
# side, as in `scripts/bench.sh compile`: the full User bindings, the SaveCredential-only ones
# and an empty crate that only uses the runtime. Each round touches and rebuilds every crate
# (dev profile) and prints the crate's own unit time from `cargo build --timings`; the summary
# gives min and median per crate and side. Work files in $AB_DIR (default /tmp/wsdlgen-compile-ab).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
base_rev=${1:-HEAD}
rounds=${2:-7}
dir=${AB_DIR:-/tmp/wsdlgen-compile-ab}
mkdir -p "$dir"
export CARGO_TARGET_DIR=$dir/target CARGO_TERM_COLOR=never
rm -rf "$dir/base-src" && mkdir -p "$dir/base-src"
git archive "$base_rev" Cargo.toml README.md LICENSE-MIT LICENSE-APACHE runtime | tar -x -C "$dir/base-src"
cargo build -q -p wsdlgen
gen=${CARGO_TARGET_DIR}/debug/wsdlgen
"$gen" generate wsdl/Services87-User.wsdl -o "$dir/user.rs"
"$gen" generate wsdl/Services87-User.wsdl -o "$dir/savecredential.rs" --operation SaveCredential
echo "pub use wsdlgen_runtime;" >"$dir/empty.rs"
crates=(user savecredential empty)
for side in base work; do
    rt=$root/runtime
    [ "$side" = base ] && rt=$dir/base-src/runtime
    for name in "${crates[@]}"; do
        crate=$dir/crates/$side-$name
        mkdir -p "$crate/src"
        cat >"$crate/Cargo.toml" <<EOT
[package]
name = "ab-$side-$name"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
wsdlgen-runtime = { path = "$rt" }

[workspace]
EOT
        cp Cargo.lock "$crate/Cargo.lock"
        cp "$dir/$name.rs" "$crate/src/lib.rs"
        (cd "$crate" && cargo build -q)
    done
done
unit_time() {
    python3 -c '
import json, sys
text = open(sys.argv[1]).read()
start = text.index("UNIT_DATA = ") + len("UNIT_DATA = ")
units = json.loads(text[start:text.index("];", start) + 1])
print(sum(u["duration"] for u in units if u["name"] == sys.argv[2]))' "$CARGO_TARGET_DIR/cargo-timings/cargo-timing.html" "$1"
}
results=$dir/results.txt
: >"$results"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((i = 0; i < rounds; i++)); do
    for name in "${crates[@]}"; do
        for side in base work; do
            (cd "$dir/crates/$side-$name" && touch src/lib.rs && cargo build -q --timings >/dev/null 2>&1)
            echo "$side $name $(unit_time "ab-$side-$name")" | tee -a "$results"
        done
    done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$results" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1])]
t = {}
for side, name, secs in rows:
    t.setdefault((side, name), []).append(float(secs))
for side in ("base", "work"):
    med = {n: statistics.median(t[(side, n)]) for n in ("user", "savecredential", "empty")}
    line = ", ".join("%s min %.2f median %.2f s" % (n, min(t[(side, n)]), med[n]) for n in med)
    print("%s: %s; full / SaveCredential-only = %.2fx" % (side, line, med["user"] / med["savecredential"]))
PY
