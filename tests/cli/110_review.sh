#!/usr/bin/env bash
# 110_review — weekly self-reviews and the manager's pack on a small company
# whose figures are checked by hand:
#  - November 2026 has 21 working days (no holidays loaded); by Sunday
#    2026-11-22 (end of ISO week 2026-W47) 15 have elapsed: time progress
#    15/21 = 71.43 %;
#  - R1 sold 300.00 on 11-03, 200.00 on 11-17 and 100.00 on 11-20: week
#    actual 300.00, month to date 600.00 against a month target of 1000.00:
#    attainment 60.00 %, progress gap 60.00 - 71.43 = -11.43 points, status
#    behind (band -15 .. -5);
#  - R1's activities in the week: visits 2 (11-16, 11-17; 11-10 is outside),
#    calls 1, meetings 1; 150.00 collected on 11-18 against SO1;
#  - opportunities: O1 (lead 11-02, qualified 11-17), O2 (lead 11-16, won
#    11-20, 500.00), O3 (lead 11-05, lost 11-19): created in the week 1 (O2),
#    moved 3, won 1 for 500.00, lost 1;
#  - team T1 = R1 + R2 (R2 sold 50.00 on 11-18): week actual 350.00;
#  - who may write (the node's own user; admin) and read (subtree);
#    partial updates keep the other parts; bad weeks and long texts fail;
#  - the pack: json sections, csv blocks, a printable bilingual html page.
source "$(dirname "$0")/lib.sh"

DB=r.db
expect_ok sp --db $DB init --company Acme
printf 'code,name,parent,manager,kind\nT1,Team One,,Wang,team\nR1,Rep One,T1,,rep\nR2,Rep Two,T1,,rep\nT2,Team Two,,Li,team\nR3,Rep Three,T2,,rep\n' >org.csv
expect_ok sp --db $DB import org org.csv
cat >sales.csv <<'CSV'
date,amount,org,customer,order
2026-11-03,300.00,R1,C1,SO1
2026-11-17,200.00,R1,C2,SO2
2026-11-20,100.00,R1,C1,SO3
2026-11-18,50.00,R2,C3,SO4
2026-11-18,70.00,R3,C4,SO5
CSV
expect_ok sp --db $DB import sales sales.csv
printf 'date,amount,order\n2026-11-18,150.00,SO1\n' >coll.csv
expect_ok sp --db $DB import collections coll.csv
cat >act.csv <<'CSV'
date,org,type,customer
2026-11-10,R1,visit,C1
2026-11-16,R1,visit,C1
2026-11-17,R1,visit,C2
2026-11-18,R1,call,C2
2026-11-19,R1,meeting,C1
2026-11-19,R2,visit,C3
CSV
expect_ok sp --db $DB import activities act.csv
cat >opp.csv <<'CSV'
opportunity,date,stage,amount,org,customer,reason
O1,2026-11-02,lead,1000.00,R1,C1,
O1,2026-11-17,qualified,,,,
O2,2026-11-16,lead,500.00,R1,C2,
O2,2026-11-20,won,,,,
O3,2026-11-05,lead,800.00,R1,C1,
O3,2026-11-19,lost,,,,价格偏高
CSV
expect_ok sp --db $DB import opportunities opp.csv
expect_ok sp --db $DB plan create P2026 --year 2026
expect_ok sp --db $DB target set --plan P2026 --period 2026-11 --org R1 --value 1000
expect_ok sp --db $DB user add rep1 --role rep --org R1 --password 'long enough'
expect_ok sp --db $DB user add rep2 --role rep --org R2 --password 'long enough'
expect_ok sp --db $DB user add boss --role manager --org T1 --password 'long enough'
expect_ok sp --db $DB user add other --role manager --org T2 --password 'long enough'

# field NAME from the json rows of `review show` for ORG
field() { # JSONFILE ORG NAME
	py "$1" "$2" "$3" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1], encoding="utf-8"))
r = [x for x in rows if x["org"] == sys.argv[2]]
assert len(r) == 1, r
v = r[0][sys.argv[3]]
print("null" if v is None else v)
PY
}

# ---- write: own node only; admin may ------------------------------------------
expect_ok sp --db $DB review write --week 2026-W47 --as rep1 --done "拜访2家客户" --gaps "预算推迟"
check_eq "$OUT" "review of R1 for 2026-W47 saved" "write message"
expect_fail sp --db $DB review write --week 2026-W47 --org R1 --as boss --done x
check_contains "$ERR" "may not write the review of R1" "a manager cannot write a rep's review"
expect_fail sp --db $DB review write --week 2026-W47 --org R2 --as rep1 --done x
check_contains "$ERR" "may not write" "a rep cannot write another rep's review"
expect_ok sp --db $DB review write --week 2026-11-18 --org R1 --next "跟进O1" # a date names its week
expect_fail --rc 2 sp --db $DB review write --org R1 --done x
check_contains "$ERR" "--week" "write needs a week"
expect_fail sp --db $DB review write --week 2026-W47 --org R1
check_contains "$ERR" "at least one of" "write needs a text part"
expect_fail sp --db $DB review write --week 2026-W99 --org R1 --done x
check_contains "$ERR" "--week" "bad week"
expect_fail sp --db $DB review write --week 2099-W01 --org R1 --done x
check_contains "$ERR" "has not started" "future week"
long=$(printf 'x%.0s' $(seq 1 1024))
expect_fail sp --db $DB review write --week 2026-W47 --org R1 --gaps "$long"
check_contains "$ERR" "at most 1023 bytes" "long text"

# ---- show: figures by hand --------------------------------------------------------
expect_ok sp --db $DB review show --week 2026-W47 --as rep1 --format json
echo "$OUT" >r1.json
check_eq "$(field r1.json R1 status)" "written" "status"
check_eq "$(field r1.json R1 author)" "local-admin" "author: the last writer (the CLI admin)"
check_eq "$(field r1.json R1 done)" "拜访2家客户" "done kept by a partial update"
check_eq "$(field r1.json R1 gaps)" "预算推迟" "gaps kept"
check_eq "$(field r1.json R1 next_plan)" "跟进O1" "next written by the admin"
check_eq "$(field r1.json R1 help_needed)" "" "help empty"
check_eq "$(field r1.json R1 week_actual)" "300.00" "week actual"
check_eq "$(field r1.json R1 week_target)" "null" "no week cell"
check_eq "$(field r1.json R1 month)" "2026-11" "month"
check_eq "$(field r1.json R1 month_target)" "1000.00" "month target"
check_eq "$(field r1.json R1 month_actual)" "600.00" "month to date"
check_eq "$(field r1.json R1 month_attainment)" "60.0" "attainment"
check_eq "$(field r1.json R1 time_progress)" "71.43" "time progress 15/21"
check_eq "$(field r1.json R1 progress_gap)" "-11.43" "progress gap"
check_eq "$(field r1.json R1 track_status)" "behind" "status"
check_eq "$(field r1.json R1 visits)" "2" "visits in the week"
check_eq "$(field r1.json R1 calls)" "1" "calls"
check_eq "$(field r1.json R1 meetings)" "1" "meetings"
check_eq "$(field r1.json R1 collections)" "150.00" "collections"
check_eq "$(field r1.json R1 opportunities_new)" "1" "opportunities created"
check_eq "$(field r1.json R1 opportunities_moved)" "3" "opportunities moved"
check_eq "$(field r1.json R1 won)" "1" "won"
check_eq "$(field r1.json R1 won_amount)" "500.00" "won amount"
check_eq "$(field r1.json R1 lost)" "1" "lost"
# the rows of a rep: only their own
check_eq "$(py r1.json <<<'import json,sys; print(len(json.load(open(sys.argv[1]))))')" "1" "a rep sees one row"
expect_fail sp --db $DB review show --week 2026-W47 --as rep1 --org R2
check_contains "$ERR" "may not see" "a rep cannot read another rep's review"
# a manager reads the team: R1 written, R2 missing; not the other team
expect_ok sp --db $DB review show --week 2026-W47 --as boss --format json
echo "$OUT" >t1.json
check_eq "$(py t1.json <<<'import json,sys; print(",".join(r["org"]+":"+r["status"] for r in json.load(open(sys.argv[1]))))')" \
	"R1:written,R2:missing" "the team's reviews"
check_eq "$(field t1.json R2 week_actual)" "50.00" "R2 week actual"
check_eq "$(field t1.json R2 visits)" "1" "R2 visits"
expect_fail sp --db $DB review show --week 2026-W47 --as other --org T1
check_contains "$ERR" "may not see" "another team's manager"
# --as-of inside the week stops the figures there (11-17: 200.00, one visit... two)
expect_ok sp --db $DB review show --week 2026-W47 --org R1 --as-of 2026-11-17 --format json
echo "$OUT" >asof.json
check_eq "$(field asof.json R1 week_actual)" "200.00" "week actual to 11-17"
check_eq "$(field asof.json R1 visits)" "2" "visits to 11-17"
check_eq "$(field asof.json R1 calls)" "0" "calls to 11-17"
# the table format: one block per review
expect_ok sp --db $DB review show --week 2026-W47 --org R1
check_contains "$OUT" "track_status         behind" "table format shows fields as lines"

# ---- pack -------------------------------------------------------------------------
expect_ok sp --db $DB review pack --week 2026-W47 --org T1 --as boss --format json
echo "$OUT" >pack.json
py pack.json <<'PY'
import json, sys
p = json.load(open(sys.argv[1], encoding="utf-8"))
assert p["week"] == "2026-W47" and p["from"] == "2026-11-16" and p["to"] == "2026-11-22", p
assert p["org"] == "T1" and p["plan"] == "P2026", p
fig = {r["org"]: r for r in p["figures"]}
assert list(fig) == ["T1", "R1", "R2"], list(fig)
assert fig["T1"]["week_actual"] == "350.00" and fig["T1"]["visits"] == 3, fig["T1"]
assert fig["T1"]["month_actual"] == "650.00", fig["T1"]
lb = p["leaderboard"]
assert [r["org"] for r in lb] == ["R1", "R2"] and lb[0]["rank"] == 1 and lb[1]["rank"] is None, lb
assert [r["status"] for r in p["reviews"]] == ["written", "missing"], p["reviews"]
assert isinstance(p["alerts"], list)
PY
expect_ok sp --db $DB review pack --week 2026-W47 --org T1 --format csv
check_eq "$(head -3 <<<"$OUT")" $'section,meta\nkey,value\nweek,2026-W47' "csv begins with the meta block"
for s in figures leaderboard alerts reviews; do
	check_contains "$OUT" $'\n'"section,$s"$'\n' "csv block $s"
done
expect_ok sp --db $DB review pack --week 2026-W47 --org T1 --format html
html=$OUT
check_contains "$html" "<!DOCTYPE html>" "html page"
check_contains "$html" "@media print" "print css"
check_contains "$html" "@page" "page size"
check_contains "$html" "周复盘" "Chinese label"
check_contains "$html" "Weekly self-reviews" "English label"
check_contains "$html" "拜访2家客户" "the review text"
[[ "$html" != *"<script"* && "$html" != *"http://"* && "$html" != *"https://"* ]] ||
	fail "the page is not self-contained"
expect_ok sp --db $DB review write --week 2026-W47 --as rep2 --done '<script>alert(1)</script>'
expect_ok sp --db $DB review pack --week 2026-W47 --org T1 --format html
[[ "$OUT" != *"<script>"* ]] || fail "review text is not escaped in html"
check_contains "$OUT" "&lt;script&gt;" "escaped text"
expect_fail --rc 2 sp --db $DB review pack --week 2026-W47 --org T1 --format table
expect_fail sp --db $DB review pack --week 2026-W47 --org T1 --as rep1
check_contains "$ERR" "may not see" "a rep cannot read the team's pack"

echo "ok 110_review"
