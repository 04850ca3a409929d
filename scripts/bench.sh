#!/usr/bin/env bash
# scripts/bench.sh — evoscan throughput and memory benchmark (see BENCHMARKS.md, "Method").
#
# Builds the release binary, generates (or reuses) deterministic synthetic Evolution API logs
# with scripts/gen-log.py, warms the page cache and measures, in one hyperfine run per file:
#
#   evoscan scan --fail-on never --format json FILE > /dev/null
#   grep -c -P "code: 'P\d{4}'" FILE
#   rg -c -P "code: 'P\d{4}'" FILE
#
# then peak RSS of evoscan (/usr/bin/time -f %M), and rewrites the results section of
# BENCHMARKS.md (between the bench:results markers).
#
# Usage: scripts/bench.sh [--quick] [--no-build] [--md | --no-md] [-h]
#
#   --quick      one 256 MiB file only; prints the report and saves it under $BENCH_DIR,
#                BENCHMARKS.md is left alone unless --md is given
#   --no-build   do not run `swift build`; use the existing binary
#   --md/--no-md force / skip rewriting BENCHMARKS.md
#
# Environment (defaults in brackets):
#   BENCH_DIR [/tmp/evoscan-bench]  generated logs, truth files, hyperfine JSON, reports
#   BENCH_SIZES ["1G 4G"]           file sizes (gen-log.py syntax: 1G = 1 GiB, 256M = 256 MiB)
#   BENCH_4G [1]                    0 drops 4G from BENCH_SIZES
#   BENCH_SEED [1]                  generator seed (files are reused per seed + size)
#   BENCH_DENSE [0]                 1 also benchmarks the --dense variant of each size
#   BENCH_PEERS [1]                 1 also times scripts/peer-python-re.py (the Python `re`
#                                   script a user would write) in the same hyperfine run
#   BENCH_RUNS [5] BENCH_WARMUP [1] hyperfine --runs / --warmup
#   BENCH_CPU [0]                   pin every measured command to this CPU (taskset -c);
#                                   empty = no pinning
#   BENCH_MD [BENCHMARKS.md]        report file to rewrite
#   EVOSCAN_BIN [.build/release/evoscan]  binary to measure
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GEN="$ROOT/scripts/gen-log.py"

BENCH_DIR=${BENCH_DIR:-/tmp/evoscan-bench}
BENCH_SIZES=${BENCH_SIZES:-"1G 4G"}
BENCH_4G=${BENCH_4G:-1}
BENCH_SEED=${BENCH_SEED:-1}
BENCH_DENSE=${BENCH_DENSE:-0}
BENCH_PEERS=${BENCH_PEERS:-1}
BENCH_RUNS=${BENCH_RUNS:-5}
BENCH_WARMUP=${BENCH_WARMUP:-1}
BENCH_CPU=${BENCH_CPU-0}
BENCH_MD=${BENCH_MD:-$ROOT/BENCHMARKS.md}
EVOSCAN=${EVOSCAN_BIN:-$ROOT/.build/release/evoscan}

PATTERN="code: 'P\\d{4}'"            # the literal text: code: 'P\d{4}'
TARGET_MBS=1000                       # >= 1 GB/s end to end, one core, warm cache
TARGET_RSS_KIB=$((64 * 1024))         # peak RSS < 64 MiB

quick=0 build=1 write_md=auto
for arg in "$@"; do
    case $arg in
        --quick) quick=1 ;;
        --no-build) build=0 ;;
        --md) write_md=1 ;;
        --no-md) write_md=0 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done
if [[ $quick == 1 ]]; then
    BENCH_SIZES=256M
fi
if [[ $BENCH_4G == 0 ]]; then
    BENCH_SIZES=$(tr ' ' '\n' <<<"$BENCH_SIZES" | { grep -v -x -e 4G -e 4GiB || true; } | tr '\n' ' ')
fi
if [[ $write_md == auto ]]; then
    write_md=$((1 - quick))
fi
read -r -a SIZES <<<"$BENCH_SIZES"
[[ ${#SIZES[@]} -gt 0 ]] || { echo "bench.sh: no sizes to run (BENCH_SIZES='$BENCH_SIZES')" >&2; exit 2; }

log() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'bench.sh: %s\n' "$*" >&2; exit 1; }

for tool in hyperfine rg grep python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || die "'$tool' is required but not installed"
done
PIN=()
if [[ -n $BENCH_CPU ]]; then
    command -v taskset >/dev/null || die "taskset not found (set BENCH_CPU= to run unpinned)"
    PIN=(taskset -c "$BENCH_CPU")
fi

# ---------------------------------------------------------------------------------------------
log "build"
if [[ $build == 1 ]]; then
    if ! (cd "$ROOT" && EVOSCAN_UNCHECKED_EXCLUSIVITY=1 swift build -c release --product evoscan); then
        die "the release build failed (fix the build, or pass --no-build to measure an existing binary)"
    fi
fi
if [[ ! -x $EVOSCAN ]]; then
    die "release binary not found: $EVOSCAN
    build it with:  (cd $ROOT && make release)
    or point EVOSCAN_BIN at an evoscan binary"
fi
echo "binary: $EVOSCAN" >&2

mkdir -p "$BENCH_DIR"
GEN_VERSION=$(python3 "$GEN" --version | awk '{print $2}')

# json_get FILE EXPR: print a value from a JSON file (EXPR indexes `d`, e.g. d["bytes"])
json_get() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

# truth_summary TRUTH.json: one line for the report
truth_summary() {
    python3 -c '
import json, sys
t = json.load(open(sys.argv[1])); p = t["prisma"]; f = lambda n: format(n, ",")
print("%s bytes, %s lines, %s records, %s Prisma failure events (%s)" % (
    f(t["bytes"]), f(t["lines"]), f(t["records"]), f(p["events"]),
    ", ".join("%s %s" % (k, f(v)) for k, v in p["events_by_code"].items())))' "$1"
}

# ensure_log SIZE DENSE -> prints the log path; generates it unless a valid copy exists
ensure_log() {
    local size=$1 dense=$2 suffix="" flag=()
    if [[ $dense == 1 ]]; then suffix="-dense"; flag=(--dense); fi
    local file="$BENCH_DIR/evo-${size}-s${BENCH_SEED}${suffix}.log"
    local truth="$file.truth.json"
    if [[ -f $file && -f $truth ]] &&
        [[ $(json_get "$truth" 'd["generator_version"]') == "$GEN_VERSION" ]] &&
        [[ $(json_get "$truth" 'd["bytes"]') == "$(stat -c %s "$file")" ]]; then
        echo "reusing $file" >&2
    else
        local need avail
        need=$(( $(python3 "$GEN" --size "$size" --print-bytes) / 1024 + 1024 ))   # KiB
        avail=$(df -Pk "$BENCH_DIR" | awk 'NR==2 {print $4}')
        (( avail > need )) || die "not enough space in $BENCH_DIR for a $size file (${avail} KiB free)"
        echo "generating $file" >&2
        python3 "$GEN" --size "$size" --seed "$BENCH_SEED" "${flag[@]}" "$file" >&2
    fi
    echo "$file"
}

# ---------------------------------------------------------------------------------------------
RESULTS="$BENCH_DIR/results.tsv"        # label bytes tool median min max mbs rss_kib
: >"$RESULTS"
CHECKS=()

run_one() {
    local size=$1 dense=$2 label=$1
    [[ $dense == 1 ]] && label="$size dense"
    log "$label"
    local file truth bytes expect got
    file=$(ensure_log "$size" "$dense")
    truth="$file.truth.json"
    bytes=$(stat -c %s "$file")

    local mem_kib
    mem_kib=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
    if (( bytes / 1024 > mem_kib * 8 / 10 )); then
        echo "warning: $file is larger than 80% of available memory: the page cache cannot hold it" >&2
    fi
    echo "warming the page cache" >&2
    cat "$file" >/dev/null
    cat "$file" >/dev/null

    # sanity check of the input against its ground truth (cheap, and proves the file is intact)
    expect=$(json_get "$truth" 'd["prisma"]["code_lines"]')
    got=$(rg -c -P "$PATTERN" "$file" || true)
    if [[ $got == "$expect" ]]; then
        CHECKS+=("$label: $(truth_summary "$truth"); \`rg -c -P\` found $got matching lines = ground truth")
    else
        die "$file: rg counts $got lines matching $PATTERN, ground truth says $expect (regenerate: rm $file)"
    fi

    # peak RSS (and one real output, kept for inspection)
    local tag=${label// /-} rss_file out status=0
    rss_file="$BENCH_DIR/rss-$tag.txt"
    out="$BENCH_DIR/evoscan-$tag.json"
    /usr/bin/time -f %M -o "$rss_file" "${PIN[@]}" "$EVOSCAN" scan --fail-on never --format json "$file" >"$out" || status=$?
    if [[ $status != 0 ]]; then
        die "evoscan exited with status $status on $file (see $out; rerun: $EVOSCAN scan --fail-on never --format json $file)"
    fi
    local rss
    rss=$(tail -n 1 "$rss_file")
    echo "evoscan peak RSS: $rss KiB; output $(stat -c %s "$out") bytes -> $out" >&2

    # a benchmark of wrong answers is worthless: evoscan's events must equal the ground truth
    local verdict
    verdict=$(python3 -c '
import json, sys
got = json.load(open(sys.argv[1])); truth = json.load(open(sys.argv[2]))["prisma"]
want = {k: v for k, v in truth["events_by_code"].items()}
have = {k: v for k, v in got["codes"].items()}
print("ok %d" % got["failures_total"] if got["failures_total"] == truth["events"] and have == want
      else "mismatch: evoscan %d %s, truth %d %s" % (got["failures_total"], have, truth["events"], want))' "$out" "$truth")
    if [[ $verdict == ok* ]]; then
        CHECKS+=("$label: evoscan reported ${verdict#ok } failure events, by code equal to the ground truth")
    else
        die "$file: $verdict"
    fi

    # one hyperfine run, three commands, same file
    local q pin="" json="$BENCH_DIR/hyperfine-$tag.json"
    q=$(printf '%q' "$file")
    [[ ${#PIN[@]} -gt 0 ]] && pin="${PIN[*]} "
    local peers=()
    [[ $BENCH_PEERS == 1 ]] && peers=(-n "python re" "${pin}python3 $(printf '%q' "$ROOT/scripts/peer-python-re.py") $q > /dev/null")
    hyperfine --style basic --output=pipe --warmup "$BENCH_WARMUP" --runs "$BENCH_RUNS" \
        --export-json "$json" \
        -n evoscan "${pin}$(printf '%q' "$EVOSCAN") scan --fail-on never --format json $q > /dev/null" \
        -n "grep -P" "${pin}grep -c -P \"$PATTERN\" $q" \
        -n "rg -P" "${pin}rg -c -P \"$PATTERN\" $q" "${peers[@]}" >&2

    python3 - "$json" "$label" "$bytes" "$rss" >>"$RESULTS" <<'EOF'
import json, sys
path, label, nbytes, rss = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
for r in json.load(open(path))["results"]:
    name = r["command"]
    med = r["median"]
    print("\t".join([label, str(nbytes), name, "%.4f" % med, "%.4f" % r["min"], "%.4f" % r["max"],
                     "%.0f" % (nbytes / med / 1e6), rss if name == "evoscan" else "-"]))
EOF
}

for size in "${SIZES[@]}"; do
    run_one "$size" 0
    if [[ $BENCH_DENSE == 1 ]]; then
        run_one "$size" 1
    fi
done

# ---------------------------------------------------------------------------------------------
log "report"
first_line() { "$@" 2>&1 | head -n 1 || true; }
machine() {
    local cpu ram os pcre commit
    cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
    ram=$(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
    os=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}")
    pcre=$(pkg-config --modversion libpcre2-8 2>/dev/null || pcre2-config --version 2>/dev/null || echo unknown)
    commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "no commit")
    if [[ $commit != "no commit" ]] && [[ -n $(git -C "$ROOT" status --porcelain -- Sources Package.swift 2>/dev/null) ]]; then
        commit="$commit (+ uncommitted changes in Sources/)"
    fi
    printf '| item | value |\n|---|---|\n'
    printf '| CPUs (nproc) | %s |\n' "$(nproc)"
    printf '| CPU model | %s |\n' "${cpu:-unknown}"
    printf '| RAM | %s |\n' "$ram"
    printf '| OS / kernel | %s / %s |\n' "$os" "$(uname -r)"
    printf '| Swift | %s |\n' "$(first_line swift --version)"
    printf '| PCRE2 (libpcre2-8) | %s |\n' "$pcre"
    printf '| tools | %s; %s; %s; %s |\n' "$(first_line hyperfine --version)" "$(first_line rg --version)" \
        "$(first_line grep --version)" "$(first_line python3 --version)"
    printf '| evoscan commit | %s |\n' "$commit"
}

repro="scripts/bench.sh"
[[ $quick == 1 ]] && repro+=" --quick"
[[ $build == 0 ]] && repro+=" --no-build"
env_part="BENCH_SIZES=\"${SIZES[*]}\" BENCH_SEED=$BENCH_SEED BENCH_RUNS=$BENCH_RUNS BENCH_WARMUP=$BENCH_WARMUP BENCH_CPU=$BENCH_CPU"
[[ $BENCH_DENSE == 1 ]] && env_part+=" BENCH_DENSE=1"
[[ $BENCH_PEERS == 1 ]] || env_part+=" BENCH_PEERS=0"
[[ -n ${EVOSCAN_BIN:-} ]] && env_part+=" EVOSCAN_BIN=$EVOSCAN_BIN"

REPORT="$BENCH_DIR/report.md"
if [[ $quick == 1 ]]; then REPORT="$BENCH_DIR/report-quick.md"; fi
{
    echo "<!-- bench:results:begin (written by scripts/bench.sh; edits inside are overwritten) -->"
    echo "## Results"
    echo
    echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC')$([[ $quick == 1 ]] && echo ' (quick mode: 256 MiB only)')"
    echo
    echo "Reproduce (from the repository root; logs are generated into \`\$BENCH_DIR\`,"
    echo "default \`/tmp/evoscan-bench\`, and reused when seed and size match):"
    echo
    echo '```'
    echo "$env_part $repro"
    echo '```'
    echo
    echo "### Machine"
    echo
    machine
    echo
    echo "### Throughput (warm page cache, median of $BENCH_RUNS runs after $BENCH_WARMUP warm-up$([[ -n $BENCH_CPU ]] && echo ", every command pinned to CPU $BENCH_CPU"))"
    echo
    python3 - "$RESULTS" "$TARGET_MBS" "$TARGET_RSS_KIB" <<'EOF'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
target_mbs, target_rss = int(sys.argv[2]), int(sys.argv[3])
rg = {r[0]: float(r[3]) for r in rows if r[2] == "rg -P"}
print("| file | bytes | command | median s | min–max s | MB/s | × rg | peak RSS |")
print("|---|---:|---|---:|---:|---:|---:|---:|")
for label, nbytes, name, med, mn, mx, mbs, rss in rows:
    ratio = rg[label] / float(med) if label in rg else float("nan")
    rss_s = "%.1f MiB" % (int(rss) / 1024) if rss != "-" else ""
    print("| %s | %s | `%s` | %s | %s–%s | %s | %.2f | %s |" % (
        label, format(int(nbytes), ","), name, med, mn, mx, format(int(mbs), ","), ratio, rss_s))
print()
print("MB = 10⁶ bytes; MB/s = file bytes / median wall time of the whole process; "
      "× rg = rg median / command median (> 1 is faster than rg).")
print()
print("### Targets for this stage")
print()
print("| target | file | measured | result |")
print("|---|---|---:|---|")
ev = [r for r in rows if r[2] == "evoscan"]
for label, nbytes, name, med, mn, mx, mbs, rss in ev:
    if "dense" in label:
        continue
    ok = int(mbs) >= target_mbs
    print("| ≥ 1 GB/s end to end, one core, warm cache | %s | %s MB/s | %s |" % (
        label, format(int(mbs), ","), "**pass**" if ok else "**FAIL**"))
seen = {r[0]: r for r in ev}
for want in ("1G", "4G"):
    r = seen.get(want)
    if r is None:
        print("| peak RSS < 64 MiB | %s | not measured | — |" % want)
    else:
        ok = int(r[7]) < target_rss
        print("| peak RSS < 64 MiB | %s | %.1f MiB | %s |" % (
            want, int(r[7]) / 1024, "**pass**" if ok else "**FAIL**"))
EOF
    echo
    echo "### Input checks"
    echo
    for c in "${CHECKS[@]}"; do echo "* $c"; done
    echo "* ground truth of each file: \`<file>.truth.json\` next to it (\`scripts/gen-log.py\` v$GEN_VERSION)"
    echo "* raw hyperfine exports: \`\$BENCH_DIR/hyperfine-<size>.json\`; evoscan output: \`\$BENCH_DIR/evoscan-<size>.json\`"
    echo "<!-- bench:results:end -->"
} >"$REPORT"

cat "$REPORT"
if [[ $write_md == 1 ]]; then
    python3 - "$BENCH_MD" "$REPORT" <<'EOF'
import re, sys, os
md_path, rep_path = sys.argv[1], sys.argv[2]
rep = open(rep_path).read().rstrip("\n")
md = open(md_path).read() if os.path.exists(md_path) else "# Benchmarks\n"
pat = re.compile(r"<!-- bench:results:begin.*?<!-- bench:results:end -->", re.S)
md = pat.sub(lambda m: rep, md) if pat.search(md) else md.rstrip("\n") + "\n\n" + rep + "\n"
open(md_path, "w").write(md)
EOF
    echo >&2
    echo "wrote $BENCH_MD" >&2
else
    echo >&2
    echo "report saved to $REPORT ($(basename "$BENCH_MD") not modified)" >&2
fi
