#!/usr/bin/env bash
# 050_track — `salesplan track`: time progress in working days of the loaded
# calendar (issue 2, "Done when"), attainment, gap, actuals to the as-of date,
# csv/json/table agreement and --by selection. The oracle recomputes every
# row in Python from the orders CSV and the calendar CSV.
source "$(dirname "$0")/lib.sh"

ORDERS=$SP_TEST_DATA/orders.csv
CAL=$SP_TEST_DATA/calendar_cn_2017.csv
DB=t.db

expect_ok sp --db $DB init --company Acme
expect_ok sp --db $DB import sales "$ORDERS"
expect_ok sp --db $DB plan create P2017 --year 2017
expect_ok sp --db $DB target set --plan P2017 --period 2017 --value 1000000
expect_ok sp --db $DB target split --plan P2017 --period 2017 --into month --method equal

feb() { sp --db $DB track --plan P2017 --as-of "$1" --by month --format csv | grep '^revenue,Acme,Acme,2017-02,' | cut -d, -f12; }
# Without a calendar: Monday to Friday. Feb 1..10 2017 holds 8 weekdays of 20.
check_eq "$(feb 2017-02-10)" "40.00" "time progress on the default Mon-Fri calendar"

# ---- with China's 2017 calendar --------------------------------------------
expect_ok sp --db $DB import calendar "$CAL"
# Spring Festival: Feb 1-2 are holidays, Sat Feb 4 is a make-up workday, so
# Feb 1..10 holds 7 working days of Feb's 19: 36.84 (not the naive 40.00).
check_eq "$(feb 2017-02-10)" "36.84" "time progress on the CN 2017 calendar"
expect_ok sp --db $DB track --plan P2017 --as-of 2017-02-10 --by year --format csv
# Jan has 19 working days (make-up Sun Jan 22; holidays Jan 2, 27, 30, 31), so
# the year is at (19 + 7) / 249.
check_eq "$(echo "$OUT" | tail -n 1 | cut -d, -f12)" "10.44" "year time progress"

# ---- a fuller plan: months by org, October by dekad and day ------------------
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
	expect_ok sp --db $DB target split --plan P2017 --period "2017-$m" --into org --method history
done
expect_ok sp --db $DB target split --plan P2017 --period 2017 --into quarter --method workdays
expect_ok sp --db $DB target split --plan P2017 --period 2017-10 --into dekad --method workdays
expect_ok sp --db $DB target split --plan P2017 --period 2017-10-D1 --into day --method equal
expect_ok sp --db $DB target set --plan P2017 --period 2017-11 --org East --value 0
expect_ok sp --db $DB target list --plan P2017 --format csv
ncells=$(($(echo "$OUT" | wc -l) - 1))

# oracle: every row of track at several dates, recomputed from the files
AS_OF_DATES=(2016-12-31 2017-01-01 2017-02-10 2017-02-03 2017-02-04 2017-10-01 2017-06-30 2017-10-05 2017-10-09 2017-12-31 2018-03-01)
for d in "${AS_OF_DATES[@]}"; do
	sp --db $DB track --plan P2017 --as-of "$d" --format csv >"track_$d.csv"
	sp --db $DB track --plan P2017 --as-of "$d" --format json >"track_$d.json"
	sp --db $DB track --plan P2017 --as-of "$d" --format table >"track_$d.txt"
done
py "$ORDERS" "$CAL" "$ncells" "${AS_OF_DATES[@]}" <<'EOF' || fail "track figures differ from the oracle"
import csv, datetime as dt, json, re, sys
from collections import defaultdict
from decimal import Decimal, ROUND_HALF_UP
orders, cal, ncells, dates = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
D, cent = dt.date, Decimal("0.01")
sales = defaultdict(Decimal)   # (org, date) -> amount
for r in csv.DictReader(open(orders, newline="", encoding="utf-8")):
    a = Decimal(r["Sales"]).quantize(cent, rounding=ROUND_HALF_UP)
    d = D.fromisoformat(r["Order Date"])
    sales[(r["Region"], d)] += a
    sales[("Acme", d)] += a
special = {r["date"]: r["type"] for r in csv.DictReader(open(cal, encoding="utf-8"))}
def workday(d):
    t = special.get(d.isoformat())
    return t in ("makeup", "workday") or (t is None and d.weekday() < 5)
def mend(y, m): return D(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(1)
def span(p):
    if m := re.fullmatch(r"(\d{4})", p): return D(int(p), 1, 1), D(int(p), 12, 31)
    if m := re.fullmatch(r"(\d{4})-Q(\d)", p):
        y, q = int(m[1]), int(m[2]); return D(y, 3 * q - 2, 1), mend(y, 3 * q)
    if m := re.fullmatch(r"(\d{4})-(\d\d)", p):
        y, mo = int(m[1]), int(m[2]); return D(y, mo, 1), mend(y, mo)
    if m := re.fullmatch(r"(\d{4})-(\d\d)-D(\d)", p):
        y, mo, k = int(m[1]), int(m[2]), int(m[3])
        return D(y, mo, 10 * k - 9), (D(y, mo, 10 * k) if k < 3 else mend(y, mo))
    return D.fromisoformat(p), D.fromisoformat(p)
def days(a, b): return [a + dt.timedelta(n) for n in range((b - a).days + 1)]
def pct(num, den):
    return "" if den == 0 else str((Decimal(num) * 100 / Decimal(den)).quantize(cent, rounding=ROUND_HALF_UP))
bad = []
for asof_s in dates:
    asof = D.fromisoformat(asof_s)
    rows = list(csv.DictReader(open(f"track_{asof_s}.csv", encoding="utf-8")))
    if len(rows) != ncells:
        bad.append(f"{asof_s}: {len(rows)} rows, want one per target cell ({ncells})")
    for r in rows:
        a, b = span(r["period"])
        actual = sum((sales[(r["org"], d)] for d in days(a, min(b, asof))), Decimal("0.00"))
        target = Decimal(r["target"])
        wd = [d for d in days(a, b) if workday(d)] or days(a, b)  # no working day: calendar days
        el = sum(1 for d in wd if d <= asof)
        want = {"actual": str(actual), "attainment": pct(actual, target),
                "time_progress": pct(el, len(wd)), "gap": str(target - actual)}
        for k, v in want.items():
            if r[k] != v:
                bad.append(f"{asof_s} {r['org']} {r['period']} {k}: track {r[k]!r}, oracle {v!r}")
        if asof < a and r["time_progress"] != "0.00":
            bad.append(f"{asof_s} {r['period']}: before the period, time progress {r['time_progress']}")
        if asof >= b and r["time_progress"] != "100.00":
            bad.append(f"{asof_s} {r['period']}: after the period, time progress {r['time_progress']}")
    # json: the same rows and figures
    js = json.load(open(f"track_{asof_s}.json", encoding="utf-8"))
    if not isinstance(js, list) or len(js) != len(rows):
        bad.append(f"{asof_s}: json has {len(js)} rows, csv {len(rows)}")
        continue
    for c, j in zip(rows, js):
        for k, v in c.items():
            jv = j.get(k, "MISSING")
            if k in ("attainment", "time_progress", "progress_gap"):
                same = (jv is None and v == "") or (isinstance(jv, (int, float)) and v != ""
                        and Decimal(repr(jv)).quantize(cent) == Decimal(v))
            else:
                same = (jv is None and v == "") or jv == v
            if not same:
                bad.append(f"{asof_s} json {c['org']} {c['period']} {k}: {jv!r} vs csv {v!r}")
    # table: the same figures, row by row
    lines = open(f"track_{asof_s}.txt", encoding="utf-8").read().splitlines()
    if len(lines) != len(rows) + 1:
        bad.append(f"{asof_s}: table has {len(lines) - 1} rows, csv {len(rows)}")
    for c, line in zip(rows, lines[1:]):
        want = [c["metric"], c["org"], c["org_name"], c["period"]] + \
               [c[k] for k in ("target", "actual", "attainment", "time_progress", "gap",
                               "progress_gap", "projection", "remaining", "per_workday",
                               "status") if c[k]]
        if line.split() != want:
            bad.append(f"{asof_s} table row {line.split()} vs csv {want}")
if bad:
    sys.exit("\n".join(bad[:20]) + (f"\n... {len(bad)} problems" if len(bad) > 20 else ""))
EOF

# spot checks, spelled out
row() { grep "^revenue,$2,$2,$3," "track_$1.csv" | cut -d, -f9-13; }
check_eq "$(row 2016-12-31 Acme 2017 | cut -d, -f2,4)" "0.00,0.00" "before the year: no actual, 0.00 progress"
check_eq "$(row 2018-03-01 Acme 2017-02 | cut -d, -f4)" "100.00" "after the period: 100.00"
check_eq "$(row 2017-02-10 Acme 2017-02 | cut -d, -f4)" "36.84" "Feb 2017 as of 2017-02-10"
# Sat Feb 4 is a working day: progress moves from Feb 3 (1/19) to Feb 4 (2/19)
check_eq "$(row 2017-02-03 Acme 2017-02 | cut -d, -f4)" "5.26" "Feb 1-2 are holidays"
check_eq "$(row 2017-02-04 Acme 2017-02 | cut -d, -f4)" "10.53" "the make-up Saturday counts"
# National Day: Oct 1-8 are holidays, Oct 9-10 working days; D1 = Oct 1..10
check_eq "$(row 2017-10-05 Acme 2017-10-D1 | cut -d, -f4)" "0.00" "no working day elapsed in the holiday"
check_eq "$(row 2017-10-09 Acme 2017-10-D1 | cut -d, -f4)" "50.00" "1 of 2 working days"
# a period without working days counts calendar days
check_eq "$(row 2017-10-05 Acme 2017-10-03 | cut -d, -f4)" "100.00" "holiday cell after its day"
check_eq "$(row 2017-10-01 Acme 2017-10-03 | cut -d, -f4)" "0.00" "holiday cell before its day"
# a zero target has no attainment; the gap is exact
check_eq "$(row 2017-12-31 East 2017-11 | cut -d, -f1,3)" "0.00," "zero target: empty attainment"
IFS=, read -r tgt act _ _ gap < <(row 2017-12-31 Acme 2017)
check_eq "$(py "$tgt" "$act" "$gap" <<<'import sys; from decimal import Decimal as D; print(D(sys.argv[1]) - D(sys.argv[2]) == D(sys.argv[3]))')" \
	True "gap = target - actual"

# Attainment ties round half away from zero like amounts (99.975 -> 99.98).
expect_ok sp --db tie.db init --company Tie
printf 'date,amount\n2017-03-01,999.75\n2017-04-01,123.45\n' >tie.csv
expect_ok sp --db tie.db import sales tie.csv
expect_ok sp --db tie.db plan create P --year 2017
expect_ok sp --db tie.db target set --plan P --period 2017-03 --value 1000
expect_ok sp --db tie.db target set --plan P --period 2017-04 --value 1000
expect_ok sp --db tie.db track --plan P --as-of 2017-12-31 --format csv
check_contains "$OUT" "2017-04,,,,,1000.00,123.45,12.35," "12.345% -> 12.35"
# (a double with %.2f printed 99.97 here before fa57416)
check_contains "$OUT" "2017-03,,,,,1000.00,999.75,99.98," "99.975% -> 99.98"

# ---- actuals roll up the org tree ------------------------------------------
expect_ok sp --db tree.db init --company Acme
printf 'code,name,parent,manager\nEast,华东,,Zhang\nE1,East team 1,East,Li\nE2,East team 2,East,Wang\nWest,华西,Acme,\n' >org.csv
expect_ok sp --db tree.db import org org.csv
check_contains "$OUT" "4 rows imported" "org import"
printf 'Order Date,Region,Sales\n2016-01-05,E1,10\n2016-02-05,E2,30\n2016-03-05,West,60\n2016-03-06,,5\n' >tree.csv
expect_ok sp --db tree.db import sales tree.csv
check_contains "$OUT" "0 members created" "sales credited to known org nodes (empty org = the company)"
expect_ok sp --db tree.db plan create P16 --year 2016
expect_ok sp --db tree.db target set --plan P16 --period 2016 --value 1000
expect_ok sp --db tree.db target split --plan P16 --period 2016 --into org --method equal
expect_ok sp --db tree.db target split --plan P16 --period 2016 --org East --into org --method equal
expect_ok sp --db tree.db track --plan P16 --as-of 2016-12-31 --format csv
check_eq "$(echo "$OUT" | tail -n +2 | cut -d, -f2,9,10,11 | tr '\n' ' ')" \
	"Acme,1000.00,105.00,10.50 East,500.00,40.00,8.00 E1,250.00,10.00,4.00 E2,250.00,30.00,12.00 West,500.00,60.00,12.00 " \
	"each node's actual is its subtree's; rows follow the tree"
# history shares come from the subtrees too: East 40 : West 60, E1 10 : E2 30
expect_ok sp --db tree.db plan create P17 --year 2017
expect_ok sp --db tree.db target set --plan P17 --period 2017 --value 1000
expect_ok sp --db tree.db target split --plan P17 --period 2017 --into org --method history
expect_ok sp --db tree.db target split --plan P17 --period 2017 --org East --into org --method history
expect_ok sp --db tree.db target list --plan P17 --format csv
check_eq "$(echo "$OUT" | tail -n +2 | cut -d, -f2,9 | sort | tr '\n' ' ')" \
	"Acme,1000.00 E1,100.00 E2,300.00 East,400.00 West,600.00 " "history over a two-level org tree"
expect_fail sp --db tree.db target split --plan P17 --period 2017 --org E1 --into org --method equal
check_contains "$ERR" "E1" "a leaf has no children to split over"

# ---- --by selects cells ----------------------------------------------------
by() { sp --db $DB track --plan P2017 --as-of 2017-12-31 --by "$1" --format csv | tail -n +2 | cut -d, -f2,4 | sort; }
want=$(grep -E '^revenue,[A-Za-z]+,[A-Za-z]+,2017-[0-9][0-9],' track_2017-12-31.csv | cut -d, -f2,4 | sort)
check_eq "$(by org,month)" "$want" "--by org,month: every org's month cells, nothing else"
check_eq "$(by org,month | wc -l)" 60 "--by org,month: 12 company months + 48 region months"
check_eq "$(by month,org)" "$want" "--by month,org is the same cut"
check_eq "$(by month | tr '\n' ' ')" "$(echo "$want" | grep '^Acme,' | tr '\n' ' ')" "--by month: the company's months"
check_eq "$(by quarter | tr '\n' ' ')" "Acme,2017-Q1 Acme,2017-Q2 Acme,2017-Q3 Acme,2017-Q4 " "--by quarter"
check_eq "$(by year | tr '\n' ' ')" "Acme,2017 " "--by year"
check_eq "$(by org,year | tr '\n' ' ')" "Acme,2017 " "--by org,year (no region year cells)"
check_eq "$(by dekad | tr '\n' ' ')" "Acme,2017-10-D1 Acme,2017-10-D2 Acme,2017-10-D3 " "--by dekad"
check_eq "$(by day | wc -l)" 10 "--by day"
check_eq "$(by half)" "" "--by half: no cells, header only"
expect_fail sp --db $DB track --plan P2017 --as-of 2017-12-31 --by region
check_contains "$ERR" "region" "unknown --by word named"
expect_fail sp --db $DB track --plan P2017 --as-of 2017-12-31 --by month,quarter
check_contains "$ERR" "quarter" "two grains refused"
expect_fail sp --db $DB track --plan P2017 --as-of 2017-12-31 --format xml
check_contains "$ERR" "xml" "unknown format named"
expect_fail sp --db $DB track --plan P2017 --as-of 2017-02-30
check_contains "$ERR" "2017-02-30" "bad as-of date named"
expect_fail sp --db $DB track --plan Nope --as-of 2017-12-31
check_contains "$ERR" "Nope" "unknown plan named"
# no --as-of: today (just runs)
expect_ok sp --db $DB track --plan P2017 --by year --format csv

# Excel-style dates are accepted for --as-of too
expect_ok sp --db $DB track --plan P2017 --as-of 2017/2/10 --by month --format csv
check_contains "$OUT" "revenue,Acme,Acme,2017-02,,,,,83333.34,26796.81,32.16,36.84," "as-of 2017/2/10"

echo "ok 050_track"
