#!/usr/bin/env bash
# 210_planfile — issue 3 item 8, plan files end to end: a plan's targets
# exported as the long CSV and the wide grid (CSV and XLSX), checked against
# hand-computed text (the XLSX read back by a stdlib Python oracle, not by
# salesplan); each file imported into a fresh plan gives the same cells;
# an import breaking a parent's sum is refused naming the cells and changes
# nothing; --dry-run writes nothing; --as-is imports and prints the
# parts-sum finding; bad input names file, row and column.
source "$(dirname "$0")/lib.sh"

DB=p.db
expect_ok sp --db $DB init --company Acme
cat >org.csv <<'EOF'
code,name,parent
N,North,
S,South,
N1,North 1,N
N2,North 2,N
EOF
expect_ok sp --db $DB import org org.csv
expect_ok sp --db $DB plan create P --year 2017
# Acme 2017 = 1,200.00 in 12 months of 100.00; North and South 600.00 each;
# North's teams 300.00 each; March locked.
expect_ok sp --db $DB target set --plan P --period 2017 --value 1,200
expect_ok sp --db $DB target split --plan P --period 2017 --into month --method equal
expect_ok sp --db $DB target split --plan P --period 2017 --into org --method equal
expect_ok sp --db $DB target split --plan P --period 2017 --org N --into org --method equal
expect_ok sp --db $DB target lock --plan P --period 2017-03

# ---- the long CSV, by hand
expect_ok sp --db $DB target export --plan P --out long.csv
{
	echo "metric,org,period,product_line,product,channel,segment,value,locked,method"
	echo "revenue,Acme,2017,,,,,1200.00,false,manual"
	for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
		lk=false
		[[ $m == 03 ]] && lk=true
		echo "revenue,Acme,2017-$m,,,,,100.00,$lk,equal"
	done
	echo "revenue,N,2017,,,,,600.00,false,equal"
	echo "revenue,N1,2017,,,,,300.00,false,equal"
	echo "revenue,N2,2017,,,,,300.00,false,equal"
	echo "revenue,S,2017,,,,,600.00,false,equal"
} >want_long.csv
diff -u want_long.csv long.csv || fail "long CSV differs from the hand-computed one"

# ---- the wide grid, by hand: months, then the year; indented names
expect_ok sp --db $DB target export --plan P --format wide-csv --out wide.csv
M=2017-01,2017-02,2017-03,2017-04,2017-05,2017-06,2017-07,2017-08,2017-09,2017-10,2017-11,2017-12
E=,,,,,,,,,,,,
cat >want_wide.csv <<EOF
metric,org,org_name,parent,$M,2017,locked
revenue,Acme,Acme,,100.00,100.00,100.00,100.00,100.00,100.00,100.00,100.00,100.00,100.00,100.00,100.00,1200.00,2017-03
revenue,N,  North,Acme,${E}600.00,
revenue,N1,    North 1,N,${E}300.00,
revenue,N2,    North 2,N,${E}300.00,
revenue,S,  South,Acme,${E}600.00,
EOF
diff -u want_wide.csv wide.csv || fail "wide CSV differs from the hand-computed one"
# the same to standard output
expect_ok sp --db $DB target export --plan P --format wide-csv
check_eq "$OUT" "$(cat want_wide.csv)" "wide CSV on stdout"

# ---- the workbook, read by an independent oracle (zipfile + XML)
expect_ok sp --db $DB target export --plan P --out grid.xlsx
py grid.xlsx <<'PY' || fail "the workbook does not hold the hand-computed grid"
import re, sys, zipfile
import xml.etree.ElementTree as ET
ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
z = zipfile.ZipFile(sys.argv[1])
wb = ET.fromstring(z.read("xl/workbook.xml"))
assert [s.get("name") for s in wb.find("m:sheets", ns)] == ["revenue"]
sst = [ "".join(t.text or "" for t in si.iter("{%s}t" % ns["m"]))
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")) ]
grid = {}
for c in ET.fromstring(z.read("xl/worksheets/sheet1.xml")).iter("{%s}c" % ns["m"]):
    v = c.find("m:v", ns)
    val = sst[int(v.text)] if c.get("t") == "s" else float(v.text)
    grid[c.get("r")] = val
assert grid["A1"] == "metric" and grid["E1"] == "2017-01" and grid["P1"] == "2017-12"
assert grid["Q1"] == "2017" and grid["R1"] == "locked"
assert grid["B2"] == "Acme" and grid["Q2"] == 1200 and grid["G2"] == 100 and grid["R2"] == "2017-03"
assert grid["B3"] == "N" and grid["C3"] == "  North" and grid["Q3"] == 600 and "E3" not in grid
assert grid["B4"] == "N1" and grid["D4"] == "N" and grid["Q4"] == 300
assert grid["B6"] == "S" and grid["Q6"] == 600
assert len([k for k in grid if k.startswith("Q")]) == 6
PY

# ---- round trips: every layout into a fresh plan gives the same cells
listing() { sp --db $DB target list --plan "$1" --format csv | cut -d, -f1-10 | LC_ALL=C sort; }
listing P >want_cells.csv
for f in long.csv wide.csv grid.xlsx; do
	expect_ok sp --db $DB plan create "F-$f" --year 2017
	expect_ok sp --db $DB target import $f --plan "F-$f"
	check_contains "$OUT" "17 cells: 17 new, 0 changed, 0 unchanged; 16 links" "import $f"
	listing "F-$f" >got.csv
	diff -u want_cells.csv got.csv || fail "$f into a fresh plan: cells differ"
	# and into the same plan: nothing changes
	expect_ok sp --db $DB target import $f --plan P
	check_contains "$OUT" "17 cells: 0 new, 0 changed, 17 unchanged; 0 links" "re-import $f"
done

# ---- a broken sum is refused, naming the cells; nothing changes
sed 's/^revenue,N1,2017,,,,,300.00/revenue,N1,2017,,,,,350.00/' long.csv >broken.csv
dump_db $DB >before.txt
expect_fail sp --db $DB target import broken.csv --plan P
check_contains "$ERR" "broken.csv: refused, 1 parent would not equal the sum of its parts" "refusal"
check_contains "$ERR" "revenue N 2017 is 600.00 but its org parts add up to 650.00" "refusal names N"
check_contains "$OUT" "N    2017" "refusal lists the cell"
dump_db $DB >after.txt
diff -u before.txt after.txt || fail "a refused import changed the database"

# a consistent change in the grid: North 1 +50, North 2 -50; a dry run first
sed -e 's/^revenue,N1,    North 1,N,\(,*\)300.00,/revenue,N1,    North 1,N,\1350.00,/' \
	-e 's/^revenue,N2,    North 2,N,\(,*\)300.00,/revenue,N2,    North 2,N,\1250.00,/' wide.csv >moved.csv
expect_ok sp --db $DB target import moved.csv --plan P --dry-run
check_contains "$OUT" "2 changed" "dry run counts"
check_contains "$OUT" "dry run: nothing was written" "dry run says so"
dump_db $DB >after.txt
diff -u before.txt after.txt || fail "a dry run changed the database"
expect_ok sp --db $DB target import moved.csv --plan P
check_contains "$OUT" "imported moved.csv (wide-csv) into P: 17 cells: 0 new, 2 changed, 15 unchanged" "grid import"
check_contains "$(listing P)" "revenue,N1,North 1,2017,,,,,350.00,false" "N1 moved"

# --as-is takes the broken file and prints the parts-sum finding
expect_ok sp --db $DB target import broken.csv --plan P --as-is
check_contains "$OUT" "parts-sum" "as-is findings"
check_contains "$OUT" "revenue N 2017 and its 2 org parts" "as-is finding names N"
check_contains "$(listing P)" "revenue,N2,North 2,2017,,,,,300.00,false" "as-is imported"

# ---- bad input: file, row, column, reason; nothing changes
dump_db $DB >before.txt
printf 'org,period,value\nN,2017,600\nXX,2017,1\n' >bad.csv
expect_fail sp --db $DB target import bad.csv --plan P
check_eq "$ERR" 'salesplan target: bad.csv: row 3, column org: no org node with code "XX"' "unknown org"
printf 'org,period,value\nN,2017,600.001\n' >bad.csv
expect_fail sp --db $DB target import bad.csv --plan P
check_contains "$ERR" 'bad.csv: row 2, column value: "600.001" has more than 2 decimals' "decimals"
printf 'org,2017-01,2017-13\nAcme,1,2\n' >bad.csv
expect_fail sp --db $DB target import bad.csv --plan P
check_contains "$ERR" 'bad.csv: row 1, column 2017-13: unknown column' "bad period column"
printf 'PK\003\004garbage' >bad.xlsx
expect_fail sp --db $DB target import bad.xlsx --plan P
check_contains "$ERR" "bad.xlsx: not an .xlsx workbook" "not a workbook"
expect_fail sp --db $DB target import long.csv --plan P --format xlsx
check_contains "$ERR" "long.csv: not an .xlsx workbook (--format xlsx)" "format mismatch"
expect_fail sp --db $DB target import missing.csv --plan P
check_contains "$ERR" "missing.csv" "missing file"
expect_fail --rc 2 sp --db $DB target export --plan P --format ods
check_contains "$ERR" "unknown format" "bad format"
dump_db $DB >after.txt
diff -u before.txt after.txt || fail "bad input changed the database"

expect_ok sp target export --help
check_contains "$OUT" "salesplan target import FILE --plan NAME" "help"

echo "210_planfile: ok"
