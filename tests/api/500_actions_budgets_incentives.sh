#!/usr/bin/env bash
# 500_actions_budgets_incentives.sh — the API of issue 7 items 4-6 end to
# end: action plans (Gantt JSON, add, status, dependencies with a cycle
# refused), a rep's month plan, budgets (a refused overspend is 409 and
# writes nothing, a warned one is 201 with the warning), incentive plans and
# statements, and who may: a rep sees their own statement and actions, not
# another rep's; finance owns budgets and payroll; a rep may not.
# Needs SALESPLAN; kills only the server it started.
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

db=$tmp/a.db
sp() { "$SALESPLAN" --db "$db" "$@"; }
sp init --company ACME --admin-password admin-pass-1 >/dev/null
cat >"$tmp/org.csv" <<'CSV'
code,name,parent,manager,kind
EAST,East,,Wang,region
R001,Li,EAST,,rep
R002,Zhao,EAST,,rep
CSV
cat >"$tmp/sales.csv" <<'CSV'
date,amount,org
2024-03-05,123456.79,R001
2024-03-06,50000.00,R002
CSV
sp import org "$tmp/org.csv" >/dev/null
sp import sales "$tmp/sales.csv" >/dev/null
sp plan create FY2024 --year 2024 >/dev/null
sp target set --plan FY2024 --period 2024-03 --org R001 --value 100000 >/dev/null 2>&1
sp target set --plan FY2024 --period 2024-03 --org R002 --value 100000 >/dev/null 2>&1
sp user add li --role rep --org R001 --password rep-pass-01 >/dev/null
sp user add fin --role finance --password fin-pass-01 >/dev/null

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
	curl -s --max-time 30 -o "$tmp/body" -w '%{http_code}' -b "$tmp/c.$who" \
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
login admin admin-pass-1
login li rep-pass-01
login fin fin-pass-01
pass "signed in as admin, rep li, finance fin"

# ---- actions -------------------------------------------------------------------------
s=$(req admin POST /api/plans/FY2024/actions -d '{"title":"Survey","phase":"research","owner":"EAST","start":"2024-01-08","due":"2024-01-31","cost":"5000"}')
expect "$s" 201 "add action"
jtrue 'd["id"] == 1'
s=$(req li POST /api/plans/FY2024/actions -d '{"title":"Visit C1","start":"2024-03-01","due":"2024-03-10","after":[1],"link":"gap","org":"R001","period":"2024-03"}')
expect "$s" 201 "rep adds own action"
s=$(req li POST /api/plans/FY2024/actions -d '{"title":"Not mine","owner":"R002","start":"2024-03-01","due":"2024-03-10"}')
expect "$s" 403 "rep adds another rep's action"
s=$(req admin POST /api/plans/FY2024/actions/1/dependencies -d '{"after":2}')
expect "$s" 409 "cycle"
jtrue '"cycle" in d["error"]["message"]'
s=$(req admin GET '/api/plans/FY2024/actions?as_of=2024-03-20')
expect "$s" 200 "gantt"
jtrue '[p["name"] for p in d["phases"]] == ["research", "execution"] and d["dependencies"] == [{"from": 1, "to": 2}] and d["items"][1]["gap"] == "-23456.79" and d["items"][1]["dependencies"] == "1"'
s=$(req li GET '/api/plans/FY2024/actions?as_of=2024-03-20')
jtrue 'len(d["items"]) == 1 and d["items"][0]["owner"] == "R001"'
pass "rep sees only own items"
s=$(req admin GET '/api/plans/FY2024/actions?overdue=1&as_of=2024-03-20')
jtrue 'len(d["items"]) == 2'
s=$(req li POST /api/plans/FY2024/actions/2/status -d '{"status":"done","on":"2024-03-09"}')
expect "$s" 200 "rep marks own item done"
s=$(req admin GET '/api/plans/FY2024/actions?overdue=1&as_of=2024-03-20')
jtrue 'len(d["items"]) == 1 and d["items"][0]["id"] == 1'
pass "actions: add, cycle refused, Gantt JSON, overdue, status"

s=$(req li PUT /api/rep-plans/R001 -d '{"block":"2024-03-D1","customers":3,"visits":"5","signed_amount":"10000"}')
expect "$s" 200 "rep sets own dekad plan"
s=$(req li GET '/api/rep-plans/R001?period=2024-03')
expect "$s" 200 "month plan"
jtrue 'd["items"][0]["customers_plan"] == 3 and d["items"][0]["signed_amount_plan"] == "10000.00" and d["items"][3]["block"] == "total"'
s=$(req li GET '/api/rep-plans/R002?period=2024-03')
expect "$s" 403 "rep reads another's plan"
pass "rep month plan"

# ---- budgets ---------------------------------------------------------------------------
s=$(req li POST /api/plans/FY2024/budget -d '{"type":"training","amount":"100","period":"2024"}')
expect "$s" 403 "rep adds a budget line"
s=$(req fin POST /api/plans/FY2024/budget -d '{"type":"training","org":"EAST","amount":"1000","period":"2024-Q1","spread":"month","control":"refuse"}')
expect "$s" 201 "finance adds a refuse line"
s=$(req fin POST /api/plans/FY2024/budget -d '{"type":"promotion","org":"EAST","amount":"500","period":"2024-03","control":"warn"}')
expect "$s" 201 "finance adds a warn line"
s=$(req fin POST /api/plans/FY2024/budget/spending -d '{"line":1,"date":"2024-03-01","amount":"1000.01"}')
expect "$s" 409 "overspend refused"
s=$(req fin POST /api/plans/FY2024/budget/spending -d '{"type":"promotion","org":"EAST","date":"2024-03-02","amount":"600"}')
expect "$s" 201 "overspend warned"
jtrue 'd["over"] is True and "over its 500.00 by 100.00" in d["warning"] and d["remaining"] == "-100.00"'
s=$(req admin GET /api/plans/FY2024/budget)
jtrue 'd["items"][0]["spent"] == "0.00" and d["items"][1]["status"] == "over budget"'
s=$(req li GET /api/plans/FY2024/budget)
expect "$s" 200 "rep reads budget"
jtrue 'd["items"] == []'
pass "budgets: roles, refuse (409, nothing written), warn"

# ---- incentives ------------------------------------------------------------------------
s=$(req fin POST /api/incentives -d '{"name":"rep","target_plan":"FY2024","applies_to":"EAST","tiers":[{"from":0,"rate":0},{"from":"60","rate":"3"},{"from":"100","rate":"5"}],"cap":"2000"}')
expect "$s" 201 "finance adds an incentive plan"
s=$(req li POST /api/incentives -d '{"name":"x","tiers_on":"amount","tiers":[{"from":0,"rate":1}]}')
expect "$s" 403 "rep adds an incentive plan"
s=$(req li GET '/api/incentives/rep/statements/R001?period=2024-03&what_if=10000')
expect "$s" 200 "rep reads own statement"
# 40,000.00 x 3 % + 23,456.79 x 5 % = 1,200.00 + 1,172.84 = 2,372.84, capped 2,000.00
jtrue 'd["payout"] == "2000.00" and d["credited"] == "123456.79" and d["attainment"] == 123.46 and any(i["item"] == "cap" and i["amount"] == "-372.84" for i in d["items"])'
s=$(req li GET '/api/incentives/rep/statements/R002?period=2024-03')
expect "$s" 403 "rep reads another rep's statement"
s=$(req li GET '/api/incentives/rep/payroll?period=2024-03')
expect "$s" 403 "rep pulls payroll"
s=$(req fin GET '/api/incentives/rep/payroll?period=2024-03')
expect "$s" 200 "finance pulls payroll"
# R002: 50,000.00 of 100,000.00: (50,000 - 60,000) < 0 -> nothing
jtrue '[r["payout"] for r in d["items"]] == ["2000.00", "0.00"]'
s=$(req fin GET '/api/incentives/rep/payroll?period=2024-03&format=csv')
expect "$s" 200 "payroll as CSV"
head -1 "$tmp/body" | grep -q '^org,name,metric,period,credited,target,attainment,commission,capped_by,rank,bonus,payout$' ||
	fail "CSV header"
grep -q '^R001,Li,revenue,2024-03,123456.79,100000.00,123.46,2000.00,372.84,,0.00,2000.00$' "$tmp/body" ||
	fail "CSV row of R001"
s=$(req fin GET '/api/incentives/rep/payroll?period=2024-03&format=xlsx')
expect "$s" 200 "payroll as XLSX"
python3 - "$tmp/body" <<'PY' || fail "XLSX body"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert "xl/worksheets/sheet1.xml" in z.namelist()
assert b"<v>2000</v>" in z.read("xl/worksheets/sheet1.xml")
PY
s=$(req fin GET '/api/incentives/rep/payroll?period=2024-03&format=pdf')
expect "$s" 400 "bad payroll format"
pass "incentives: statements, what-if, payroll (JSON, CSV, XLSX), roles"

s=$(req admin GET '/api/audit?limit=100')
jtrue 'set(["action.add", "action.status", "action.plan", "budget.add", "budget.spend", "incentive.plan.add", "incentive.export"]) <= set(i["action"] for i in d["items"])'
pass "audited"
