#!/usr/bin/env bash
# Runs every fuzz target in turn for MINUTES each (default 10) and prints one
# line per target: runs, exec/s, coverage, corpus size, crashes.
#
#   fuzz/run-all.sh [MINUTES] [TARGET...]
#
# Environment:
#   FUZZ_SECONDS    overrides MINUTES with a time in seconds (short smoke runs)
#   FUZZ_SANITIZER  address (default) or none (cargo fuzz -s)
#   FUZZ_TIMEOUT    libFuzzer -timeout per input, seconds (default 20)
#   FUZZ_ARGS       extra libFuzzer flags, e.g. "-max_len=8192"
#
# Corpora grow in fuzz/corpus/<target> (gitignored) and are seeded from
# fuzz/seeds/<target> and fuzz/regressions/<target> (read only). A crash
# stops that target and leaves its input in fuzz/artifacts/<target>/; full
# logs are in fuzz/logs/<target>.log. Exit status 1 when any target crashed.
set -uo pipefail

cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP="${RUSTC_BOOTSTRAP:-1}"   # cargo-fuzz needs -Z flags; stable rustc
minutes="${1:-10}"
shift || true
secs="${FUZZ_SECONDS:-$((minutes * 60))}"
san="${FUZZ_SANITIZER:-address}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo fuzz list)
fi

mkdir -p logs
# Build once up front (every target), so build time is not fuzzing time.
cargo fuzz build -s "$san" >logs/build.log 2>&1 || { cat logs/build.log; exit 2; }

failed=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    dirs=("corpus/$t")
    [ -d "seeds/$t" ] && dirs+=("seeds/$t")
    [ -d "regressions/$t" ] && dirs+=("regressions/$t")
    log="logs/$t.log"
    # shellcheck disable=SC2086
    cargo fuzz run -s "$san" "$t" "${dirs[@]}" -- \
        -max_total_time="$secs" -timeout="${FUZZ_TIMEOUT:-20}" -print_final_stats=1 \
        ${FUZZ_ARGS:-} >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$last")
    if [ $rc -eq 0 ]; then
        crashes=0
    else
        crashes=1
        failed=1
        art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
        why=$(grep -m1 -E "panicked at|ERROR: (AddressSanitizer|libFuzzer)" "$log")
    fi
    printf '%-10s runs=%-10s exec/s=%-7s cov=%-6s ft=%-6s corpus=%-12s crashes=%s%s\n' \
        "$t" "${runs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$crashes" \
        "${art:+ ($art; ${why:-see $log})}"
    unset art why
done
exit $failed
