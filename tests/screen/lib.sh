# lib.sh - drive hgtop inside a private tmux server and read its screen.
# Sourced by tests/screen/*.test after tests/lib.sh.
. "$top_srcdir/tests/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "tmux is not installed: skipping"
	exit 77
fi

SOCK="hgtop-test-$$"
trap 'tmux -L "$SOCK" kill-server >/dev/null 2>&1; rm -rf "$WORK"' EXIT
export HOME="$WORK"
# The default state directory, $WORK/.local/state/hgtop, unless a test
# sets XDG_STATE_HOME (start passes it on).
unset XDG_STATE_HOME

tm() {
	tmux -L "$SOCK" -f /dev/null "$@"
}

# start W H ARGS...: run hgtop ARGS in a W x H pane. When it exits, the
# pane shows "[hgtop exited N]", the status is in $WORK/exit and the
# terminal's modes as hgtop left them (stty -a) in $WORK/stty.
# With STDIN_CMD set, its output is piped into hgtop; with START_PREFIX
# set, that shell command runs first (ulimit -f 8, say).
start() {
	w=$1 h=$2
	shift 2
	rm -f "$WORK/exit" "$WORK/stty"
	{
		printf 'TERM=tmux-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC HOME=%s; export TERM LANG LC_ALL TZ HOME\n' "'$WORK'"
		printf 'unset NO_COLOR HGTOP_SESSIONS_DIR HGTOP_NOW XDG_CONFIG_HOME XDG_STATE_HOME\n'
		# Ctrl-C and Ctrl-\ reach the whole foreground group: this shell
		# outlives them to report hgtop's status (as an interactive shell
		# would: hgtop runs with the default actions, a trap is not inherited).
		printf 'trap : INT QUIT\n'
		[ -n "${XDG_STATE_HOME:-}" ] &&
			printf "XDG_STATE_HOME='%s'; export XDG_STATE_HOME\n" "$XDG_STATE_HOME"
		# HGTOP_NOW: a fixed wall clock (set by tests that compare ages).
		[ -n "${HGTOP_NOW:-}" ] && printf "HGTOP_NOW='%s'; export HGTOP_NOW\n" "$HGTOP_NOW"
		[ -n "${START_PREFIX:-}" ] && printf '%s\n' "$START_PREFIX"
		# STDIN_CMD: a shell command whose output is piped into hgtop.
		[ -n "${STDIN_CMD:-}" ] && printf '%s | ' "$STDIN_CMD"
		printf "'%s'" "$HGTOP"
		for a in "$@"; do
			printf " '%s'" "$a"
		done
		printf '\nst=$?; stty -a > %s/stty 2>&1; echo $st > %s/exit; printf "\\n[hgtop exited %%s]\\n" $st; exec sleep 600\n' "'$WORK'" "'$WORK'"
	} > "$WORK/run.sh"
	# A session that outlives the test's own keeps the server up while
	# "t" is replaced (killing the last session stops the server, and a
	# new-session racing that shutdown fails).
	tm has-session -t keep >/dev/null 2>&1 ||
		tm new-session -d -s keep "exec sleep 3600"
	tm kill-session -t =t >/dev/null 2>&1
	tm new-session -d -s t -x "$w" -y "$h" "sh '$WORK/run.sh'"
}

# The pane is named "=t:", session t exactly: a bare "t" may be taken for
# the start of a window's name in another session.
screen() {
	tm capture-pane -p -t =t:
}

keys() {
	tm send-keys -t =t: "$@"
}

# wait_for TEXT [SECONDS]: poll the screen until TEXT shows (default 10 s).
wait_for() {
	i=0 n=$(( ${2:-10} * 20 ))
	while [ $i -lt $n ]; do
		case "$(screen)" in
		*"$1"*) return 0 ;;
		esac
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# wait_gone TEXT [SECONDS]: poll until TEXT is no longer on the screen.
wait_gone() {
	i=0 n=$(( ${2:-10} * 20 ))
	while [ $i -lt $n ]; do
		case "$(screen)" in
		*"$1"*) ;;
		*) return 0 ;;
		esac
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# wait_until CMD [ARGS...]: poll (10 s at most) until CMD succeeds.
# (Helpers that other helpers call keep to their own variable names.)
wait_until() {
	_wu_i=0
	while [ $_wu_i -lt 200 ]; do
		"$@" && return 0
		sleep 0.05
		_wu_i=$((_wu_i + 1))
	done
	return 1
}

# settled: the screen once two captures 0.1 s apart agree (a frame that
# tmux is still receiving, or a redraw under way, is not read half-done;
# after 3 s of changes, the last capture).
settled() {
	_st_a=$(screen) _st_i=0
	while [ $_st_i -lt 30 ]; do
		sleep 0.1
		_st_b=$(screen)
		[ "$_st_a" = "$_st_b" ] && break
		_st_a=$_st_b _st_i=$((_st_i + 1))
	done
	printf '%s\n' "$_st_a"
}

# columns: the widest line of stdin in display columns (wide characters
# count two; "wc -L" measures in the UTF-8 locale).
columns() {
	LC_ALL=C.UTF-8 wc -L | tr -d ' '
}

# line_has N TEXT: line N of the screen contains TEXT.
line_has() {
	case "$(line "$1")" in
	*"$2"*) return 0 ;;
	esac
	return 1
}

# expect_line NAME N TEXT: line N shows TEXT (waiting for it).
expect_line() {
	if wait_until line_has "$2" "$3"; then
		pass "$1"
	else
		fail "$1: '$3' not on line $2:"
		screen >&2
	fi
}

# expect_screen NAME TEXT [SECONDS]: the screen shows TEXT (waiting for it,
# 10 s unless SECONDS is given).
expect_screen() {
	if wait_for "$2" "${3:-10}"; then
		pass "$1"
	else
		fail "$1: '$2' not on the screen:"
		screen >&2
	fi
}

# expect_no_screen NAME TEXT: TEXT is (or goes) away from the screen.
expect_no_screen() {
	if wait_gone "$2"; then
		pass "$1"
	else
		fail "$1: '$2' still on the screen:"
		screen >&2
	fi
}

# line N: line N (1-based) of the settled screen.
line() {
	settled | sed -n "${1}p"
}

# tty_sane NAME: after hgtop exited, the terminal is back in its usual
# modes (line editing and echo on).
tty_sane() {
	wait_until test -s "$WORK/exit" || true
	_ts=$(cat "$WORK/stty" 2>/dev/null)
	case " $(printf '%s' "$_ts" | tr '\n;' '  ') " in
	*" -icanon "* | *" -echo "* | "  ")
		fail "$1: terminal left in raw modes:"
		printf '%s\n' "$_ts" >&2 ;;
	*" icanon "*" echo "* | *" echo "*" icanon "*) pass "$1" ;;
	*) fail "$1: no icanon/echo in:"; printf '%s\n' "$_ts" >&2 ;;
	esac
}

# quit: press q and wait for hgtop's exit status.
quit() {
	keys q
	# Saving state at exit syncs files: up to a minute on a busy machine.
	wait_for "[hgtop exited" 60 || true
	cat "$WORK/exit" 2>/dev/null
}
