#!/usr/bin/env bash
# 010_browser.sh — the web app in Chromium: a demo database served on a free
# loopback port, driven by browser.mjs (playwright-core, Debian's
# /usr/bin/chromium, never a downloaded browser). Screenshots go to
# $SP_ARTIFACTS (default: e2e-artifacts in the current directory).
# Exits 77 (skipped) when chromium, node or playwright-core is missing or
# the binary was built without the web app. Kills only the server it started.
set -euo pipefail

: "${SALESPLAN:?SALESPLAN must name the salesplan binary}"
here=$(cd "$(dirname "$0")" && pwd)
artifacts=${SP_ARTIFACTS:-$PWD/e2e-artifacts}
chromium=${CHROMIUM:-/usr/bin/chromium}
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CHROMIUM=$chromium
tmp=$(mktemp -d)
pid=

cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

skip() {
	echo "SKIP: $*"
	exit 77
}
fail() {
	echo "FAIL: $*" >&2
	if [ -s "$tmp/err" ]; then
		echo "--- server log (tail):" >&2
		tail -n 30 "$tmp/err" >&2
	fi
	exit 1
}

[ -x "$chromium" ] || skip "no Chromium at $chromium (scripts/install-deps web)"
command -v node >/dev/null || skip "no node (scripts/install-deps web)"
if [ ! -d "$here/node_modules/playwright-core" ]; then
	command -v npm >/dev/null || skip "no npm to install playwright-core"
	(cd "$here" && npm ci --no-audit --no-fund >/dev/null 2>&1) ||
		skip "cannot install playwright-core (cd tests/e2e && npm ci)"
fi

db="$tmp/demo.db"
"$SALESPLAN" --db "$db" demo --today 2026-11-23 >/dev/null || fail "salesplan demo"
# One opportunity of R001 stuck at lead since September: the rep gets an
# alert to acknowledge. The import evaluates the rules at the machine's
# date; evaluating them again at the fixture's date makes the alerts the
# same on any day.
printf 'opportunity,date,stage,amount,org,customer\nOPP-E2E-1,2026-09-01,lead,50000.00,R001,C0001\n' >"$tmp/opp.csv"
"$SALESPLAN" --db "$db" import opportunities "$tmp/opp.csv" >/dev/null || fail "import opportunities"
"$SALESPLAN" --db "$db" alerts --as-of 2026-11-23 >/dev/null || fail "salesplan alerts"
# The figures the analysis pages must show, straight from the tables.
command -v python3 >/dev/null || skip "no python3 for the oracle"
python3 "$here/oracle.py" "$db" 2026-11-23 >"$tmp/oracle.json" || fail "oracle.py"
export SP_E2E_ORACLE="$tmp/oracle.json"
# the management board that votes on major changes (browser.mjs, section 6)
"$SALESPLAN" --db "$db" plan config change.board director,admin,finance >/dev/null ||
	fail "salesplan plan config change.board"
"$SALESPLAN" --db "$db" serve --listen 127.0.0.1:0 >"$tmp/out" 2>"$tmp/err" &
pid=$!
base=
for _ in $(seq 1 100); do
	base=$(sed -n 's|^salesplan: serving .* at \(http://127\.0\.0\.1:[0-9]*\)/$|\1|p' "$tmp/out")
	[ -n "$base" ] && break
	kill -0 "$pid" 2>/dev/null || fail "server exited"
	sleep 0.1
done
[ -n "$base" ] || fail "server did not print its URL"

curl -s --max-time 10 "$base/" >"$tmp/index.html" || fail "GET /"
grep -q 'type="module"' "$tmp/index.html" ||
	skip "the binary embeds the plain page, not the web app (build web/ first: make build)"

rm -rf "$artifacts"
mkdir -p "$artifacts"
start=$(date +%s)
status=0
node "$here/browser.mjs" "$base" "$artifacts" || status=$?
echo "# browser tests took $(($(date +%s) - start)) s; screenshots in $artifacts"
[ "$status" -eq 0 ] || fail "browser checks failed"
kill -0 "$pid" 2>/dev/null || fail "the server died during the browser tests"
# a clean stop (under ASan this also reports leaks and memory errors)
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
pid=
[ "$rc" -eq 0 ] || fail "the server exited with $rc on SIGTERM"
echo "ok - the server stopped cleanly"
