#!/usr/bin/env bash
# Robustness sweep: runs the generator over every WSDL in the source packages of four SOAP
# toolkits in Debian (Apache Axis 1.4, the JAX-WS reference implementation, gSOAP, Perl's
# SOAP::WSDL and SOAP::Lite: about 500 WSDLs, test fixtures and samples, many broken on
# purpose), then compiles everything that generated, as modules of one crate, with
# `cargo clippy -D warnings`.
#
# What it checks: the generator never panics or hangs on any of them (each run is bounded by a
# timeout), every failure is an error message, and whatever it generates compiles clippy-clean.
# It prints the exit-status counts and the error messages grouped by kind.
#
# Usage: scripts/sweep.sh [WORK_DIR]   (default: target/sweep; needs Debian's apt and network
# access to the Debian archive; nothing outside WORK_DIR is changed).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$root/target/sweep}"
mkdir -p "$work/apt/lists/partial" "$work/src" "$work/crate/src" "$work/crate/gen"
work="$(cd "$work" && pwd)"

# A private apt configuration with the Debian source archive: the system's is left alone.
codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
echo "deb-src http://deb.debian.org/debian $codename main" > "$work/apt/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
          -o "Dir::State::Lists=$work/apt/lists" -o "APT::Sandbox::User=root")
apt-get "${apt_opts[@]}" update -qq
cd "$work/src"
for pkg in axis jaxws gsoap libsoap-wsdl-perl libsoap-lite-perl; do
  # Only the upstream tarball is needed; a missing Debian patch tarball is not an error here.
  ls "${pkg}"_*.orig.tar.* >/dev/null 2>&1 || apt-get "${apt_opts[@]}" source --download-only -qq "$pkg" || true
  ls "${pkg}"_*.orig.tar.* >/dev/null 2>&1 || { echo "sweep: could not download the source of $pkg" >&2; exit 1; }
done
for tarball in *.orig.tar.*; do
  dir="${tarball%%.orig.tar.*}"
  [ -d "$dir" ] || { mkdir -p "$dir" && tar -xf "$tarball" -C "$dir"; }
done

cargo build --release -q -p wsdlgen --manifest-path "$root/Cargo.toml"
gen="$root/target/release/wsdlgen"

results="$work/results.txt"
: > "$results"
: > "$work/crate/src/lib.rs"
rm -f "$work"/crate/gen/*.rs
n=0
while IFS= read -r -d '' wsdl; do
  status=0
  out="$(timeout 30 "$gen" generate "$wsdl" -o "$work/crate/gen/current.rs" 2>&1)" || status=$?
  echo "$status|${wsdl#"$work/src/"}|$(echo "$out" | head -c 2000 | tr '\n' ' ')" >> "$results"
  if [ "$status" = 0 ]; then
    n=$((n + 1))
    module="$(printf 'm%03d' "$n")"
    mv "$work/crate/gen/current.rs" "$work/crate/gen/$module.rs"
    printf '// %s\n#[allow(dead_code)]\npub mod %s {\n    include!("../gen/%s.rs");\n}\n' \
      "${wsdl#"$work/src/"}" "$module" "$module" >> "$work/crate/src/lib.rs"
  fi
done < <(find "$work/src" -iname '*.wsdl' -print0 | sort -z)

cp "$root/Cargo.lock" "$work/crate/Cargo.lock"  # the versions the workspace is tested with
cat > "$work/crate/Cargo.toml" <<EOF
[package]
name = "wsdlgen-sweep"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
wsdlgen-runtime = { path = "$root/runtime" }

[workspace]
EOF

echo "== exit status of wsdlgen generate (0 generated, 1 refused with an error, anything else is a bug)"
cut -d'|' -f1 "$results" | sort | uniq -c
if grep -q 'panicked' "$results"; then
  echo "PANICS:"; grep 'panicked' "$results"; exit 1
fi
if cut -d'|' -f1 "$results" | grep -qv '^[01]$'; then
  echo "unexpected exit status:"; grep -v '^[01]|' "$results"; exit 1
fi
echo "== errors, grouped (names and positions elided)"
awk -F'|' '$1 == 1 { print $3 }' "$results" \
  | sed -E 's/^wsdlgen: error: [^ ]+:[0-9]+:[0-9]+: //; s/\{[^}]*\}[A-Za-z0-9_]*/{…}X/g; s/`[^`]*`/`…`/g' \
  | cut -c1-120 | sort | uniq -c | sort -rn
echo "== compiling the $n generated modules ($(cat "$work"/crate/gen/*.rs | wc -l) lines) with clippy -D warnings"
(cd "$work/crate" && CARGO_TARGET_DIR="$work/target" cargo clippy -q -- -D warnings)
echo "sweep: ok"
