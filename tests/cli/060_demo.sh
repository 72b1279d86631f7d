#!/usr/bin/env bash
# 060_demo — `salesplan demo`: creates a database quickly with a plan for the
# year of --today split to region x month (parts adding up exactly), live
# actuals for past months and none after today, a holiday calendar, history
# for the previous years; deterministic for a seed; refuses an existing file.
source "$(dirname "$0")/lib.sh"

start=$(date +%s)
expect_ok sp --db demo.db demo --today 2026-11-23
elapsed=$(($(date +%s) - start))
((elapsed < 30)) || fail "demo took ${elapsed}s (limit 30s)"
[[ -s demo.db ]] || fail "demo created no database"

# ---- the plan of the year --------------------------------------------------
expect_ok sp --db demo.db plan list --format csv
plans=$(echo "$OUT" | tail -n +2)
check_eq "$(echo "$plans" | wc -l)" 1 "one plan"
IFS=, read -r PLAN year _status ntargets <<<"$plans"
check_eq "$year" 2026 "the plan is for the year of --today"
expect_ok sp --db demo.db plan list --format json
py <<<"import json,sys; d=json.loads(sys.argv[1]); assert d[0]['name']=='$PLAN' and d[0]['year']==2026, d" "$OUT" ||
	fail "plan list json"

# regions: 华东 华南 华北 西南 (codes from target list)
expect_ok sp --db demo.db target list --plan "$PLAN" --format csv
list=$OUT
# (awk reads to the end: an early exit would SIGPIPE echo under pipefail)
root=$(echo "$list" | awk -F, '!found && $4 == "2026" && $5 == "" && $8 == "" && $11 == "manual" { print $2; found = 1 }')
[[ -n "$root" ]] || fail "no company year cell in the demo plan"
mapfile -t regions < <(echo "$list" | awk -F, -v r="$root" 'NR > 1 && $2 != r { print $2 }' | sort -u)
check_eq "${#regions[@]}" 4 "four regions in the plan"
names=$(echo "$list" | awk -F, -v r="$root" 'NR > 1 && $2 != r { print $3 }' | sort -u | tr '\n' ' ')
check_eq "$names" "$(printf '%s\n' 华东 华南 华北 西南 | sort | tr '\n' ' ')" "region names"
check_eq "$(($(echo "$list" | wc -l) - 1))" "$ntargets" "plan list counts the targets"
# year = sum of months, year = sum of regions, each month = sum of its regions
check_tree demo.db "$PLAN" "$root" "${regions[@]}"

# ---- track: region x month rows, actuals in the past only --------------------
expect_ok sp --db demo.db track --plan "$PLAN" --as-of 2026-11-23 --by org,month --format csv
echo "$OUT" >track.csv
py "$root" <<'EOF' || fail "demo tracking"
import csv, sys
from decimal import Decimal
root = sys.argv[1]
rows = [r for r in csv.DictReader(open("track.csv", encoding="utf-8")) if r["org"] != root]
cells = {(r["org"], r["period"]): r for r in rows}
bad = []
regions = {r["org"] for r in rows}
if len(regions) != 4 or len(cells) != 48 or len(rows) != 48:
    bad.append(f"want 4 regions x 12 months, got {len(regions)} regions, {len(rows)} rows")
for (org, p), r in cells.items():
    m = int(p[5:7])
    a, t = Decimal(r["actual"]), Decimal(r["target"])
    if t <= 0:
        bad.append(f"{org} {p}: target {t}")
    if m <= 10 and (a <= 0 or r["time_progress"] != "100.00"):
        bad.append(f"{org} {p}: past month with actual {a}, progress {r['time_progress']}")
    if m == 11 and not (a > 0 and 0 < Decimal(r["time_progress"]) < 100):
        bad.append(f"{org} {p}: current month actual {a}, progress {r['time_progress']}")
    if m == 12 and (a != 0 or r["time_progress"] != "0.00"):
        bad.append(f"{org} {p}: future month actual {a}, progress {r['time_progress']}")
sys.exit("\n".join(bad) or 0)
EOF
# nothing is sold after --today
nov() { sp --db demo.db track --plan "$PLAN" --as-of "$1" --by month --format csv | grep ",2026-11," | cut -d, -f10; }
check_eq "$(nov 2026-11-30)" "$(nov 2026-11-23)" "no sales after --today"
# the calendar has China's National Day: Oct 1-7 2026 are holidays
oct=$(sp --db demo.db track --plan "$PLAN" --as-of 2026-10-07 --by month --format csv | grep ",2026-10," | cut -d, -f12)
check_eq "$oct" "0.00" "October time progress during National Day"
# Spring Festival dip: February sells less than January and March
py <<'EOF' || fail "no Spring Festival dip in the demo"
import csv
from decimal import Decimal
a = {}
for r in csv.DictReader(open("track.csv", encoding="utf-8")):
    a[r["period"]] = a.get(r["period"], 0) + Decimal(r["actual"])
assert a["2026-02"] < a["2026-01"] and a["2026-02"] < a["2026-03"], a
EOF

# history: the previous years have actuals (so history splits work)
for y in 2024 2025; do
	expect_ok sp --db demo.db plan create "H$y" --year $y
	expect_ok sp --db demo.db target set --plan "H$y" --period $y --value 1
	expect_ok sp --db demo.db track --plan "H$y" --as-of "$y-12-31" --format csv
	act=$(echo "$OUT" | tail -n 1 | cut -d, -f10)
	[[ "$act" != 0.00 && "$act" != -* ]] || fail "demo has no sales in $y ($act)"
done

# ---- determinism and seeds -------------------------------------------------
expect_ok sp --db again.db demo --today 2026-11-23
check_eq "$(sp --db again.db track --plan "$PLAN" --as-of 2026-11-23 --format csv | md5sum)" \
	"$(sp --db demo.db track --plan "$PLAN" --as-of 2026-11-23 --format csv | md5sum)" \
	"the same --today gives the same demo"
expect_ok sp --db seed.db demo --today 2026-11-23 --seed 7
[[ "$(sp --db seed.db track --plan "$PLAN" --as-of 2026-11-23 --format csv | md5sum)" != \
	"$(sp --db demo.db track --plan "$PLAN" --as-of 2026-11-23 --format csv | md5sum)" ]] ||
	fail "--seed does not change the demo"
# another year
expect_ok sp --db y2019.db demo --today 2019-03-15
expect_ok sp --db y2019.db plan list --format csv
check_contains "$OUT" ",2019," "demo for --today 2019-03-15 plans 2019"

# ---- errors ----------------------------------------------------------------
cp demo.db demo.before
expect_fail sp --db demo.db demo --today 2026-11-23
check_contains "$ERR" "demo.db" "demo on an existing file names it"
cmp -s demo.db demo.before || fail "a refused demo changed the existing database"
expect_fail sp --db bad.db demo --today 2026-02-30
check_contains "$ERR" "2026-02-30" "bad --today named"
[[ ! -e bad.db ]] || fail "a failed demo left bad.db behind"
# default location: ./salesplan.db
mkdir d && cd d
expect_ok sp demo --today 2026-11-23
[[ -s salesplan.db ]] || fail "demo without --db must create ./salesplan.db"

echo "ok 060_demo"
