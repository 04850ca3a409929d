#!/usr/bin/env bash
# scripts/bench-targets.sh — every target of issue 6, measured side by side in one run.
#
# For each row below: generates (or reuses) the deterministic input with scripts/gen-log.py /
# scripts/gen-access-log.py (fixed seeds, checked against their .truth.json), warms the page
# cache (`cat FILE > /dev/null`, twice), checks evoscan's answer on that input against the
# generator's ground truth (so a fast but wrong run cannot pass), then runs ONE hyperfine
# invocation in which evoscan and the command it is compared with run interleaved on the same
# warm file:
#
#   hyperfine -N -i --warmup 1 --runs 5 --output=pipe --export-json … -n evoscan '…' -n peer '…'
#
#   row          input (full; --quick)                          evoscan … compared with …               target
#   plain        1 GiB plain log, seed 1 (64 MiB)               rg -c -P "code: 'P\d{4}'" FILE          evoscan <= 0.5 x rg
#   dense        1 GiB --dense log, seed 1 (64 MiB)             same rg                                 evoscan <= 1.0 x rg
#   journal      1 GiB journal-json, seed 1 (64 MiB)            jq -r .MESSAGE FILE > /dev/null         evoscan >= 4x faster
#   gzip         the plain log, gzip -6 (default level)         gzip -dc FILE.gz > /dev/null            evoscan <= 1.15 x gzip
#   parallel     2 x 1 GiB plain, seeds 1 and 2 (2 x 64 MiB)    evoscan --jobs 1 on the same two files  speed-up >= 1.7x
#   rss          4 GiB vs 1 GiB plain (256 MiB vs 64 MiB)       peak RSS, /usr/bin/time -f %M           <= 32 MiB each, within 10 %
#   empty        an empty file                                  true                                    evoscan < 20 ms
#   correlation  1 GiB plain + 200 MiB nginx log, seed 1        the same scan without --access-log      <= 1.3x
#                (64 MiB + 16 MiB)
#   peers        Python `re` (scripts/peer-python-re.py) on the plain file; lnav with
#                scripts/lnav/formats/evolution/evolution_api_log.json and an SQL query on a
#                256 MiB file, seed 1 (16 MiB), because lnav needs ~100 s per GiB   (ratios only)
#
# evoscan's command is `evoscan scan --format json FILE` (-i: it exits 1 when it finds silent
# failures). Nothing is pinned (no taskset): evoscan uses both cores by design (it reads one
# large plain file in chunks on all cores and --access-log files on a second core); rg (one
# file), jq, gzip, Python and lnav are single-threaded by their nature.
# Output goes through a pipe (--output=pipe, as bench.sh does for grep/rg), except in the
# journal and gzip rows: --output=null there, which is the target's `> /dev/null` without a
# shell (-N), because jq and gzip write the whole log and a pipe would add that copy to them.
# The binary is copied to $BENCH_DIR/bin/evoscan first, so a rebuild during the run cannot mix
# two binaries into one report (its sha256 and mtime are in the report).
# A full run takes about 15-20 min on the 2-core VM, most of it jq (~100 s per run on 1 GiB)
# and lnav (~25 s per run on 256 MiB); only the parallel row's second file (seed 2) is new,
# the other inputs already in $BENCH_DIR are reused when their truth files match.
#
# Usage: scripts/bench-targets.sh [--quick] [--md FILE] [-h]
#
#   --quick      small inputs (64 MiB instead of 1 GiB, 256 MiB instead of 4 GiB, 16 MiB nginx
#                and lnav files); the report goes to $BENCH_DIR/targets-quick-report.md only
#                (a full run writes $BENCH_DIR/targets-report.md, and FILE with --md)
#   --md FILE    also write the report into FILE (normally BENCHMARKS.md) between
#                <!-- targets:begin --> and <!-- targets:end -->; if the markers are absent they
#                are created under a new heading "## Issue 6 targets, one run" (before the
#                bench.sh results section); nothing else in FILE is changed
#
# Environment (defaults in brackets):
#   BENCH_DIR [/tmp/evoscan-bench]   inputs, truth files, hyperfine JSON, evoscan outputs, reports
#   BENCH_SEED [1] BENCH_SEED2 [2]   generator seeds (the second one: parallel row's 2nd file)
#   BENCH_RUNS [5] BENCH_WARMUP [1]  hyperfine --runs / --warmup (runs < 5 is refused)
#   BENCH_FAST_RUNS [11]             runs of the rows whose commands take under a second (plain,
#                                    dense, parallel, correlation): their medians of 5 moved by
#                                    up to 0.1 in ratio between runs on these shared VMs
#   BENCH_EMPTY_RUNS [20]            runs of the empty-file row (a few ms each)
#   BENCH_RSS_RUNS [3]               peak-RSS runs per file (the maximum is reported)
#   BENCH_ROWS ["plain dense journal gzip parallel rss empty correlation peers"]  rows to run
#   BENCH_LNAV [1]                   0 skips the lnav peer (then lnav need not be installed)
#   BENCH_LNAV_SIZE [256M; 16M with --quick]  size of the lnav peer's input
#   EVOSCAN_BIN [.build/release/evoscan]
#   BENCH_HOLD_CACHE [0]             1: pause the kernel's DAMON proactive reclaim (the kdamonds
#                                    under /sys/kernel/mm/damon/admin; root) for the run and turn
#                                    it back on at exit. On these VMs it pages out 20-85 % of a
#                                    1 GiB input within seconds of its last read (fincore), so a
#                                    "warm cache" row partly reads from disk, and more for the
#                                    command that runs first after an idle moment.
#
# Exit status: 0 every target met; 1 a target missed or a result was wrong (the report is
# written either way); 2 usage or setup error (missing tool or binary, bad input).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GEN="$ROOT/scripts/gen-log.py"
GEN_ACCESS="$ROOT/scripts/gen-access-log.py"
PEER="$ROOT/scripts/peer-python-re.py"
LNAV_DIR="$ROOT/scripts/lnav"

BENCH_DIR=${BENCH_DIR:-/tmp/evoscan-bench}
SEED=${BENCH_SEED:-1}
SEED2=${BENCH_SEED2:-2}
RUNS=${BENCH_RUNS:-5}
FAST_RUNS=${BENCH_FAST_RUNS:-11}
WARMUP=${BENCH_WARMUP:-1}
EMPTY_RUNS=${BENCH_EMPTY_RUNS:-20}
RSS_RUNS=${BENCH_RSS_RUNS:-3}
ROWS=${BENCH_ROWS:-"plain dense journal gzip parallel rss empty correlation peers"}
USE_LNAV=${BENCH_LNAV:-1}
EVOSCAN_SRC=${EVOSCAN_BIN:-$ROOT/.build/release/evoscan}

PATTERN="code: 'P\\d{4}'"            # the literal text: code: 'P\d{4}'
# lnav: Prisma error codes by count, from every message of the Evolution format (a message is
# a header line plus its continuation lines, i.e. the util.inspect body with `code: 'P2002'`).
# \x27 is a single quote, so the query needs no quote escaping on a command line.
LNAV_QUERY=";SELECT content AS code, count(*) AS n FROM evolution_api_log, regexp_capture(log_text, 'code: \\x27(P\\d{4})\\x27') WHERE capture_index = 1 GROUP BY content ORDER BY content"

quick=0 md_file=""
while (($#)); do
    case $1 in
        --quick) quick=1 ;;
        --md) [[ $# -ge 2 ]] || { echo "bench-targets.sh: --md needs a FILE (e.g. --md BENCHMARKS.md)" >&2; exit 2; }
              md_file=$2; shift ;;
        --md=*) md_file=${1#--md=} ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench-targets.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done
if [[ $quick == 1 ]]; then
    MAIN=64M BIG=256M NGINX_SIZE=16M LNAV_SIZE=${BENCH_LNAV_SIZE:-16M}
else
    MAIN=1G BIG=4G NGINX_SIZE=200M LNAV_SIZE=${BENCH_LNAV_SIZE:-256M}
fi
[[ -n $md_file && $md_file != /* ]] && md_file="$PWD/$md_file"

log() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'bench-targets.sh: %s\n' "$*" >&2; exit 2; }

(( RUNS >= 5 && FAST_RUNS >= 5 )) || die "BENCH_RUNS=$RUNS BENCH_FAST_RUNS=$FAST_RUNS: the targets are medians of at least 5 runs"
for row in $ROWS; do
    case $row in plain|dense|journal|gzip|parallel|rss|empty|correlation|peers) ;;
        *) die "unknown row '$row' in BENCH_ROWS" ;; esac
done
has_row() { [[ " $ROWS " == *" $1 "* ]]; }

need=(hyperfine rg python3 /usr/bin/time awk cmp gzip)
has_row journal && need+=(jq)
for tool in "${need[@]}"; do
    command -v "$tool" >/dev/null || die "'$tool' is required but not installed (Debian: apt-get install -y ${tool##*/})"
done
if has_row peers && [[ $USE_LNAV == 1 ]]; then
    command -v lnav >/dev/null || die "'lnav' is required for the peers row but not installed
    install it with:  apt-get install -y lnav      (or set BENCH_LNAV=0 to skip the lnav peer)"
    [[ -f $LNAV_DIR/formats/evolution/evolution_api_log.json ]] || die "lnav format missing: $LNAV_DIR/formats/evolution/evolution_api_log.json"
fi
/usr/bin/time -f %M true 2>/dev/null || die "/usr/bin/time is not GNU time (needs -f %M; apt-get install -y time)"

# ---------------------------------------------------------------------------------------------
log "binary"
[[ -x $EVOSCAN_SRC ]] || die "release binary not found: $EVOSCAN_SRC
    build it with:  (cd $ROOT && make release)
    or point EVOSCAN_BIN at an evoscan binary"
"$EVOSCAN_SRC" --version >/dev/null 2>&1 || die "$EVOSCAN_SRC does not run (being rebuilt? try again in a minute)"
mkdir -p "$BENCH_DIR/bin" "$BENCH_DIR/lnav-home"
EVOSCAN="$BENCH_DIR/bin/evoscan"
cp "$EVOSCAN_SRC" "$EVOSCAN.tmp.$$" && mv -f "$EVOSCAN.tmp.$$" "$EVOSCAN"
"$EVOSCAN" --version >/dev/null 2>&1 || die "the copy $EVOSCAN does not run (its libraries are found through RUNPATH)"
BIN_SHA=$(sha256sum "$EVOSCAN" | cut -c1-16)
BIN_MTIME=$(date -u -r "$EVOSCAN_SRC" '+%Y-%m-%d %H:%M:%S UTC')
BIN_VERSION=$("$EVOSCAN" --version 2>&1 | head -n 1)
echo "measuring $EVOSCAN (copy of $EVOSCAN_SRC, sha256 $BIN_SHA…, built $BIN_MTIME)" >&2

START_EPOCH=$(date +%s)
START_DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
HOLD_CACHE=${BENCH_HOLD_CACHE:-0}
PAUSED_DAMON=()
restore_damon() {
    local d
    for d in "${PAUSED_DAMON[@]}"; do echo on > "$d/state" 2>/dev/null || echo "bench-targets.sh: could not turn $d back on" >&2; done
}
if [[ $HOLD_CACHE == 1 ]]; then
    for d in /sys/kernel/mm/damon/admin/kdamonds/*; do
        [[ -f $d/state && $(cat "$d/state") == on ]] || continue
        echo off > "$d/state" 2>/dev/null || die "cannot pause the DAMON reclaim $d (BENCH_HOLD_CACHE=1 needs root)"
        PAUSED_DAMON+=("$d")
    done
    trap restore_damon EXIT
fi
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
GEN_VERSION=$(python3 "$GEN" --version | awk '{print $2}')
PREFIX=targets
[[ $quick == 1 ]] && PREFIX=targets-quick

q() { printf '%q' "$1"; }
EV=$(q "$EVOSCAN")
size_label() { case $1 in *G) echo "${1%G} GiB" ;; *M) echo "${1%M} MiB" ;; *K) echo "${1%K} KiB" ;; *) echo "$1 B" ;; esac; }
json_get() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
thousands() { python3 -c 'import sys; print(format(int(sys.argv[1]), ","))' "$1"; }

CMDS=()      # every command line run for a measurement, in order
CHECKS=()    # correctness checks (report lines)
FILES=()     # input descriptions (report table rows)
declare -A BAD=()        # row -> why its result is wrong
declare -A FILE_SEEN=()
LNAV_USED=0
RESULTS="$BENCH_DIR/$PREFIX-rows.tsv"      # row workload evoscan comparison ratio target result
TIMINGS="$BENCH_DIR/$PREFIX-timings.tsv"   # row command median min max mean stddev runs codes
: >"$RESULTS"
: >"$TIMINGS"

bad() { BAD[$1]="${BAD[$1]:+${BAD[$1]}; }$2"; CHECKS+=("**$1: WRONG** — $2"); }
ok() { CHECKS+=("$1: $2"); }

# ---------------------------------------------------------------------------------------------
# inputs

space_for() {  # space_for SIZE: die unless $BENCH_DIR has room for a file of SIZE
    local need avail
    need=$(( $(python3 "$GEN" --size "$1" --print-bytes) / 1024 + 1024 ))
    avail=$(df -Pk "$BENCH_DIR" | awk 'NR==2 {print $4}')
    (( avail > need )) || die "not enough space in $BENCH_DIR for a $1 file (${avail} KiB free)"
}

truth_matches() {  # truth_matches FILE SIZE SEED DENSE(0/1) FORMAT
    local truth="$1.truth.json"
    [[ -f $1 && -f $truth ]] || return 1
    python3 - "$truth" "$(python3 "$GEN" --size "$2" --print-bytes)" "$3" "$4" "$5" "$(stat -c %s "$1")" "$GEN_VERSION" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
ok = (str(t.get("generator_version")) == sys.argv[7] and t.get("seed") == int(sys.argv[3])
      and t.get("size_requested") == int(sys.argv[2]) and bool(t.get("dense")) == (sys.argv[4] == "1")
      and t.get("format") == sys.argv[5] and t.get("bytes") == int(sys.argv[6]))
sys.exit(0 if ok else 1)
EOF
}

# ensure_log SIZE SEED KIND(plain|dense|journal): sets R to the path; reuses a file whose truth
# matches. (Functions return through R: a $(…) subshell would lose the report lines they add.)
ensure_log() {
    local size=$1 seed=$2 kind=$3 dense=0 format=plain flags=() cands=() f
    case $kind in
        plain) cands=("$BENCH_DIR/evo-$size-s$seed.log") ;;
        dense) dense=1; flags=(--dense); cands=("$BENCH_DIR/evo-$size-s$seed-dense.log") ;;
        journal) format=journal-json; flags=(--format journal-json)
                 cands=("$BENCH_DIR/evo-$size-s$seed-journal.json" "$BENCH_DIR/evo-$size-journal.json") ;;
    esac
    for f in "${cands[@]}"; do
        if truth_matches "$f" "$size" "$seed" "$dense" "$format"; then
            echo "reusing $f (truth: seed $seed, size $size, $kind, generator v$GEN_VERSION)" >&2
            describe_log "$f" "$size" "$seed" "$kind" reused
            R=$f; return 0
        fi
    done
    f=${cands[0]}
    space_for "$size"
    echo "generating $f" >&2
    python3 "$GEN" --size "$size" --seed "$seed" "${flags[@]}" "$f" >&2
    truth_matches "$f" "$size" "$seed" "$dense" "$format" || die "$f: freshly generated file does not match its truth"
    describe_log "$f" "$size" "$seed" "$kind" generated
    R=$f
}

describe_log() {  # path size seed kind how
    [[ -n ${FILE_SEEN[$1]:-} ]] && return 0
    FILE_SEEN[$1]=1
    local gen="--size $2 --seed $3"
    [[ $4 == dense ]] && gen+=" --dense"
    [[ $4 == journal ]] && gen+=" --format journal-json"
    local ev
    ev=$(json_get "$1.truth.json" 'd["prisma"]["events"]')
    FILES+=("| \`$(basename "$1")\` | $(thousands "$(stat -c %s "$1")") | \`gen-log.py $gen\` (v$GEN_VERSION) | $3 | $(thousands "$ev") Prisma failure events, $(thousands "$(json_get "$1.truth.json" 'd["prisma"]["code_lines"]')") code lines | $5 |")
}

# ensure_gz PLAIN: R = PLAIN.gz at gzip's default level (6). A file already there is reused when
# its header says default level (XFL 0; -1 writes 4, -9 writes 2), its ISIZE equals the plain
# size mod 2^32 and its first MiB equals the plain file's (the evoscan check does the rest).
ensure_gz() {
    local plain=$1 gz="$1.gz" how=reused
    local bytes; bytes=$(stat -c %s "$plain")
    gz_ok() {
        [[ -f $gz && $gz -nt $plain ]] || return 1
        [[ $(od -A n -t u1 -j 8 -N 1 "$gz" | tr -d ' ') == 0 ]] || return 1
        [[ $(tail -c 4 "$gz" | od -A n -t u4 | tr -d ' ') == $(( bytes % 4294967296 )) ]] || return 1
        cmp -s <(gzip -dc "$gz" 2>/dev/null | head -c 1048576) <(head -c 1048576 "$plain")
    }
    if gz_ok; then
        echo "reusing $gz" >&2
    else
        echo "compressing $plain (gzip -6)" >&2
        gzip -6 -c "$plain" >"$gz.tmp.$$" && mv -f "$gz.tmp.$$" "$gz"
        how=generated
    fi
    local made
    made="\`gzip -6 -c $(basename "$plain")\` (default level)"
    [[ $how == reused ]] && made="gzip at the default level (header XFL 0, i.e. not -1 or -9; made before this run)"
    FILES+=("| \`$(basename "$gz")\` | $(thousands "$(stat -c %s "$gz")") | $made | — | that of \`$(basename "$plain")\` | $how |")
    R=$gz
}

# ensure_nginx SIZE SEED: R = nginx combined log from gen-access-log.py (default --start). Reused
# when its first 64 KiB equal the generator's output for SEED and its size is what the
# generator stops at (the first line boundary at or past SIZE).
ensure_nginx() {
    local size=$1 seed=$2 f how=reused
    local cands=("$BENCH_DIR/nginx-$size-s$seed.log" "$BENCH_DIR/nginx-$size.log")
    local target; target=$(python3 -c '
import sys; t = sys.argv[1]; u = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
print(int(float(t[:-1]) * u[t[-1]]) if t[-1] in u else int(t))' "$size")
    local head_ref="$BENCH_DIR/.nginx-head-s$seed"
    python3 "$GEN_ACCESS" --size 64K --seed "$seed" - >"$head_ref"
    local n; n=$(stat -c %s "$head_ref")
    nginx_ok() {
        [[ -f $1 ]] || return 1
        local b last; b=$(stat -c %s "$1"); last=$(tail -n 1 "$1" | wc -c)
        (( b >= target && b - last < target )) || return 1
        cmp -s -n "$n" "$head_ref" "$1"
    }
    for f in "${cands[@]}"; do
        if nginx_ok "$f"; then echo "reusing $f (seed $seed, size $size)" >&2; break; fi
        f=""
    done
    if [[ -z $f ]]; then
        f=${cands[0]}
        space_for "$size"
        echo "generating $f" >&2
        python3 "$GEN_ACCESS" --size "$size" --seed "$seed" "$f"
        how=generated
    fi
    NGINX_LINES=$(wc -l <"$f")
    FILES+=("| \`$(basename "$f")\` | $(thousands "$(stat -c %s "$f")") | \`gen-access-log.py --size $size --seed $seed\` | $seed | $(thousands "$NGINX_LINES") nginx combined lines | $how |")
    R=$f
}

warm() {  # warm FILE...: read every file twice so that the page cache holds it
    local f
    for f in "$@"; do cat "$f" >/dev/null; cat "$f" >/dev/null; done
    CMDS+=("$(printf 'cat %s > /dev/null   # twice' "$*")")
}

# ---------------------------------------------------------------------------------------------
# checks

# evo_run ROW TAG ARGS... : one evoscan run outside the timing; R = its output,
# $BENCH_DIR/$PREFIX-ROW-TAG.json; exit status 0 or 1 is fine (1 = silent failures found)
evo_run() {
    local row=$1 tag=$2; shift 2
    local out="$BENCH_DIR/$PREFIX-$row-$tag.json" status=0
    "$EVOSCAN" scan --format json "$@" >"$out" 2>"$out.stderr" || status=$?
    if [[ $status != 0 && $status != 1 ]]; then
        bad "$row" "evoscan exited with status $status ($(head -c 300 "$out.stderr"))"
    fi
    R=$out
}

# check_events ROW OUT TRUTH... : evoscan's failures_total and counts by code equal the sum of
# the truths' Prisma failure events
check_events() {
    local row=$1 out=$2; shift 2
    local verdict
    verdict=$(python3 - "$out" "$@" <<'EOF'
import collections, json, sys
try:
    got = json.load(open(sys.argv[1]))
except Exception as e:
    print("unreadable evoscan output: %s" % e); sys.exit()
want_total, want = 0, collections.Counter()
for path in sys.argv[2:]:
    p = json.load(open(path))["prisma"]
    want_total += p["events"]; want.update(p["events_by_code"])
have = collections.Counter(got.get("codes", {}))
if got.get("failures_total") == want_total and have == want:
    print("ok %d" % want_total)
else:
    print("evoscan %s events %s, ground truth %d %s" % (got.get("failures_total"), dict(sorted(have.items())),
                                                       want_total, dict(sorted(want.items()))))
EOF
)
    if [[ $verdict == ok* ]]; then
        ok "$row" "evoscan \`$(basename "$out")\`: ${verdict#ok } failure events, by code equal to the ground truth"
    else
        bad "$row" "$verdict"
    fi
}

check_rg() {  # check_rg ROW FILE: rg's count equals the truth's code lines
    local got want
    got=$(rg -c -P "$PATTERN" "$2" || true)
    want=$(json_get "$2.truth.json" 'd["prisma"]["code_lines"]')
    if [[ $got == "$want" ]]; then
        ok "$1" "\`rg -c -P\` on \`$(basename "$2")\`: $got lines = ground truth"
    else
        bad "$1" "rg counts $got lines on $(basename "$2"), ground truth $want"
    fi
}

# ---------------------------------------------------------------------------------------------
# measuring

# hf ROW OUTPUT RUNS WARMUP NAME CMD [NAME CMD ...]: one hyperfine run; R = the medians (s)
hf() {
    local row=$1 output=$2 runs=$3 warmup=$4; shift 4
    local json="$BENCH_DIR/$PREFIX-$row.json"
    local args=(hyperfine -N -i --style basic --warmup "$warmup" --runs "$runs" --output="$output" --export-json "$json")
    while (($#)); do args+=(-n "$1" "$2"); shift 2; done
    CMDS+=("$(python3 - "${args[@]}" <<'PYQ'
import re, sys
def quote(s):  # readable shell quoting: bare, '…', or "…" with only the necessary escapes
    if re.fullmatch(r"[\w@%+=:,./-]+", s):
        return s
    if "'" not in s:
        return "'" + s + "'"
    out = []
    for i, ch in enumerate(s):
        if ch in '"$`':
            out.append("\\" + ch)
        elif ch == "\\" and (i + 1 == len(s) or s[i + 1] in '"$`\\\n'):
            out.append("\\\\")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
args = sys.argv[1:]
head, pairs = [], []
while args:
    if args[0] == "-n":
        pairs.append("    -n %s %s" % (quote(args[1]), quote(args[2])))
        args = args[3:]
    else:
        head.append(quote(args[0]))
        args = args[1:]
print(" \\\n".join([" ".join(head)] + pairs))
PYQ
)")
    "${args[@]}" >&2 || die "hyperfine failed for row $row"
    python3 - "$json" "$row" >>"$TIMINGS" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    codes = ",".join(str(c) for c in sorted(set(r.get("exit_codes") or []))) or "-"
    print("\t".join([sys.argv[2], r["command"]] + ["%.6f" % r[k] for k in ("median", "min", "max", "mean")]
                    + ["%.6f" % (r.get("stddev") or 0), str(len(r["times"])), codes]))
EOF
    # evoscan may exit 0 or 1; every other command must exit 0
    local name codes
    while IFS=$'\t' read -r name codes; do
        bad "${row%%-*}" "\`$name\` exited with status $codes during the timing"
    done < <(python3 - "$json" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    allowed = {0, 1} if r["command"].startswith("evoscan") else {0}
    codes = set(r.get("exit_codes") or [])
    if not codes <= allowed:
        print("%s\t%s" % (r["command"], ",".join(map(str, sorted(codes)))))
EOF
)
    R=$(python3 -c 'import json,sys; print(" ".join("%.6f" % r["median"] for r in json.load(open(sys.argv[1]))["results"]))' "$json")
}

fmt_t() { awk -v t="$1" 'BEGIN { if (t < 0.1) printf "%.1f ms", t * 1000; else printf "%.3f s", t }'; }
# ratio A B [TARGET]: A/B with 2 decimals, 3 when 2 would round onto the target
ratio() { awk -v a="$1" -v b="$2" -v t="${3:-}" 'BEGIN { r = a / b; f = (t != "" && sprintf("%.2f", r) + 0 == t + 0) ? "%.3f" : "%.2f"; printf f, r }'; }
holds() { awk -v a="$1" -v b="$2" -v op="$3" -v t="$4" 'BEGIN { r = a / b; exit !((op == "<=" && r <= t) || (op == ">=" && r >= t) || (op == "<" && r < t)) }'; }

result() {  # result ROW MET(1/0/-): the table's last column
    if [[ -n ${BAD[$1]:-} ]]; then echo "**FAIL** (wrong result, see checks)"
    elif [[ $2 == - ]]; then echo "— (no target)"
    elif [[ $2 == 1 ]]; then echo "**pass**"
    else echo "**FAIL**"; fi
}
add_row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"; }

# ---------------------------------------------------------------------------------------------
# rows

MAIN_L=$(size_label "$MAIN")
mkdir -p "$BENCH_DIR"

row_plain_like() {  # ROW KIND TARGET
    local row=$1 kind=$2 target=$3 f
    log "$row"
    ensure_log "$MAIN" "$SEED" "$kind"; f=$R
    warm "$f"
    check_rg "$row" "$f"
    evo_run "$row" check "$f"; check_events "$row" "$R" "$f.truth.json"
    hf "$row" pipe "$FAST_RUNS" "$WARMUP" \
        evoscan "$EV scan --format json $(q "$f")" \
        rg "rg -c -P \"$PATTERN\" $(q "$f")"
    m=$R
    local e c met=0; read -r e c <<<"$m"
    holds "$e" "$c" "<=" "$target" && met=1
    add_row "$row" "$MAIN_L $kind log, seed $SEED" "$(fmt_t "$e")" "rg $(fmt_t "$c")" \
        "$(ratio "$e" "$c" "$target") × rg" "≤ $target × rg" "$(result "$row" $met)"
}

row_journal() {
    local f; log journal
    ensure_log "$MAIN" "$SEED" journal; f=$R
    warm "$f"
    evo_run journal check "$f"; check_events journal "$R" "$f.truth.json"
    # --output=null: jq writes the whole log; `> /dev/null` as in the target, without a shell
    hf journal null "$RUNS" "$WARMUP" \
        evoscan "$EV scan --format json $(q "$f")" \
        "jq -r .MESSAGE" "jq -r .MESSAGE $(q "$f")"
    m=$R
    local e c met=0; read -r e c <<<"$m"
    holds "$c" "$e" ">=" 4 && met=1
    add_row journal "$MAIN_L journalctl -o json, seed $SEED" "$(fmt_t "$e")" "jq $(fmt_t "$c")" \
        "$(ratio "$c" "$e" 4)× faster than jq" "≥ 4× faster" "$(result journal $met)"
}

row_gzip() {
    local f gz; log gzip
    ensure_log "$MAIN" "$SEED" plain; f=$R
    ensure_gz "$f"; gz=$R
    warm "$gz"
    evo_run gzip check "$gz"; check_events gzip "$R" "$f.truth.json"
    # --output=null: gzip -dc writes the whole log; `> /dev/null` as in the target
    hf gzip null "$RUNS" "$WARMUP" \
        evoscan "$EV scan --format json $(q "$gz")" \
        "gzip -dc" "gzip -dc $(q "$gz")"
    m=$R
    local e c met=0; read -r e c <<<"$m"
    holds "$e" "$c" "<=" 1.15 && met=1
    add_row gzip "$MAIN_L plain log, gzip -6 (default level), seed $SEED" "$(fmt_t "$e")" "gzip -dc $(fmt_t "$c")" \
        "$(ratio "$e" "$c" 1.15) × gzip" "≤ 1.15 × gzip" "$(result gzip $met)"
}

row_parallel() {
    local a b; log parallel
    ensure_log "$MAIN" "$SEED" plain; a=$R
    ensure_log "$MAIN" "$SEED2" plain; b=$R
    warm "$a" "$b"
    local o1 oj
    evo_run parallel check "$a" "$b"; o1=$R
    evo_run parallel check-jobs1 --jobs 1 "$a" "$b"; oj=$R
    check_events parallel "$o1" "$a.truth.json" "$b.truth.json"
    check_events parallel "$oj" "$a.truth.json" "$b.truth.json"
    if cmp -s "$o1" "$oj"; then ok parallel "default jobs and \`--jobs 1\`: byte-identical JSON"
    else ok parallel "default jobs and \`--jobs 1\`: JSON differs (not a target; counts compared above)"; fi
    hf parallel pipe "$FAST_RUNS" "$WARMUP" \
        "evoscan (default jobs)" "$EV scan --format json $(q "$a") $(q "$b")" \
        "evoscan --jobs 1" "$EV scan --jobs 1 --format json $(q "$a") $(q "$b")"
    m=$R
    local e c met=0; read -r e c <<<"$m"
    holds "$c" "$e" ">=" 1.7 && met=1
    add_row parallel "2 × $MAIN_L plain, seeds $SEED and $SEED2" "$(fmt_t "$e")" "--jobs 1 $(fmt_t "$c")" \
        "$(ratio "$c" "$e" 1.7)× speed-up" "≥ 1.7×" "$(result parallel $met)"
}

rss_of() {  # rss_of FILE TAG: R = max peak RSS (KiB) of RSS_RUNS runs; the output is checked
    local f=$1 tag=$2 i kib max=0 all="" status out="$BENCH_DIR/$PREFIX-rss-$2.json"
    for ((i = 1; i <= RSS_RUNS; i++)); do
        status=0
        /usr/bin/time -f %M -o "$BENCH_DIR/$PREFIX-rss-$tag.time" "$EVOSCAN" scan --format json "$f" >"$out" || status=$?
        [[ $status == 0 || $status == 1 ]] || bad rss "evoscan exited with status $status on $(basename "$f")"
        kib=$(tail -n 1 "$BENCH_DIR/$PREFIX-rss-$tag.time")
        all+="${all:+, }$kib"
        (( kib > max )) && max=$kib
    done
    CMDS+=("$(printf '/usr/bin/time -f %%M %s scan --format json %s > %s   # %d times, the maximum counts' "$EV" "$(q "$f")" "$(q "$out")" "$RSS_RUNS")")
    check_events rss "$out" "$f.truth.json"
    ok rss "peak RSS on \`$(basename "$f")\`: $all KiB"
    R=$max
}

row_rss() {
    local big small; log rss
    ensure_log "$BIG" "$SEED" plain; big=$R
    ensure_log "$MAIN" "$SEED" plain; small=$R
    warm "$big"
    local rb; rss_of "$big" big; rb=$R
    warm "$small"
    local rs; rss_of "$small" small; rs=$R
    local met=0 limit=$((32 * 1024))
    if (( rb <= limit && rs <= limit )) && awk -v a="$rb" -v b="$rs" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 0.10 * b) }'; then met=1; fi
    local diff; diff=$(awk -v a="$rb" -v b="$rs" 'BEGIN { printf "%+.1f %%", (a - b) * 100 / b }')
    add_row rss "$(size_label "$BIG") vs $MAIN_L plain, seed $SEED" \
        "$(size_label "$BIG"): $(awk -v k="$rb" 'BEGIN { printf "%.1f MiB", k / 1024 }')" \
        "$MAIN_L: $(awk -v k="$rs" 'BEGIN { printf "%.1f MiB", k / 1024 }')" \
        "$diff ($(size_label "$BIG") vs $MAIN_L)" "≤ 32 MiB each, equal within 10 %" "$(result rss $met)"
}

row_empty() {
    local f="$BENCH_DIR/empty.log"; log empty
    : >"$f"
    FILES+=("| \`empty.log\` | 0 | \`: > empty.log\` | — | no events | generated |")
    local out status=0
    out="$BENCH_DIR/$PREFIX-empty-check.json"
    "$EVOSCAN" scan --format json "$f" >"$out" || status=$?
    if [[ $status == 0 ]] && [[ $(json_get "$out" 'd["failures_total"]') == 0 ]]; then
        ok empty "evoscan on the empty file: exit 0, 0 failure events"
    else
        bad empty "evoscan on the empty file: exit $status, output $(head -c 200 "$out")"
    fi
    hf empty pipe "$EMPTY_RUNS" 3 \
        evoscan "$EV scan --format json $(q "$f")" \
        true "true"
    m=$R
    local e c met=0; read -r e c <<<"$m"
    awk -v e="$e" 'BEGIN { exit !(e < 0.020) }' && met=1
    add_row empty "empty file" "$(fmt_t "$e")" "true $(fmt_t "$c")" "$(fmt_t "$e") wall" "< 20 ms" "$(result empty $met)"
}

row_correlation() {
    local f n; log correlation
    ensure_log "$MAIN" "$SEED" plain; f=$R
    ensure_nginx "$NGINX_SIZE" "$SEED"; n=$R
    warm "$f" "$n"
    local ow oo
    evo_run correlation check-access --access-log "$n" "$f"; ow=$R
    evo_run correlation check "$f"; oo=$R
    check_events correlation "$ow" "$f.truth.json"
    local info
    info=$(python3 - "$ow" "$NGINX_LINES" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1])); c = d.get("correlation", {}); o = d.get("outcomes", {})
lines, want = c.get("access_log_lines"), int(sys.argv[2])
state = "ok" if lines == want and (c.get("access_requests") or 0) > 0 else "bad"
print("%s\taccess-log lines read %s of %d, requests in the window %s, formats %s; outcomes %s" % (
    state, lines, want, c.get("access_requests"), c.get("access_formats"), o))
EOF
)
    if [[ ${info%%$'\t'*} == ok ]]; then ok correlation "with \`--access-log\`: ${info#*$'\t'}"
    else bad correlation "the access log was not read: ${info#*$'\t'}"; fi
    ok correlation "without it: outcomes $(json_get "$oo" 'd["outcomes"]')"
    hf correlation pipe "$FAST_RUNS" "$WARMUP" \
        "evoscan --access-log" "$EV scan --format json --access-log $(q "$n") $(q "$f")" \
        evoscan "$EV scan --format json $(q "$f")"
    m=$R
    local e c met=0; read -r e c <<<"$m"
    holds "$e" "$c" "<=" 1.3 && met=1
    add_row correlation "$MAIN_L plain + $(size_label "$NGINX_SIZE") nginx log, seed $SEED" "$(fmt_t "$e")" \
        "without --access-log $(fmt_t "$c")" "$(ratio "$e" "$c" 1.3)× (with / without)" "≤ 1.3×" "$(result correlation $met)"
}

# peer_codes_check ROW LABEL "P2000 n\nP2002 n…" TRUTH: counts by code equal the truth's code lines
peer_codes_check() {
    local row=$1 label=$2 counts=$3 truth=$4 verdict
    verdict=$(python3 - "$truth" "$counts" <<'EOF'
import json, sys
want = json.load(open(sys.argv[1]))["prisma"]["code_lines_by_code"]
have = {}
for line in sys.argv[2].splitlines():
    if line.strip():
        k, v = line.split(); have[k] = int(v)
print("ok %s" % " ".join("%s %d" % kv for kv in sorted(have.items())) if have == want
      else "%s, ground truth %s" % (dict(sorted(have.items())), dict(sorted(want.items()))))
EOF
)
    if [[ $verdict == ok* ]]; then ok "$row" "$label: code lines by code equal the ground truth (${verdict#ok })"
    else bad "$row" "$label: $verdict"; fi
}
python_codes() { python3 "$PEER" "$1" </dev/null | python3 -c 'import json,sys; [print(k, v) for k, v in json.load(sys.stdin)["codes"].items()]'; }

row_peers() {
    local f; log "peers: Python re"
    ensure_log "$MAIN" "$SEED" plain; f=$R
    warm "$f"
    evo_run peers check "$f"; check_events peers "$R" "$f.truth.json"
    peer_codes_check peers "Python \`re\` peer on \`$(basename "$f")\`" "$(python_codes "$f")" "$f.truth.json"
    hf peers-python pipe "$RUNS" "$WARMUP" \
        evoscan "$EV scan --format json $(q "$f")" \
        "python re" "python3 $(q "$PEER") $(q "$f")"
    m=$R
    local e c; read -r e c <<<"$m"
    add_row "peers: Python re" "$MAIN_L plain log, seed $SEED" "$(fmt_t "$e")" "Python $(fmt_t "$c")" \
        "Python / evoscan = $(ratio "$c" "$e")×" "—" "$(result peers -)"

    [[ $USE_LNAV == 1 ]] || { ok peers "lnav peer skipped (BENCH_LNAV=0)"; return 0; }
    LNAV_USED=1
    log "peers: lnav"
    local lf; ensure_log "$LNAV_SIZE" "$SEED" plain; lf=$R
    local home="$BENCH_DIR/lnav-home"
    mkdir -p "$home"
    # lnav runs with its own HOME (no user formats or history; nothing written to ~/.lnav)
    local lnav_cmd
    lnav_cmd="env -u XDG_CONFIG_HOME HOME=$(q "$home") lnav -n -I $(q "$LNAV_DIR") -c \"$LNAV_QUERY\" $(q "$lf")"
    warm "$lf"
    evo_run peers check-lnav "$lf"; check_events peers "$R" "$lf.truth.json"
    local lcounts pcounts
    lcounts=$(env -u XDG_CONFIG_HOME HOME="$home" lnav -n -I "$LNAV_DIR" -c "$LNAV_QUERY" "$lf" </dev/null | awk '$1 ~ /^P[0-9][0-9][0-9][0-9]$/ { print $1, $2 }')
    pcounts=$(python_codes "$lf")
    peer_codes_check peers "lnav on \`$(basename "$lf")\`" "$lcounts" "$lf.truth.json"
    if [[ $(sort <<<"$lcounts") == $(sort <<<"$pcounts") ]]; then
        ok peers "lnav and the Python peer on \`$(basename "$lf")\`: identical counts by code"
    else
        bad peers "lnav ($(tr '\n' ' ' <<<"$lcounts")) and Python ($(tr '\n' ' ' <<<"$pcounts")) differ on $(basename "$lf")"
    fi
    hf peers-lnav pipe "$RUNS" "$WARMUP" \
        evoscan "$EV scan --format json $(q "$lf")" \
        lnav "$lnav_cmd"
    m=$R
    read -r e c <<<"$m"
    add_row "peers: lnav" "$(size_label "$LNAV_SIZE") plain log, seed $SEED (its own file: lnav needs ~100 s per GiB)" "$(fmt_t "$e")" \
        "lnav $(fmt_t "$c")" "lnav / evoscan = $(ratio "$c" "$e")×" "—" "$(result peers -)"
}

for row in plain dense journal gzip parallel rss empty correlation peers; do
    has_row "$row" || continue
    case $row in
        plain) row_plain_like plain plain 0.5 ;;
        dense) row_plain_like dense dense 1.0 ;;
        journal) row_journal ;;
        gzip) row_gzip ;;
        parallel) row_parallel ;;
        rss) row_rss ;;
        empty) row_empty ;;
        correlation) row_correlation ;;
        peers) row_peers ;;
    esac
done

# ---------------------------------------------------------------------------------------------
log "report"
END_SHA=$(sha256sum "$EVOSCAN_SRC" 2>/dev/null | cut -c1-16 || echo missing)
first_line() { "$@" 2>&1 | head -n 1 || true; }
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "no commit")
if [[ $commit != "no commit" ]] && [[ -n $(git -C "$ROOT" status --porcelain -- Sources Package.swift 2>/dev/null) ]]; then
    commit="$commit (+ uncommitted changes in Sources/ or Package.swift)"
fi
elapsed=$(( $(date +%s) - START_EPOCH ))

REPORT="$BENCH_DIR/$PREFIX-report.md"
{
    echo "### Targets"
    echo
    echo "Run: $START_DATE, $((elapsed / 60)) min $((elapsed % 60)) s$([[ $quick == 1 ]] && echo " — **quick mode**: $MAIN_L instead of 1 GiB, $(size_label "$BIG") instead of 4 GiB, $(size_label "$NGINX_SIZE") nginx log; not the issue's sizes")."
    echo "Reproduce: \`scripts/bench-targets.sh$([[ $quick == 1 ]] && echo " --quick")\` (BENCH_SEED=$SEED BENCH_SEED2=$SEED2 BENCH_RUNS=$RUNS BENCH_FAST_RUNS=$FAST_RUNS BENCH_WARMUP=$WARMUP BENCH_HOLD_CACHE=$HOLD_CACHE)."
    if ((${#PAUSED_DAMON[@]})); then
        echo "The kernel's DAMON proactive reclaim was paused for the run (BENCH_HOLD_CACHE=1) and turned back on after: it pages out"
        echo "the inputs' page cache within seconds, which turns warm-cache rows into partly cold ones."
    fi
    echo
    echo "| row | workload | evoscan median | comparison median | measured | target | result |"
    echo "|---|---|---:|---:|---:|---|---|"
    awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }' "$RESULTS"
    echo
    echo "Medians of $FAST_RUNS runs (plain, dense, parallel, correlation: under a second each) or $RUNS (the others)"
    echo "after $WARMUP warm-up ($EMPTY_RUNS runs after 3 for the empty file), each row one"
    echo "\`hyperfine -N\` invocation (no shell) with evoscan and its comparison interleaved on the same file,"
    echo "page cache warmed with \`cat\` twice before the row; ratios from the unrounded medians; peak RSS the"
    echo "maximum of $RSS_RUNS \`/usr/bin/time -f %M\` runs. **Nothing is pinned** (no \`taskset\`): evoscan uses"
    echo "both cores by design (one large plain file is read in chunks on all cores, \`--access-log\` files on a"
    echo "second core); rg (one file), jq, gzip, Python and lnav are single-threaded by their nature. The"
    echo "machine is a shared 2-core VM: wall times move by 10–30 % between runs (load average at the start"
    echo "$LOAD_START, at the end $(cut -d' ' -f1-3 /proc/loadavg)). evoscan runs with \`-i\` (it exits 1 when it"
    echo "finds silent failures); the exit codes of every run are checked (evoscan 0/1, the others 0)."
    echo "Output: \`--output=pipe\` (rg, like grep, could take shortcuts when its standard output is"
    echo "/dev/null), except the journal and gzip rows: \`--output=null\`, which is the target's"
    echo "\`> /dev/null\` without a shell (jq and gzip write the whole log; a pipe into hyperfine would add"
    echo "that copy to their time)."
    echo
    echo "#### Commands (exact, in the order run)"
    echo
    echo '```'
    for c in "${CMDS[@]}"; do echo "$c"; done
    echo '```'
    echo
    echo "\`$(q "$EVOSCAN")\` is a copy of \`$EVOSCAN_SRC\` made at the start of the run."
    if [[ $LNAV_USED == 1 ]]; then
        echo "lnav format: \`scripts/lnav/formats/evolution/evolution_api_log.json\` (found through \`-I scripts/lnav\`)."
    fi
    echo
    echo "#### All timings"
    echo
    echo "| row | command | median | min – max | mean ± σ | runs | exit codes |"
    echo "|---|---|---:|---:|---:|---:|---|"
    awk -F'\t' 'function t(x) { return (x < 0.1) ? sprintf("%.1f ms", x * 1000) : sprintf("%.3f s", x) }
        { printf "| %s | `%s` | %s | %s – %s | %s ± %s | %s | %s |\n", $1, $2, t($3), t($4), t($5), t($6), t($7), $8, $9 }' "$TIMINGS"
    echo
    echo "#### Correctness checks (evoscan against the generators' ground truth)"
    echo
    for c in "${CHECKS[@]}"; do echo "* $c"; done
    echo
    echo "#### Inputs (\`$BENCH_DIR\`)"
    echo
    echo "| file | bytes | made with | seed | ground truth | this run |"
    echo "|---|---:|---|---:|---|---|"
    for f in "${FILES[@]}"; do echo "$f"; done
    echo
    echo "Ground truth: \`<file>.truth.json\` written by \`scripts/gen-log.py\` v$GEN_VERSION; a file is reused only"
    echo "when its truth names the same seed, size, mode and generator version and its byte count matches."
    echo
    echo "#### Machine and tools"
    echo
    echo "| item | value |"
    echo "|---|---|"
    echo "| CPUs (nproc) | $(nproc) |"
    echo "| CPU model | $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo) |"
    echo "| RAM | $(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) |"
    echo "| OS / kernel | $(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}") / $(uname -r) |"
    echo "| evoscan | $BIN_VERSION; commit $commit; binary built $BIN_MTIME, sha256 $BIN_SHA… |"
    echo "| tools | $(first_line hyperfine --version); $(first_line rg --version); $(first_line jq --version); $(first_line gzip --version); $(first_line python3 --version); $(command -v lnav >/dev/null && first_line env -u XDG_CONFIG_HOME HOME="$BENCH_DIR/lnav-home" lnav -V || echo 'lnav not installed'); GNU time $(dpkg-query -W -f '${Version}' time 2>/dev/null || echo '?') |"
    if awk -v l="${LOAD_START%% *}" -v n="$(nproc)" 'BEGIN { exit !(l >= n / 2) }'; then
        echo
        echo "**Warning:** the machine was busy at the start (load average $LOAD_START on $(nproc) CPUs): rows that"
        echo "use both cores (parallel, correlation, every evoscan time) are slowed by the other work; rerun when idle."
    fi
    if [[ $END_SHA != "$BIN_SHA" ]]; then
        echo
        echo "Note: \`$EVOSCAN_SRC\` changed during the run (sha256 $END_SHA… at the end); every number above is of the copy made at the start ($BIN_SHA…)."
    fi
} >"$REPORT"

cat "$REPORT"

if [[ -n $md_file ]]; then
    python3 - "$md_file" "$REPORT" <<'EOF'
import os, sys
md_path, rep_path = sys.argv[1], sys.argv[2]
body = open(rep_path, encoding="utf-8").read().strip("\n")
begin, end = "<!-- targets:begin -->", "<!-- targets:end -->"
block = "%s\n%s\n%s" % (begin, body, end)
md = open(md_path, encoding="utf-8", newline="").read() if os.path.exists(md_path) else "# Benchmarks\n"
i, j = md.find(begin), md.find(end)
if i >= 0 and j > i:
    md = md[:i] + block + md[j + len(end):]
else:
    section = ("## Issue 6 targets, one run\n\n"
               "Every target of issue 6 measured in one run by `scripts/bench-targets.sh --md BENCHMARKS.md`\n"
               "(method and options: `scripts/bench-targets.sh --help`). Everything between the targets\n"
               "markers is rewritten by that script.\n\n" + block + "\n")
    anchor = md.find("<!-- bench:results:begin")
    if anchor >= 0:
        md = md[:anchor] + section + "\n" + md[anchor:]
    else:
        md = md.rstrip("\n") + "\n\n" + section
tmp = md_path + ".tmp"
with open(tmp, "w", encoding="utf-8", newline="") as f:
    f.write(md)
os.replace(tmp, md_path)
EOF
    echo >&2
    echo "wrote the report into $md_file (between the targets markers)" >&2
fi
echo >&2
echo "report saved to $REPORT" >&2

fails=$(awk -F'\t' '$7 ~ /FAIL/' "$RESULTS" | wc -l)
if (( fails > 0 )); then
    echo "bench-targets.sh: $fails row(s) failed" >&2
    exit 1
fi
