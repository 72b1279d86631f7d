#!/usr/bin/env bash
# 520_action — action plans end to end (issue 7, item 4): items in phases
# with owners, costs and links to a cell's gap; dependencies, a cycle
# refused; overdue items at an as-of date; the Gantt JSON checked in
# Python; a rep's month plan by dekad and week plan by day against the
# facts (visits, collections) loaded from CSV.
source "$(dirname "$0")/lib.sh"

DB=a.db
S() { sp --db $DB "$@"; }
expect_ok S init --company ACME
printf 'code,name,parent,manager,kind\nEAST,East,,Wang,region\nR001,Li,EAST,,rep\n' >org.csv
printf 'date,amount,org,customer\n2024-03-04,40000.00,R001,C1\n2024-03-22,15000.00,R001,C2\n' >sales.csv
printf 'date,org,type,customer\n2024-03-04,R001,visit,C1\n2024-03-05,R001,visit,C2\n2024-03-15,R001,visit,C1\n' >act.csv
printf 'date,amount,org\n2024-03-06,12000.00,R001\n' >col.csv
expect_ok S import org org.csv
expect_ok S import sales sales.csv
# facts: collections and activities, if this build has them
if S import activities act.csv >/dev/null 2>&1 && S import collections col.csv >/dev/null 2>&1; then
	facts=1
else
	facts=0
fi
expect_ok S plan create FY2024 --year 2024
expect_ok S target set --plan FY2024 --period 2024-03 --org R001 --value 100000

expect_ok S action add --plan FY2024 --title "Market survey" --phase research --owner EAST \
	--start 2024-01-08 --due 2024-01-31 --place Shanghai --materials "questionnaire" --cost 5000
check_eq "$OUT" "action 1 added" "add 1"
expect_ok S action add --plan FY2024 --title "Pricing" --phase strategy --owner EAST \
	--start 2024-02-01 --due 2024-02-20 --after 1
expect_ok S action add --plan FY2024 --title "Key accounts" --owner R001 --start 2024-03-01 \
	--due 2024-03-15 --cost 1,234.56 --link gap --org R001 --period 2024-03 --after 2
expect_fail S action depend --plan FY2024 1 --after 3
check_contains "$ERR" "would make a cycle: 1 → 3 → 2 → 1" "cycle"
expect_fail S action add --plan FY2024 --title x --start 2024-03-02 --due 2024-03-01
check_contains "$ERR" "--due" "due before start"
expect_fail S action add --plan FY2024 --title x --start 2024-03-01 --due 2024-03-02 --link gap --org R001 --period 2024-04
check_contains "$ERR" "no revenue target for R001 2024-04" "link to a missing cell"

expect_ok S action done --plan FY2024 1 --on 2024-01-30
expect_ok S action list --plan FY2024 --overdue --as-of 2024-03-20 --format csv
check_eq "$(printf '%s\n' "$OUT" | cut -d, -f1,3,14 | tail -n +2)" "2,Pricing,29
3,Key accounts,5" "overdue"
# overdue items raise alerts (owner: EAST's manager; R001 has no login here);
# item 1 is done, so it has none
expect_ok S alerts --as-of 2024-03-20 --plan FY2024 --format csv
check_contains "$OUT" 'action_overdue,new,EAST,Wang,FY2024: action 2,"""Pricing"" was due 2024-02-20 and is not done"' "overdue alert"
check_contains "$OUT" "action_overdue,new,R001,Wang,FY2024: action 3," "overdue alert of a rep's item"
[[ "$OUT" != *"FY2024: action 1"* ]] || fail "a done item raises no alert"
# before its due date an item raises none; done resolves at once
expect_ok S alerts --as-of 2024-02-10 --plan FY2024 --format csv
[[ "$OUT" != *"action_overdue"* ]] || fail "no alert before the due date"
expect_ok S alerts --as-of 2024-03-20 --plan FY2024 --format csv
expect_ok S action done --plan FY2024 2 --on 2024-03-20
expect_ok S alerts --no-eval --state resolved --format csv
check_contains "$OUT" "action_overdue,resolved,EAST,Wang,FY2024: action 2," "done resolves the alert"
expect_ok S action status --plan FY2024 2 todo
expect_ok S action list --plan FY2024 --as-of 2024-03-20 --format csv
# gap on 03-20: 100,000.00 - 40,000.00
check_contains "$OUT" "3,execution,Key accounts,R001,2024-03-01,2024-03-15,todo,1234.56,gap,revenue R001 2024-03,60000.00,2,true,5" "gap"

expect_ok S action gantt --plan FY2024 --as-of 2024-03-20
printf '%s\n' "$OUT" >gantt.json
py gantt.json <<'PY' || fail "gantt JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert [p["name"] for p in d["phases"]] == ["research", "strategy", "execution"]
assert d["dependencies"] == [{"from": 1, "to": 2}, {"from": 2, "to": 3}]
it = {i["id"]: i for i in d["items"]}
assert it["1"]["progress"] == 100 and it["1"]["place"] == "Shanghai"
assert it["3"]["dependencies"] == "2" and it["3"]["overdue"] is True and it["3"]["gap"] == "60000.00"
assert it["2"]["start"] == "2024-02-01" and it["2"]["end"] == "2024-02-20"
PY

expect_ok S action plan set --org R001 --block 2024-03-D1 --customers 4 --visits 6 --signings 1 \
	--signed-amount 30000 --receivables 10000
expect_fail S action plan set --org R001 --block 2024-03 --visits 1
check_contains "$ERR" "is not a dekad" "month is no block"
expect_ok S action plan show --org R001 --month 2024-03 --format csv
printf '%s\n' "$OUT" >month.csv
py month.csv "$facts" <<'PY' || fail "month plan"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
facts = sys.argv[2] == "1"
assert [r["block"] for r in rows] == ["2024-03-D1", "2024-03-D2", "2024-03-D3", "total"]
d1 = rows[0]
assert (d1["customers_plan"], d1["visits_plan"], d1["signed_amount_plan"], d1["receivables_plan"]) == ("4", "6", "30000.00", "10000.00")
if facts:
    # D1: visits to C1 and C2 on 03-04 and 03-05, 12,000.00 collected on 03-06
    assert (d1["customers_done"], d1["visits_done"], d1["receivables_done"]) == ("2", "2", "12000.00"), d1
    assert rows[1]["visits_done"] == "1" and rows[3]["customers_done"] == "2" and rows[3]["visits_done"] == "3"
PY
expect_ok S action plan show --org R001 --week 2024-W10 --format csv
check_eq "$(printf '%s\n' "$OUT" | wc -l)" "9" "week: header, 7 days, total"
expect_ok S audit --format csv
check_contains "$OUT" "action.status" "audited"
echo "ok 520_action (facts: $facts)"
