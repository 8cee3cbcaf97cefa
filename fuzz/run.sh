#!/usr/bin/env bash
# Runs fuzz targets one after the other, each for SECONDS (default 630), on the stable toolchain
# (RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its -Z flags). New inputs go to a work directory
# ($FUZZ_WORK, default /tmp/wsdlgen-fuzz) so the committed seeds in corpus/ stay small; logs
# go to $FUZZ_WORK/logs/<target>.log; a failing input goes to artifacts/<target>/.
#   fuzz/run.sh [SECONDS] [TARGET...]
#   fuzz/run.sh mutants [SECONDS] (default 1800): the schema-aware WSDL mutants instead (see
#   README.md): tests/tests/wsdl_mutants.rs's long run, in a release build, restarted after a
#   crash (a stack overflow aborts the process) or a run over 10 s, whose input it saves.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if [ "${1:-}" = mutants ]; then
    seconds=${2:-1800}
    work=${FUZZ_WORK:-/tmp/wsdlgen-fuzz}/mutants
    mkdir -p "$work"
    cd ..
    # Built once and copied, so that the run tests one build of the generator from start to end.
    exe=$(cargo test --release -p wsdlgen-tests --test wsdl_mutants --no-run 2>&1 | tee -a "$work/log.txt" |
        sed -n 's/.*Executable .*(\(.*\))$/\1/p' | tail -n 1)
    [ -n "$exe" ] && [ -x "$exe" ] || { echo "run.sh: no test executable (see $work/log.txt)" >&2; exit 1; }
    cp "$exe" "$work/wsdl_mutants"
    test=("$work/wsdl_mutants")
    echo "$(date -u +%FT%TZ) start mutants for $seconds s" >> "$work/runs.txt"
    end=$(( $(date +%s) + seconds ))
    seed=${WSDL_MUTANTS_SEED:-1}
    while [ "$(date +%s)" -lt "$end" ]; do
        left=$(( end - $(date +%s) ))
        WSDL_MUTANTS_SECONDS=$left WSDL_MUTANTS_SEED=$seed WSDL_MUTANTS_WORK="$work" \
            "${test[@]}" --ignored --exact long_run --nocapture >> "$work/log.txt" 2>&1
        rc=$?
        [ -f "$work/stats.txt" ] && mv "$work/stats.txt" "$work/stats-$seed.txt"
        echo "$(date -u +%FT%TZ) seed $seed ended with exit status $rc" >> "$work/runs.txt"
        if [ -f "$work/inflight.wsdl" ]; then
            # The process did not finish its run: the mutant it was generating is the culprit.
            mv "$work/inflight.wsdl" "$work/crash-$seed.wsdl"
            mv "$work/inflight.txt" "$work/crash-$seed.txt"
            echo "$(date -u +%FT%TZ) seed $seed: crash or timeout, input in crash-$seed.wsdl" >> "$work/runs.txt"
        fi
        seed=$(( seed + 1 ))
    done
    echo "$(date -u +%FT%TZ) end mutants" >> "$work/runs.txt"
    exit 0
fi
seconds=${1:-630}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(decode_save_credential decode_get_user decode_get_user_info_list decode_fault serve_request tokenize_differential generate_wsdl)
work=${FUZZ_WORK:-/tmp/wsdlgen-fuzz}
mkdir -p "$work/logs"
export RUSTC_BOOTSTRAP=1
for t in "${targets[@]}"; do
    mkdir -p "$work/$t"
    extra=()
    flags=(-max_total_time="$seconds" -print_final_stats=1 -timeout=20 -rss_limit_mb=4096)
    if [ "$t" = tokenize_differential ]; then
        flags+=(-dict=xml.dict)
    fi
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
