#!/usr/bin/env bash
# Runs fuzz targets one after the other, each for SECONDS (default 630), on the stable toolchain
# (RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its -Z flags). New inputs go to a work directory
# ($FUZZ_WORK, default /tmp/wsdlgen-fuzz) so the committed seeds in corpus/ stay small; logs
# go to $FUZZ_WORK/logs/<target>.log; a failing input goes to artifacts/<target>/.
#   fuzz/run.sh [SECONDS] [TARGET...]
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
seconds=${1:-630}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(decode_save_credential decode_get_user decode_get_user_info_list decode_fault generate_wsdl)
work=${FUZZ_WORK:-/tmp/wsdlgen-fuzz}
mkdir -p "$work/logs"
export RUSTC_BOOTSTRAP=1
for t in "${targets[@]}"; do
    mkdir -p "$work/$t"
    extra=()
    flags=(-max_total_time="$seconds" -print_final_stats=1 -timeout=20 -rss_limit_mb=4096)
    if [ "$t" = generate_wsdl ]; then
        # The real WSDLs as seeds too (the User WSDL is 318 KB), and the WSDL dictionary.
        extra=(../wsdl ../tests/wsdl)
        flags+=(-max_len=400000 -dict=wsdl.dict)
    fi
    echo "$(date -u +%FT%TZ) start $t" >> "$work/logs/runs.txt"
    cargo fuzz run "$t" "$work/$t" "corpus/$t" "${extra[@]}" -- "${flags[@]}" > "$work/logs/$t.log" 2>&1
    rc=$?
    echo "$(date -u +%FT%TZ) end $t exit $rc" >> "$work/logs/runs.txt"
done
