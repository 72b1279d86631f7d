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

# check_tree DB PLAN ROOT CHILD_ORG...
#   Check from `target list --format csv` that every parent is the exact sum
#   of its children: for each cell, each set of finer time cells (same org and
#   dimensions) that tiles its period exactly, the cells of all of ROOT's
#   children CHILD_ORG... (same period and dimensions) for a ROOT cell, and
#   the cells of each dimension's members (same org and period). Periods are
#   those of a calendar fiscal year. Fails naming the first broken parent.
#   With --root-time-only first, time splits are checked for ROOT's cells
#   only (not e.g. a region's year against the same region's months, which
#   come from two different splits).
check_tree() {
	local root_time_only=0
	if [[ "$1" == --root-time-only ]]; then
		root_time_only=1
		shift
	fi
	local db=$1 plan=$2
	shift 2
	sp --db "$db" target list --plan "$plan" --format csv >"$T/.tree.csv"
	py "$T/.tree.csv" "$root_time_only" "$@" <<'EOF' || fail "plan $plan: a parent is not the sum of its children"
import csv, datetime as dt, re, sys
from collections import defaultdict
from decimal import Decimal
path, root_time_only, root, kids = sys.argv[1], sys.argv[2] == "1", sys.argv[3], set(sys.argv[4:])
D = dt.date
def month_end(y, m):
    return (D(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))
def span(p):
    """(grain, first day, last day) of a period text"""
    if ".." in p:
        a, b = p.split("..")
        return "week", D.fromisoformat(a), D.fromisoformat(b)
    if m := re.fullmatch(r"(\d{4})", p):
        y = int(m[1]); return "year", D(y, 1, 1), D(y, 12, 31)
    if m := re.fullmatch(r"(\d{4})-H([12])", p):
        y, h = int(m[1]), int(m[2]); return "half", D(y, 6 * h - 5, 1), month_end(y, 6 * h)
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", p):
        y, q = int(m[1]), int(m[2]); return "quarter", D(y, 3 * q - 2, 1), month_end(y, 3 * q)
    if m := re.fullmatch(r"(\d{4})-(\d\d)", p):
        y, mo = int(m[1]), int(m[2]); return "month", D(y, mo, 1), month_end(y, mo)
    if m := re.fullmatch(r"(\d{4})-(\d\d)-D([123])", p):
        y, mo, k = int(m[1]), int(m[2]), int(m[3])
        return "dekad", D(y, mo, 10 * k - 9), (D(y, mo, 10 * k) if k < 3 else month_end(y, mo))
    if m := re.fullmatch(r"(\d{4})-W(\d\d)", p):
        a = D.fromisocalendar(int(m[1]), int(m[2]), 1); return "week", a, a + dt.timedelta(days=6)
    if re.fullmatch(r"\d{4}-\d\d-\d\d", p):
        d = D.fromisoformat(p); return "day", d, d
    raise SystemExit(f"unknown period text {p!r}")
DIMS = ("product_line", "product", "channel", "segment")
cells = {}
for r in csv.DictReader(open(path, encoding="utf-8")):
    key = (r["metric"], r["org"], r["period"]) + tuple(r[d] for d in DIMS)
    assert key not in cells, f"duplicate cell {key}"
    cells[key] = (span(r["period"]), Decimal(r["value"]))
bad, checked = [], 0
for key, ((g, a, b), v) in cells.items():
    metric, org, period, dims = key[0], key[1], key[2], key[3:]
    groups = defaultdict(list)
    for k2, ((g2, a2, b2), v2) in cells.items():
        if k2[0] != metric:
            continue
        if k2[1] == org and k2[3:] == dims and a <= a2 and b2 <= b and (a2, b2) != (a, b):
            groups[("time", g2)].append((a2, b2, v2))
        if org == root and k2[1] in kids and k2[2] == period and k2[3:] == dims:
            groups[("org",)].append((k2[1], None, v2))
        if k2[1] == org and k2[2] == period and not any(dims):
            set_ = [i for i, x in enumerate(k2[3:]) if x]
            if len(set_) == 1:
                groups[("dim", set_[0])].append((k2[3 + set_[0]], None, v2))
    for gk, parts in groups.items():
        if gk[0] == "time":
            if root_time_only and org != root:
                continue
            days = sum((b2 - a2).days + 1 for a2, b2, _ in parts)
            if days != (b - a).days + 1:
                continue  # not a split of this cell (does not tile it)
        if gk[0] == "org" and {p[0] for p in parts} != kids:
            continue
        checked += 1
        s = sum(p[2] for p in parts)
        if s != v:
            bad.append(f"{key} = {v} but its {gk} parts sum to {s}")
if bad:
    sys.exit("\n".join(bad[:10]))
if checked == 0 and len(cells) > 1:
    sys.exit("check_tree found no split to check")
EOF
}
