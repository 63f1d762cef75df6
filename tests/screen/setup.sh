# setup.sh - a sessions directory with fixed activity times (sourced).
SESS="$WORK/sessions"
mkdir -p "$SESS"
cp "$top_srcdir/tests/fixtures/screen/"*.jsonl "$SESS/"
touch -d '2026-11-24 10:00:00' "$SESS/alpha.jsonl"
touch -d '2026-11-24 09:00:00' "$SESS/beta.jsonl"
touch -d '2026-11-24 08:00:00' "$SESS/cjk.jsonl"
touch -d '2026-11-24 07:00:00' "$SESS/bad.jsonl"
