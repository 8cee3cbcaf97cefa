#!/usr/bin/env bash
# The compile-time cost of each TLS backend feature of wsdlgen-runtime: one clean
# `cargo build -p wsdlgen-runtime` (dev profile) per feature set, each in a target directory
# of its own made for it (nothing cached but the downloaded sources), one after the other in
# one run. Prints wall time, CPU time and the number of crates compiled, as a Markdown table.
#
# Usage: scripts/tls-build-cost.sh [FEATURE_SET]...   (default: the four below; a set is a
# comma-separated feature list, "-" for none). Needs what each backend needs to build (gcc;
# for native-tls, pkg-config and OpenSSL's headers: Debian `libssl-dev`).
# BASELINE=<commit>: first the same build of the runtime at that commit, default features (the
# "before" of a before/after in one run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

sets=("$@")
if [ ${#sets[@]} -eq 0 ]; then
    sets=(- rustls-ring rustls-aws-lc-rs native-tls)
fi

cargo fetch -q
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# One clean build of the runtime in directory $1 with cargo arguments $3..., reported as $2.
measure() {
    local dir=$1 name=$2
    shift 2
    local target="$scratch/target"
    rm -rf "$target"
    local start end times user sys crates
    start=$(date +%s.%N)
    # user and sys: cargo and everything it ran.
    times=$( { TIMEFORMAT='%U %S'; time (cd "$dir" && CARGO_TARGET_DIR="$target" CARGO_INCREMENTAL=0 \
        cargo build -p wsdlgen-runtime "$@" >"$scratch/log" 2>&1); } 2>&1)
    end=$(date +%s.%N)
    crates=$(grep -c '^ *Compiling ' "$scratch/log" || true)
    read -r user sys <<<"$times"
    awk -v n="$name" -v s="$start" -v e="$end" -v u="$user" -v y="$sys" -v c="$crates" \
        'BEGIN { printf "| %s | %.1f | %.1f | %s |\n", n, e - s, u + y, c }'
}

echo "| features | wall (s) | CPU, user + sys (s) | crates compiled |"
echo "|---|---|---|---|"
if [ -n "${BASELINE:-}" ]; then
    mkdir "$scratch/baseline"
    git archive "$BASELINE" | tar -x -C "$scratch/baseline"
    (cd "$scratch/baseline" && cargo fetch -q)
    measure "$scratch/baseline" "default, at ${BASELINE:0:7} (before)"
fi
for set in "${sets[@]}"; do
    if [ "$set" = "-" ]; then
        measure . "none (HTTP only)" --no-default-features
    else
        measure . "\`$set\`" --no-default-features --features "$set"
    fi
done
