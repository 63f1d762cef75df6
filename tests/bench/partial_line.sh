#!/bin/sh
# partial_line.sh - CPU hgtop spends on one line that arrives in 64 KiB
# pieces every 2 ms, with no newline until the end, on
# stdin and in a followed directory: 16, 32 and 64 MiB, and the ratio of
# each figure to the one before. Linear work doubles with the size (ratio
# about 2); the old rescan of the whole partial line grew about 4-5x.
#
#   make bench-partial
#   HGTOP=./hgtop BENCH_BIN=tests/bench sh tests/bench/partial_line.sh
#
# A benchmark, not a test: it prints figures and fails only if a run fails.
set -u

HGTOP=${HGTOP:-hgtop}
BENCH_BIN=${BENCH_BIN:-$(dirname "$0")}
SIZES=${HGTOP_BENCH_PARTIAL_MB:-16 32 64}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hgtop-partial.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

printf '%-8s %8s %12s %8s\n' "input" "MiB" "CPU seconds" "ratio"
for mode in stdin dir; do
	prev=
	for mb in $SIZES; do
		if [ "$mode" = dir ]; then
			rm -rf "$WORK/d" && mkdir "$WORK/d"
			target=$WORK/d
		else
			target=stdin
		fi
		res=$("$BENCH_BIN/trickle" "$HGTOP" "$mb" "$target") || exit 1
		cpu=${res#* }
		ratio=$(awk -v a="$cpu" -v b="${prev:-0}" 'BEGIN {
			if (b > 0) printf "%.2f", a / b; else print "-" }')
		printf '%-8s %8s %12s %8s\n' "$mode" "$mb" "$cpu" "$ratio"
		prev=$cpu
	done
done
