#!/usr/bin/env bash
# Bounded work on hostile input (issue 7, FUZZING.md "Bounded work"): each adversarial log of
# scripts/gen-adversarial.py at SIZE MiB and at 4 x SIZE MiB, scanned by the release binary.
# Passes when the larger input takes at most 6x the time of the smaller (linear, with room
# for noise; quadratic would be 16x) and its peak RSS is within 10 % + 2 MiB of the smaller's
# (memory flat in the input's size). Prints a Markdown table.
#
# Usage: scripts/adversarial.sh [SIZE_MIB]   (default 16: 16 and 64 MiB inputs)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-16}
big=$((size * 4))
dir=${ADVERSARIAL_DIR:-/tmp/evoscan-adversarial}
mkdir -p "$dir"
make release >&2
bin=.build/release/evoscan
command -v /usr/bin/time > /dev/null || { echo "adversarial.sh needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

run() { # FILE -> "seconds rss_kib"
    /usr/bin/time -f "%e %M" -o "$dir/time" "$bin" scan --format json --jobs 1 "$1" > "$dir/out.json" 2> "$dir/err" || true
    tail -1 "$dir/time"   # after "Command exited with non-zero status" when evoscan found silent failures
}

status=0
echo "| input | ${size} MiB: time, peak RSS | ${big} MiB: time, peak RSS | time ratio | verdict | what the report says |"
echo "|---|---|---|---:|---|---|"
for case in backticks brackets quotes braces longline instances fields; do
    for s in "$size" "$big"; do
        f=$dir/$case-$s.log
        [[ -s $f ]] || python3 scripts/gen-adversarial.py "$case" "$s" > "$f"
    done
    read -r t1 m1 < <(run "$dir/$case-$size.log")
    read -r t2 m2 < <(run "$dir/$case-$big.log")
    said=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); t = d["totals"]
keys = ["regex_limit_hits", "truncated_records", "other_group_failures", "other_instance_failures", "dropped_minute_counts", "failures_decided_early"]
print(", ".join("%s %d" % (k, t[k]) for k in keys if t.get(k)) or "-")' "$dir/out.json")
    verdict=$(python3 -c '
import sys
t1, m1, t2, m2 = map(float, sys.argv[1:])
ratio = t2 / max(t1, 0.01)
ok = ratio <= 6 and m2 <= m1 * 1.1 + 2048
print("%.1f %s" % (ratio, "pass" if ok else "FAIL"))' "$t1" "$m1" "$t2" "$m2")
    [[ $verdict == *FAIL ]] && status=1
    printf '| %s | %s s, %.1f MiB | %s s, %.1f MiB | %s× | %s | %s |\n' "$case" "$t1" "$(bc -l <<< "$m1/1024")" "$t2" "$(bc -l <<< "$m2/1024")" \
        "${verdict% *}" "${verdict#* }" "$said"
done
exit $status
