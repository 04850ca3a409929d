#!/usr/bin/env bash
# scripts/bench-guard.sh — a quick regression guard to run before committing.
#
# Counts the instructions evoscan executes (valgrind --tool=callgrind) on small,
# deterministic inputs and compares them with scripts/bench-guard.baseline. Instruction
# counts do not move with machine load, unlike wall time on these shared VMs, so a 10 %
# rise is a real regression. Inputs are generated once into $BENCH_DIR.
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

(cd "$ROOT" && swift build -c release --product evoscan >/dev/null)
EVOSCAN="$ROOT/.build/release/evoscan"

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

if [[ ${1:-} == --update ]]; then
    echo "$current" > "$BASELINE"
    echo "bench-guard: baseline recorded:"; cat "$BASELINE"
    exit 0
fi
[[ -s $BASELINE ]] || { echo "bench-guard: no baseline; run with --update first" >&2; exit 2; }
status=0
while read -r name now; do
    base=$(awk -v n="$name" '$1 == n {print $2}' "$BASELINE")
    [[ -n $base ]] || { echo "  $name: $now instructions (no baseline)"; continue; }
    pct=$(( (now - base) * 100 / base ))
    verdict=ok
    if (( pct > TOLERANCE )); then verdict="REGRESSION"; status=1; fi
    printf '  %-12s %14s instructions (baseline %14s, %+d%%) %s\n' "$name" "$now" "$base" "$pct" "$verdict"
done <<< "$current"
exit $status
