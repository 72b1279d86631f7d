#!/usr/bin/env bash
# 200_fill_resplit — issue 3 items 2-4 end to end: a region x month table
# filled so that each region's year (history) and the company's months
# (workdays) both hold exactly, checked by a Python oracle from the listing;
# the table kept through a change of the year, a table cell set, a lock and
# --propagate-up; grains kept consistent (months under quarters); resplit
# after new history reports the cells that moved; metrics catalogue; errors.
source "$(dirname "$0")/lib.sh"

ORDERS=$SP_TEST_DATA/orders.csv
CAL=$SP_TEST_DATA/calendar_cn_2017.csv
DB=f.db

expect_ok sp --db $DB init --company Acme
expect_ok sp --db $DB import sales "$ORDERS"
expect_ok sp --db $DB import calendar "$CAL"
expect_ok sp --db $DB plan create P --year 2017
expect_ok sp --db $DB target set --plan P --period 2017 --value 1,000,000

# a fill needs both margins
expect_fail sp --db $DB target fill --plan P --period 2017 --rows org --cols month
check_contains "$ERR" "split it by org first" "fill without row totals"
expect_ok sp --db $DB target split --plan P --period 2017 --into org --method history
expect_ok sp --db $DB target split --plan P --period 2017 --into month --method workdays
expect_ok sp --db $DB target fill --plan P --period 2017 --rows org --cols month --seed history
check_contains "$OUT" "both margins exact" "fill report"

# table_ok: from the listing, every region's months add up to its year, every
# month's regions add up to the month, the months to the year.
table_ok() {
	sp --db $DB target list --plan P --format csv >"$T/l.csv"
	py "$T/l.csv" <<'PY' || fail "$1: a margin of the region x month table does not hold"
import csv, sys
from collections import defaultdict
from decimal import Decimal
v = {(r["org"], r["period"]): Decimal(r["value"]) for r in csv.DictReader(open(sys.argv[1]))
     if not (r["product_line"] or r["channel"] or r["segment"])}
regions = sorted({o for o, p in v if o != "Acme"})
months = [f"2017-{m:02d}" for m in range(1, 13)]
assert len(regions) == 4, regions
for r in regions:
    s = sum(v[(r, m)] for m in months)
    assert s == v[(r, "2017")], (r, s, v[(r, "2017")])
for m in months:
    s = sum(v[(r, m)] for r in regions)
    assert s == v[("Acme", m)], (m, s, v[("Acme", m)])
assert sum(v[("Acme", m)] for m in months) == v[("Acme", "2017")]
PY
}
table_ok "after fill"
# the region years are proportional to 2016 history; a table cell moves, the
# margins do not
expect_ok sp --db $DB target list --plan P --format csv
east_year=$(echo "$OUT" | grep '^revenue,East,.*,2017,' | cut -d, -f9)
expect_ok sp --db $DB target set --plan P --period 2017-03 --org East --value 20000
table_ok "after a table cell was set"
check_eq "$(sp --db $DB target list --plan P --format csv | grep '^revenue,East,.*,2017,' | cut -d, -f9)" "$east_year" "East's year kept"
expect_ok sp --db $DB target lock --plan P --period 2017-03 --org East
expect_ok sp --db $DB target set --plan P --period 2017 --value 1,200,000
table_ok "after the year changed"
check_eq "$(sp --db $DB target list --plan P --format csv | grep '^revenue,East,.*,2017-03,' | cut -d, -f9)" "20000.00" "locked table cell kept"
expect_ok sp --db $DB target set --plan P --period 2017-05 --org West --value 50000 --propagate-up
table_ok "after --propagate-up"

# months under quarters: not over a table's column totals
expect_fail sp --db $DB target split --plan P --period 2017 --into quarter --method equal
check_contains "$ERR" "totals of a two-way table" "no level put in over a table's margin"
expect_ok sp --db $DB plan create Q --year 2017
expect_ok sp --db $DB target set --plan Q --period 2017 --value 1200
expect_ok sp --db $DB target split --plan Q --period 2017 --into month --method equal
expect_ok sp --db $DB target split --plan Q --period 2017 --into quarter --method workdays
expect_ok sp --db $DB target list --plan Q --format csv
check_contains "$OUT" "revenue,Acme,Acme,2017-Q1,,,,,300.00,false,rollup" "a quarter is the sum of its months"

# resplit after new history: the table is fitted again, the report lists moves
cat >"$T/more.csv" <<'CSV'
Order Date,Sales,Region
2016-07-01,90000.00,Central
CSV
expect_ok sp --db $DB import sales "$T/more.csv" --map date="Order Date" --map amount=Sales --map org=Region
expect_ok sp --db $DB target resplit --plan P --period 2017 --format csv
check_contains "$OUT" "cell,split,old,new,change" "resplit report header"
check_contains "$OUT" "revenue Central 2017," "Central's year moved with its new history"
table_ok "after resplit"
expect_ok sp --db $DB target set --plan P --period 2017-02-14 --value 1
expect_fail sp --db $DB target resplit --plan P --period 2017-02-14
check_contains "$ERR" "no recorded split" "resplit of a cell never split"

# a split that would give a table cell a second parent outside a fill
expect_fail sp --db $DB target split --plan P --period 2017 --org East --into month --method equal
check_contains "$ERR" "two-way table" "table cells are fitted, not split"

# the metrics catalogue
expect_ok sp target metrics --format csv
check_contains "$OUT" "avg_order_value,Average order value,客单价,money,false,revenue,orders" "derived metric"
check_contains "$OUT" "visits,Visits" "fact metric"
