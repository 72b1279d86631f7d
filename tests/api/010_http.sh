#!/usr/bin/env bash
# 010_http.sh — the HTTP door end to end: a demo database served on a free
# loopback port, checked with curl and python3's json module: health,
# a login as the demo admin (anonymous API calls are 401), plans, tracking
# equal to `salesplan track --format json`, errors as JSON
# (400/404/405/413), percent-encoded Chinese plan names, no path traversal,
# security headers, the embedded page, and a clean exit 0 on SIGTERM.
# Needs SALESPLAN (the built binary); kills only the server it started.
set -euo pipefail

: "${SALESPLAN:?SALESPLAN must name the salesplan binary}"
tmp=$(mktemp -d)
pid=
pid6=

cleanup() {
	for p in $pid $pid6; do
		if kill -0 "$p" 2>/dev/null; then
			kill "$p" 2>/dev/null || true
			wait "$p" 2>/dev/null || true
		fi
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	if [ -s "$tmp/body" ]; then
		echo "--- last body:" >&2
		head -c 2000 "$tmp/body" >&2
		echo >&2
	fi
	if [ -s "$tmp/err" ]; then
		echo "--- server log (tail):" >&2
		tail -n 20 "$tmp/err" >&2
	fi
	exit 1
}
pass() { echo "ok - $*"; }

# req METHOD PATH [curl args...]: body to $tmp/body, headers to $tmp/hdr,
# prints the status ("000" if the connection failed).
req() {
	local method=$1 path=$2
	shift 2
	: >"$tmp/body"
	: >"$tmp/hdr"
	curl -s --max-time 30 -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' \
		-b "$tmp/cookies" -X "$method" "$@" "$base$path" || true
}

# jtrue EXPR: EXPR (python, with d = the parsed body) must be true.
jtrue() {
	python3 - "$tmp/body" "$1" <<'EOF' || fail "JSON check failed: $1"
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    d = json.load(f)
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
}

# header NAME: value of a response header in $tmp/hdr (case-insensitive).
header() {
	tr -d '\r' <"$tmp/hdr" | awk -v n="$(echo "$1" | tr 'A-Z' 'a-z')" -F': ' \
		'!found && tolower($1) == n { sub(/^[^:]*: /, ""); print; found = 1 }'
}

urlenc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

expect_status() {
	local got=$1 want=$2 what=$3
	[ "$got" = "$want" ] || fail "$what: status $got, want $want"
}

# ---- start ------------------------------------------------------------------
db="$tmp/demo.db"
"$SALESPLAN" --db "$db" demo >/dev/null || fail "salesplan demo"

# a bad listen address is a usage error
set +e
"$SALESPLAN" --db "$db" serve --listen localhost >/dev/null 2>&1
rc=$?
set -e
[ "$rc" = 2 ] || fail "serve --listen localhost: exit $rc, want 2"
pass "bad --listen is a usage error"

# port 0: the server picks a free port and prints the URL it serves
: >"$tmp/out" # exists before the server starts writing it (sed reads it at once)
"$SALESPLAN" --db "$db" serve --listen 127.0.0.1:0 >"$tmp/out" 2>"$tmp/err" &
pid=$!
base=
for _ in $(seq 1 200); do
	base=$(sed -n 's|^salesplan: serving .* at \(http://127\.0\.0\.1:[0-9]*\)/$|\1|p' "$tmp/out")
	[ -n "$base" ] && break
	kill -0 "$pid" 2>/dev/null || fail "server exited early"
	sleep 0.05
done
[ -n "$base" ] || fail "no 'serving ... at URL' line"
for _ in $(seq 1 100); do
	[ "$(req GET /api/health)" = 200 ] && break
	sleep 0.05
done
pass "server up at $base"

# ---- sign in ----------------------------------------------------------------------
: >"$tmp/cookies"
s=$(req GET /api/plans)
expect_status "$s" 401 "GET /api/plans without a session"
jtrue 'd["error"]["code"] == "unauthorized"'
s=$(req POST /api/login -c "$tmp/cookies" -H 'Content-Type: application/json' \
	-d '{"username":"admin","password":"demo"}')
expect_status "$s" 200 "POST /api/login"
jtrue 'd["user"]["role"] == "admin" and len(d["csrf_token"]) == 64'
header Set-Cookie | grep -q 'sp_session=.*HttpOnly.*SameSite=Strict' || fail "session cookie attributes"
pass "login as admin"

# ---- health -------------------------------------------------------------------
s=$(req GET /api/health)
expect_status "$s" 200 "GET /api/health"
jtrue 'd["status"] == "ok" and d["company"] and len(d["currency"]) == 3'
case "$(header Content-Type)" in application/json*) ;; *) fail "health Content-Type" ;; esac
[ "$(header X-Content-Type-Options)" = nosniff ] || fail "no X-Content-Type-Options"
[ "$(header X-Frame-Options)" = DENY ] || fail "no X-Frame-Options"
header Content-Security-Policy | grep -q "default-src 'self'" || fail "no CSP"
[ -n "$(header Referrer-Policy)" ] || fail "no Referrer-Policy"
[ "$(header Cache-Control)" = no-store ] || fail "API Cache-Control is not no-store"
pass "health + security headers"

s=$(curl -s -I -o /dev/null -w '%{http_code} %{size_download}' "$base/api/health" || true)
[ "$s" = "200 0" ] || fail "HEAD /api/health: $s, want 200 and no body"
pass "HEAD"

# ---- plans ----------------------------------------------------------------------
s=$(req GET /api/plans)
expect_status "$s" 200 "GET /api/plans"
jtrue 'isinstance(d["items"], list) and len(d["items"]) >= 1 and all("name" in p for p in d["items"])'
plan=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["items"][0]["name"])' "$tmp/body")
year=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["items"][0]["year"])' "$tmp/body")
pass "plans: \"$plan\" ($year)"

# ---- tracking equals the CLI --------------------------------------------------------
as_of="$year-06-30"
enc=$(urlenc "$plan")
compare_track() { # $1 = by ("" for all cells), $2 = 1 for forecast=1 / --forecast
	local by=$1 q="as_of=$as_of" cli_by=()
	if [ -n "$by" ]; then
		q="$q&by=$(urlenc "$by")"
		cli_by=(--by "$by")
	fi
	if [ "${2:-}" = 1 ]; then
		q="$q&forecast=1"
		cli_by+=(--forecast)
	fi
	s=$(req GET "/api/plans/$enc/tracking?$q")
	expect_status "$s" 200 "tracking by=${by:-all}"
	"$SALESPLAN" --db "$db" track --plan "$plan" --as-of "$as_of" "${cli_by[@]}" \
		--format json >"$tmp/cli.json" || fail "salesplan track (by=${by:-all})"
	python3 - "$tmp/body" "$tmp/cli.json" "$plan" "$as_of" "$by" <<'EOF' ||
import json, sys
api = json.load(open(sys.argv[1], encoding="utf-8"))
cli = json.load(open(sys.argv[2], encoding="utf-8"))
assert api["plan"] == sys.argv[3], api["plan"]
assert api["as_of"] == sys.argv[4], api["as_of"]
assert api["by"] == (sys.argv[5] or None), api["by"]
assert isinstance(api["items"], list) and len(api["items"]) > 0, "no items"
assert api["items"] == cli, "API items differ from salesplan track --format json"
for row in api["items"]:
    for k in ("metric", "org", "period", "target", "actual", "attainment", "time_progress", "gap"):
        assert k in row, k
EOF
		fail "tracking by=${by:-all} differs from the CLI"
}
compare_track "org,month"
compare_track ""
compare_track "org,month" 1
jtrue "all(r['projection_method'] in ('forecast', 'run_rate', 'actual', None) and 'projection_lo' in r for r in d['items'])"
pass "tracking (org,month and all cells; forecast=1) equals salesplan track --format json"

# as_of defaults to today
before=$(date +%F)
s=$(req GET "/api/plans/$enc/tracking?by=month")
after=$(date +%F)
expect_status "$s" 200 "tracking without as_of"
jtrue "d['as_of'] in ('$before', '$after')"
pass "as_of defaults to today"

# ---- UTF-8 plan names in the path -----------------------------------------------------
cn="2027年计划"
"$SALESPLAN" --db "$db" plan create "$cn" --year 2027 >/dev/null || fail "plan create $cn"
s=$(req GET "/api/plans/$(urlenc "$cn")/tracking?as_of=2027-03-31")
expect_status "$s" 200 "tracking of $cn"
jtrue "d['plan'] == '$cn' and d['items'] == []"
s=$(req GET /api/plans)
jtrue "'$cn' in [p['name'] for p in d['items']]"
pass "percent-encoded Chinese plan name"

# ---- errors ---------------------------------------------------------------------------
s=$(req GET "/api/plans/$enc/tracking?as_of=2027-02-30")
expect_status "$s" 400 "bad as_of"
jtrue 'd["error"]["code"] == "invalid" and "as_of" in d["error"]["message"] and d["error"].get("field") == "as_of"'
s=$(req GET "/api/plans/$enc/tracking?as_of=yesterday")
expect_status "$s" 400 "as_of=yesterday"
pass "bad as_of: 400 naming the field"
s=$(req GET "/api/plans/$enc/tracking?as_of=$as_of&forecast=maybe")
expect_status "$s" 400 "forecast=maybe"
jtrue 'd["error"].get("field") == "forecast"'
pass "bad forecast flag: 400 naming the field"

s=$(req GET "/api/plans/$(urlenc "没有这个计划")/tracking?as_of=$as_of")
expect_status "$s" 404 "unknown plan"
jtrue 'd["error"]["code"] == "not_found" and "没有这个计划" in d["error"]["message"]'
pass "unknown plan: 404"

for p in /api/nope /api/plans/x/y /nope.html /api; do
	s=$(req GET "$p")
	expect_status "$s" 404 "GET $p"
	jtrue 'd["error"]["code"] == "not_found" and d["error"]["message"]'
done
pass "unknown routes: 404 JSON"

s=$(req DELETE /api/plans)
expect_status "$s" 405 "DELETE /api/plans"
header Allow | grep -q GET || fail "405 without Allow: GET"
jtrue 'd["error"]["code"] == "method_not_allowed"'
s=$(req DELETE "/api/plans/$enc/tracking")
expect_status "$s" 405 "DELETE tracking"
pass "wrong method: 405 with Allow"

s=$(req GET "/api/plans/%ZZ/tracking")
expect_status "$s" 400 "bad percent-encoding"
s=$(req GET "/api/plans/a%00b/tracking")
expect_status "$s" 400 "NUL in path"
s=$(req GET "/api/plans/%FF%FE/tracking")
expect_status "$s" 400 "invalid UTF-8 in path"
jtrue 'd["error"]["code"] == "invalid"'
pass "bad encodings: 400"

# ---- body cap ---------------------------------------------------------------------------
head -c 20000000 /dev/zero >"$tmp/big"
s=$(req POST /api/plans --data-binary "@$tmp/big" -H 'Content-Type: application/octet-stream')
big=$s
case "$s" in
413) jtrue 'd["error"]["code"] == "too_large"' ;;
000) ;; # connection closed: also acceptable
*) fail "20 MB POST: status $s, want 413 or a closed connection" ;;
esac
s=$(req GET /api/health)
expect_status "$s" 200 "health after a 20 MB POST"
pass "20 MB body refused ($big); server still answers"

# ---- static files and traversal -----------------------------------------------------------
s=$(req GET /)
expect_status "$s" 200 "GET /"
case "$(header Content-Type)" in text/html*) ;; *) fail "/ is not text/html" ;; esac
grep -q '<html' "$tmp/body" || fail "/ is not the page"
header Content-Security-Policy | grep -q "default-src 'self'" || fail "no CSP on /"
! grep -qi '<script>' "$tmp/body" || fail "inline script in index.html"
! grep -qi '<style' "$tmp/body" || fail "inline style in index.html"
for f in $(grep -o '\(src\|href\)="[^"]*"' "$tmp/body" | sed 's/.*="\(.*\)"/\1/'); do
	s=$(req GET "/$f")
	expect_status "$s" 200 "asset $f"
	case "$f" in
	*.js) case "$(header Content-Type)" in text/javascript*) ;; *) fail "$f type" ;; esac ;;
	*.css) case "$(header Content-Type)" in text/css*) ;; *) fail "$f type" ;; esac ;;
	esac
done
s=$(req GET /index.html)
expect_status "$s" 200 "GET /index.html"
pass "page and its assets"

for p in /../../etc/passwd /..%2F..%2Fetc%2Fpasswd /%2e%2e/%2e%2e/etc/passwd \
	/api/../../etc/passwd /static/../../../etc/passwd /etc/passwd /%2Fetc%2Fpasswd; do
	s=$(req GET "$p" --path-as-is)
	[ "$s" != 200 ] || fail "GET $p answered 200"
	! grep -q 'root:' "$tmp/body" || fail "GET $p served /etc/passwd"
done
pass "no path traversal"

# ---- IPv6 (only where ::1 can be bound) ---------------------------------------------------
if python3 -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null; then
	: >"$tmp/out6"
	"$SALESPLAN" --db "$db" serve --listen '[::1]:0' >"$tmp/out6" 2>"$tmp/err6" &
	pid6=$!
	base6=
	for _ in $(seq 1 200); do
		base6=$(sed -n 's|^salesplan: serving .* at \(http://\[::1\]:[0-9]*\)/$|\1|p' "$tmp/out6")
		[ -n "$base6" ] && break
		kill -0 "$pid6" 2>/dev/null || fail "IPv6 server exited early"
		sleep 0.05
	done
	[ -n "$base6" ] || fail "no IPv6 URL line"
	s=$(curl -s -o "$tmp/body" -w '%{http_code}' -g "$base6/api/health" || true)
	expect_status "$s" 200 "IPv6 health"
	kill -TERM "$pid6"
	rc=0
	wait "$pid6" || rc=$?
	pid6=
	[ "$rc" = 0 ] || fail "IPv6 server exit $rc after SIGTERM"
	pass "IPv6 [::1]"
else
	echo "ok - IPv6 skipped (no ::1)"
fi

# ---- access log and shutdown ----------------------------------------------------------------
grep -q '"GET /api/health" 200' "$tmp/err" || fail "no access log line"
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
pid=
[ "$rc" = 0 ] || fail "server exit $rc after SIGTERM, want 0"
pass "SIGTERM: clean exit 0"
echo "all HTTP checks passed"
