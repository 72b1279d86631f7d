#!/usr/bin/env bash
# 030_import_errors — bad input gets a clear error and loses nothing:
#  - a good orders file with one bad row in the middle (bad date, bad amount
#    "12,34.5", empty amount, bad profit, bad quantity) fails as a whole, with
#    one stderr line naming the file, the file line, the column header and the
#    reason, and the database is unchanged (no sales, no new members);
#  - --dry-run reports the same counts with 0 rows imported and writes nothing;
#  - --map FIELD=COLUMN overrides, and its errors; a missing required column
#    is named;
#  - a GBK file with Chinese headers imports (aliases) and its Chinese org
#    names show in track; an Excel export (BOM, CRLF, YYYY/M/D) imports; both
#    give per-region actuals equal to the file's rounded sums (Python oracle);
#  - calendar and org imports are atomic too.
source "$(dirname "$0")/lib.sh"

ORDERS=$SP_TEST_DATA/orders.csv
DB=e.db

# ---- a database with actuals and a plan to compare before/after ------------
expect_ok sp --db $DB init --company Acme
expect_ok sp --db $DB import sales "$ORDERS"
expect_ok sp --db $DB plan create P2016 --year 2016
expect_ok sp --db $DB target set --plan P2016 --period 2016 --value 1000000
expect_ok sp --db $DB target split --plan P2016 --period 2016 --into org --method history
dump_db $DB >before.txt
grep -q '^revenue,East,East,2016,' before.txt || fail "baseline has no East cell"

# ---- bad files: a copy of orders.csv with one row changed ------------------
# mkbad NAME LINE COLUMN VALUE: file line LINE (1 = header) gets VALUE in
# COLUMN. Line 100 always gets a new region "Atlantis", so that a half-written
# import would show up as a new member.
mkbad() {
	py "$ORDERS" "$@" <<'EOF'
import csv, io, sys
src, name, line, col, val = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
lines = open(src, encoding="utf-8", newline="").read().split("\n")
hdr = next(csv.reader([lines[0]]))
def put(n, c, v):
    f = next(csv.reader([lines[n - 1]]))
    f[hdr.index(c)] = v
    s = io.StringIO(); csv.writer(s, lineterminator="").writerow(f); lines[n - 1] = s.getvalue()
put(100, "Region", "Atlantis")
put(line, col, val)
open(name, "w", encoding="utf-8", newline="").write("\n".join(lines))
EOF
}

check_bad() { # FILE LINE COLUMN REASON-SUBSTRING
	local f=$1 line=$2 col=$3 why=$4 mode
	for mode in "" --dry-run; do
		expect_fail sp --db $DB import sales "$f" $mode
		check_contains "$ERR" "$f" "error names the file"
		check_contains "$ERR" "row $line," "error names the file line"
		check_contains "$ERR" "column $col" "error names the column header"
		check_contains "$ERR" "$why" "error gives the reason"
		[[ -z "$OUT" ]] || fail "a failed import printed a summary: $OUT"
	done
	dump_db $DB >after.txt
	cmp -s before.txt after.txt || {
		diff before.txt after.txt | head -20 >&2
		fail "failed import of $f changed the database"
	}
}

mkbad bad_date.csv 1500 "Order Date" 2016-02-30
check_bad bad_date.csv 1500 "Order Date" '"2016-02-30"'
mkbad bad_date2.csv 1501 "Order Date" "next tuesday"
check_bad bad_date2.csv 1501 "Order Date" '"next tuesday"'
mkbad bad_amount.csv 1500 Sales "12,34.5"
check_bad bad_amount.csv 1500 Sales '"12,34.5"'
mkbad no_amount.csv 2000 Sales ""
check_bad no_amount.csv 2000 Sales "empty"
mkbad bad_amount2.csv 1500 Sales "12.3.4"
check_bad bad_amount2.csv 1500 Sales '"12.3.4"'
mkbad huge_amount.csv 1500 Sales "99999999999999999999"
check_bad huge_amount.csv 1500 Sales "range"
mkbad bad_profit.csv 2999 Profit "1.2.3"
check_bad bad_profit.csv 2999 Profit '"1.2.3"'
mkbad bad_qty.csv 3001 Quantity "many"
check_bad bad_qty.csv 3001 Quantity '"many"'

# "Atlantis" is still unknown: a dry run of a file naming it would create it
printf 'Order Date,Region,Sales\n2016-05-05,Atlantis,1\n' >atlantis.csv
expect_ok sp --db $DB import sales atlantis.csv --dry-run
check_contains "$OUT" "1 members created" "no member survives a failed import"

# A record spanning two lines (quoted newline) counts as its first line; the
# bad record after it is on file line 4.
printf 'Order Date,Region,Sales,Note\n2016-01-01,East,1,"two\nlines"\n2016-01-02,East,x,n\n' >multiline.csv
expect_fail sp --db $DB import sales multiline.csv
check_contains "$ERR" "row 4, column Sales" "file line of a record after a multi-line record"

# Ragged rows: an unquoted "1,234.56" splits into two fields, so the row has
# more fields than the header.
printf 'Order Date,Region,Sales\n2016-01-01,East,1,234.56\n' >ragged.csv
# A row with more fields than the header fails with file, row and reason
# (dropping the extra field would import 1.00); nothing is written.
expect_fail sp --db $DB import sales ragged.csv --dry-run
check_contains "$ERR" "ragged.csv: row 2" "ragged row: file and row"
check_contains "$ERR" "row has 4 fields, the header 3" "ragged row: the reason"
expect_fail sp --db $DB import sales ragged.csv
dump_db $DB >after.txt
cmp -s before.txt after.txt || fail "a ragged file changed the database"
# trailing empty fields (spreadsheet exports) are harmless
printf 'Order Date,Region,Sales\n2016-01-01,East,1.00,,\n' >trailing.csv
expect_ok sp --db $DB import sales trailing.csv --dry-run
check_contains "$OUT" "1 rows read, 0 rows imported" "trailing empty fields accepted"

# ---- missing or wrong columns ----------------------------------------------
printf 'Order Date,Region,Turnover\n2016-01-01,East,1\n' >no_amount_col.csv
expect_fail sp --db $DB import sales no_amount_col.csv
check_contains "$ERR" "no_amount_col.csv" "missing column: file named"
check_contains "$ERR" "'amount'" "missing column: field named"
check_contains "$ERR" "Turnover" "missing column: the header is shown"
printf 'When,Region,Sales\n2016-01-01,East,1\n' >no_date_col.csv
expect_fail sp --db $DB import sales no_date_col.csv
check_contains "$ERR" "'date'" "missing date column named"
expect_ok sp --db $DB import sales no_date_col.csv --map date=When --dry-run
check_contains "$OUT" "1 rows read, 0 rows imported" "--map date=When dry run"
expect_fail sp --db $DB import sales no_date_col.csv --map date=Nope
check_contains "$ERR" "Nope" "--map to an absent column names it"
expect_fail sp --db $DB import sales no_date_col.csv --map colour=When
check_contains "$ERR" "colour" "--map of an unknown field names it"
expect_fail --rc 2 sp --db $DB import sales no_date_col.csv --map date
expect_fail sp --db $DB import sales nonexistent.csv
check_contains "$ERR" "nonexistent.csv" "missing file named"
: >empty.csv
expect_fail sp --db $DB import sales empty.csv
check_contains "$ERR" "empty.csv" "empty file named"
printf 'Order Date,Sales,Sales\n2016-01-01,1,2\n' >twice.csv
expect_fail sp --db $DB import sales twice.csv
check_contains "$ERR" "Sales" "ambiguous columns named"
dump_db $DB >after.txt
cmp -s before.txt after.txt || fail "failed imports changed the database"

# ---- dry run ---------------------------------------------------------------
EXCEL=$SP_TEST_DATA/orders_excel.csv
expect_ok sp --db $DB import sales "$EXCEL" --dry-run
dry=$OUT
check_contains "$dry" "dry run" "dry run says so"
check_contains "$dry" "300 rows read, 0 rows imported" "dry run counts"
dump_db $DB >after.txt
cmp -s before.txt after.txt || fail "a dry run changed the database"
expect_ok sp --db $DB import sales "$EXCEL"
check_contains "$OUT" "300 rows read, 300 rows imported" "real import after the dry run"
# the dry run predicted the members and roundings of the real import
check_eq "$(echo "$OUT" | grep -o '[0-9]* members created, [0-9]* amounts rounded')" \
	"$(echo "$dry" | grep -o '[0-9]* members created, [0-9]* amounts rounded')" \
	"dry run and import report the same members and roundings"

# ---- --map amount=Profit ----------------------------------------------------
expect_ok sp --db profit.db init --company Acme
expect_ok sp --db profit.db import sales "$ORDERS" --map amount=Profit --map org=State
summary=$OUT
expect_ok sp --db profit.db plan create P --year 2017
expect_ok sp --db profit.db target set --plan P --period 2017 --value 1
expect_ok sp --db profit.db target split --plan P --period 2017 --into org --method equal
sp --db profit.db track --plan P --as-of 2017-12-31 --format csv >profit.csv
py "$ORDERS" "$summary" <<'EOF' || fail "--map amount=Profit,org=State: actuals differ from the file"
import csv, re, sys
from collections import defaultdict
from decimal import Decimal, ROUND_HALF_UP
cent = Decimal("0.01")
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
want = defaultdict(Decimal)
for r in rows:
    if r["Order Date"].startswith("2017"):
        a = Decimal(r["Profit"]).quantize(cent, rounding=ROUND_HALF_UP)
        want[r["State"]] += a
        want["Acme"] += a
got = {r["org"]: Decimal(r["actual"]) for r in csv.DictReader(open("profit.csv"))}
bad = [f"{k}: track {got.get(k)} != file {v}" for k, v in want.items() if got.get(k) != v]
# every state is an org node now, even those without 2017 sales (actual 0)
states = {r["State"] for r in rows}
if set(got) != states | {"Acme"}:
    bad.append(f"org cells differ: {sorted(set(got) ^ (states | {'Acme'}))}")
rounded = sum(1 for r in rows if Decimal(r["Profit"]) != Decimal(r["Profit"]).quantize(cent))
m = re.search(r"(\d+) amounts rounded", sys.argv[2])
if not m or int(m.group(1)) != rounded:
    bad.append(f"amounts rounded: want {rounded} in {sys.argv[2]!r}")
sys.exit("\n".join(bad) or 0)
EOF

# ---- GBK file with Chinese headers -----------------------------------------
GBK=$SP_TEST_DATA/orders_gbk.csv
expect_ok sp --db gbk.db init --company 示例公司
expect_ok sp --db gbk.db import sales "$GBK"
check_contains "$OUT" "200 rows read, 200 rows imported" "GBK import counts"
gbk_summary=$OUT
expect_ok sp --db gbk.db plan create 计划2017 --year 2017
expect_ok sp --db gbk.db target set --plan 计划2017 --period 2017 --value 1000000
expect_ok sp --db gbk.db target split --plan 计划2017 --period 2017 --into org --method equal
expect_ok sp --db gbk.db target split --plan 计划2017 --period 2017 --into channel --method equal
sp --db gbk.db track --plan 计划2017 --as-of 2017-12-31 --format csv >gbk.csv
for region in 华东 华南 华北 西南; do
	grep -q "^revenue,$region,$region,2017," gbk.csv || fail "org $region missing from track"
done
expect_ok sp --db gbk.db track --plan 计划2017 --as-of 2017-12-31
check_contains "$OUT" "华东" "table output shows Chinese org names"
py "$GBK" "$gbk_summary" <<'EOF' || fail "GBK import: actuals differ from the file"
import csv, re, sys
from collections import defaultdict
from decimal import Decimal, ROUND_HALF_UP
cent = Decimal("0.01")
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="gbk")))
want = defaultdict(Decimal)
for r in rows:
    a = Decimal(r["销售额"]).quantize(cent, rounding=ROUND_HALF_UP)
    want[("org", r["区域"])] += a
    want[("channel", r["渠道"])] += a
    want[("org", "示例公司")] += a
got = {}
for r in csv.DictReader(open("gbk.csv", encoding="utf-8")):
    got[("channel", r["channel"]) if r["channel"] else ("org", r["org"])] = Decimal(r["actual"])
bad = [f"{k}: track {got.get(k)} != file {v}" for k, v in want.items() if got.get(k) != v]
members = sum(len({r[k] for r in rows}) for k in ("区域", "产品线", "渠道", "客户分群", "客户"))
m = re.search(r"(\d+) members created", sys.argv[2])
if not m or int(m.group(1)) != members:
    bad.append(f"members created: want {members} in {sys.argv[2]!r}")
sys.exit("\n".join(bad) or 0)
EOF

# ---- Excel export: UTF-8 BOM, CRLF, YYYY/M/D dates --------------------------
expect_ok sp --db xl.db init --company Acme
# the BOM must not stick to the first header, nor CR to the last
expect_ok sp --db xl.db import sales "$EXCEL" --map order="Row ID" --dry-run
expect_ok sp --db xl.db import sales "$EXCEL"
xl_summary=$OUT
expect_ok sp --db xl.db plan create P --year 2017
expect_ok sp --db xl.db target set --plan P --period 2017 --value 1000000
expect_ok sp --db xl.db target split --plan P --period 2017 --into month --method history
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
	expect_ok sp --db xl.db target split --plan P --period "2017-$m" --into org --method equal
done
sp --db xl.db track --plan P --as-of 2017-12-31 --by org,month --format csv >xl.csv
py "$EXCEL" "$xl_summary" <<'EOF' || fail "Excel import: actuals differ from the file"
import csv, re, sys
from collections import defaultdict
from decimal import Decimal, ROUND_HALF_UP
cent = Decimal("0.01")
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
want = defaultdict(Decimal)
for r in rows:
    y, m, d = (int(x) for x in r["Order Date"].split("/"))
    if y == 2017:
        a = Decimal(r["Sales"]).quantize(cent, rounding=ROUND_HALF_UP)
        want[(r["Region"], f"{y}-{m:02d}")] += a
        want[("Acme", f"{y}-{m:02d}")] += a
got = {(r["org"], r["period"]): Decimal(r["actual"]) for r in csv.DictReader(open("xl.csv"))}
bad = [f"{k}: track {got.get(k)} != file {v}" for k, v in want.items() if got.get(k) != v]
bad += [f"{k}: track {v}, file has no sales" for k, v in got.items() if k not in want and v != 0]
rounded = sum(1 for r in rows for k in ("Sales", "Profit")
              if Decimal(r[k]) != Decimal(r[k]).quantize(cent))
m = re.search(r"(\d+) amounts rounded", sys.argv[2])
if not m or int(m.group(1)) != rounded:
    bad.append(f"amounts rounded (Sales+Profit, so the CRLF last column counts): want {rounded} in {sys.argv[2]!r}")
if "utf-8-bom" not in sys.argv[2]:
    bad.append(f"encoding not reported as utf-8-bom: {sys.argv[2]!r}")
sys.exit("\n".join(bad) or 0)
EOF

# ---- calendar and org imports are atomic too -------------------------------
expect_ok sp --db $DB plan create P2017 --year 2017
expect_ok sp --db $DB target set --plan P2017 --period 2017-01 --value 100
track_cal() { sp --db $DB track --plan P2017 --as-of 2017-01-03 --format csv; }
cal_before=$(track_cal)
printf 'date,type,name\n2017-01-02,holiday,New Year\n2017-01-03,vacation,x\n' >cal_bad.csv
expect_fail sp --db $DB import calendar cal_bad.csv
check_contains "$ERR" "cal_bad.csv: row 3, column type" "calendar error: file, row, column"
check_contains "$ERR" "vacation" "calendar error: the bad value"
printf 'date,type\n2017-01-02,holiday\n2017-02-29,holiday\n' >cal_bad2.csv
expect_fail sp --db $DB import calendar cal_bad2.csv
check_contains "$ERR" "row 3, column date" "calendar error: bad date"
check_eq "$(track_cal)" "$cal_before" "failed calendar imports leave time progress unchanged"
printf 'date,type\n2017-01-02,holiday\n' >cal_ok.csv
expect_ok sp --db $DB import calendar cal_ok.csv --dry-run
check_contains "$OUT" "0 rows imported" "calendar dry run"
check_eq "$(track_cal)" "$cal_before" "calendar dry run leaves time progress unchanged"
expect_ok sp --db $DB import calendar cal_ok.csv
[[ "$(track_cal)" != "$cal_before" ]] || fail "a calendar import did not change time progress"

# A calendar file giving one date two types fails naming the row (and the
# first one); the same type twice is harmless.
printf 'date,type\n2017-03-01,workday\n2017-03-01,holiday\n' >cal_twice.csv
cal_before=$(track_cal)
for mode in --dry-run ""; do
	expect_fail sp --db $DB import calendar cal_twice.csv $mode
	check_contains "$ERR" "cal_twice.csv: row 3" "date given twice: file and row"
	check_contains "$ERR" "2017-03-01" "date given twice: the date"
	check_contains "$ERR" "row 2" "date given twice: the first row"
done
[[ "$(track_cal)" == "$cal_before" ]] || fail "a refused calendar import changed time progress"
printf 'date,type\n2017-03-01,holiday\n2017-03-01,holiday\n' >cal_same.csv
expect_ok sp --db $DB import calendar cal_same.csv --dry-run

printf 'code,name,parent,manager\nNORTH,North,,Zhang\nN1,North team,NOWHERE,Li\n' >org_bad.csv
expect_fail sp --db $DB import org org_bad.csv
check_contains "$ERR" "org_bad.csv: row 3" "org error: file and row"
check_contains "$ERR" "NOWHERE" "org error: the unknown parent"
expect_ok sp --db $DB plan create P2018 --year 2018
expect_ok sp --db $DB target set --plan P2018 --period 2018 --value 100
expect_ok sp --db $DB target set --plan P2018 --period 2018 --org East --value 1
expect_fail sp --db $DB target set --plan P2018 --period 2018 --org NORTH --value 1
check_contains "$ERR" "NORTH" "org from a failed import does not exist"

echo "ok 030_import_errors"
