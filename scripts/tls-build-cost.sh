#!/usr/bin/env bash
# The compile-time cost of each TLS backend feature of wsdlgen-runtime: one clean
# `cargo build -p wsdlgen-runtime` (dev profile) per feature set, each in a target directory
# of its own made for it (nothing cached but the downloaded sources), one after the other in
# one run. Prints wall time, CPU time and the number of crates compiled, as a Markdown table.
#
# Usage: scripts/tls-build-cost.sh [FEATURE_SET]...   (default: the four below; a set is a
# comma-separated feature list, "-" for none). Needs what each backend needs to build (gcc;
# for native-tls, pkg-config and OpenSSL's headers: Debian `libssl-dev`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

sets=("$@")
if [ ${#sets[@]} -eq 0 ]; then
    sets=(- rustls-ring rustls-aws-lc-rs native-tls)
fi

cargo fetch -q
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

echo "| features | wall (s) | CPU, user + sys (s) | crates compiled |"
echo "|---|---|---|---|"
for set in "${sets[@]}"; do
    features=()
    if [ "$set" != "-" ]; then
        features=(--features "$set")
    fi
    target="$scratch/target"
    rm -rf "$target"
    start=$(date +%s.%N)
    # `time -p` in a subshell: user and sys of cargo and everything it ran.
    times=$( { TIMEFORMAT='%U %S'; time CARGO_TARGET_DIR="$target" CARGO_INCREMENTAL=0 \
        cargo build -p wsdlgen-runtime --no-default-features "${features[@]}" >"$scratch/log" 2>&1; } 2>&1)
    end=$(date +%s.%N)
    crates=$(grep -c '^ *Compiling ' "$scratch/log" || true)
    read -r user sys <<<"$times"
    name=$set
    if [ "$set" = "-" ]; then
        name="none (HTTP only)"
    fi
    awk -v n="$name" -v s="$start" -v e="$end" -v u="$user" -v y="$sys" -v c="$crates" \
        'BEGIN { printf "| `%s` | %.1f | %.1f | %s |\n", n, e - s, u + y, c }'
done
