#!/usr/bin/env bash
# 030_openapi.sh — docs/api/openapi.yaml is a valid OpenAPI 3.1 document
# (@redocly/cli lint, pinned in tools/api-lint/package-lock.json, installed
# with `npm ci` on first use) and lists exactly the routes of the server's
# table (`salesplan serve --print-routes`), so the two cannot drift.
# Skips (exit 0, saying so) only when node is not installed.
set -euo pipefail

: "${SALESPLAN:?SALESPLAN must name the salesplan binary}"
src=${SP_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
spec="$src/docs/api/openapi.yaml"
lint="$src/tools/api-lint"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

[ -f "$spec" ] || fail "no $spec"

# ---- the same (method, path) pairs as the route table -------------------------------
"$SALESPLAN" serve --print-routes | awk '{ print $1, $2 }' | sort >"$tmp/routes"
[ -s "$tmp/routes" ] || fail "serve --print-routes printed nothing"
awk '
	/^paths:/ { inpaths = 1; next }
	/^[^ ]/ { inpaths = 0 }
	inpaths && /^  \/[^ ]*:[ ]*$/ { path = $1; sub(/:$/, "", path); next }
	inpaths && /^    (get|put|post|patch|delete|head|options):/ {
		m = $1; sub(/:.*$/, "", m); print toupper(m), path
	}
' "$spec" | sort >"$tmp/spec"
if ! diff -u "$tmp/routes" "$tmp/spec" >"$tmp/diff"; then
	cat "$tmp/diff" >&2
	fail "openapi.yaml and the route table differ (- table, + openapi.yaml)"
fi
echo "ok - openapi.yaml lists the $(wc -l <"$tmp/routes") routes of the table"

# every route states its rule: public or a role set
"$SALESPLAN" serve --print-routes | awk 'NF != 3 || $3 == "" { exit 1 }' ||
	fail "a route without an auth rule"
echo "ok - every route has an auth rule"

# ---- lint -------------------------------------------------------------------------------
if ! command -v node >/dev/null 2>&1; then
	echo "ok - SKIP redocly lint: node is not installed (scripts/install-deps web)"
	exit 0
fi
if [ ! -x "$lint/node_modules/.bin/redocly" ]; then
	npm ci --prefix "$lint" --no-audit --no-fund >"$tmp/npm.log" 2>&1 ||
		{ cat "$tmp/npm.log" >&2; fail "npm ci --prefix tools/api-lint"; }
fi
if ! (cd "$lint" && ./node_modules/.bin/redocly lint --config redocly.yaml "$spec") \
	>"$tmp/lint.log" 2>&1; then
	cat "$tmp/lint.log" >&2
	fail "redocly lint found errors"
fi
if grep -Eq '[0-9]+ warnings?' "$tmp/lint.log" || ! grep -q 'is valid' "$tmp/lint.log"; then
	cat "$tmp/lint.log" >&2
	fail "redocly lint found warnings"
fi
echo "ok - redocly lint: valid, no warnings"
echo "all OpenAPI checks passed"
