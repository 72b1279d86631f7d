#!/usr/bin/env bash
# 065_forecast — `salesplan forecast FILE` on four M3 monthly series
# (tests/data/m3_small.csv: the training parts of N1402, N1500, N2000 and
# N2479, in the t-indexed form) and on a small month-indexed file. Checks the
# output's shape (one row per series and step, the header), lo <= forecast
# <= hi for every method, that seasonal naive repeats the last 12 values
# exactly (computed here from the input), and that bad input gives one clear
# error naming file, row and column.
source "$(dirname "$0")/lib.sh"

M3=$SP_TEST_DATA/m3_small.csv
H=18

for m in snaive ses holt damped ets theta arima comb; do
	expect_ok sp forecast "$M3" --horizon $H --frequency 12 --method $m
	printf '%s\n' "$OUT" >"$T/$m.csv"
	py "$M3" "$T/$m.csv" $m $H <<'EOF2' || fail "forecast --method $m: bad output"
import csv, math, sys
from collections import defaultdict
src, out, method, H = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
hist = defaultdict(list)
for r in csv.DictReader(open(src)):
    hist[r["series"]].append((int(r["t"]), float(r["value"])))
rows = list(csv.reader(open(out)))
assert rows[0] == ["series", "method", "h", "forecast", "lo", "hi"], rows[0]
rows = rows[1:]
assert len(rows) == len(hist) * H, f"{len(rows)} rows, want {len(hist) * H}"
order = list(dict.fromkeys(r["series"] for r in csv.DictReader(open(src))))
for i, (s, m, h, f, lo, hi) in enumerate(rows):
    assert s == order[i // H] and m == method and int(h) == i % H + 1, (i, s, m, h)
    f, lo, hi = float(f), float(lo), float(hi)
    assert all(map(math.isfinite, (f, lo, hi))), (s, h)
    assert lo <= f <= hi, (s, h, lo, f, hi)
    if method == "snaive":
        y = [v for _, v in sorted(hist[s])]
        want = y[len(y) - 12 + (int(h) - 1) % 12]
        assert f == want, f"{s} h={h}: {f} != last season's {want}"
EOF2
done

# intervals widen with the level
expect_ok sp forecast "$M3" --horizon 3 --frequency 12 --method theta --level 95
w95=$(printf '%s\n' "$OUT" | awk -F, 'NR==2 { print $6 - $5 }')
w80=$(awk -F, 'NR==2 { print $6 - $5 }' "$T/theta.csv")
py "$w80" "$w95" <<'EOF2' || fail "95% interval not wider than 80%"
import sys; assert float(sys.argv[2]) > float(sys.argv[1])
EOF2

# month-indexed file: 3 years of a pure seasonal pattern; series interleaved
# and out of order in the file
py >"$T/months.csv" <<'EOF2'
rows = []
for y in (2021, 2022, 2023):
    for m in range(1, 13):
        rows.append(f"B,{y}-{m:02d},{m * 10 + 0.5}")
        rows.append(f"A,{y}-{m:02d},{100 + m}")
rows.reverse()
print("series,month,value")
print("\n".join(rows))
EOF2
expect_ok sp forecast "$T/months.csv" --horizon 12 --method snaive
check_eq "$(printf '%s\n' "$OUT" | sed -n 2p)" "A,snaive,1,101,101,101" "first row (A appears first)"
check_eq "$(printf '%s\n' "$OUT" | grep -c '^B,snaive,')" 12 "rows of B"
check_eq "$(printf '%s\n' "$OUT" | grep '^B,snaive,12,')" "B,snaive,12,120.5,120.5,120.5" "B in December"
expect_ok sp forecast "$T/months.csv" --horizon 2 --format json
check_contains "$OUT" '"series": "A"' "json output"

# errors: one line, naming file, row and column
bad() { # CONTENT EXPECTED-SUBSTRING [ARGS...]
	local content=$1 want=$2
	shift 2
	printf '%b' "$content" >"$T/bad.csv"
	expect_fail --rc 1 sp forecast "$T/bad.csv" --horizon 2 "$@"
	check_contains "$ERR" "$want" "error for $(printf '%b' "$content" | tr '\n' '|')"
}
bad 'series,month,value\nA,2020-01,1\nA,2020-02,x\n' 'bad.csv: row 3, column value: "x" is not a number'
bad 'series,month,value\nA,2020-01,1\nA,2020-02,\n' 'row 3, column value: "" is not a number'
bad 'series,month,value\nA,2020-01,1\nA,2020-04,2\n' 'row 3, column month: series "A" has a gap: no value for 2020-02..2020-03'
bad 'series,month,value\nA,2020-01,1\nA,2020-03,2\n' 'no value for 2020-02'
bad 'series,month,value\nA,2020-01,1\nA,2020-13,2\n' 'row 3, column month: "2020-13" is not a month (YYYY-MM)'
bad 'series,month,value\nA,2020-01,1\nA,2020-01,2\n' 'row 3, column month: 2020-01 of series "A" is given twice (first on row 2)'
bad 'series,month,value\n,2020-01,1\n' 'row 2, column series: empty series name'
bad 'series,t,value\nA,1,1\nA,2.5,2\n' 'row 3, column t: "2.5" is not an integer time index' --frequency 12
bad 'series,t,value\nA,1,1\n' 'give the season length with --frequency'
bad 'series,value\nA,1\n' 'give exactly one time column'
bad 'series,month,value\n' 'no data rows'
bad 'month,value\n2020-01,1\n' 'series'
expect_fail --rc 1 sp forecast "$T/missing.csv" --horizon 2
check_contains "$ERR" "missing.csv" "unreadable file"
expect_fail --rc 2 sp forecast "$M3" --frequency 12
check_contains "$ERR" "--horizon is required" "no horizon"
expect_fail --rc 2 sp forecast "$M3" --horizon 0 --frequency 12

# ARIMA on a straight line y_t = 3 + 2t (t = 1..30): one difference makes it
# constant, ARIMA(0,1,0) with drift 2 fits it exactly: 65, 67, 69.
{
	echo "series,t,value"
	for t in $(seq 1 30); do echo "L,$t,$((3 + 2 * t))"; done
} >"$T/line.csv"
expect_ok sp forecast "$T/line.csv" --horizon 3 --frequency 1 --method arima
check_contains "$OUT" "L,arima,1,65," "arima line h=1"
check_contains "$OUT" "L,arima,2,67," "arima line h=2"
check_contains "$OUT" "L,arima,3,69," "arima line h=3"
expect_fail --rc 2 sp forecast "$M3" --horizon 3 --frequency 12 --method sarima
check_contains "$ERR" "--method" "unknown method"
expect_fail --rc 2 sp forecast "$M3" --horizon 3 --frequency 12 --level 100
echo "ok"
