#!/usr/bin/env bash
# 500_incentive — incentive plans and payouts end to end (issue 7, item 6):
# a plan from JSON and the same from CSV; statements of every rep for a
# tiered (marginal), capped and split-credit plan compared to the cent with
# an independent oracle in Python (Fraction arithmetic, half away from
# zero); retroactive tiers; the what-if; payroll as CSV and XLSX (the XLSX
# opened with zipfile and its numbers read back); definition errors that
# name the file, row or field; audit entries.
source "$(dirname "$0")/lib.sh"

DB=i.db
S() { sp --db $DB "$@"; }
expect_ok S init --company ACME
cat >org.csv <<'CSV'
code,name,parent,manager,kind
EAST,East,,Wang,region
R001,Li,EAST,,rep
R002,Zhao,EAST,,rep
R003,Sun,EAST,,rep
R004,Qian,EAST,,rep
CSV
# March 2024; SO-9 is shared by R002 and R004, SO-7 by all three of R001, R003, R004
cat >sales.csv <<'CSV'
date,amount,org,order
2024-03-01,61234.57,R001,SO-1
2024-03-04,48000.00,R001,SO-2
2024-03-05,33333.33,R002,SO-3
2024-03-09,10000.01,R002,SO-9
2024-03-11,29999.99,R003,SO-4
2024-03-12,1500.00,R003,SO-7
2024-03-12,0.01,R003,SO-7
2024-03-19,88888.88,R004,SO-8
2024-04-02,77777.77,R001,SO-10
CSV
expect_ok S import org org.csv
expect_ok S import sales sales.csv
expect_ok S plan create FY2024 --year 2024
for t in R001:100000 R002:80000 R003:50000 R004:66666.67; do
	expect_ok S target set --plan FY2024 --period 2024-03 --org "${t%%:*}" --value "${t#*:}"
done

cat >tiered.json <<'JSON'
{
  "name": "tiered",
  "metric": "revenue",
  "target_plan": "FY2024",
  "applies_to": "EAST",
  "mode": "marginal",
  "tiers": [
    {"from": "0", "rate": "0"},
    {"from": "60", "rate": "3"},
    {"from": "100", "rate": "5.5"},
    {"from": "120", "rate": "7.25"}
  ],
  "cap": "2000",
  "splits": [
    {"order": "SO-9", "shares": "R002:60;R004:40"},
    {"order": "SO-7", "shares": "R001:33.33;R003:33.33;R004:33.34"}
  ]
}
JSON
expect_ok S incentive plan add tiered.json
check_eq "$OUT" "incentive plan added" "plan add"

# the oracle: statements computed from the files alone
py tiered.json sales.csv <<'PY' >oracle.csv || fail "oracle"
import csv, json, sys
from fractions import Fraction as F
plan = json.load(open(sys.argv[1]))
def cents(s): return int(F(s) * 100)
def rnd(q):  # half away from zero, to the cent (q in cents, a Fraction)
    n = abs(q); i = int(n); i += (n - i) * 2 >= 1
    return i if q >= 0 else -i
targets = {"R001": 10000000, "R002": 8000000, "R003": 5000000, "R004": 6666667}
booked = {r: 0 for r in targets}; orders = {}
for r in csv.DictReader(open(sys.argv[2])):
    if not r["date"].startswith("2024-03"): continue
    booked[r["org"]] += cents(r["amount"])
    orders.setdefault(r["order"], []).append((r["org"], cents(r["amount"])))
credit = dict(booked)
for s in plan["splits"]:
    lines = orders.get(s["order"], []); total = sum(a for _, a in lines)
    for org, a in lines: credit[org] -= a
    parts = [(p.split(":")[0], F(p.split(":")[1])) for p in s["shares"].split(";")]
    exact = [total * sh / 100 for _, sh in parts]
    fl = [int(x) for x in exact]  # totals here are positive
    left = total - sum(fl)
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - fl[i]), i))
    for i in order[:left]: fl[i] += 1
    for (org, _), v in zip(parts, fl): credit[org] += v
tiers = [(F(t["from"]), F(t["rate"])) for t in plan["tiers"]]
cap = cents(plan["cap"])
print("org,credited,commission,payout")
for org, t in targets.items():
    a = credit[org]; pay = 0
    bounds = [rnd(F(t) * f / 100) for f, _ in tiers]
    for i, (f, rate) in enumerate(tiers):
        lo = bounds[i]; hi = bounds[i + 1] if i + 1 < len(tiers) else None
        top = a if hi is None else min(a, hi)
        if top > lo: pay += rnd((top - lo) * rate / 100)
    com = min(pay, cap)
    c = lambda v: f"{v // 100}.{v % 100:02d}"
    print(f"{org},{c(a)},{c(com)},{c(com)}")
PY

expect_ok S incentive export --plan tiered --period 2024-03 --format csv
printf '%s\n' "$OUT" >pay_out.csv
got=$(py pay_out.csv <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    print(f'{r["org"]},{r["credited"]},{r["commission"]},{r["payout"]}')
PY
)
check_eq "$got" "$(tail -n +2 oracle.csv)" "payroll against the oracle"

# every statement's payout equals the payroll row and its lines add up
for r in R001 R002 R003 R004; do
	expect_ok S incentive statement --plan tiered --period 2024-03 --org $r --format csv
	printf '%s\n' "$OUT" >st.csv
	py st.csv "$(grep "^$r," oracle.csv)" <<'PY' || fail "statement of $r"
import csv, sys
from decimal import Decimal as D
rows = list(csv.DictReader(open(sys.argv[1])))
org, credited, commission, payout = sys.argv[2].split(",")
get = lambda k: [r for r in rows if r["item"] == k]
assert get("credited")[0]["amount"] == credited, get("credited")
assert get("payout")[0]["amount"] == payout
# booked + split credit = credited; tiers (+ cap) = commission
assert sum(D(r["amount"]) for r in rows if r["item"] in ("booked", "split credit")) == D(credited)
tiers = sum(D(r["amount"]) for r in rows if r["item"].startswith("tier ") or r["item"] == "cap")
assert tiers == D(commission), (tiers, commission)
PY
done
# R004 is over the cap: the statement says so
expect_ok S incentive statement --plan tiered --period 2024-03 --org R004
check_contains "$OUT" "2504.03 capped at 2000.00" "R004 capped"
check_contains "$OUT" "attainment" "attainment shown"

# what-if: closing 10,000.00 more for R002 (credited 39,333.34 of 80,000.00:
# 49.17 %) -> 49,333.34: 1,333.34 over 48,000.00 at 3 % = 40.0002 -> 40.00
expect_ok S incentive statement --plan tiered --period 2024-03 --org R002 --what-if 10000 --format csv
check_contains "$OUT" "what-if difference,closing 10000.00 more pays 40.00 more,40.00" "what-if"

# the same plan written as CSV gives the same payroll
cat >tiered.csv <<'CSV'
key,value,extra
name,tiered-csv
target_plan,FY2024
applies_to,EAST
tier,0,0
tier,60,3
tier,100,5.5
tier,120,7.25
cap,2000
split,SO-9,R002:60;R004:40
split,SO-7,R001:33.33;R003:33.33;R004:33.34
CSV
expect_ok S incentive plan add tiered.csv
expect_ok S incentive export --plan tiered-csv --period 2024-03 --format csv
got2=$(printf '%s\n' "$OUT" | cut -d, -f1,5,8,12 | tail -n +2)
check_eq "$got2" "$(tail -n +2 oracle.csv)" "CSV definition"

# retroactive: R004 credited X of 66,666.67 -> one rate on everything
cat >retro.json <<'JSON'
{"name": "retro", "target_plan": "FY2024", "mode": "retroactive",
 "tiers": [{"from": 0, "rate": "1"}, {"from": "100", "rate": "2.5"}]}
JSON
expect_ok S incentive plan add retro.json
expect_ok S incentive statement --plan retro --period 2024-03 --org R004 --format csv
# R004 booked 88,888.88 of 66,666.67 (133 %): 88,888.88 x 2.5 % = 2,222.222 -> 2,222.22
check_contains "$OUT" "payout,commission,2222.22" "retroactive"

# payroll as XLSX: a workbook whose sheet has the payouts as numbers
expect_ok S incentive export --plan tiered --period 2024-03 --out pay.xlsx
check_eq "$OUT" "4 rows written to pay.xlsx" "xlsx export"
py pay.xlsx oracle.csv <<'PY' || fail "XLSX content"
import csv, re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sheet = z.read("xl/worksheets/sheet1.xml").decode()
nums = [float(v) for v in re.findall(r"<v>([-0-9.]+)</v>", sheet)]
for r in csv.DictReader(open(sys.argv[2])):
    assert any(abs(n - float(r["payout"])) < 1e-9 for n in nums), r
PY
expect_ok S incentive export --plan tiered --period 2024-03 --out pay.csv
check_eq "$(wc -l <pay.csv)" "5" "csv export rows"

# errors name what is wrong
printf 'key,value,extra\nname,bad\ntier,0,1\nfrobnicate,1\n' >bad.csv
expect_fail S incentive plan add bad.csv
check_contains "$ERR" "row 4: unknown key \"frobnicate\"" "bad CSV key"
printf '{"name":"bad2","target_plan":"FY2024","tiers":[{"from":"10","rate":"1"}]}' >bad.json
expect_fail S incentive plan add bad.json
check_contains "$ERR" "bad.json: tiers: the first tier must start at 0" "first tier"
expect_fail S incentive plan add tiered.json
check_contains "$ERR" "exists" "duplicate"
expect_fail S incentive statement --plan tiered --period 2024-04 --org R001
check_contains "$ERR" "R001 has no revenue target for 2024-04" "no target"
expect_fail --rc 2 S incentive statement --plan tiered --bogus 1
expect_ok S audit --format csv
check_contains "$OUT" "incentive.plan.add" "audited add"
check_contains "$OUT" "incentive.export" "audited export"
echo "ok 500_incentive"
