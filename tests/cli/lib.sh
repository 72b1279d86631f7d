# lib.sh — shared helpers for the CLI end-to-end scripts (tests/cli/NNN_*.sh).
#
# Sourced by every script. Expects $SALESPLAN (the binary) and $SP_TEST_DATA
# (absolute path of tests/data), as CTest sets them. Creates a scratch
# directory $T, removed on exit, and makes it the working directory so that a
# default ./salesplan.db never lands in the source tree. $SALESPLAN_DB is
# cleared so the caller's environment cannot leak into a test.
#
# Helpers:
#   sp ARGS...            run the binary
#   fail MSG              report a failure and exit 1
#   check_eq GOT WANT MSG fail unless GOT == WANT
#   check_contains HAY NEEDLE MSG   fail unless NEEDLE is a substring of HAY
#   expect_ok CMD...      run CMD; fail (showing its stderr) unless exit 0;
#                         its stdout is in $OUT
#   expect_fail [--rc N] CMD...
#                         run CMD; fail unless it exits non-zero (exactly N
#                         with --rc) and writes exactly one line on stderr;
#                         that line is in $ERR, stdout in $OUT
#   py ARGS... <<'EOF'    run a Python 3 oracle (stdlib only) from stdin
#   dump_db DB            stable text dump of a database's plans, targets and
#                         actuals seen through the CLI (for before/after checks)

set -euo pipefail

: "${SALESPLAN:?SALESPLAN must name the salesplan binary}"
: "${SP_TEST_DATA:?SP_TEST_DATA must name tests/data}"
unset SALESPLAN_DB

T=$(mktemp -d "${TMPDIR:-/tmp}/sp-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T"

SP_TEST_NAME=$(basename "$0" .sh)

sp() { "$SALESPLAN" "$@"; }

fail() {
	echo "FAIL [$SP_TEST_NAME]: $*" >&2
	exit 1
}

check_eq() {
	[[ "$1" == "$2" ]] || fail "$3: expected [$2], got [$1]"
}

check_contains() {
	[[ "$1" == *"$2"* ]] || fail "$3: [$2] not found in [$1]"
}

OUT=
ERR=
expect_ok() {
	local rc=0
	"$@" >"$T/.out" 2>"$T/.err" || rc=$?
	OUT=$(cat "$T/.out")
	ERR=$(cat "$T/.err")
	[[ $rc -eq 0 ]] || fail "expected success from: $* (exit $rc, stderr: $ERR)"
}

expect_fail() {
	local want=
	if [[ "$1" == --rc ]]; then
		want=$2
		shift 2
	fi
	local rc=0
	"$@" >"$T/.out" 2>"$T/.err" || rc=$?
	OUT=$(cat "$T/.out")
	ERR=$(cat "$T/.err")
	[[ $rc -ne 0 ]] || fail "expected failure from: $* (it succeeded; stdout: $OUT)"
	[[ $rc -lt 128 ]] || fail "crashed (exit $rc) on: $* (stderr: $ERR)"
	if [[ -n "$want" ]]; then
		[[ $rc -eq $want ]] || fail "expected exit $want from: $* (got $rc, stderr: $ERR)"
	fi
	local n
	n=$(awk 'END { print NR }' "$T/.err") # counts a last line without newline too
	[[ $n -eq 1 ]] || fail "expected exactly one stderr line from: $* (got $n: $ERR)"
	[[ -n "${ERR// /}" ]] || fail "empty error message from: $*"
}

py() { python3 - "$@"; }

dump_db() {
	local db=$1 p
	sp --db "$db" plan list --format csv
	for p in $(sp --db "$db" plan list --format csv | tail -n +2 | cut -d, -f1); do
		echo "== $p"
		sp --db "$db" target list --plan "$p" --format csv
		sp --db "$db" track --plan "$p" --as-of 2099-12-31 --format csv
	done
}
