# lib.sh - shared helpers for hgtop's shell tests (sourced).
set -u
: "${HGTOP:?HGTOP must name the hgtop binary}"
: "${top_srcdir:?}"
FIX="$top_srcdir/tests/fixtures"
export TZ=UTC LC_ALL=C.UTF-8 LANG=C.UTF-8 HOME="${TMPDIR:-/tmp}"
unset NO_COLOR HGTOP_SESSIONS_DIR HGTOP_NOW XDG_CONFIG_HOME

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hgtop-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# What hgtop remembers between runs stays in the test's directory.
export XDG_STATE_HOME="$WORK/state"

fails=0
fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}
pass() {
	echo "ok: $*"
}
# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1"
		printf -- '--- expected\n%s\n--- actual\n%s\n' "$2" "$3" >&2
	fi
}
# expect_contains NAME NEEDLE HAYSTACK
expect_contains() {
	case "$3" in
	*"$2"*) pass "$1" ;;
	*) fail "$1: '$2' not found in:"; printf '%s\n' "$3" >&2 ;;
	esac
}
finish() {
	if [ "$fails" -gt 0 ]; then
		echo "$fails check(s) failed" >&2
		exit 1
	fi
	exit 0
}
