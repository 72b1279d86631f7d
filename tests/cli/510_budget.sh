#!/usr/bin/env bash
# 510_budget — budgets end to end (issue 7, item 5): lines spread exactly
# by month (the parts add up to the line, each within a cent of an equal
# share, checked in Python), the overspend control per setting — refuse
# (exit 1, one error line, nothing written), warn (written, a warning on
# stderr), ignore (written silently) — for entered and imported spending,
# the import's atomic row-precise errors, and the report with the
# expense-to-sales ratio against its target.
source "$(dirname "$0")/lib.sh"

DB=b.db
S() { sp --db $DB "$@"; }
expect_ok S init --company ACME
printf 'code,name,parent,manager,kind\nEAST,East,,Wang,region\n' >org.csv
printf 'date,amount,org\n2024-01-15,200000.00,EAST\n2024-02-15,100000.00,EAST\n' >sales.csv
expect_ok S import org org.csv
expect_ok S import sales sales.csv
expect_ok S plan create FY2024 --year 2024

expect_ok S budget add --plan FY2024 --type market_research --amount 50000 --period 2024-Q1 --org EAST --control refuse --ratio-target 10
check_eq "$OUT" "budget line 1 added" "add refuse"
expect_ok S budget add --plan FY2024 --type incentives --amount 300000.01 --period 2024 --spread month --control warn
expect_ok S budget add --plan FY2024 --type training --amount 80000 --period 2024-H1 --org EAST --spread quarter --control ignore
expect_fail S budget add --plan FY2024 --type training --amount 1 --period 2024-H1 --org EAST
check_contains "$ERR" "has a training line for EAST 2024-H1 already" "duplicate line"
expect_fail S budget add --plan FY2024 --type x --amount 1 --period 2024 --control maybe
check_contains "$ERR" "--control" "bad control"

expect_ok S budget list --plan FY2024 --parts --format csv
printf '%s\n' "$OUT" >parts.csv
py parts.csv <<'PY' || fail "parts do not add up"
import csv, sys
from decimal import Decimal as D
rows = list(csv.DictReader(open(sys.argv[1])))
inc = [D(r["amount"]) for r in rows if r["type"] == "incentives"]
assert len(inc) == 12 and sum(inc) == D("300000.01"), inc
assert all(abs(x - D("300000.01") / 12) < D("0.01") for x in inc)
assert inc[0] == D("25000.01") and inc[1] == D("25000.00")  # the extra cent goes first
tr = [r for r in rows if r["type"] == "training"]
assert [r["part"] for r in tr] == ["2024-Q1", "2024-Q2"] and sum(D(r["amount"]) for r in tr) == 80000
PY

# refuse: 50,000.00 then one cent more
expect_ok S budget spend --plan FY2024 --line 1 --date 2024-02-01 --amount 49999.99
expect_fail S budget spend --plan FY2024 --line 1 --date 2024-02-02 --amount 0.02
check_contains "$ERR" "over its 50000.00 by 0.01 (control refuse): not recorded" "refused"
expect_ok S budget report --plan FY2024 --format csv
check_contains "$OUT" "1,market_research,EAST,2024-Q1,50000.00,49999.99,0.01," "nothing written"

# warn: written, with a warning on stderr
expect_ok S budget spend --plan FY2024 --type incentives --date 2024-03-01 --amount 300000.02
check_contains "$ERR" "warning: spending 300000.02 takes budget line 2" "warned"
check_contains "$OUT" "remaining -0.01" "over by a cent"
# ignore: silent
expect_ok S budget spend --plan FY2024 --type training --org EAST --date 2024-04-01 --amount 90000
check_eq "$ERR" "" "ignore is silent"

# import: row 3 would take line 1 over -> the whole file is refused
cat >spend.csv <<'CSV'
date,amount,line,type,org,note
2024-03-01,-100.00,1,,,refund
2024-03-02,100.02,1,,,too much
2024-03-03,5.00,,incentives,,ok
CSV
expect_fail S budget import --plan FY2024 spend.csv
check_contains "$ERR" "spend.csv: row 3, column amount" "row-precise"
expect_ok S budget report --plan FY2024 --by type --format csv
check_contains "$OUT" "market_research,50000.00,49999.99,0.01" "import wrote nothing"
sed -i 's/100.02/100.01/' spend.csv
expect_ok S import spending spend.csv --plan FY2024 --dry-run
check_contains "$OUT" "3 rows read, 0 imported (dry run)" "dry run"
expect_ok S import spending spend.csv --plan FY2024
check_contains "$OUT" "3 rows read, 3 imported" "imported"
check_contains "$ERR" "spend.csv: row 4" "warning on the incentives row"
printf 'date,amount,type\n2024-13-01,5,travel\n' >bad.csv
expect_fail S budget import --plan FY2024 bad.csv
check_contains "$ERR" "bad.csv: row 2, column date" "bad date"

# the report: market research 50,000.00 spent of 300,000.00 sales in Q1
# (EAST) -> 16.67 % against 10 %
expect_ok S budget report --plan FY2024 --format csv
check_contains "$OUT" "1,market_research,EAST,2024-Q1,50000.00,50000.00,0.00,100.00,300000.00,16.67,10.00,refuse,ratio above target" "ratio"
check_contains "$OUT" "over budget" "over budget status"
expect_ok S budget report --plan FY2024 --by part --format csv
check_contains "$OUT" "3,training,EAST,2024-Q2,40000.00,90000.00,-50000.00,225.00" "by part"
expect_ok S audit --format csv
check_contains "$OUT" "budget.import" "audited import"
echo "ok 510_budget"
