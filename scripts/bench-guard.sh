#!/usr/bin/env bash
# scripts/bench-guard.sh — a quick regression guard to run before committing.
#
# Two checks on small, deterministic inputs (generated once into $BENCH_DIR), compared with
# scripts/bench-guard.baseline:
#  1. the instructions evoscan executes (valgrind --tool=callgrind): they do not move with
#     machine load, so a 10 % rise is a real regression;
#  2. the ratio evoscan time / `rg -c -P "code: 'P\d{4}'"` time, measured side by side in one
#     hyperfine run (median of 7, pinned to one CPU): it catches what instruction counts
#     miss, such as a pattern change that defeats PCRE2's vectorised start-byte search
#     (1.5x slower wall time with 7 % fewer instructions). rg takes only ~13 ms on the dense
#     file, so ratios move by up to ~35 % between runs; it fails only above +40 %.
#
# Usage: scripts/bench-guard.sh            check against the baseline (exit 1 on a regression)
#        scripts/bench-guard.sh --update   record the current counts as the baseline
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/evoscan-bench}
BASELINE="$ROOT/scripts/bench-guard.baseline"
TOLERANCE=${TOLERANCE:-10}   # percent
mkdir -p "$BENCH_DIR"
command -v valgrind >/dev/null || { echo "bench-guard: valgrind is needed (apt-get install valgrind)" >&2; exit 2; }

(cd "$ROOT" && EVOSCAN_UNCHECKED_EXCLUSIVITY=1 swift build -c release --product evoscan >/dev/null)
# valgrind 3.19 gives up on the DWARF 5 that clang writes for toml++ (TOMLKit's C++):
# count on a copy without debug sections (the same code, the same instructions).
EVOSCAN="$BENCH_DIR/evoscan-guard"
objcopy --strip-debug "$ROOT/.build/release/evoscan" "$EVOSCAN"

plain="$BENCH_DIR/guard-plain-48M.log"
dense="$BENCH_DIR/guard-dense-16M.log"
journal="$BENCH_DIR/guard-journal-16M.json"
access="$BENCH_DIR/guard-nginx-16M.log"
[[ -s $plain ]] || python3 "$ROOT/scripts/gen-log.py" --size 48M --seed 7 "$plain" 2>/dev/null
[[ -s $dense ]] || python3 "$ROOT/scripts/gen-log.py" --size 16M --seed 7 --dense "$dense" 2>/dev/null
[[ -s $journal ]] || python3 "$ROOT/scripts/gen-log.py" --size 16M --seed 7 --format journal-json "$journal" 2>/dev/null
[[ -s $access ]] || python3 "$ROOT/scripts/gen-access-log.py" --size 16M --seed 7 "$access"
: > "$BENCH_DIR/guard-empty.log"

count() {  # name, evoscan arguments…
    local name=$1; shift
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$EVOSCAN" scan --jobs 1 --fail-on never --format json "$@" \
        2>&1 >/dev/null | awk -v n="$name" '/Collected/ {print n, $4}'
}
current=$(
    count plain "$plain"
    count dense "$dense"
    count journal "$journal"
    count correlation --access-log "$access" "$plain"
    count empty "$BENCH_DIR/guard-empty.log"
)

ratio() {  # name, file: median(evoscan) / median(rg) in one hyperfine run
    local name=$1 file=$2 json="$BENCH_DIR/guard-ratio-$1.json" pin=""
    command -v taskset >/dev/null && pin="taskset -c 0 "
    hyperfine -N --warmup 2 --runs 7 --export-json "$json" \
        "${pin}$EVOSCAN scan --jobs 1 --fail-on never --format json $file" \
        "${pin}rg -c -P \"code: 'P\\d{4}'\" $file" >/dev/null 2>&1
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(sys.argv[2], "%.3f" % (r[0]["median"] / r[1]["median"]))' "$json" "ratio-$name"
}
if command -v hyperfine >/dev/null && command -v rg >/dev/null; then
    current+=$'\n'"$(ratio plain "$plain")"$'\n'"$(ratio dense "$dense")"
else
    echo "bench-guard: hyperfine or rg missing, wall-time ratios skipped" >&2
fi

if [[ ${1:-} == --update ]]; then
    echo "$current" > "$BASELINE"
    echo "bench-guard: baseline recorded:"; cat "$BASELINE"
    exit 0
fi
[[ -s $BASELINE ]] || { echo "bench-guard: no baseline; run with --update first" >&2; exit 2; }
status=0
RATIO_TOLERANCE=${RATIO_TOLERANCE:-40}   # percent
while read -r name now; do
    base=$(awk -v n="$name" '$1 == n {print $2}' "$BASELINE")
    [[ -n $base ]] || { echo "  $name: $now (no baseline)"; continue; }
    if [[ $name == ratio-* ]]; then
        pct=$(python3 -c "print(round(($now - $base) * 100 / $base))")
        verdict=ok
        if (( pct > RATIO_TOLERANCE )); then verdict="REGRESSION"; status=1; fi
        printf '  %-12s %14s x rg time    (baseline %14s, %+d%%) %s\n' "$name" "$now" "$base" "$pct" "$verdict"
        continue
    fi
    pct=$(( (now - base) * 100 / base ))
    verdict=ok
    if (( pct > TOLERANCE )); then verdict="REGRESSION"; status=1; fi
    printf '  %-12s %14s instructions (baseline %14s, %+d%%) %s\n' "$name" "$now" "$base" "$pct" "$verdict"
done <<< "$current"
exit $status
