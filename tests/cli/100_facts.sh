#!/usr/bin/env bash
# 100_facts — issue 4: credit splits, collections/activities/opportunities
# imports (atomic, row-precise), fact metrics, the new track columns and the
# catch-up proposal, alerts firing and not firing, leaderboard ties, funnel,
# customers (ABC, churn). Every expected value below is worked out by hand
# in the comments.
source "$(dirname "$0")/lib.sh"

DB=f.db
cat >org.csv <<'CSV'
code,name,parent,manager,kind
EAST,East,,Wang,region
T1,Team 1,EAST,Li,team
R1,Rep 1,T1,,rep
R2,Rep 2,T1,,rep
R3,Rep 3,T1,,rep
CSV
cat >sales.csv <<'CSV'
date,amount,org,customer,order,split
2017-05-02,1000.00,R1,C1,O1,
2017-05-03,300.00,,C2,O2,R1:50;R2:50
2017-05-04,100.00,R3,C3,O3,
2017-01-04,50.00,R3,C4,O4,
2017-05-05,0.01,,C3,O5,R1:33.33;R2:33.33;R3:33.34
CSV
expect_ok sp --db $DB init --company ACME
expect_ok sp --db $DB import org org.csv
expect_ok sp --db $DB import sales sales.csv
check_contains "$OUT" "5 rows read, 5 rows imported" "a split line counts as one file row"

# ---- split credit: parts add up exactly ---------------------------------------
# O2 300.00 50/50 -> 150.00 each; O5 0.01 over 33.33/33.33/33.34 -> the cent
# goes to the largest remainder (R3: 0.0034 > 0.0033).
expect_ok sp --db $DB plan create P --year 2017
for r in R1 R2 R3; do expect_ok sp --db $DB target set --plan P --period 2017-05 --org $r --value 1000; done
expect_ok sp --db $DB track --plan P --as-of 2017-05-31 --format csv
act() { echo "$OUT" | grep "^revenue,$1,.*,2017-05," | cut -d, -f10; }
check_eq "$(act R1)" "1150.00" "R1: 1000 + 150 + 0"
check_eq "$(act R2)" "150.00" "R2: 150 + 0"
check_eq "$(act R3)" "100.01" "R3: 100 + the cent"

# bad splits fail the whole file with row and column, nothing written
for bad in "R1:60;R2:30|add up to 90.00%" "R1:50;R1:50|names R1 twice" "R1:x|is not a percentage" \
	"R1|is not CODE:PERCENT" "R1:50.005;R2:49.995|is not a percentage"; do
	printf 'date,amount,split\n2017-05-06,1.00,R1:100\n2017-05-07,1.00,%s\n' "${bad%%|*}" >bad.csv
	expect_fail sp --db $DB import sales bad.csv
	check_contains "$ERR" "bad.csv: row 3, column split: " "split error names row and column"
	check_contains "$ERR" "${bad##*|}" "split error reason for ${bad%%|*}"
done
expect_ok sp --db $DB track --plan P --as-of 2017-05-31 --format csv
check_eq "$(act R1)" "1150.00" "failed imports wrote nothing"

# ---- collections, activities, opportunities ---------------------------------------
cat >coll.csv <<'CSV'
回款日期,回款金额,订单号
2017-05-10,500.00,O1
2017-05-11,100.00,O2
CSV
cat >act.csv <<'CSV'
date,org,type,customer,outcome
2017-05-02,R1,visit,C1,ok
2017-05-03,R1,电话,C2,
2017-05-08,R2,meeting,C2,
2017-05-09,R2,拜访,C2,
CSV
cat >opp.csv <<'CSV'
opportunity,date,stage,amount,org,customer,reason
OP1,2017-04-01,lead,5000,R1,C1,
OP1,2017-04-11,qualified,,,,
OP1,2017-05-01,won,6000,,,
OP2,2017-04-05,lead,1000,R2,C2,
OP2,2017-04-10,lost,,,,price
OP3,2017-04-20,proposal,2000,R3,,
CSV
printf 'date,amount,order\n2017-05-10,5.00,O1\n2017-05-10,5.00,NOPE\n' >badcoll.csv
expect_fail sp --db $DB import collections badcoll.csv
check_contains "$ERR" "badcoll.csv: row 3, column order: no sales line has order \"NOPE\"" "unknown order"
printf 'date,org,type\n2017-05-10,R1,visit\n2017-05-11,R1,lunch\n' >badact.csv
expect_fail sp --db $DB import activities badact.csv
check_contains "$ERR" "badact.csv: row 3, column type: unknown activity type \"lunch\"" "bad type"
printf 'opportunity,date,stage,amount,org,reason\nX,2017-04-01,lead,10,R1,\nX,2017-03-01,proposal,,,\n' >badopp.csv
expect_fail sp --db $DB import opportunities badopp.csv
check_contains "$ERR" "badopp.csv: row 3, column date: date is before X's previous stage change (2017-04-01)" "stage going back"
printf 'opportunity,date,stage,amount,org,reason\nY,2017-04-01,lead,10,R1,\nY,2017-04-02,lost,,,\n' >badopp.csv
expect_fail sp --db $DB import opportunities badopp.csv
check_contains "$ERR" "row 3, column reason: a lost opportunity needs a reason" "lost needs a reason"
expect_ok sp --db $DB import collections coll.csv --dry-run
check_contains "$OUT" "dry run: " "dry run"
expect_ok sp --db $DB import collections coll.csv
expect_ok sp --db $DB import activities act.csv
expect_ok sp --db $DB import opportunities opp.csv
printf 'opportunity,date,stage\nOP1,2017-06-01,lead\n' >again.csv
expect_fail sp --db $DB import opportunities again.csv
check_contains "$ERR" "OP1 was won on 2017-05-01 already" "nothing after won"

# ---- fact metrics: actual, attainment, time progress --------------------------------
# May 2017 on the default Mon-Fri calendar: 23 working days; by Mon 2017-05-15,
# 11 have elapsed (1-5, 8-12, 15): time progress 11/23 = 47.83 %.
expect_ok sp --db $DB target set --plan P --period 2017-05 --metric collections --value 1000
expect_ok sp --db $DB target set --plan P --period 2017-05 --metric visits --org R2 --value 4
expect_ok sp --db $DB target set --plan P --period 2017-05 --metric calls --org T1 --value 2
expect_ok sp --db $DB target set --plan P --period 2017-05 --metric new_customers --value 8
expect_ok sp --db $DB target set --plan P --period 2017-05 --metric opportunities --org R1 --value 1
expect_ok sp --db $DB target set --plan P --period 2017-05 --metric contracts --org EAST --value 2
expect_ok sp --db $DB target set --plan P --period 2017-Q2 --metric contract_amount --value 12000
expect_ok sp --db $DB track --plan P --as-of 2017-05-15 --format csv
f() { echo "$OUT" | grep "^$1,$2,.*,$3," | cut -d, -f"$4"; }
# collections 500 + 100 of 1000: 60.00 %; gap 60.00 - 47.83 = 12.17 points
check_eq "$(f collections ACME 2017-05 10,11,12)" "600.00,60.00,47.83" "collections"
check_eq "$(f visits R2 2017-05 10,11)" "1,25.00" "visits: one of R2's two activities is a visit"
check_eq "$(f calls T1 2017-05 10,11)" "1,50.00" "calls roll up from R1 to its team"
# new customers in May: C1, C2, C3 (C4 first bought in January): 3 of 8
check_eq "$(f new_customers ACME 2017-05 10,11)" "3,37.50" "new customers"
# OP1 was created in April: no opportunity created in May
check_eq "$(f opportunities R1 2017-05 10,11)" "0,0.00" "opportunities created"
check_eq "$(f contracts EAST 2017-05 10,11)" "1,50.00" "OP1 won 2017-05-01 under EAST"
# Q2 as of 05-15: 6000 of 12000; Q2 has 64 working days (Apr 20, May 23, Jun 22 ... counted:
# April 2017 has 20 weekdays, May 23, June 22 = 65), 31 elapsed (20 + 11): 47.69 %
check_eq "$(f contract_amount ACME 2017-Q2 10,11,12)" "6000.00,50.00,47.69" "contract amount"

# ---- the new track columns, by hand -------------------------------------------------
# R1 revenue 2017-05: target 1000.00, actual 1150.00 by 05-15 (O1 1000 + 150).
#   progress_gap = 115.00 - 47.83 = 67.17; projection = 1150 x 23 / 11 =
#   2404.545... -> 2404.55; remaining = max(1000 - 1150, 0) = 0.00;
#   per_workday = 0 / 12 = 0.00; status ahead (>= +5).
check_eq "$(f revenue R1 2017-05 14-18)" "67.17,2404.55,0.00,0.00,ahead" "R1 columns"
# R2 revenue: 150.00 of 1000: 15.00 - 47.83 = -32.83 -> critical (< -15);
#   projection 150 x 23 / 11 = 313.636... -> 313.64; remaining 850.00 over
#   12 working days = 70.8333... rounded up -> 70.84.
check_eq "$(f revenue R2 2017-05 14-18)" "-32.83,313.64,850.00,70.84,critical" "R2 columns"
# --forecast: R2 has no 24 months of history, so the run rate stays, said so,
# without an interval (projection_method, projection_lo, projection_hi last)
expect_ok sp --db $DB track --plan P --as-of 2017-05-15 --forecast --format csv
check_eq "$(f revenue R2 2017-05 15,19-21)" "313.64,run_rate,," "R2 run-rate fallback"
# collections have no monthly sums to forecast: run rate too
check_eq "$(f collections ACME 2017-05 19)" "run_rate" "collections: run rate"
# bands are settings: with behind at -40, R2 is behind
sqlite3 $DB "INSERT INTO settings VALUES ('track.band_behind', '-40')" 2>/dev/null ||
	py $DB <<<'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("INSERT INTO settings VALUES (?,?)", ("track.band_behind","-40")); c.commit()'
expect_ok sp --db $DB track --plan P --as-of 2017-05-15 --format csv
check_eq "$(f revenue R2 2017-05 18)" "behind" "configurable band"
# before the period: no projection, everything remains, nothing elapsed
expect_ok sp --db $DB track --plan P --as-of 2017-04-30 --format csv
check_eq "$(f revenue R2 2017-05 14-18)" "0.00,,1000.00,43.48,on_track" "before the period (1000/23 = 43.478 -> 43.48)"
# after the period: projection = actual, no working day left
expect_ok sp --db $DB track --plan P --as-of 2017-06-30 --format csv
check_eq "$(f revenue R2 2017-05 15-17)" "150.00,850.00," "after the period"

# ---- catch-up -----------------------------------------------------------------------
expect_ok sp --db $DB target set --plan P --period 2017-06 --org R2 --value 2000
expect_ok sp --db $DB target split --plan P --period 2017-06 --org R2 --into dekad --method equal
# No June sales: as of Jun 12 (Mon), D1 (Jun 1-10) is past at its actual 0.00;
# 2000.00 remain over D2 (Jun 13-20: 6 working days left) and D3 (Jun 21-30: 8):
# 2000 x 6/14 = 857.142... and 2000 x 8/14 = 1142.857...; largest remainder
# gives the cent to D3 (0.857 > 0.142): 857.14 + 1142.86 = 2000.00.
expect_ok sp --db $DB track catchup --plan P --period 2017-06 --org R2 --as-of 2017-06-12 --format csv
check_eq "$(echo "$OUT" | cut -d, -f1,2,6,8,9 | tr '\n' ' ')" \
	"period,state,proposed,workdays_left,per_workday 2017-06-D1,past,0.00,0, 2017-06-D2,current,857.14,6,142.86 2017-06-D3,future,1142.86,8,142.86 " \
	"catch-up by working days"
expect_ok sp --db $DB target list --plan P --format csv
check_contains "$OUT" "revenue,R2,Rep 2,2017-06-D1,,,,,666.67" "a proposal writes nothing"
expect_ok sp --db $DB track catchup --plan P --period 2017-06 --org R2 --as-of 2017-06-12 --method equal --apply
expect_ok sp --db $DB target list --plan P --format csv
check_contains "$OUT" "2017-06-D2,,,,,1000.00,false,catchup" "applied equally"
check_contains "$OUT" "2017-06-D3,,,,,1000.00,false,catchup" "applied equally"
expect_fail sp --db $DB track catchup --plan P --period 2017-05 --org R2 --as-of 2017-05-15
check_contains "$ERR" "has no child periods" "catch-up needs child periods"

# ---- alerts ---------------------------------------------------------------------------
# As of 2017-05-15: R2 revenue gap -32.83 < -10 fires progress_gap; its
# projection 313.64 is 31.36 % < 90 % fires projection. R1 (ahead) fires
# neither. Visits R2 1 of 4: gap 25.00 - 47.83 = -22.83 fires too.
expect_ok sp --db $DB alerts --as-of 2017-05-15 --plan P --format csv
check_contains "$OUT" "progress_gap,new,R2,Li,P: revenue R2 2017-05" "gap alert fires"
check_contains "$OUT" "projection,new,R2,Li," "projection alert fires"
[[ "$OUT" != *"revenue R1 2017-05"* ]] || fail "no alert for R1, which is ahead"
# rep_idle (5 working days): as of 05-15 R1's last activity is 05-03 (8 working
# days since), R2's 05-09 (4: 10, 11, 12, 15) -> R1 and R3 (none) fire, R2 not
expect_ok sp --db $DB alerts --as-of 2017-05-15 --format csv
check_contains "$OUT" "rep_idle,new,R1,Li" "idle rep fires, owner from the team"
check_contains "$OUT" "no activity for 8 working days (last on 2017-05-03)" "idle message"
[[ "$OUT" != *"rep_idle,new,R2"* ]] || fail "R2 was active within 5 working days"
# stage_stuck (30 days): OP3 in proposal since 04-20: 25 days on 05-15 (no), 41 on 05-31
[[ "$OUT" != *"stage_stuck"* ]] || fail "OP3 not stuck yet on 05-15"
expect_ok sp --db $DB alerts --as-of 2017-05-31 --format csv
check_contains "$OUT" "stage_stuck,new,R3,Li,opportunity OP3,in stage proposal for 41 days" "stuck opportunity"
# customer_idle (60 days): A-class C1 last ordered 05-02; on 2017-07-15: 74 days
expect_ok sp --db $DB alerts --as-of 2017-07-15 --format csv
check_contains "$OUT" "customer_idle,new,R1,Li,customer C1,A-class customer without an order for 74 days" "A customer idle"
[[ "$OUT" != *"customer C4"* ]] || fail "C4 is not A-class"
# acknowledge and resolve
id=$(echo "$OUT" | grep customer_idle | grep C1 | cut -d, -f1)
expect_ok sp --db $DB alerts ack "$id"
expect_ok sp --db $DB alerts --no-eval --state acknowledged --format csv
check_contains "$OUT" "$id,customer_idle,acknowledged" "acknowledged"
expect_ok sp --db $DB alerts resolve "$id"
expect_fail sp --db $DB alerts ack "$id"
check_contains "$ERR" "resolved already" "a resolved alert stays resolved"
expect_fail sp --db $DB alerts ack 99999
# conditions that clear resolve their alerts: back on 05-15 OP3 is not stuck
expect_ok sp --db $DB alerts --as-of 2017-05-15 --state resolved --format csv
check_contains "$OUT" "stage_stuck,resolved" "cleared alert resolved by the rules"

# ---- leaderboard: ties share a rank ------------------------------------------------------
# May as of 05-31: R1 1150/1000 = 115 %, R2 150/1000 = 15 %, R3 100.01/1000.
# With R3's target 666.73 -> 15.0000...% vs R2 15 %: not a tie; make R3 1000.00
# and R2 1000.00 + give R3's 0.01 back: use a fresh plan with exact ties.
expect_ok sp --db $DB plan create L --year 2017
expect_ok sp --db $DB target set --plan L --period 2017-05 --org R1 --value 2300
expect_ok sp --db $DB target set --plan L --period 2017-05 --org R2 --value 300
expect_ok sp --db $DB target set --plan L --period 2017-05 --org R3 --value 200.02
# R1 1150/2300 = 50 %, R2 150/300 = 50 %, R3 100.01/200.02 = 50 %: all rank 1
expect_ok sp --db $DB leaderboard --plan L --period 2017-05 --as-of 2017-05-31 --format csv
check_eq "$(echo "$OUT" | tail -n +2 | cut -d, -f1,2 | tr '\n' ' ')" "1,R1 1,R2 1,R3 " "three-way tie"
expect_ok sp --db $DB target set --plan L --period 2017-05 --org R3 --value 100.01
expect_ok sp --db $DB leaderboard --plan L --period 2017-05 --as-of 2017-05-31 --format csv
check_eq "$(echo "$OUT" | tail -n +2 | cut -d, -f1,2,7 | tr '\n' ' ')" "1,R3,100.00 2,R1,50.00 2,R2,50.00 " "1, 2, 2"
expect_ok sp --db $DB target set --plan L --period 2017-05 --org R2 --value 150
expect_ok sp --db $DB leaderboard --plan L --period 2017-05 --as-of 2017-05-31 --format csv
check_eq "$(echo "$OUT" | tail -n +2 | cut -d, -f1,2 | tr '\n' ' ')" "1,R2 1,R3 3,R1 " "1, 1, 3"
expect_ok sp --db $DB leaderboard --plan L --period 2017-05 --level team --format csv
check_eq "$(echo "$OUT" | tail -n +2 | cut -d, -f1,2)" ",T1" "a team without target: no rank"
expect_fail sp --db $DB leaderboard --plan L --level galaxy
check_contains "$ERR" "unknown \"galaxy\"" "bad level"

# ---- funnel -------------------------------------------------------------------------------
# OP1 lead 04-01 -> qualified 04-11 -> won 05-01; OP2 lead 04-05 -> lost 04-10;
# OP3 proposal 04-20 (open). reached: lead 3, qualified 2 (OP1, OP3), proposal 2
# (OP1 via won, OP3), negotiation 1 (OP1), won 1, lost 1. Lead stays: 10 and 5
# days -> 7.50; qualified: 20.
expect_ok sp --db $DB funnel --as-of 2017-05-31 --format csv
check_eq "$(echo "$OUT" | tail -n +2 | cut -d, -f3- | tr '\n' ' ')" \
	"lead,3,0,66.67,7.50 qualified,2,0,100.00,20.00 proposal,2,1,50.00, negotiation,1,0,100.00, won,1,1,, lost,1,1,, " \
	"funnel"
expect_ok sp --db $DB funnel --as-of 2017-05-31 --by rep --format csv
check_contains "$OUT" "R3,Rep 3,proposal,1,1,0.00," "per rep"

# ---- customers: ABC, churn ------------------------------------------------------------------
# Window = 365 days to 2017-05-31. Revenue: C1 1000.00, C2 300.00, C3 100.01,
# C4 50.00; total 1450.01. Before-shares: C1 0 -> A; C2 68.965 % < 70 -> A; shares print rounded: 68.97;
# C3 89.66 % < 90 -> B; C4 96.55 % -> C. Status on 05-31: C4 first bought
# 01-04 (147 days: active), the others in May (new).
expect_ok sp --db $DB customers --as-of 2017-05-31 --format csv
check_eq "${OUT%%$'\n'*}" "customer,revenue,share,class,first_purchase,last_purchase,status" "columns"
check_eq "$(echo "$OUT" | tail -n +2 | tr '\n' ' ')" \
	"C1,1000.00,68.97,A,2017-05-02,2017-05-02,new C2,300.00,20.69,A,2017-05-03,2017-05-03,new C3,100.01,6.90,B,2017-05-04,2017-05-05,new C4,50.00,3.45,C,2017-01-04,2017-01-04,active " \
	"ABC and status"
# On 2017-07-10 C4 has 187 days without a purchase (> 180): churned
expect_ok sp --db $DB customers --as-of 2017-07-10 --winback --format csv
check_eq "$(echo "$OUT" | tail -n +2)" "C4,C4,50.00,2017-01-04,187,R3,Li" "win-back list"
# On 07-10 C1..C3 first bought 66-69 days ago (< 90: new), C4 churned.
# repurchase: only C3 bought on two days -> 1 of 4 = 25.00 %
expect_ok sp --db $DB customers --as-of 2017-07-10 --summary --format csv
check_eq "$(echo "$OUT" | tail -1)" "4,3,0,1,2,1,1,1450.01,25.00" "summary"
