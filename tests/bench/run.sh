#!/bin/sh
# run.sh - hgtop benchmark harness. Prints ONE table: medians of >= 5 runs
# and ratios, all measured on this machine in this run.
#
#   make bench                      (builds everything, then runs this)
#   HGTOP=./hgtop BENCH_BIN=tests/bench sh tests/bench/run.sh
#
# Environment:
#   HGTOP                 hgtop binary (default: hgtop on PATH)
#   BENCH_BIN             dir with gen_corpus, ceiling, peakrss, follow_latency
#   HGTOP_BENCH_DIR       corpus cache (default /var/tmp/hgtop-bench)
#   HGTOP_BENCH_SCALE     corpus scale, 1 = full size (~2.3 GB); e.g. 0.05
#   HGTOP_BENCH_RUNS      runs per figure (default 5, at least 5 for medians)
#   HGTOP_BENCH_TRIALS    follow-latency trials (default 200)
#   HGTOP_BENCH_IDLE_S    seconds of idle CPU sampling per follower (default 10)
#
# Corpora (tests/bench/gen_corpus.c, regenerated only when missing):
#   a  one session, 60,000 entries, median line ~6 KB, p99 ~350 KB (~1 GB)
#   b  10,000 small sessions (~125 MB)
#   c  one session of 1,000,000 ~1 KB entries
set -u

HGTOP=${HGTOP:-hgtop}
BENCH_BIN=${BENCH_BIN:-$(dirname "$0")}
BENCH_DIR=${HGTOP_BENCH_DIR:-/var/tmp/hgtop-bench}
SCALE=${HGTOP_BENCH_SCALE:-1}
RUNS=${HGTOP_BENCH_RUNS:-5}
TRIALS=${HGTOP_BENCH_TRIALS:-200}
IDLE_S=${HGTOP_BENCH_IDLE_S:-10}
CORPUS=$BENCH_DIR/scale-$SCALE

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hgtop-bench.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
ROWS=$WORK/rows

note() { printf '%s\n' "bench: $*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

# ---------------------------------------------------------------------------
# Helpers

median() {
	sort -n | awk '{ a[NR] = $1 }
		END { if (NR == 0) { print "n/a"; exit }
		      if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# row SECTION WHAT CORPUS FIGURE PEAK_RSS RATIO NOTE  (tab-separated)
row() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" >>"$ROWS"
}

ratio() {	# ratio A B -> "A/B" with two decimals, or "-"
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b + 0 == 0) print "-";
		else printf "%.2fx\n", a / b }'
}

fmt_s() { awk -v s="$1" 'BEGIN { if (s == "n/a") print s; else printf "%.3f s\n", s }'; }
fmt_kb() { awk -v k="$1" 'BEGIN { if (k == "n/a") print k; else printf "%.1f MB\n", k / 1024 }'; }

# measure CMD [ARG]... : RUNS runs with stdout to /dev/null; sets MED_S,
# MED_KB (peak RSS) and FAILED (runs with a non-zero exit status).
measure() {
	_m=$WORK/measure
	: >"$_m"
	_i=0
	while [ "$_i" -lt "$RUNS" ]; do
		"$BENCH_BIN/peakrss" "$_m" "$@" >/dev/null 2>"$WORK/stderr"
		_i=$((_i + 1))
	done
	MED_S=$(cut -d' ' -f1 "$_m" | median)
	MED_KB=$(cut -d' ' -f2 "$_m" | median)
	FAILED=$(awk '$3 != 0' "$_m" | wc -l | tr -d ' ')
	[ "$FAILED" -eq 0 ] || note "$* failed $FAILED/$RUNS times: $(head -c 200 "$WORK/stderr")"
}

warm_cache() {	# read the corpus once so no figure pays the disk
	if [ -d "$1" ]; then cat "$1"/*.jsonl >/dev/null; else cat "$1" >/dev/null; fi
}

hgtop_has() { "$HGTOP" --help 2>&1 | grep -q -- "$1"; }

# ---------------------------------------------------------------------------
# Corpora

corpora() {
	mkdir -p "$BENCH_DIR" || exit 1
	if ! "$BENCH_BIN/gen_corpus" -c -s "$SCALE" "$CORPUS"; then
		need=$(awk -v s="$SCALE" 'BEGIN { printf "%d\n", s * 2400 + 1024 }')
		avail=$(df -Pm "$BENCH_DIR" | awk 'NR == 2 { print $4 }')
		if [ "$avail" -lt "$need" ]; then
			note "only $avail MB free in $BENCH_DIR, the corpora need ~$need MB; lower HGTOP_BENCH_SCALE"
			exit 1
		fi
		note "generating corpora in $CORPUS (scale $SCALE)"
	fi
	"$BENCH_BIN/gen_corpus" -s "$SCALE" "$CORPUS" >&2 || exit 1
	A=$(ls "$CORPUS"/large/*.jsonl)
	B=$CORPUS/many
	C=$(ls "$CORPUS"/short/*.jsonl)
}

corpus_desc() {	# corpus_desc DIR -> "N entries, X MB"
	awk '$1 == "entries" { e = $2 } $1 == "bytes" { b = $2 }
		END { printf "%d entries, %.0f MB\n", e, b / 1048576 }' "$1/.complete"
}

# ---------------------------------------------------------------------------
# Measurements. Each one adds rows; a tool that is missing gives "n/a".

bench_full_load() {	# bench_full_load LABEL PATH
	warm_cache "$2"
	measure "$BENCH_BIN/ceiling" "$2"
	ceil_s=$MED_S
	row "full load" "ceiling: cJSON per line" "$1" "$(fmt_s "$MED_S")" "$(fmt_kb "$MED_KB")" "1.00x" ""
	measure "$HGTOP" --batch "$2"
	row "full load" "hgtop --batch" "$1" "$(fmt_s "$MED_S")" "$(fmt_kb "$MED_KB")" \
		"$(ratio "$MED_S" "$ceil_s")" "$( [ "$FAILED" -eq 0 ] || echo "exit != 0 in $FAILED runs")"
	if hgtop_has --stats; then
		measure "$HGTOP" --stats "$2"
		row "full load" "hgtop --stats" "$1" "$(fmt_s "$MED_S")" "$(fmt_kb "$MED_KB")" \
			"$(ratio "$MED_S" "$ceil_s")" "$( [ "$FAILED" -eq 0 ] || echo "exit != 0 in $FAILED runs")"
	else
		row "full load" "hgtop --stats" "$1" "n/a" "" "" "no --stats in this hgtop"
	fi
	if have jq; then
		if [ -d "$2" ]; then
			measure sh -c 'exec jq ".attempts[]?.verdict" "$@"' jq "$2"/*.jsonl
		else
			measure jq '.attempts[]?.verdict' "$2"
		fi
		row "full load" "jq '.attempts[]?.verdict'" "$1" "$(fmt_s "$MED_S")" "$(fmt_kb "$MED_KB")" \
			"$(ratio "$MED_S" "$ceil_s")" ""
	else
		row "full load" "jq '.attempts[]?.verdict'" "$1" "n/a" "" "" "jq not installed"
	fi
	if have lnav; then
		if [ -d "$2" ]; then
			measure sh -c 'exec lnav -n "$@"' lnav "$2"/*.jsonl
		else
			measure lnav -n "$2"
		fi
		row "full load" "lnav -n (headless)" "$1" "$(fmt_s "$MED_S")" "$(fmt_kb "$MED_KB")" \
			"$(ratio "$MED_S" "$ceil_s")" ""
	else
		row "full load" "lnav -n (headless)" "$1" "n/a" "" "" "lnav not installed"
	fi
}

# HOOK: time to first screen in the TUI. A pty of fixed size (e.g. tmux
# new-session -d -x 120 -y 40), from spawn until the newest entry's text
# is on screen (poll capture-pane). Add rows with `row "TUI" ...`.
bench_tui_first_screen() {	# LABEL PATH
	row "TUI" "first screen (pty 120x40)" "$1" "n/a" "" "" "not measured yet"
}

# HOOK: time for a filter change on corpus c (e.g. --filter in the TUI or
# an app-level driver), median of RUNS.
bench_filter_change() {	# LABEL PATH
	row "filter" "filter change (tier:local verdict:escalate)" "$1" "n/a" "" "" "not measured yet"
}

# HOOK: time for a search over every field (runner output included) on c.
bench_search() {	# LABEL PATH
	row "search" "search \"TestLedgerOverflow\"" "$1" "n/a" "" "" "not measured yet"
}

# follow_row WHAT NAME RESULT_LINE [BASELINE_MEDIAN]
follow_row() {
	med=$(printf '%s\n' "$3" | sed -n 's/.*median_ms=\([^ ]*\).*/\1/p')
	p99=$(printf '%s\n' "$3" | sed -n 's/.*p99_ms=\([^ ]*\).*/\1/p')
	to=$(printf '%s\n' "$3" | sed -n 's/.*timeouts=\([^ ]*\).*/\1/p')
	idle=$(printf '%s\n' "$3" | sed -n 's/.*idle_ticks=\([^ ]*\).*/\1/p')
	r="1.00x"
	[ $# -ge 4 ] && r=$(ratio "$med" "$4")
	row "follow" "$1" "append" "p50 $med ms, p99 $p99 ms" "" "$r" \
		"idle CPU $idle ticks/${IDLE_S}s; $to timeouts; $TRIALS trials"
}

# Append→output latency against tail -F, on a scratch copy (the cached
# corpora are never written to).
bench_follow() {
	mkdir -p "$WORK/follow"
	f=$WORK/follow/hg-20260101-follow.jsonl
	head -n 1000 "$C" >"$f"
	res=$("$BENCH_BIN/follow_latency" -n "$TRIALS" -i "$IDLE_S" "$f" -- tail -n0 -F "$f" | tail -n 1)
	follow_row "tail -n0 -F" tail "$res"
	tail_med=$(printf '%s\n' "$res" | sed -n 's/.*median_ms=\([^ ]*\).*/\1/p')
	if hgtop_has --follow; then
		res=$("$BENCH_BIN/follow_latency" -n "$TRIALS" -i "$IDLE_S" "$f" -- \
			"$HGTOP" --batch --follow --json "$f" | tail -n 1)
		if [ -n "$res" ]; then
			follow_row "hgtop --batch --follow --json" hgtop "$res" "$tail_med"
		else
			row "follow" "hgtop --batch --follow --json" "append" "n/a" "" "" "follower failed"
		fi
	else
		row "follow" "hgtop --batch --follow --json" "append" "n/a" "" "" "no --follow in this hgtop"
	fi
}

# ---------------------------------------------------------------------------

print_table() {
	printf '\nhgtop benchmark  %s  %s\n' "$("$HGTOP" --version 2>/dev/null | head -n 1)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	printf 'machine: %s, %s CPUs, %s; scale %s, median of %s runs (page cache warm)\n' \
		"$(uname -sr)" "$(nproc 2>/dev/null || echo '?')" \
		"$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)" "$SCALE" "$RUNS"
	printf 'a = %s (%s)\nb = %s (%s sessions, %s)\nc = %s (%s)\n\n' \
		"$A" "$(corpus_desc "$CORPUS/large")" "$B" "$(ls "$B" | grep -c '\.jsonl$')" \
		"$(corpus_desc "$CORPUS/many")" "$C" "$(corpus_desc "$CORPUS/short")"
	awk -F'\t' 'BEGIN { printf "%-10s %-44s %-7s %-26s %-10s %-8s %s\n",
			"SECTION", "WHAT", "CORPUS", "MEDIAN", "PEAK RSS", "RATIO", "NOTE"
		printf "%s\n", "-------------------------------------------------------------------------------------------------------------------" }
		{ printf "%-10s %-44s %-7s %-26s %-10s %-8s %s\n", $1, $2, $3, $4, $5, $6, $7 }' "$ROWS"
	printf '\nRATIO: full load vs the ceiling (time); follow vs tail -n0 -F (median latency).\n'
}

main() {
	if [ "$RUNS" -lt 5 ]; then
		note "HGTOP_BENCH_RUNS=$RUNS: medians need at least 5 runs, using 5"
		RUNS=5
	fi
	for t in gen_corpus ceiling peakrss follow_latency; do
		[ -x "$BENCH_BIN/$t" ] || { note "$BENCH_BIN/$t missing (make bench builds it)"; exit 1; }
	done
	have "$HGTOP" || [ -x "$HGTOP" ] || { note "no hgtop at $HGTOP"; exit 1; }
	: >"$ROWS"
	corpora
	note "full load a"; bench_full_load a "$A"
	note "full load b"; bench_full_load b "$B"
	note "full load c"; bench_full_load c "$C"
	bench_tui_first_screen a "$A"
	bench_filter_change c "$C"
	bench_search c "$C"
	note "follow latency ($TRIALS trials + ${IDLE_S}s idle per follower)"; bench_follow
	print_table
}

main "$@"
