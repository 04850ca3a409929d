#!/usr/bin/env bash
# Runs evoscan's libFuzzer targets (Sources/EvoScanFuzzTargets, FUZZING.md) for a set time each.
#
# Builds the driver with libFuzzer and AddressSanitizer in its own scratch directory
# (.build-fuzz), seeds each target's corpus from Fixtures/ (plus reports and state files made
# from them, and the saved crash inputs in Tests/FuzzRegressions/TARGET/), runs the targets
# (--jobs at a time) and appends one line per run to .fuzz/runs.tsv: executions, executions
# per second, coverage (libFuzzer's `cov` and `ft`), corpus size, peak RSS and findings.
# A crash, a sanitizer report, a time-out (10 s on one input) or more than 2 GiB of memory
# stops that target and leaves the input in .fuzz/crashes/TARGET/; copy it into
# Tests/FuzzRegressions/TARGET/ and `swift test` replays it from then on (FuzzRegressionTests).
#
# Usage: scripts/fuzz.sh [--time SECONDS] [--jobs N] [TARGET...]   (default: 600 s, 1 job, all)
#        scripts/fuzz.sh --smoke                                   (30 s each: what CI runs)
# Exit status: 0 when no target found anything, 1 when one did, 2 on a usage error.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=600
jobs=1
targets=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --time) [[ $# -ge 2 ]] || { echo "fuzz.sh: --time needs SECONDS" >&2; exit 2; }; seconds=$2; shift ;;
        --jobs) [[ $# -ge 2 ]] || { echo "fuzz.sh: --jobs needs N" >&2; exit 2; }; jobs=$2; shift ;;
        --smoke) seconds=30 ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
        *) targets+=("$1") ;;
    esac
    shift
done
all=(scan framing journal records prisma access state summary config)
[[ ${#targets[@]} -eq 0 ]] && targets=("${all[@]}")
for t in "${targets[@]}"; do
    [[ " ${all[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target $t (one of: ${all[*]})" >&2; exit 2; }
done

# One -sanitize list: SwiftPM passes each --sanitize as a flag of its own, and swiftc keeps
# only the last, which dropped the fuzzer's coverage counters under --sanitize=address.
build=(swift build -c debug --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address --product evoscan-fuzz --scratch-path .build-fuzz)
echo "== building the fuzzer (libFuzzer + AddressSanitizer)" >&2
EVOSCAN_FUZZ=1 "${build[@]}" >&2
driver=$(EVOSCAN_FUZZ=1 "${build[@]}" --show-bin-path)/evoscan-fuzz

# Seeds the fixtures cannot give as they are: JSON reports (summary) and state files
# (state), made from the fixtures by an ordinary build of evoscan, and config files (config).
seeds=.fuzz/seeds
if [[ ! -d $seeds/summary || ! -d $seeds/state || ! -d $seeds/config ]]; then
    echo "== making report, state and config seeds" >&2
    swift build --product evoscan >&2
    evoscan=$(swift build --show-bin-path)/evoscan
    mkdir -p "$seeds/summary" "$seeds/state" "$seeds/config"
    "$evoscan" config --print-defaults > "$seeds/config/defaults.toml"
    cp Fixtures/silent/fork-config-endpoint/config.toml "$seeds/config/fork.toml"
    for f in Fixtures/*.log Fixtures/*.json Fixtures/*.jsonl; do
        name=$(basename "$f")
        "$evoscan" scan --format json "$f" > "$seeds/summary/$name.json" 2>/dev/null || true
        "$evoscan" scan --format json --state "$seeds/state/$name.state" "$f" > /dev/null 2>&1 || true
    done
fi

mkdir -p .fuzz
[[ -f .fuzz/runs.tsv ]] || printf 'date\ttarget\tseconds\texecutions\texec_per_s\tcov\tft\tcorpus\tpeak_rss_mb\tfound\n' > .fuzz/runs.tsv

# Runs one target; its line goes to .fuzz/runs.tsv, its status says whether it found anything.
fuzz_one() {
    local t=$1 corpus=.fuzz/corpus/$1 crashes=.fuzz/crashes/$1 log=.fuzz/$1.log status extra
    mkdir -p "$corpus" "$crashes"
    case $t in
        summary) extra=("$seeds/summary") ;;
        state) extra=("$seeds/state") ;;
        config) extra=("$seeds/config") ;;
        *) extra=(Fixtures) ;;
    esac
    [[ -d Tests/FuzzRegressions/$t ]] && extra+=("Tests/FuzzRegressions/$t")
    echo "== $t for $seconds s" >&2
    set +e
    EVOSCAN_FUZZ_TARGET=$t ASAN_OPTIONS=detect_leaks=0 "$driver" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" "${extra[@]}" > "$log" 2>&1
    status=$?
    set -e
    stat() { awk -v k="stat::$1:" '$1 == k { print $2 }' "$log" | tail -1; }
    local last cov ft corp found
    last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<< "$last")
    found=$(find "$crashes" -type f | wc -l)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$seconds" "$(stat number_of_executed_units)" \
        "$(stat average_exec_per_sec)" "$cov" "$ft" "$corp" "$(stat peak_rss_mb)" "$found" | tee -a .fuzz/runs.tsv >&2
    if [[ $status -ne 0 || $found -gt 0 ]]; then
        echo "   $t FOUND something (exit $status): $crashes, log $log" >&2
        grep -m5 -E 'ERROR|SUMMARY|Fatal|deadly' "$log" >&2 || true
        return 1
    fi
}

found_any=0
running=0
for t in "${targets[@]}"; do
    if [[ $running -ge $jobs ]]; then
        wait -n || found_any=1
        running=$((running - 1))
    fi
    fuzz_one "$t" &
    running=$((running + 1))
done
while [[ $running -gt 0 ]]; do
    wait -n || found_any=1
    running=$((running - 1))
done
exit $found_any
