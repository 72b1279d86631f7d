#!/usr/bin/env bash
# 055_track_forecast — `salesplan track --forecast`: the projection is the
# actual to date plus the forecast of the rest of the period where the scope
# has 24 whole months of history, with its 80% interval, else the linear run
# rate. Toy history (Mon-Fri calendar), two sales a month (on the 1st and on
# the last day, so every month is whole):
#   FLAT  1000.00 every month 2015-01..2017-12 (500 + 500): every method
#         forecasts 1000.00 a month with no spread, so the projections are
#         worked out by hand below;
#   SEAS  a fixed 12-month pattern repeated 2015..2017: the forecast is the
#         pattern (seasonal naive, computed here in Python) to within 1%;
#   NOISY the pattern times 1 + (-3..3)% varying by month and year: a
#         forecast with spread;
#   NEW   sales only from 2017-01: too little history, run rate.
source "$(dirname "$0")/lib.sh"

DB=tf.db
cat >org.csv <<'CSV'
code,name,parent,manager,kind
FLAT,Flat,,A,region
SEAS,Seasonal,,B,region
NOISY,Noisy,,D,region
NEW,New,,C,region
CSV
py >sales.csv <<'EOF'
import calendar
pat = [80, 90, 100, 120, 130, 110, 100, 95, 90, 100, 140, 160]
print("date,amount,org,customer,order,split")
k = 0
for y in (2015, 2016, 2017):
    for m in range(1, 13):
        last = calendar.monthrange(y, m)[1]
        noisy = pat[m - 1] * 10 * (1 + ((y * 31 + m * 17) % 7 - 3) / 100)
        for org, amt in (("FLAT", 1000), ("SEAS", pat[m - 1] * 10), ("NOISY", noisy)) + ((("NEW", 300),) if y == 2017 else ()):
            for d in (1, last):
                k += 1
                print(f"{y}-{m:02d}-{d:02d},{amt / 2:.2f},{org},C{org},O{k},")
EOF
expect_ok sp --db $DB init --company ACME
expect_ok sp --db $DB import org org.csv
expect_ok sp --db $DB import sales sales.csv
expect_ok sp --db $DB plan create P --year 2017
for o in FLAT SEAS NOISY NEW; do
	expect_ok sp --db $DB target set --plan P --period 2017 --org $o --value 20000
	expect_ok sp --db $DB target split --plan P --period 2017 --org $o --into quarter --method equal
done
expect_ok sp --db $DB target set --plan P --period 2017-05 --org FLAT --value 1000
expect_ok sp --db $DB target set --plan P --period 2017-06 --org FLAT --value 1000

f() { echo "$OUT" | grep "^revenue,$1,[^,]*,$2," | cut -d, -f"$3"; }

# ---- as of 2017-06-30 (a month end) -------------------------------------------
expect_ok sp --db $DB track --plan P --as-of 2017-06-30 --forecast --format csv
check_contains "$OUT" ",status,projection_method,projection_lo,projection_hi" "forecast columns last"
# FLAT 2017: actual Jan-Jun 6000.00 + forecast Jul-Dec 6 x 1000.00 = 12000.00,
# no spread; the run rate would also be 12000.00 here, so also check periods
# where they differ:
check_eq "$(f FLAT 2017 10,15,19-21)" "6000.00,12000.00,forecast,12000.00,12000.00" "FLAT year"
# Q3 not begun: the run rate has no projection, the forecast gives 3 x 1000.00
check_eq "$(f FLAT 2017-Q3 10,15,19-21)" "0.00,3000.00,forecast,3000.00,3000.00" "FLAT Q3 before it starts"
# a month that is over: the actual
check_eq "$(f FLAT 2017-05 10,15,19-21)" "1000.00,1000.00,actual,1000.00,1000.00" "FLAT May is over"
# NEW: 6 months of history < 24: run rate (1800.00 x 260 / 130 weekdays of
# 2017 = 3600.00), no interval; Q3 not begun: no projection at all
check_eq "$(f NEW 2017 10,15,19-21)" "1800.00,3600.00,run_rate,," "NEW falls back to the run rate"
check_eq "$(f NEW 2017-Q3 15,19-21)" ",,," "NEW Q3: no run rate before the period"

# ---- as of 2017-06-15 (mid-month) ----------------------------------------------
# History: whole months to 2017-05. June to date: the sale of 06-01 (500.00).
# The rest of June by working days: 06-16..06-30 hold 11 of June's 22
# weekdays, so 1000.00 x 11/22 = 500.00. FLAT 2017: 5000.00 (Jan-May) +
# 500.00 + 500.00 + 6 x 1000.00 = 12000.00. The run rate differs:
# 5500.00 x 260 / 119 weekdays to 06-15 = 12016.806... -> 12016.81.
expect_ok sp --db $DB track --plan P --as-of 2017-06-15 --format csv
check_eq "$(f FLAT 2017 10,15)" "5500.00,12016.81" "FLAT run rate mid-June"
expect_ok sp --db $DB track --plan P --as-of 2017-06-15 --forecast --format csv
check_eq "$(f FLAT 2017 10,15,19-21)" "5500.00,12000.00,forecast,12000.00,12000.00" "FLAT forecast mid-June"
check_eq "$(f FLAT 2017-06 10,15,19-21)" "500.00,1000.00,forecast,1000.00,1000.00" "FLAT June mid-month"
printf '%s\n' "$OUT" >"$T/mid.csv"

# SEAS against seasonal naive computed here: actual to date + last year's
# months (the rest of June by the same 11/22 share), within 0.5% and inside
# the interval; NOISY: a proper interval around the projection.
py "$T/mid.csv" <<'EOF' || fail "SEAS projections against seasonal naive"
import csv, sys
pat = [80, 90, 100, 120, 130, 110, 100, 95, 90, 100, 140, 160]
rows = {r["period"]: r for r in csv.DictReader(open(sys.argv[1])) if r["org"] == "SEAS"}
def want(months_done, june_part, months_left):
    return sum(pat[m - 1] * 10 for m in months_done) + june_part + sum(pat[m - 1] * 10 for m in months_left)
june = pat[5] * 10
cases = {
    "2017": want(range(1, 6), june / 2 + june * 11 / 22, range(7, 13)),
    "2017-Q2": want(range(4, 6), june / 2 + june * 11 / 22, []),
    "2017-Q3": want([], 0, range(7, 10)),
    "2017-Q4": want([], 0, range(10, 13)),
}
for p, w in cases.items():
    r = rows[p]
    pj, lo, hi = float(r["projection"]), float(r["projection_lo"]), float(r["projection_hi"])
    assert r["projection_method"] == "forecast", r
    assert abs(pj - w) <= 0.005 * w, (p, pj, w)
    assert lo <= pj <= hi, (p, lo, pj, hi)
for r in csv.DictReader(open(sys.argv[1])):
    if r["org"] == "NOISY" and r["period"] in ("2017", "2017-Q3"):
        pj, lo, hi = float(r["projection"]), float(r["projection_lo"]), float(r["projection_hi"])
        assert lo < pj < hi and hi - lo < 0.2 * pj, r
EOF

# JSON carries the same fields (amounts as exact decimal strings, as the
# other amount columns)
expect_ok sp --db $DB track --plan P --as-of 2017-06-15 --forecast --format json
printf '%s\n' "$OUT" >"$T/mid.json"
py "$T/mid.json" <<'EOF' || fail "json fields"
import json, sys
rows = json.load(open(sys.argv[1]))
r = next(r for r in rows if r["org"] == "FLAT" and r["period"] == "2017")
assert r["projection"] == "12000.00" and r["projection_method"] == "forecast", r
assert r["projection_lo"] == "12000.00" and r["projection_hi"] == "12000.00", r
r = next(r for r in rows if r["org"] == "NEW" and r["period"] == "2017")
assert r["projection_method"] == "run_rate" and r["projection_lo"] is None, r
EOF

# without --forecast the table is as before: no forecast columns
expect_ok sp --db $DB track --plan P --as-of 2017-06-15 --format csv
[[ "$OUT" != *projection_method* ]] || fail "no forecast columns by default"
echo "ok"
