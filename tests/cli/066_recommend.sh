#!/usr/bin/env bash
# 066_recommend — `salesplan target recommend` and `target split --method
# forecast` end to end on tests/data/orders.csv (sales 2015-01..2017-12).
# Checks: 36 months of history before 2018, the growth target equals the
# forecast x 1.1 to the cent (computed here with Decimal, half away from
# zero), achievability 80% gives a target at or below the forecast with
# probability ~80, the plan's current target is shown, formats, a fallback
# note with 24 months before 2017, the forecast split sums exactly, and
# usage errors.
source "$(dirname "$0")/lib.sh"

DB=r.db
expect_ok sp --db $DB init --company Acme
expect_ok sp --db $DB import sales "$SP_TEST_DATA/orders.csv"
expect_ok sp --db $DB plan create P18 --year 2018
expect_ok sp --db $DB plan create P17 --year 2017

expect_ok sp --db $DB target recommend --plan P18 --period 2018 --growth 10% --format csv
printf '%s\n' "$OUT" >"$T/g.csv"
py "$T/g.csv" <<'EOF2' || fail "growth recommendation"
import csv, sys
from decimal import Decimal, ROUND_HALF_UP
r = next(csv.DictReader(open(sys.argv[1])))
assert r["history_months"] == "36", r
assert (r["history_from"], r["history_to"]) == ("2015-01", "2017-12"), r
assert r["method"] == "comb" and r["basis"] == "growth 10%", r
f, lo, hi = Decimal(r["forecast"]), Decimal(r["lo"]), Decimal(r["hi"])
assert lo <= f <= hi and lo < hi, r
want = (f * Decimal("1.1")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
assert Decimal(r["recommended"]) == want, (r["recommended"], want)
assert 0 <= float(r["probability"]) < 50, r
assert r["note"] == "", r
EOF2

expect_ok sp --db $DB target set --plan P18 --period 2018 --value 700,000
expect_ok sp --db $DB target recommend --plan P18 --period 2018 --org East --achievability 80% --value 1 --format json
printf '%s\n' "$OUT" >"$T/a.json"
py "$T/a.json" <<'EOF2' || fail "achievability recommendation"
import json, sys
from decimal import Decimal
[r] = json.load(open(sys.argv[1]))
assert r["org"] == "East" and r["basis"] == "achievability 80%", r
assert Decimal(r["recommended"]) <= Decimal(r["forecast"]), r
assert 77 <= r["probability"] <= 83, r
assert r["value_probability"] == 100.0, r
assert r["target"] is None, r   # the target set is the company's, not East's
EOF2
expect_ok sp --db $DB target recommend --plan P18 --period 2018 --format csv
check_contains "$OUT" ",700000.00," "current target shown"

# 24 months before 2017 is enough; the first quarter of 2017 too
expect_ok sp --db $DB target recommend --plan P17 --period 2017-Q1 --method snaive --format csv
check_contains "$OUT" ",24,2015-01,2016-12," "history of 2017-Q1"
# a product line's 2016 with 12 months: fallback note on stderr (table)
expect_ok sp --db $DB plan create P16 --year 2016
expect_ok sp --db $DB target recommend --plan P16 --period 2016
check_contains "$ERR" "only 12 months of history" "fallback note"

# forecast split: 12 months summing exactly to the year
expect_ok sp --db $DB target split --plan P18 --period 2018 --into month --method forecast
check_contains "$OUT" "into 12 parts by forecast" "split message"
check_tree $DB P18 Acme

# errors
expect_fail --rc 2 sp --db $DB target recommend --plan P18 --period 2018 --growth 5% --achievability 80%
check_contains "$ERR" "not both" "growth and achievability"
expect_fail --rc 1 sp --db $DB target recommend --plan P18 --period 2018 --growth lots
check_contains "$ERR" "--growth" "bad growth"
expect_fail --rc 2 sp --db $DB target recommend --plan P18
check_contains "$ERR" "--period is required" "no period"
expect_fail --rc 1 sp --db $DB target recommend --plan P18 --period 2018 --org Nowhere
check_contains "$ERR" "Nowhere" "unknown org"
expect_fail --rc 2 sp --db $DB target recommend --plan P18 --period 2018 --bogus
expect_fail --rc 1 sp --db $DB target split --plan P18 --period 2018 --into org --method forecast
check_contains "$ERR" "time axes only" "forecast split over org"
expect_ok sp target recommend --help
check_contains "$OUT" "--achievability" "help"
echo ok
