#!/bin/sh
# soak.sh - hgtop --batch --follow --json on a directory under load, for
# SOAK_MINUTES minutes. Not part of `make check`: `make soak`
# (SOAK_MINUTES=10 by default; `make soak SOAK_MINUTES=2` for a short run).
#
#   HGTOP=./hgtop SOAK_MINUTES=2 sh tests/soak.sh
#   (SOAK_SECONDS, when set, overrides the minutes: a quick check of the script)
#
# Three writers append entries with a unique id in "message":
#   w1, w2  to their own session, a new file every 40 s;
#   w3      to r.jsonl, which every 30 s is truncated and rewritten (five
#           new entries at once) after a 2 s pause;
# 2 % of lines carry 100 KB - 2 MB of padding, 20 % are split over two
# writes 10-50 ms apart. At the end it prints lines written and seen, lost
# (written, never printed), duplicated (printed more than once), torn (an
# output line that is no entry of ours, plus the lines --stats counts as
# unparsable in the directory), the RSS of hgtop sampled every 10 s, and
# its CPU ticks over a quiet 10 s after the writers stop. Exit status 1
# when anything was lost, duplicated or torn.
set -u

HGTOP=${HGTOP:-hgtop}
MINUTES=${SOAK_MINUTES:-10}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hgtop-soak.XXXXXX") || exit 1
D=$WORK/sessions
mkdir "$D"
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s; }
END=$(( $(now) + ${SOAK_SECONDS:-$(( MINUTES * 60 ))} ))

"$HGTOP" --batch --follow --json --no-config "$D" >"$WORK/out" 2>"$WORK/err" &
HG=$!
pids="$HG"
sleep 1

# entry ID [PAD]: one line (without the newline)
entry() {
	printf '{"session_id":"%s","timestamp":"2026-11-24T10:00:00Z","skill":"soak","final_status":"ok","message":"%s","input":"%s"}' \
		"${1%%-*}" "$1" "${2:-}"
}

# put FILE LINE SPLIT: append LINE and a newline, in two writes when SPLIT
put() {
	if [ "$3" = 1 ]; then
		half=$(( ${#2} / 2 ))
		first=$(printf '%s' "$2" | head -c "$half")
		rest=$(printf '%s' "$2" | tail -c +"$(( half + 1 ))")
		printf '%s' "$first" >>"$1"
		sleep 0.0$(( 1 + $(od -An -N1 -tu1 /dev/urandom) % 5 ))
		printf '%s\n' "$rest" >>"$1"
	else
		printf '%s\n' "$2" >>"$1"
	fi
}

# writer W: the plan (pad size, split, pause) comes from awk's rand().
writer() {
	w=$1 seq=0 gen=0 last_new=$(now) last_trunc=$(now)
	f=$D/w$w-$gen.jsonl
	[ "$w" = 3 ] && f=$D/r.jsonl
	awk -v seed="$w$$" 'BEGIN {
		srand(seed)
		for (;;) {
			big = rand() < 0.02 ? int(100000 + rand() * 1900000) : 0
			halves = rand() < 0.20 ? 1 : 0
			printf "%d %d 0.%02d\n", big, halves, 5 + int(rand() * 20)
		}
	}' | while read -r big split pause; do
		t=$(now)
		[ "$t" -ge "$END" ] && break
		if [ "$w" = 3 ] && [ $(( t - last_trunc )) -ge 30 ]; then
			sleep 2		# everything written so far is printed by now
			: >"$f"
			i=0
			while [ $i -lt 5 ]; do
				seq=$(( seq + 1 ))
				entry "w$w-$seq"
				echo
				i=$(( i + 1 ))
			done >>"$f"
			i=0
			while [ $i -lt 5 ]; do echo "w$w-$(( seq - 4 + i ))"; i=$(( i + 1 )); done >>"$WORK/written"
			last_trunc=$(now)
		fi
		if [ "$w" != 3 ] && [ $(( t - last_new )) -ge 40 ]; then
			gen=$(( gen + 1 ))
			f=$D/w$w-$gen.jsonl
			last_new=$t
		fi
		seq=$(( seq + 1 ))
		pad=
		[ "$big" -gt 0 ] && pad=$(head -c "$big" /dev/zero | tr '\0' x)
		put "$f" "$(entry "w$w-$seq" "$pad")" "$split"
		echo "w$w-$seq" >>"$WORK/written.$w"
		sleep "$pause"
	done
}

: >"$WORK/written"
for w in 1 2 3; do
	writer "$w" &
	pids="$pids $!"
done

# RSS of hgtop every 10 s while the writers run.
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$HG/status" 2>/dev/null; }
: >"$WORK/rss"
start=$(now)
while [ "$(now)" -lt "$END" ]; do
	printf '%s %s\n' "$(( $(now) - start ))" "$(rss)" >>"$WORK/rss"
	sleep 10
done
wait_writers() { for p in $pids; do [ "$p" = "$HG" ] || wait "$p" 2>/dev/null; done; }
wait_writers
sleep 3		# the last lines reach the output

ticks() { awk '{ print $14 + $15 }' "/proc/$HG/stat"; }
t0=$(ticks)
sleep 10
t1=$(ticks)
kill "$HG" 2>/dev/null
wait "$HG" 2>/dev/null
pids=

cat "$WORK"/written.* >>"$WORK/written"
"$HGTOP" --stats --json --no-config "$D" >"$WORK/stats" 2>/dev/null
unparsable=$(awk -F: '/"unparsable_lines":/ { gsub(/[^0-9]/, "", $2); print $2; exit }' "$WORK/stats")

awk -v unparsable="${unparsable:-0}" -v secs="${SOAK_SECONDS:-$(( MINUTES * 60 ))}" '
	FILENAME ~ /written$/ { written[$1] = 1; nw++; next }
	{
		if (match($0, /"message":"w[0-9]+-[0-9]+"/) && substr($0, 1, 1) == "{" &&
		    substr($0, length($0), 1) == "}") {
			id = substr($0, RSTART + 11, RLENGTH - 12)
			if (seen[id]++) dup++
			ns++
		} else
			torn++
	}
	END {
		for (id in written) if (!(id in seen)) lost++
		printf "soak: %d s (%.1f minutes), 3 writers\n", secs, secs / 60
		printf "lines written     %d\n", nw
		printf "lines seen        %d\n", ns
		printf "lost              %d\n", lost
		printf "duplicated        %d\n", dup
		printf "torn              %d (output) + %d (unparsable in the files)\n", torn, unparsable
		exit (lost || dup || torn || unparsable) ? 1 : 0
	}' "$WORK/written" "$WORK/out"
rc=$?
printf 'RSS (KB) at s:    %s\n' "$(awk '{ printf "%s%s=%s", (NR > 1 ? " " : ""), $1, $2 }' "$WORK/rss")"
printf 'idle ticks        %d over 10 s\n' "$(( t1 - t0 ))"
if [ -s "$WORK/err" ]; then
	echo "stderr of hgtop:"
	head -5 "$WORK/err"
fi
exit $rc
