#!/usr/bin/env bash
# 020_import_sales — importing a real orders file (Superstore-like, 3000 rows,
# amounts with up to four decimals) gives per-org, per-month actuals equal to
# the sums of the file's amounts each rounded half away from zero to the cent
# (issue 2, "Done when"). The oracle is Python's decimal module reading the
# CSV independently; the program's own figures are never used as the
# expectation. Also: the import summary (rows read/imported, members created,
# amounts rounded), year-to-date actuals at a mid-month as-of date, product
# line and segment cuts, and a zero-decimal currency (JPY).
source "$(dirname "$0")/lib.sh"

ORDERS=$SP_TEST_DATA/orders.csv
DB=s.db

expect_ok sp --db $DB init --company Acme --currency CNY
expect_ok sp --db $DB import sales "$ORDERS"
summary=$OUT

# ---- the summary line -------------------------------------------------------
# rounded = Sales and Profit values that lost a non-zero digit when rounded to
# the cent ("14.6250" is rounded, "229.4100" is not).
# members = new org nodes (Region) + product lines (Category) + products
# (Product ID) + segments (Segment) + customers (Customer ID); the file has no
# column the importer maps to channel.
read -r want_rounded want_members < <(py "$ORDERS" <<'EOF'
import csv, sys
from decimal import Decimal
cent = Decimal("0.01")
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
assert len(rows) == 3000, len(rows)
rounded = sum(1 for r in rows for k in ("Sales", "Profit")
              if Decimal(r[k]) != Decimal(r[k]).quantize(cent))
members = sum(len({r[k] for r in rows})
              for k in ("Region", "Category", "Product ID", "Segment", "Customer ID"))
print(rounded, members)
EOF
)
[[ "$summary" =~ ([0-9]+)\ rows\ read,\ ([0-9]+)\ rows\ imported,\ ([0-9]+)\ members\ created,\ ([0-9]+)\ amounts\ rounded ]] ||
	fail "summary line not understood: $summary"
check_eq "${BASH_REMATCH[1]}" 3000 "rows read"
check_eq "${BASH_REMATCH[2]}" 3000 "rows imported"
check_eq "${BASH_REMATCH[3]}" "$want_members" "members created"
check_eq "${BASH_REMATCH[4]}" "$want_rounded" "amounts rounded"
check_contains "$summary" "$ORDERS" "summary names the file"

# ---- per region, per month actuals via plans 2015..2017 ---------------------
# Each plan: year target, split by month (equal), each month by org (equal),
# so that every (region, month) has a target cell that track reports on.
for y in 2015 2016 2017; do
	expect_ok sp --db $DB plan create "P$y" --year $y
	expect_ok sp --db $DB target set --plan "P$y" --period $y --value 1200000
	expect_ok sp --db $DB target split --plan "P$y" --period $y --into month --method equal
	for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
		expect_ok sp --db $DB target split --plan "P$y" --period "$y-$m" --into org --method equal
	done
	sp --db $DB track --plan "P$y" --as-of "$y-12-31" --by org,month --format csv >"track_$y.csv"
	sp --db $DB track --plan "P$y" --as-of "$y-12-31" --by year --format csv >"year_$y.csv"
done

py "$ORDERS" <<'EOF' || fail "per-region per-month actuals differ from the file (see above)"
import csv, sys
from collections import defaultdict
from decimal import Decimal, ROUND_HALF_UP
cent = Decimal("0.01")
want = defaultdict(Decimal)           # (org, YYYY-MM) -> sum of rounded amounts
for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
    amt = Decimal(r["Sales"]).quantize(cent, rounding=ROUND_HALF_UP)
    month = r["Order Date"][:7]
    want[(r["Region"], month)] += amt
    want[("Acme", month)] += amt
regions = {"East", "West", "Central", "South"}
bad = 0
for y in (2015, 2016, 2017):
    got = {}
    for row in csv.DictReader(open(f"track_{y}.csv", newline="")):
        assert row["metric"] == "revenue"
        assert row["org"] in regions | {"Acme"}, row
        assert len(row["period"]) == 7, row       # --by org,month: months only
        key = (row["org"], row["period"])
        assert key not in got, f"duplicate row {key}"
        got[key] = Decimal(row["actual"])
    expect_keys = {(o, f"{y}-{m:02d}") for o in regions | {"Acme"} for m in range(1, 13)}
    if set(got) != expect_keys:
        print("cells differ:", sorted(set(got) ^ expect_keys)); bad += 1
    for k in sorted(expect_keys):
        if got.get(k) != want.get(k, Decimal("0.00")):
            print(f"{k}: track says {got.get(k)}, file sums to {want.get(k, 0)}"); bad += 1
    # the year cell of the company
    yrows = list(csv.DictReader(open(f"year_{y}.csv", newline="")))
    assert len(yrows) == 1 and yrows[0]["period"] == str(y), yrows
    ysum = sum((v for (o, m), v in want.items() if o == "Acme" and m.startswith(str(y))),
               Decimal("0.00"))
    if Decimal(yrows[0]["actual"]) != ysum:
        print(f"year {y}: track says {yrows[0]['actual']}, file sums to {ysum}"); bad += 1
print(f"checked {len(want)} (org, month) sums", file=sys.stderr)
sys.exit(1 if bad else 0)
EOF

# ---- actuals to a date inside the period ------------------------------------
# As of 2016-06-15 the June cell counts June 1..15 and the year cell Jan 1..Jun 15.
sp --db $DB track --plan P2016 --as-of 2016-06-15 --format csv >mid.csv
py "$ORDERS" <<'EOF' || fail "year-to-date actuals differ from the file"
import csv, sys
from decimal import Decimal, ROUND_HALF_UP
cent = Decimal("0.01")
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
def total(org, lo, hi):
    return sum((Decimal(r["Sales"]).quantize(cent, rounding=ROUND_HALF_UP) for r in rows
                if lo <= r["Order Date"] <= hi and org in ("Acme", r["Region"])),
               Decimal("0.00"))
got = {(r["org"], r["period"]): Decimal(r["actual"]) for r in csv.DictReader(open("mid.csv"))}
checks = {("Acme", "2016"): total("Acme", "2016-01-01", "2016-06-15"),
          ("Acme", "2016-06"): total("Acme", "2016-06-01", "2016-06-15"),
          ("West", "2016-06"): total("West", "2016-06-01", "2016-06-15"),
          ("East", "2016-07"): Decimal("0.00"),
          ("Acme", "2016-05"): total("Acme", "2016-05-01", "2016-05-31")}
bad = [f"{k}: track {got.get(k)} != file {v}" for k, v in checks.items() if got.get(k) != v]
sys.exit("\n".join(bad) or 0)
EOF

# ---- product line and segment cuts of the 2017 year target -------------------
expect_ok sp --db $DB target split --plan P2017 --period 2017 --into product_line --method equal
expect_ok sp --db $DB target split --plan P2017 --period 2017 --into segment --method equal
sp --db $DB track --plan P2017 --as-of 2017-12-31 --by year,product_line,segment --format csv >dims.csv
py "$ORDERS" <<'EOF' || fail "product line / segment actuals differ from the file"
import csv, sys
from collections import defaultdict
from decimal import Decimal, ROUND_HALF_UP
cent = Decimal("0.01")
want = defaultdict(Decimal)
for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
    if r["Order Date"].startswith("2017"):
        a = Decimal(r["Sales"]).quantize(cent, rounding=ROUND_HALF_UP)
        want[("product_line", r["Category"])] += a
        want[("segment", r["Segment"])] += a
got = {}
for r in csv.DictReader(open("dims.csv")):
    for d in ("product_line", "segment"):
        if r[d]:
            got[(d, r[d])] = Decimal(r["actual"])
bad = [f"{k}: track {got.get(k)} != file {v}" for k, v in want.items() if got.get(k) != v]
if set(got) != set(want):
    bad.append(f"cells differ: {sorted(set(got) ^ set(want))}")
sys.exit("\n".join(bad) or 0)
EOF

# ---- a zero-decimal currency rounds to whole units ---------------------------
expect_ok sp --db jpy.db init --company Nippon --currency JPY
expect_ok sp --db jpy.db import sales "$ORDERS" --map org=Region
expect_ok sp --db jpy.db plan create P --year 2016
expect_ok sp --db jpy.db target set --plan P --period 2016 --value 1000000
expect_ok sp --db jpy.db target split --plan P --period 2016 --into org --method equal
sp --db jpy.db track --plan P --as-of 2016-12-31 --format csv >jpy.csv
py "$ORDERS" <<'EOF' || fail "JPY actuals are not sums of amounts rounded to whole yen"
import csv, sys
from collections import defaultdict
from decimal import Decimal, ROUND_HALF_UP
want = defaultdict(Decimal)
for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
    if r["Order Date"].startswith("2016"):
        a = Decimal(r["Sales"]).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        want[r["Region"]] += a
        want["Nippon"] += a
got = {r["org"]: r["actual"] for r in csv.DictReader(open("jpy.csv"))}
bad = [f"{k}: track {got.get(k)} != file {v}" for k, v in want.items() if got.get(k) != str(v)]
sys.exit("\n".join(bad) or 0)
EOF

# ---- importing the same file again adds to the actuals ----------------------
# (an import loads transactions; it is not an upsert)
before=$(grep '^revenue,Acme,Acme,2017,,,,,' <(sp --db $DB track --plan P2017 --as-of 2017-12-31 --format csv) | cut -d, -f10)
expect_ok sp --db $DB import sales "$ORDERS"
check_contains "$OUT" "0 members created" "second import creates no members"
after=$(grep '^revenue,Acme,Acme,2017,,,,,' <(sp --db $DB track --plan P2017 --as-of 2017-12-31 --format csv) | cut -d, -f10)
check_eq "$(py "$before" "$after" <<<'import sys; from decimal import Decimal as D; print(D(sys.argv[2]) == 2 * D(sys.argv[1]))')" True \
	"second import doubles the actuals ($before -> $after)"

echo "ok 020_import_sales"
