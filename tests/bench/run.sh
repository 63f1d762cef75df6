#!/bin/sh
# run.sh - hgtop benchmark harness. Prints ONE table: medians of >= 5 runs
# and ratios, all measured on this machine in this run.
#
#   make bench                      (builds everything, then runs this)
#   HGTOP=./hgtop BENCH_BIN=tests/bench sh tests/bench/run.sh
#
# Environment:
#   HGTOP                 hgtop binary (default: hgtop on PATH)
#   BENCH_BIN             dir with gen_corpus, ceiling, peakrss, follow_latency,
#                         tui_probe
#   HGTOP_BENCH_DIR       corpus cache (default /var/tmp/hgtop-bench)
#   HGTOP_BENCH_SCALE     corpus scale, 1 = full size (~2.3 GB); e.g. 0.05
#   HGTOP_BENCH_RUNS      runs per figure (default 5, at least 5 for medians)
#   HGTOP_BENCH_TRIALS    follow-latency trials (default 200)
#   HGTOP_BENCH_IDLE_S    seconds of idle CPU sampling per follower (default 10)
#   HGTOP_BENCH_PROBE_TIMEOUT  seconds tui_probe waits for any one thing (600)
#   HGTOP_BENCH_ONLY      sections to run (default "load tui keys timeline follow";
#                         "stats": only the --stats rows of c and d, with lnav)
#
# Corpora (tests/bench/gen_corpus.c, regenerated only when missing):
#   a  one session, 60,000 entries, median line ~6 KB, p99 ~350 KB (~1 GB)
#   b  10,000 small sessions (~125 MB)
#   c  one session of 1,000,000 ~1 KB entries
#   d  one session of 1,000,000 ~1.4 KB entries (~1.4 GB)
# plus large-marker/: a copy of a with one newest entry whose skill is
# "zz-newest-marker", so the first-screen probe can see the newest entry.
set -u

HGTOP=${HGTOP:-hgtop}
BENCH_BIN=${BENCH_BIN:-$(dirname "$0")}
BENCH_DIR=${HGTOP_BENCH_DIR:-/var/tmp/hgtop-bench}
SCALE=${HGTOP_BENCH_SCALE:-1}
RUNS=${HGTOP_BENCH_RUNS:-5}
TRIALS=${HGTOP_BENCH_TRIALS:-200}
IDLE_S=${HGTOP_BENCH_IDLE_S:-10}
CORPUS=$BENCH_DIR/scale-$SCALE
ONLY=${HGTOP_BENCH_ONLY:-load tui keys timeline follow}

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

# row SECTION WHAT CORPUS FIGURE PEAK_RSS RATIO NOTE [TARGET]  (tab-separated)
row() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${8:--}" "$5" "$6" "$7" >>"$ROWS"
}

ratio() {	# ratio A B -> "A/B" with two decimals, or "-"
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b + 0 == 0) print "-";
		else printf "%.2fx\n", a / b }'
}

fmt_s() { awk -v s="$1" 'BEGIN { if (s == "n/a") print s; else printf "%.3f s\n", s }'; }
fmt_kb() { awk -v k="$1" 'BEGIN { if (k == "n/a" || k == "" || k < 0) print "n/a"; else printf "%.1f MB\n", k / 1024 }'; }
fmt_ms() { awk -v m="$1" 'BEGIN { if (m == "n/a" || m == "") print "n/a";
	else if (m >= 1000) printf "%.2f s\n", m / 1000; else if (m >= 10) printf "%.1f ms\n", m;
	else printf "%.2f ms\n", m }'; }

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
	D=$(ls "$CORPUS"/mid/*.jsonl)
}

corpus_desc() {	# corpus_desc DIR -> "N entries, X MB"
	awk '$1 == "entries" { e = $2 } $1 == "bytes" { b = $2 }
		END { printf "%d entries, %.0f MB\n", e, b / 1048576 }' "$1/.complete"
}

# ---------------------------------------------------------------------------
# lnav, with a format for hyperguild lines (tests/bench/hyperguild-lnav.json)
# installed in a private HOME: nothing of the user's is touched.

LNAV_FORMAT=${LNAV_FORMAT:-$(dirname "$0")/hyperguild-lnav.json}
LNAV_READY=

lnav_setup() {
	[ -n "$LNAV_READY" ] && return 0
	have lnav || return 1
	mkdir -p "$WORK/lnav-home"
	if ! HOME=$WORK/lnav-home lnav -i "$LNAV_FORMAT" >"$WORK/lnav-install" 2>&1; then
		note "lnav -i $LNAV_FORMAT failed: $(head -c 200 "$WORK/lnav-install")"
		return 1
	fi
	LNAV_READY=1
}

# lnav_rows LABEL PATH CEIL_S HGTOP_S: lnav -n reading every line with the
# hyperguild format and counting them in SQL, its time and peak RSS, and
# whether it parsed every line (count against wc -l).
lnav_rows() {
	if ! have lnav; then
		row "full load" "lnav -n (hyperguild format)" "$1" "n/a" "" "" \
			"lnav not installed (Debian: apt-get install lnav)"
		return
	fi
	if ! lnav_setup; then
		row "full load" "lnav -n (hyperguild format)" "$1" "n/a" "" "" "format not installed"
		return
	fi
	if [ -d "$2" ]; then
		set -- "$1" "$2" "$3" "$4" "$2"/*.jsonl
	else
		set -- "$1" "$2" "$3" "$4" "$2"
	fi
	label=$1 ceil=$3 hg=$4
	shift 4
	lines=$(cat "$@" | wc -l | tr -d ' ')
	got=$(HOME=$WORK/lnav-home lnav -n -c ';SELECT count(*) FROM all_logs' "$@" 2>/dev/null |
		awk 'NF == 1 && $1 ~ /^[0-9]+$/ { n = $1 } END { print n + 0 }')
	measure env HOME="$WORK/lnav-home" lnav -n -c ';SELECT count(*) FROM all_logs' "$@"
	LNAV_S=$MED_S
	row "full load" "lnav -n (hyperguild format)" "$label" "$(fmt_s "$MED_S")" "$(fmt_kb "$MED_KB")" \
		"$(ratio "$MED_S" "$ceil")" "$got of $lines lines parsed; hgtop/lnav $(ratio "$hg" "$MED_S")"
}

# ---------------------------------------------------------------------------
# Measurements. Each one adds rows; a tool that is missing gives "n/a".

bench_stats_row() {	# bench_stats_row LABEL PATH CEIL_S: sets STATS_S
	STATS_S=n/a
	if hgtop_has --stats; then
		measure "$HGTOP" --stats "$2"
		STATS_S=$MED_S
		row "full load" "hgtop --stats" "$1" "$(fmt_s "$MED_S")" "$(fmt_kb "$MED_KB")" \
			"$(ratio "$MED_S" "$3")" "$( [ "$FAILED" -eq 0 ] || echo "exit != 0 in $FAILED runs")" \
			"$STATS_TARGET"
	else
		row "full load" "hgtop --stats" "$1" "n/a" "" "" "no --stats in this hgtop"
	fi
}

# --stats only: the ceiling, hgtop --stats and lnav.
bench_stats() {	# bench_stats LABEL PATH
	warm_cache "$2"
	measure "$BENCH_BIN/ceiling" "$2"
	ceil_s=$MED_S
	row "full load" "ceiling: cJSON per line" "$1" "$(fmt_s "$MED_S")" "$(fmt_kb "$MED_KB")" "1.00x" ""
	bench_stats_row "$1" "$2" "$ceil_s"
	lnav_rows "$1" "$2" "$ceil_s" "$STATS_S"
}

bench_full_load() {	# bench_full_load LABEL PATH
	warm_cache "$2"
	measure "$BENCH_BIN/ceiling" "$2"
	ceil_s=$MED_S
	row "full load" "ceiling: cJSON per line" "$1" "$(fmt_s "$MED_S")" "$(fmt_kb "$MED_KB")" "1.00x" ""
	measure "$HGTOP" --batch "$2"
	eval "BATCH_S_$1=\$MED_S"
	row "full load" "hgtop --batch" "$1" "$(fmt_s "$MED_S")" "$(fmt_kb "$MED_KB")" \
		"$(ratio "$MED_S" "$ceil_s")" "$( [ "$FAILED" -eq 0 ] || echo "exit != 0 in $FAILED runs")"
	bench_stats_row "$1" "$2" "$ceil_s"
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
	lnav_rows "$1" "$2" "$ceil_s" "$STATS_S"
}

# ---------------------------------------------------------------------------
# The interactive browser, driven through a pty by tui_probe (120x40,
# TERM=xterm-256color, HGTOP_KEYLOG). "On screen" is what a terminal fed
# the program's output shows (tui_probe emulates one).

PROBE_TIMEOUT=${HGTOP_BENCH_PROBE_TIMEOUT:-600}
STEPS= EARLY=
FS_TARGET="<= 100 ms"		# first screen: "appears at once"
KEY_TARGET="<= 16 ms"		# a cursor key: within one 60 Hz frame
FILTER_TARGET="<= 100 ms"	# a filter change on 1,000,000 entries
SINCE_TARGET="<= 50 ms"	# a filter change to since: on 1,000,000 entries
SEARCH_TARGET="<= 100 ms"	# n to the next match
LOAD_KEY_TARGET="p99 <= 16 ms"	# keys keep working while a file loads (the note gives the p99)
LOAD_RUNS=20	# keys sent while c loads, for a p99
TIMELINE_TARGET="<= 100 ms"	# T: the timeline of all sessions on screen
FOLLOW_TARGET="p99 <= 20 ms, idle <= 1 tick"
STATS_TARGET="<= 0.6x ceil, 0.5x lnav, 64 MB"

probe() {	# probe MODE [ARG]... -- CMD...: output in $WORK/probe.out
	# Each run starts from no saved state (a filter or a place left by
	# the user's own hgtop, or by the previous run, would change it).
	rm -rf "$WORK/state"
	XDG_STATE_HOME="$WORK/state" "$BENCH_BIN/tui_probe" -x 120 -y 40 -t "$PROBE_TIMEOUT" "$@" \
		>"$WORK/probe.out" 2>"$WORK/probe.err"
}

probe_err() { tr '\n' ' ' <"$WORK/probe.err" | sed 's/^tui_probe: //' | cut -c1-70; }

field() {	# field NAME < lines -> the values of NAME=..., one a line
	sed -n "s/.* $1=\([^ ]*\).*/\1/p"
}

med_ms() {	# med_ms < values -> median of the non-negative ones, or n/a
	awk '$1 >= 0' | median
}

p99_ms() {	# p99_ms < values -> the 99th percentile (nearest rank), or n/a
	awk '$1 >= 0' | sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "n/a"; exit }
		k = int(NR * 0.99); if (k < NR * 0.99) k++; if (k < 1) k = 1; print v[k] }'
}

# The large corpus plus one newest entry with a skill found nowhere else,
# so "the newest entry is on screen" can be seen. Made once next to a.
marker_corpus() {
	d=$CORPUS/large-marker
	AM=$d/$(basename "$A")
	src=$(cat "$CORPUS/large/.complete"; echo "marker 2")
	[ -f "$AM" ] && [ "$(cat "$d/.source" 2>/dev/null)" = "$src" ] && return 0
	note "copying a with one newest marker entry to $d"
	sid=$(basename "$A" .jsonl)
	# The newest entry's time: that of a's last line.
	ts=$(tail -n 1 "$A" | sed -n 's/^{"session_id":"[^"]*","timestamp":"\([^"]*\)".*/\1/p')
	rm -rf "$d" && mkdir -p "$d" && cp "$A" "$AM.tmp" || { note "cannot write $d"; AM=; return; }
	printf '{"session_id":"%s","timestamp":"%s","skill":"zz-newest-marker","attempts":[{"attempt":1,"model":"qwen2.5-coder-7b","tier":"local","duration_ms":1000,"warm_start":true,"verified":true,"verdict":"accept"}],"final_status":"ok","duration_ms":1000,"message":"the newest entry"}\n' \
		"$sid" "${ts:-2026-01-31T00:00:00Z}" >>"$AM.tmp"
	mv "$AM.tmp" "$AM" && printf '%s\n' "$src" >"$d/.source" || { note "cannot write $d"; AM=; }
}

# First screen: RUNS spawns; from spawn until every marker is on screen,
# then until the header stops saying "loading". LOADED_TARGET: the
# fully loaded row's goal ("-" for none).
bench_tui_first_screen() {	# LABEL PATH WHAT MARKER [MARKER [LOADED_TARGET]]
	label=$1 path=$2 what=$3 m1=$4 m2=${5:-} loaded_target=${6:--}
	out=$WORK/first-screen
	: >"$out"
	fails=0
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		if [ -n "$m2" ]; then
			probe screen -m "$m1" -m "$m2" -- "$HGTOP" "$path"
		else
			probe screen -m "$m1" -- "$HGTOP" "$path"
		fi || { fails=$((fails + 1)); note "tui first screen $label: $(probe_err)"; }
		grep '^RESULT' "$WORK/probe.out" >>"$out"
		i=$((i + 1))
	done
	fs=$(field screen_ms <"$out" | med_ms)
	kl=$(field keylog_ms <"$out" | med_ms)
	ld=$(field loaded_ms <"$out" | med_ms)
	kb=$(field peak_kb <"$out" | med_ms)
	pg=$(field progress <"$out" | med_ms)
	failnote=$( [ "$fails" -eq 0 ] || echo "; failed $fails/$RUNS runs")
	row "TUI" "first screen: $what" "$label" "$(fmt_ms "$fs")" "" "-" \
		"keylog first-screen $(fmt_ms "$kl") (from the program's own start)$failnote" "$FS_TARGET"
	batch=n/a
	eval "batch=\${BATCH_S_$label:-n/a}"
	r=$(awk -v a="$ld" -v b="$batch" 'BEGIN { if (a == "n/a" || b == "n/a" || b + 0 == 0) print "-";
		else printf "%.2fx\n", a / 1000 / b }')
	row "TUI" "fully loaded (header stops saying loading)" "$label" "$(fmt_ms "$ld")" \
		"$(fmt_kb "$kb")" "$r" "ratio vs hgtop --batch on $label; $pg loading % figures shown" \
		"$loaded_target"
}

# Keys on corpus c, in one browser session after loading: every step is
# one write to the pty; its figure is the keylog's handling + redraw time
# of its last key (and of the search it started). RUNS repeats each.
keys_steps() {
	printf '%s\n' 'g0=g'
	i=0; while [ "$i" -lt "$RUNS" ]; do printf '%s\n' 'j=j'; i=$((i + 1)); done
	i=0; while [ "$i" -lt "$RUNS" ]; do printf '%s\n' 'G=G' 'g=g'; i=$((i + 1)); done
	printf '%s\n' 'G0=G'
	i=0; while [ "$i" -lt "$RUNS" ]; do printf '%s\n' 'v=v'; i=$((i + 1)); done
	printf '%s\n' 'x0=x'
	i=0; while [ "$i" -lt "$RUNS" ]; do
		printf '%s\n' "f=f$FILTER_EXPR\\r" 'x=x'; i=$((i + 1)); done
	i=0; while [ "$i" -lt "$RUNS" ]; do
		printf '%s\n' "fs=f$SINCE_EXPR\\r" 'xs=x'; i=$((i + 1)); done
	printf '%s\n' "s=/$SEARCH_HIT\\r"
	i=0; while [ "$i" -lt "$RUNS" ]; do printf '%s\n' 'n=n'; i=$((i + 1)); done
	printf '%s\n' "s0=/$SEARCH_MISS\\r"
	i=0; while [ "$i" -lt "$RUNS" ]; do printf '%s\n' 'nscan=n'; i=$((i + 1)); done
}

FILTER_EXPR="tier:local verdict:escalate"
SINCE_EXPR="since:2h"
SEARCH_HIT=TestLedgerOverflow
SEARCH_MISS=zqxNoSuchTextqz

# key_row SECTION WHAT LABEL STEP FIELD TARGET [RATIO_BASE_S [NOTE]]
# (reads $KEYS_OUT, the output of one tui_probe keys run)
key_row() {
	st=$KEYS_OUT
	if [ -n "$KEYS_FAILED" ]; then
		row "$1" "$2" "$3" "n/a" "" "" "$KEYS_FAILED" "$6"
		return
	fi
	if grep "^STEP $4 " "$st" | grep -q ' na=1'; then
		row "$1" "$2" "$3" "n/a" "" "" "not available in this hgtop" "$6"
		return
	fi
	v=$(grep "^STEP $4 " "$st" | field "$5" | med_ms)
	n=$(grep -c "^STEP $4 " "$st")
	r="-"
	[ -n "${7:-}" ] && r=$(awk -v a="$v" -v b="$7" 'BEGIN { if (a == "n/a" || b == "n/a" || b + 0 == 0) print "-";
		else printf "%.2fx\n", a / 1000 / b }')
	# The note gives the other view: the keylog's own figure, or the
	# time from the write until the keylog had the key.
	if [ "$5" = wall_ms ]; then
		w="handling + redraw $(grep "^STEP $4 " "$st" | field key_ms | med_ms) ms"
	else
		w="write to keylog line $(fmt_ms "$(grep "^STEP $4 " "$st" | field wall_ms | med_ms)")"
	fi
	row "$1" "$2" "$3" "$(fmt_ms "$v")" "$KEYS_KB" "$r" "${8:+$8; }$n runs; $w" "$6"
}

bench_tui_keys() {	# LABEL PATH
	KEYS_FAILED=
	label=$1 path=$2
	args=$(${STEPS:-keys_steps} | awk '{ printf "-s\n%s\n", $0 }')
	# One argument a line: none of the steps holds a newline.
	old_ifs=$IFS
	IFS='
'
	# shellcheck disable=SC2086
	set -- $args
	IFS=$old_ifs
	KEYS_OUT=$WORK/keys$EARLY.out
	# shellcheck disable=SC2086
	"$BENCH_BIN/tui_probe" -x 120 -y 40 -t "$PROBE_TIMEOUT" keys $EARLY "$@" -- "$HGTOP" "$path" \
		>"$KEYS_OUT" 2>"$WORK/probe.err" || KEYS_FAILED="probe failed: $(probe_err)"
	KEYS_KB=$(fmt_kb "$(field peak_kb <"$KEYS_OUT" | tail -n 1)")
}

# Keys while c still loads (tui_probe keys -e): the time from the write
# until the program handled the key, waiting behind loading included.
loading_steps() {
	i=0; while [ "$i" -lt "$LOAD_RUNS" ]; do printf '%s\n' 'k=k'; i=$((i + 1)); done
	i=0; while [ "$i" -lt "$RUNS" ]; do printf '%s\n' 'v=v'; i=$((i + 1)); done
}

bench_keys_loading() {	# LABEL PATH
	STEPS=loading_steps EARLY=-e
	bench_tui_keys "$1" "$2"
	STEPS= EARLY=
	for k in k v; do
		n=$(grep "^STEP $k " "$KEYS_OUT" | grep -c ' loading=1')
		if [ "$k" = k ]; then
			what="cursor k while loading (write to handled)"
		else
			what="filter v while loading (write to handled)"
		fi
		p99=$(grep "^STEP $k " "$KEYS_OUT" | field wall_ms | p99_ms)
		key_row "TUI" "$what" "$1" $k wall_ms "$LOAD_KEY_TARGET" "" \
			"p99 $p99 ms; $n sent while the header said loading"
	done
}

# T opens the timeline (T again closes it: the per-session tree), once
# everything is loaded.
timeline_steps() {
	i=0; while [ "$i" -lt "$RUNS" ]; do printf '%s\n' 'T=T' 'T0=T'; i=$((i + 1)); done
}

bench_timeline() {	# LABEL PATH
	STEPS=timeline_steps
	bench_tui_keys "$1" "$2"
	STEPS=
	key_row "TUI" "timeline T (all sessions by time)" "$1" T key_ms "$TIMELINE_TARGET"
}

bench_keys_rows() {	# LABEL
	key_row "TUI" "cursor j (tree, one entry down)" "$1" j key_ms "$KEY_TARGET"
	key_row "TUI" "jump G (to the newest entry)" "$1" G key_ms "$KEY_TARGET"
	key_row "TUI" "jump g (to the oldest entry)" "$1" g key_ms "$KEY_TARGET"
	key_row "filter" "quick filter v (verdict cycle)" "$1" v key_ms "$FILTER_TARGET"
	key_row "filter" "f $FILTER_EXPR + Enter" "$1" f key_ms "$FILTER_TARGET"
	key_row "filter" "x (clear that filter)" "$1" x key_ms "$FILTER_TARGET"
	key_row "filter" "f $SINCE_EXPR + Enter" "$1" fs key_ms "$SINCE_TARGET"
}

bench_search_rows() {	# LABEL PATH
	key_row "search" "n: next \"$SEARCH_HIT\" (every field)" "$1" n search_ms "$SEARCH_TARGET" "" \
		"$(grep -c -F "$SEARCH_HIT" "$2") lines match"
	warm_cache "$2"
	# grep exits 1 when nothing matches: that is the point here.
	measure sh -c 'grep -c -F "$1" "$2"; [ $? -le 1 ]' grep "$SEARCH_MISS" "$2"
	grep_s=$MED_S
	row "search" "ceiling: grep -c -F (no match, whole file)" "$1" "$(fmt_s "$grep_s")" \
		"$(fmt_kb "$MED_KB")" "1.00x" "" "-"
	ents=$(grep '^STEP nscan ' "$WORK/keys.out" | field search_entries | tail -n 1)
	key_row "search" "n: no match, whole session scanned" "$1" nscan search_ms "-" "$grep_s" \
		"entries scanned ${ents:-?}"
}

# follow_row WHAT NAME RESULT_LINE [BASELINE_MEDIAN]
follow_row() {
	med=$(printf '%s\n' "$3" | sed -n 's/.*median_ms=\([^ ]*\).*/\1/p')
	p99=$(printf '%s\n' "$3" | sed -n 's/.*p99_ms=\([^ ]*\).*/\1/p')
	to=$(printf '%s\n' "$3" | sed -n 's/.*timeouts=\([^ ]*\).*/\1/p')
	idle=$(printf '%s\n' "$3" | sed -n 's/.*idle_ticks=\([^ ]*\).*/\1/p')
	r="1.00x"
	[ $# -ge 4 ] && r=$(ratio "$med" "$4")
	row "follow" "$1" "append" "p50 $med ms, p99 $p99 ms" "${5:-}" "$r" \
		"idle CPU $idle ticks/${IDLE_S}s; $to timeouts; $TRIALS trials" "${4:+$FOLLOW_TARGET}"
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
	f=$WORK/follow/hg-20260101-tui.jsonl
	head -n 1000 "$C" >"$f"
	if probe follow -f "$f" -n "$TRIALS" -i "$IDLE_S" -- "$HGTOP" "$f"; then
		res=$(grep '^RESULT' "$WORK/probe.out" | tail -n 1)
		follow_row "hgtop TUI (pty 120x40, token on screen)" hgtop "$res" "$tail_med" \
			"$(fmt_kb "$(printf '%s\n' "$res" | field peak_kb)")"
	else
		row "follow" "hgtop TUI (pty 120x40, token on screen)" "append" "n/a" "" "" \
			"probe failed: $(probe_err)" "$FOLLOW_TARGET"
	fi
}

# ---------------------------------------------------------------------------

only() { case " $ONLY " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

bench_first_screens() {
	if [ -n "$AM" ]; then
		note "TUI first screen a"
		warm_cache "$AM"
		bench_tui_first_screen a "$AM" "newest entry on screen" "zz-newest"
	else
		row "TUI" "first screen: newest entry on screen" a "n/a" "" "" "no marker copy of a" "$FS_TARGET"
	fi
	note "TUI first screen b"
	warm_cache "$B"
	bench_tui_first_screen b "$B" "session list on screen" "Sessions (" "hg-20"
	# c has no marker copy: its newest entry is the selected one, and the
	# detail pane shows its timestamp as written.
	ts=$(tail -n 1 "$C" | sed -n 's/^{"session_id":"[^"]*","timestamp":"\([^"]*\)".*/\1/p')
	note "TUI first screen c"
	warm_cache "$C"
	bench_tui_first_screen c "$C" "newest entry's detail on screen" "timestamp: $ts"
	# d: 1,000,000 entries of about 1.4 KB, the fully loaded browser's
	# peak RSS against its goal.
	ts=$(tail -n 1 "$D" | sed -n 's/^{"session_id":"[^"]*","timestamp":"\([^"]*\)".*/\1/p')
	note "TUI first screen d"
	warm_cache "$D"
	bench_tui_first_screen d "$D" "newest entry's detail on screen" "timestamp: $ts" "" \
		"peak RSS <= 100 MB"
}

print_table() {
	printf '\nhgtop benchmark  %s  %s\n' "$("$HGTOP" --version 2>/dev/null | head -n 1)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	printf 'machine: %s, %s CPUs, %s; load average %s at start, %s at end\n' \
		"$(uname -sr)" "$(nproc 2>/dev/null || echo '?')" \
		"$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)" \
		"$LOAD_START" "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
	printf 'scale %s, median of %s runs (page cache warm)\n' "$SCALE" "$RUNS"
	printf 'a = %s (%s)\nb = %s (%s sessions, %s)\nc = %s (%s)\nd = %s (%s)\n\n' \
		"$A" "$(corpus_desc "$CORPUS/large")" "$B" "$(ls "$B" | grep -c '\.jsonl$')" \
		"$(corpus_desc "$CORPUS/many")" "$C" "$(corpus_desc "$CORPUS/short")" \
		"$D" "$(corpus_desc "$CORPUS/mid")"
	awk -F'\t' 'function line() { printf "%s\n", "----------------------------------------------------------------------------------------------------------------------------------------------------------------" }
		BEGIN { printf "%-9s %-46s %-6s %-26s %-28s %-8s %-10s %s\n",
			"SECTION", "WHAT", "CORPUS", "MEDIAN", "TARGET", "RATIO", "PEAK RSS", "NOTE"; line() }
		{ printf "%-9s %-46s %-6s %-26s %-28s %-8s %-10s %s\n", $1, $2, $3, $4, $5, $7, $6, $8 }' "$ROWS"
	cat <<EOF

RATIO: full load vs the ceiling (time); TUI fully loaded vs hgtop --batch on the
same corpus; search scan vs grep -c -F over the same file; follow vs tail -n0 -F
(median latency). TUI rows: a pty of 120x40 driven by tui_probe; "first screen"
runs from spawn until the text is on the emulated screen; key figures are the
program's keylog (key handled + screen redrawn), searches its "search ms" (from
the key that started it until the match is selected). Follow: from the append
(one write) until the token is on screen / on stdout; idle CPU over ${IDLE_S} s
with no input (clock ticks of $(getconf CLK_TCK 2>/dev/null || echo 100) Hz).
EOF
}

main() {
	if [ "$RUNS" -lt 5 ]; then
		note "HGTOP_BENCH_RUNS=$RUNS: medians need at least 5 runs, using 5"
		RUNS=5
	fi
	for t in gen_corpus ceiling peakrss follow_latency tui_probe; do
		[ -x "$BENCH_BIN/$t" ] || { note "$BENCH_BIN/$t missing (make bench builds it)"; exit 1; }
	done
	have "$HGTOP" || [ -x "$HGTOP" ] || { note "no hgtop at $HGTOP"; exit 1; }
	LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
	: >"$ROWS"
	corpora
	AM=
	only tui && marker_corpus
	if only load; then
		note "full load a"; bench_full_load a "$A"
		note "full load b"; bench_full_load b "$B"
		note "full load c"; bench_full_load c "$C"
		note "full load d"; bench_full_load d "$D"
	fi
	if only stats && ! only load; then
		note "--stats c"; bench_stats c "$C"
		note "--stats d"; bench_stats d "$D"
	fi
	only tui && bench_first_screens
	if only keys; then
		note "TUI keys, filters and searches on c"
		warm_cache "$C"
		bench_tui_keys c "$C"
		bench_keys_rows c
		bench_search_rows c "$C"
		bench_keys_loading c "$C"
	fi
	if only timeline; then
		note "TUI timeline on b and c"
		warm_cache "$B"
		bench_timeline b "$B"
		warm_cache "$C"
		bench_timeline c "$C"
	fi
	if only follow; then
		note "follow latency ($TRIALS trials + ${IDLE_S}s idle per follower)"
		bench_follow
	fi
	print_table
}

main "$@"
