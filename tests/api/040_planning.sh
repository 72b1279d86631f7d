#!/usr/bin/env bash
# 040_planning.sh — the planning API end to end against figures worked out
# by hand: a two-way table filled to both margins and fitted again after a
# margin moves, set with propagate_up, splits by potential weights, down the
# org tree and below a node, a resplit listing the cells that moved,
# bottom-up commitments (a rep commits for their own node only and cannot
# set targets), roll-up, accept-rollup, the SMART check with objectives and
# thresholds, the reverse funnel (computed and written), the
# recommendation, and a frozen (active) plan answering 409 with its targets
# unchanged. Needs SALESPLAN; kills only the server it started.
set -euo pipefail

: "${SALESPLAN:?SALESPLAN must name the salesplan binary}"
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

fail() {
	echo "FAIL: $*" >&2
	[ -s "$tmp/body" ] && { head -c 2000 "$tmp/body" >&2; echo >&2; }
	[ -s "$tmp/err" ] && tail -n 20 "$tmp/err" >&2
	exit 1
}
pass() { echo "ok - $*"; }

db=$tmp/p.db
sp() { "$SALESPLAN" --db "$db" "$@"; }
sp init --company ACME --admin-password admin-pass-1 >/dev/null
cat >"$tmp/org.csv" <<'CSV'
code,name,parent,manager,kind
EAST,East,,Wang,region
R001,Li,EAST,,rep
R002,Zhao,EAST,,rep
WEST,West,,Chen,region
CSV
# 2026 history of EAST: 4 orders of 100.00 by 2 customers (2 orders each)
cat >"$tmp/sales.csv" <<'CSV'
date,amount,org,customer,order
2026-02-03,100.00,R001,C1,O1
2026-05-04,100.00,R001,C1,O2
2026-08-03,100.00,R002,C2,O3
2026-11-03,100.00,R002,C2,O4
CSV
sp import org "$tmp/org.csv" >/dev/null
sp import sales "$tmp/sales.csv" >/dev/null
sp plan create FY2026 --year 2026 >/dev/null
sp plan create FY2027 --year 2027 >/dev/null
sp user add li --role rep --org R001 --password rep-pass-01 >/dev/null

: >"$tmp/out"
# the binary itself, not the sp function: $! must be the server, or cleanup
# kills a subshell and leaves the server running
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

# req USER METHOD PATH [curl args]: as USER (a cookie jar each)
req() {
	local who=$1 method=$2 path=$3
	shift 3
	: >"$tmp/body"
	curl -s --max-time 60 -o "$tmp/body" -w '%{http_code}' -b "$tmp/c.$who" \
		-H "X-CSRF-Token: $(cat "$tmp/csrf.$who" 2>/dev/null || true)" \
		-H 'Content-Type: application/json' -X "$method" "$@" "$base$path" || true
}
jtrue() {
	python3 - "$tmp/body" "$1" <<'PY' || fail "JSON check failed: $1"
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    d = json.load(f)
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}
expect() { [ "$1" = "$2" ] || fail "$3: HTTP $1, want $2"; }
login() {
	: >"$tmp/c.$1"
	local s
	s=$(curl -s -o "$tmp/body" -w '%{http_code}' -c "$tmp/c.$1" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"$2\"}" "$base/api/login")
	expect "$s" 200 "login $1"
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$tmp/body" >"$tmp/csrf.$1"
}
# val PLAN METRIC ORG PERIOD: the value of a cell from GET targets ("" if none)
val() {
	req admin GET "/api/plans/$1/targets?limit=1000" >/dev/null
	python3 - "$tmp/body" "$2" "$3" "$4" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
_, m, o, p = sys.argv[1:]
print(next((r["value"] for r in d["items"] if r["metric"] == m and r["org"] == o and r["period"] == p), ""))
PY
}
veq() {
	local got
	got=$(val "$1" "$2" "$3" "$4")
	[ "$got" = "$5" ] || fail "$1 $2 $3 $4: $got, want $5"
}
login admin admin-pass-1
login li rep-pass-01

# ---- a two-way table: regions x quarters ----------------------------------------------
s=$(req admin PUT /api/plans/FY2026/targets -d '{"period":"2026","value":"1200000"}')
expect "$s" 200 "set the company's year"
s=$(req admin POST /api/plans/FY2026/targets/split -d '{"period":"2026","into":"org","method":"equal"}')
expect "$s" 200 "split into regions"
s=$(req admin POST /api/plans/FY2026/targets/split -d '{"period":"2026","into":"quarter","method":"equal"}')
expect "$s" 200 "split into quarters"
s=$(req admin POST /api/plans/FY2026/targets/fill -d '{"period":"2026","rows":"org","cols":"month"}')
expect "$s" 400 "fill along a missing split"
s=$(req admin POST /api/plans/FY2026/targets/fill -d '{"period":"2026","rows":"org"}')
expect "$s" 400 "fill without cols"
jtrue 'd["error"]["field"] == "cols"'
s=$(req admin POST /api/plans/FY2026/targets/fill -d '{"period":"2026","rows":"org","cols":"quarter","seed":"equal"}')
expect "$s" 200 "fill"
jtrue 'd["rows"] == 2 and d["cols"] == 4 and d["cells"] == 8 and d["locked"] == 0'
# 600,000 a region / 300,000 a quarter, equal seed: 150,000 each
veq FY2026 revenue EAST 2026-Q1 150000.00
veq FY2026 revenue WEST 2026-Q4 150000.00
# EAST's year to 700,000: WEST re-spread to 500,000, the table fitted
# again from its current values (rank one): 300,000 x 7/12 = 175,000 and
# 300,000 x 5/12 = 125,000
s=$(req admin PUT /api/plans/FY2026/targets -d '{"period":"2026","org":"EAST","value":"700000"}')
expect "$s" 200 "set a row margin"
veq FY2026 revenue WEST 2026 500000.00
veq FY2026 revenue EAST 2026-Q3 175000.00
veq FY2026 revenue WEST 2026-Q3 125000.00
pass "fill: both margins exact, fitted again after a margin moved"

# ---- propagate_up --------------------------------------------------------------------------
s=$(req admin POST /api/plans/FY2026/targets/split -d '{"period":"2026","org":"EAST","into":"org","method":"equal"}')
expect "$s" 200 "split EAST into reps"
veq FY2026 revenue R001 2026 350000.00
s=$(req admin PUT /api/plans/FY2026/targets -d '{"period":"2026","org":"R001","value":"400000","propagate_up":true}')
expect "$s" 200 "set with propagate_up"
# +50,000 up the tree; R002 and WEST keep theirs
veq FY2026 revenue R001 2026 400000.00
veq FY2026 revenue R002 2026 350000.00
veq FY2026 revenue EAST 2026 750000.00
veq FY2026 revenue ACME 2026 1250000.00
veq FY2026 revenue WEST 2026 500000.00
s=$(req admin PUT /api/plans/FY2026/targets -d '{"period":"2026","org":"R001","value":"1","propagate_up":"yes"}')
expect "$s" 400 "propagate_up not a boolean"
pass "set with propagate_up moves every ancestor by the same amount"

# ---- split methods: potential weights, down the tree, below a node ---------------------
s=$(req admin PUT /api/plans/FY2027/targets -d '{"period":"2027","value":"1000"}')
expect "$s" 200 "set 2027"
s=$(req admin POST /api/plans/FY2027/targets/split -d '{"period":"2027","into":"org","method":"potential:/etc/hosts"}')
expect "$s" 400 "potential from a server file"
jtrue 'd["error"]["field"] == "method"'
s=$(req admin POST /api/plans/FY2027/targets/split -d '{"period":"2027","into":"org","method":"potential","weights":{"EAST":3}}')
expect "$s" 400 "potential without every part"
jtrue '"WEST" in d["error"]["message"] and "/tmp" not in d["error"]["message"] and "sp-weights" not in d["error"]["message"]'
s=$(req admin POST /api/plans/FY2027/targets/split -d '{"period":"2027","into":"org","method":"potential","weights":{"EAST":3,"WEST":1}}')
expect "$s" 200 "split by potential"
jtrue 'd["parts"] == 2'
veq FY2027 revenue EAST 2027 750.00
veq FY2027 revenue WEST 2027 250.00
s=$(req admin POST /api/plans/FY2027/targets/split -d '{"period":"2027","org":"EAST","method":"equal","down":true}')
expect "$s" 200 "split down the tree"
veq FY2027 revenue R002 2027 375.00
s=$(req admin POST /api/plans/FY2027/targets/split -d '{"period":"2027","org":"EAST","into":"quarter","method":"equal","below":true}')
expect "$s" 200 "split below EAST"
jtrue 'd["parts"] == 8'
veq FY2027 revenue R001 2027-Q2 93.75
s=$(req admin POST /api/plans/FY2027/targets/split -d '{"period":"2027","org":"EAST","into":"quarter","method":"equal","below":true,"down":true}')
expect "$s" 400 "below and down together"
s=$(req admin POST /api/plans/FY2027/targets/split -d '{"period":"2027","org":"EAST","into":"quarter","method":"nonsense"}')
expect "$s" 400 "unknown method"
jtrue 'd["error"]["field"] == "method"'
pass "split: potential weights, down, below"

# ---- resplit: a quarter set by hand, then the recorded split again ----------------------
s=$(req admin PUT /api/plans/FY2027/targets -d '{"period":"2027-Q1","org":"R001","value":"100"}')
expect "$s" 200 "set a quarter"
# 375 - 100 = 275 over three quarters: 91.67, 91.67, 91.66
veq FY2027 revenue R001 2027-Q4 91.66
s=$(req admin POST /api/plans/FY2027/targets/resplit -d '{"period":"2027","org":"R001","into":"quarter"}')
expect "$s" 200 "resplit"
jtrue 'd["moved"] == 4 and len(d["items"]) == 4'
veq FY2027 revenue R001 2027-Q1 93.75
veq FY2027 revenue R001 2027-Q4 93.75
pass "resplit lists the cells that moved"

# ---- bottom-up ------------------------------------------------------------------------------
s=$(req li PUT /api/plans/FY2027/targets -d '{"period":"2027","org":"R001","value":"400"}')
expect "$s" 403 "a rep sets their own target"
s=$(req li POST /api/plans/FY2027/commitments -d '{"period":"2027","org":"R002","value":"400"}')
expect "$s" 403 "a rep commits for another rep"
s=$(req li POST /api/plans/FY2027/commitments -d '{"period":"2027","org":"R001","value":"-1"}')
expect "$s" 400 "negative commitment"
s=$(req li POST /api/plans/FY2027/commitments -d '{"period":"2027","org":"R001","value":"400"}')
expect "$s" 200 "a rep commits for their own node"
jtrue 'd["committed_by"] == "li"'
s=$(req admin POST /api/plans/FY2027/commitments -d '{"period":"2027","org":"R002","value":"300"}')
expect "$s" 200 "admin commits for R002"
s=$(req admin GET '/api/plans/FY2027/rollup?period=2027')
expect "$s" 200 "rollup"
# EAST: target 750.00, roll-up 400 + 300 = 700.00, gap 50.00, complete
jtrue 'any(r["org"] == "EAST" and r["target"] == "750.00" and r["rollup"] == "700.00" and r["gap"] == "50.00" and r["complete"] in (True, "true", "yes") for r in d["items"])'
s=$(req li GET '/api/plans/FY2027/rollup?period=2027')
expect "$s" 200 "rollup as the rep"
jtrue 'd["items"] and all(r["org"] == "R001" for r in d["items"])'
s=$(req li POST /api/plans/FY2027/reconcile -d '{"period":"2027","org":"EAST","mode":"accept-rollup"}')
expect "$s" 403 "a rep reconciles"
s=$(req admin POST /api/plans/FY2027/reconcile -d '{"period":"2027","org":"EAST","mode":"sideways"}')
expect "$s" 400 "bad mode"
s=$(req admin POST /api/plans/FY2027/reconcile -d '{"period":"2027","org":"EAST","mode":"accept-rollup"}')
expect "$s" 200 "accept the roll-up"
jtrue 'd["target_before"] == "750.00" and d["target_after"] == "700.00" and d["rollup"] == "700.00"'
# the targets become the commitments; the company absorbs -50, WEST keeps 250
veq FY2027 revenue R001 2027 400.00
veq FY2027 revenue R002 2027 300.00
veq FY2027 revenue EAST 2027 700.00
veq FY2027 revenue ACME 2027 950.00
veq FY2027 revenue WEST 2027 250.00
s=$(req li GET /api/plans/FY2027/reconciliations)
expect "$s" 200 "reconciliation log"
jtrue 'd["total"] == 1 and d["items"][0]["mode"] == "accept-rollup" and d["items"][0]["author"] == "admin"'
s=$(req li POST /api/plans/FY2027/commitments/withdraw -d '{"period":"2027","org":"R001"}')
expect "$s" 200 "the rep withdraws"
s=$(req li POST /api/plans/FY2027/commitments/withdraw -d '{"period":"2027","org":"R001"}')
expect "$s" 404 "nothing left to withdraw"
pass "bottom-up: commit, roll-up, accept-rollup, log, withdraw"

# ---- SMART check, objectives, thresholds ---------------------------------------------------
s=$(req li GET '/api/plans/FY2027/check?org=EAST&period=2027')
expect "$s" 403 "a rep checks EAST"
s=$(req admin GET '/api/plans/FY2027/check?org=EAST&period=2027')
expect "$s" 200 "check"
jtrue 'any(r["rule"] == "relevant" and "EAST" in r["cells"] for r in d["items"])'
s=$(req li POST /api/plans/FY2027/objectives -d '{"name":"Grow East"}')
expect "$s" 403 "a rep adds an objective"
s=$(req admin POST /api/plans/FY2027/objectives -d '{"name":"Grow East","description":"win the east"}')
expect "$s" 201 "add an objective"
s=$(req admin POST /api/plans/FY2027/objectives -d '{"name":"Grow East"}')
expect "$s" 409 "the same objective again"
s=$(req admin POST /api/plans/FY2027/targets/link -d '{"period":"2027","org":"EAST","objective":"Nope"}')
expect "$s" 404 "link to an unknown objective"
s=$(req admin POST /api/plans/FY2027/targets/link -d '{"period":"2027","org":"EAST","objective":"Grow East"}')
expect "$s" 200 "link"
s=$(req li GET /api/plans/FY2027/objectives)
expect "$s" 200 "objectives"
jtrue 'd["items"] == [{"name": "Grow East", "description": "win the east", "targets": 1}]'
s=$(req admin GET '/api/plans/FY2027/check?org=EAST&period=2027&forecast=maybe')
expect "$s" 400 "bad forecast flag"
s=$(req admin GET '/api/plans/FY2027/check?org=EAST&period=2027')
# EAST 2027 and everything split from it are linked now
jtrue 'not any(r["rule"] == "relevant" for r in d["items"])'
s=$(req li GET /api/smart/rules)
expect "$s" 200 "rules"
jtrue '{"specific", "measurable", "achievable", "relevant", "time-bound"} <= {r["rule"] for r in d["items"]} and any(x["key"] == "smart.default_spread" and x["value"] == "10" for x in d["settings"])'
s=$(req li PUT /api/smart/rules -d '{"key":"smart.default_spread","value":"12"}')
expect "$s" 403 "a rep sets a threshold"
s=$(req admin PUT /api/smart/rules -d '{"key":"smart.stretch_sigma","value":"3"}')
expect "$s" 400 "stretch above unrealistic"
jtrue 'd["error"]["field"] == "value"'
s=$(req admin PUT /api/smart/rules -d '{"key":"smart.nothing","value":"3"}')
expect "$s" 400 "unknown threshold"
jtrue 'd["error"]["field"] == "key"'
s=$(req admin PUT /api/smart/rules -d '{"key":"smart.default_spread","value":"12.5"}')
expect "$s" 200 "set a threshold"
s=$(req li GET /api/smart/rules)
jtrue 'any(x["key"] == "smart.default_spread" and x["value"] == "12.5" for x in d["settings"])'
pass "SMART: check, objectives, link, rules and thresholds"

# ---- the reverse funnel --------------------------------------------------------------------
# EAST 2027 = 700.00; 2026: revenue 400.00 in 4 orders by 2 customers.
# orders ceil(700 x 4 / 400) = 7; customers ceil(7 / 2) = 4; kept
# floor(2 x 50%) = 1; new 3; opportunities ceil(3 / 25%) = 12; visits
# 12 x 3 = 36; calls 36 x 4 = 144
q='period=2027&org=EAST&win_rate=25%25&visits_per_opportunity=3&calls_per_visit=4&repurchase=50%25'
s=$(req li GET "/api/plans/FY2027/needs?$q")
expect "$s" 403 "a rep asks EAST's funnel"
s=$(req admin GET "/api/plans/FY2027/needs?period=2027&org=EAST&per=fortnight")
expect "$s" 400 "bad per"
jtrue 'd["error"]["field"] == "per"'
s=$(req admin GET "/api/plans/FY2027/needs?$q")
expect "$s" 200 "needs"
cat >"$tmp/needs.py" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
q = {r["quantity"]: r["value"] for r in d["items"]}
def n(x): return float(str(x).replace(",", ""))
want = {"orders needed O": 7, "customers needed N": 4, "customers kept K": 1,
        "new customers needed": 3, "opportunities needed": 12, "visits needed": 36,
        "calls needed": 144}
for k, v in want.items():
    assert k in q, (k, sorted(q))
    assert n(q[k]) == v, (k, q[k], v)
assert d["written"] is False
PY
python3 "$tmp/needs.py" "$tmp/body" || fail "needs figures"
s=$(req admin POST /api/plans/FY2027/needs -d '{"period":"2027","org":"EAST","win_rate":"25%","visits_per_opportunity":3,"calls_per_visit":"4","repurchase":"50%"}')
expect "$s" 200 "needs written"
jtrue 'd["written"] is True and "wrote" in d["note"]'
for m in orders:7 calls:144; do
	got=$(val FY2027 "${m%%:*}" EAST 2027)
	python3 -c 'import sys; sys.exit(0 if sys.argv[1] and float(sys.argv[1].replace(",", "")) == float(sys.argv[2]) else 1)' \
		"$got" "${m#*:}" || fail "supporting target ${m%%:*}: $got, want ${m#*:}"
done
pass "needs: the funnel by hand, written as supporting targets"

# ---- recommendation ------------------------------------------------------------------------
s=$(req li GET '/api/plans/FY2027/recommend?period=2027&org=EAST')
expect "$s" 403 "a rep asks for EAST"
s=$(req admin GET '/api/plans/FY2027/recommend?org=EAST')
expect "$s" 400 "recommend without a period"
s=$(req admin GET '/api/plans/FY2027/recommend?period=2027&org=EAST&growth=10%25&achievability=80%25')
expect "$s" 400 "growth and achievability together"
s=$(req li GET '/api/plans/FY2027/recommend?period=2027&org=R001')
expect "$s" 200 "recommend"
jtrue 'd["plan"] == "FY2027" and d["org"] == "R001" and "recommended" in d and d["history_months"] >= 1'
pass "recommend is routed"

# ---- a frozen plan ---------------------------------------------------------------------------
for a in submit approve activate; do
	s=$(req admin POST "/api/plans/FY2026/versions/$a")
	expect "$s" 200 "$a"
done
req admin GET '/api/plans/FY2026/targets?limit=1000' >/dev/null
cp "$tmp/body" "$tmp/before.json"
s=$(req admin PUT /api/plans/FY2026/targets -d '{"period":"2026","org":"WEST","value":"1"}')
expect "$s" 409 "set on an active plan"
jtrue 'd["error"]["code"] == "conflict" and "plan FY2026 is active" in d["error"]["message"] and "salesplan plan revise" in d["error"]["message"]'
s=$(req admin POST /api/plans/FY2026/targets/fill -d '{"period":"2026","rows":"org","cols":"quarter","seed":"equal"}')
expect "$s" 409 "fill on an active plan"
s=$(req admin POST /api/plans/FY2026/targets/split -d '{"period":"2026-Q1","into":"month","method":"equal"}')
expect "$s" 409 "split on an active plan"
req admin GET '/api/plans/FY2026/targets?limit=1000' >/dev/null
cmp -s "$tmp/body" "$tmp/before.json" || fail "an active plan's targets changed"
grep -q ' 500 ' "$tmp/err" && fail "a 500 in the server log"
pass "an active plan: 409 naming the revision, nothing changed"
