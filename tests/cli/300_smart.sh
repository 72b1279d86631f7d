#!/usr/bin/env bash
# 300_smart — bottom-up commitments, the SMART check and the reverse funnel
# end-to-end. Expected figures are worked out by hand in the comments.
source "$(dirname "$0")/lib.sh"

DB=s.db
cat >org.csv <<'CSV'
code,name,parent,manager,kind
A,Alpha,,,rep
B,Beta,,,rep
CSV
# 2017-03 (last year): orders o5 (300+100), o6, o7 = 3 orders, 1,000.00,
# customers c1 c2 c5; 2016-03: c1..c4, of whom c1 and c2 buy again.
cat >sales.csv <<'CSV'
date,amount,org,customer,order
2016-03-01,100.00,A,c1,o1
2016-03-02,100.00,A,c2,o2
2016-03-03,100.00,A,c3,o3
2016-03-04,100.00,A,c4,o4
2017-03-01,300.00,A,c1,o5
2017-03-01,100.00,A,c1,o5
2017-03-02,200.00,A,c2,o6
2017-03-05,400.00,A,c5,o7
CSV
expect_ok sp --db $DB init --company ACME
expect_ok sp --db $DB import org org.csv
expect_ok sp --db $DB import sales sales.csv
expect_ok sp --db $DB plan create P --year 2018

# target set prints SMART notes on stderr and succeeds
expect_ok sp --db $DB target set --plan P --period 2018-03 --org A --value 1500
check_contains "$ERR" "note: warning [R relevant]" "set: relevant note"

# --- reverse funnel -----------------------------------------------------------
# O = ceil(1500 * 3 / 1000) = 5; N = ceil(5 * 3 / 3) = 5; r = 2/4;
# K = floor(3 * 1/2) = 1; new = 4; opportunities = ceil(4 / 0.25) = 16;
# visits = 16 * 3 = 48; calls = 48 * 4 = 192; March 2018 has 5 (cut) ISO
# weeks, one rep: visits per rep per week 48 / 5 = 9.60.
expect_ok sp --db $DB target needs --plan P --period 2018-03 --org A --win-rate 25% \
	--visits-per-opportunity 3 --calls-per-visit 4 --format csv
val() { awk -F, -v q="$1" '$2 == q { print $(NF-1) }' <<<"$OUT"; }
check_eq "$(val 'average order value AOV')" 333.33 "AOV"
check_eq "$(val 'repurchase rate r %')" 50.00 "repurchase"
check_eq "$(val 'orders needed O')" 5 "orders"
check_eq "$(val 'customers kept K')" 1 "kept"
check_eq "$(val 'new customers needed')" 4 "new customers"
check_eq "$(val 'opportunities needed')" 16 "opportunities"
check_eq "$(val 'visits needed')" 48 "visits"
check_eq "$(val 'calls needed')" 192 "calls"
check_eq "$(val 'weeks')" 5 "weeks"
check_eq "$(val 'visits per rep per week')" 9.60 "visits per rep per week"
# dekads: March has 3
expect_ok sp --db $DB target needs --plan P --period 2018-03 --org A --win-rate 25% \
	--visits-per-opportunity 3 --calls-per-visit 4 --per dekad --format csv
check_eq "$(val 'visits per rep per dekad')" 16.00 "visits per rep per dekad"
# without opportunity history the win rate must be given
expect_fail --rc 1 sp --db $DB target needs --plan P --period 2018-03 --org A
check_contains "$ERR" "--win-rate" "needs: missing rate named"
# --write: orders is a known metric; the rest depend on the catalogue
expect_ok sp --db $DB target needs --plan P --period 2018-03 --org A --win-rate 25% \
	--visits-per-opportunity 3 --calls-per-visit 4 --write
expect_ok sp --db $DB target list --plan P --format csv
check_contains "$OUT" "orders,A,Alpha,2018-03,,,,,5," "needs --write: orders target"

# --- bottom-up ------------------------------------------------------------------
expect_ok sp --db $DB target set --plan P --period 2018 --value 10000
expect_ok sp --db $DB target split --plan P --period 2018 --into org --method equal
expect_ok sp --db $DB target commit --plan P --period 2018 --org A --value 3000
expect_ok sp --db $DB target commit --plan P --period 2018 --org B --value 4000.50
expect_ok sp --db $DB target rollup --plan P --period 2018 --format csv
check_contains "$OUT" "revenue,ACME,ACME,2018,,,,,10000.00,,7000.50,2999.50,true," "rollup: company"
expect_fail --rc 2 sp --db $DB target reconcile --plan P --period 2018
expect_ok sp --db $DB target reconcile --plan P --period 2018 --mode spread-gap --method equal
# gap 2999.50 split equally: 1499.75 each
expect_ok sp --db $DB target list --plan P --format csv
check_contains "$OUT" "revenue,A,Alpha,2018,,,,,4499.75," "spread-gap: A"
check_contains "$OUT" "revenue,B,Beta,2018,,,,,5500.25," "spread-gap: B"
expect_ok sp --db $DB target reconcile --plan P --period 2018 --mode accept-rollup
expect_ok sp --db $DB target list --plan P --format csv
check_contains "$OUT" "revenue,ACME,ACME,2018,,,,,7000.50," "accept-rollup: company"
check_contains "$OUT" "revenue,A,Alpha,2018,,,,,3000.00," "accept-rollup: A"
expect_ok sp --db $DB target reconciliations --plan P --format csv
check_eq "$(tail -n +2 <<<"$OUT" | wc -l)" 2 "two decisions logged"

# --- SMART check ------------------------------------------------------------------
expect_ok sp --db $DB plan objective add --plan P --name "Grow Alpha"
expect_ok sp --db $DB target link --plan P --period 2018 --objective "Grow Alpha"
expect_fail --rc 1 sp --db $DB target link --plan P --period 2018 --objective Nope
expect_ok sp --db $DB target check --plan P --format csv
[[ "$OUT" != *"relevant,R,revenue ACME 2018"* ]] || fail "linked cell still reported"
# new_customers by quarter that do not add up to the year
for q in 1:20 2:30 3:40 4:20; do
	sp --db $DB target set --plan P --metric orders --period 2018-Q${q%%:*} --value ${q##*:} 2>/dev/null ||
		fail "set quarter"
done
expect_ok sp --db $DB target set --plan P --metric orders --period 2018 --value 100
expect_ok sp --db $DB target check --plan P --format csv
check_contains "$OUT" 'error,parts-sum,plan,orders ACME 2018 and its 4 quarter parts' "parts-sum finding"
check_contains "$OUT" "add up to 110, not 100" "parts-sum message"
expect_ok sp --db $DB target rules
check_contains "$OUT" "share-path" "rules table"
