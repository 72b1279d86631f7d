#!/usr/bin/env bash
# 400_plan_lifecycle.sh — the year of a plan through the CLI: document
# number, draft → submitted → approved → active with who and when, a frozen
# working copy, a major change that fails the two-thirds rule (nothing
# changes), one that passes (applied as version 2 with the splits below
# re-spread), tracking against the original and the revision, a diff, a
# manual revision discarded, responsibility letters signed and printed.
# Expected values are worked out by hand in the comments.
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/lib.sh"

DB=p.db
s() { sp --db $DB "$@"; }

expect_ok s init --company ACME --currency CNY
cat >org.csv <<'EOF'
code,name,parent,manager,kind
EAST,East,,wang,region
WEST,West,,,region
R1,Rep one,EAST,,rep
R2,Rep two,EAST,,rep
EOF
expect_ok s import org org.csv
cat >sales.csv <<'EOF'
date,amount,org
2026-02-10,150000.00,R1
2026-05-05,30000.00,WEST
EOF
expect_ok s import sales sales.csv
for u in d1 d2 d3 d4 d5 d6; do
	expect_ok s user add $u --role director --password secret-password
done
expect_ok s user add wang --role manager --org EAST --password secret-password
expect_ok s user add r1 --role rep --org R1 --password secret-password

# ---- version 1: a draft with a document number ------------------------------------
expect_ok s plan create P2026 --year 2026
expect_ok s target set --plan P2026 --period 2026 --value 1,200,000
expect_ok s target split --plan P2026 --period 2026 --into org --method equal
expect_ok s target split --plan P2026 --period 2026 --org EAST --into org --method equal
expect_ok s target split --plan P2026 --period 2026 --org EAST --into quarter --method equal
expect_ok s plan version --plan P2026 --format csv
check_contains "$OUT" "1,draft,SN-GG-2026-01," "version 1 is a draft numbered SN-GG-2026-01"

expect_fail --rc 1 s plan approve --plan P2026
check_contains "$ERR" "only a submitted version is approved" "approve before submit"
expect_fail --rc 1 s plan submit --plan P2026 --as r1
check_contains "$ERR" "may not submit" "a rep does not submit"
expect_ok s plan submit --plan P2026 --as wang
expect_fail --rc 1 s plan approve --plan P2026 --as wang
check_contains "$ERR" "may not approve" "a manager does not approve"
expect_ok s plan approve --plan P2026 --as d1 --note "looks right"
expect_ok s plan activate --plan P2026 --as d2
check_eq "$OUT" "plan P2026: version 1 is active" "activate"
expect_ok s plan version --plan P2026 --format json
check_contains "$OUT" '"submitted_by": "wang"' "who submitted"
check_contains "$OUT" '"approved_by": "d1"' "who approved"
check_contains "$OUT" '"activated_by": "d2"' "who activated"
expect_ok s plan history --plan P2026 --format csv
check_eq "$(echo "$OUT" | tail -n +2 | cut -d, -f1-3 | tr '\n' ' ')" \
	"1,draft,local-admin 1,submitted,wang 1,approved,d1 1,active,d2 " "history"

# the active plan's targets cannot be set directly
rc=0
s target set --plan P2026 --period 2026 --org WEST --value 1 >/dev/null 2>err.txt || rc=$?
[[ $rc -ne 0 ]] || fail "target set on an active plan succeeded"
check_contains "$(cat err.txt)" "change propose" "the refusal says what to do instead"
expect_ok s target list --plan P2026 --format csv
check_contains "$OUT" "revenue,WEST,West,2026,,,,,600000.00" "WEST unchanged"

# ---- a major change short of two thirds --------------------------------------------
expect_fail --rc 1 s change propose --plan P2026 --reason "East wins a key account" \
	--period 2026 --org EAST --value 900,000
check_contains "$ERR" "change.board" "a major change needs a board"
expect_ok s plan config change.board d1,d2,d3,d4,d5,d6
expect_ok s plan config --format csv
check_contains "$OUT" "change.fraction,2/3,2/3," "default fraction"
expect_ok s change propose --plan P2026 --reason "East wins a key account" \
	--period 2026 --org EAST --value 900,000
check_contains "$OUT" "change 1: open (major: changes the annual target of region" "classified major"
check_contains "$OUT" "0 of 6 board members approve, 4 needed" "four of six needed"
expect_fail --rc 1 s change vote 1 --approve --as wang
check_contains "$ERR" "not on the management board" "only the board votes"
for v in d1:approve d2:approve d3:approve d4:reject d5:reject; do
	expect_ok s change vote 1 --"${v#*:}" --as "${v%%:*}"
done
check_contains "$OUT" "change 1: open" "3 for, 2 against: d6 could still decide"
expect_ok s change vote 1 --reject --as d6 --comment "not now"
check_contains "$OUT" "change 1: rejected" "3 of 6 is less than two thirds"
expect_ok s plan version --plan P2026 --format csv
check_eq "$(echo "$OUT" | tail -n +2 | wc -l)" "1" "no new version"
expect_ok s target list --plan P2026 --format csv
check_contains "$OUT" "revenue,EAST,East,2026,,,,,600000.00" "EAST unchanged"
expect_ok s change show 1 --format json
check_contains "$OUT" '"comment": "not now"' "the votes are kept"

# ---- the same change with two thirds ------------------------------------------------
expect_ok s change propose --plan P2026 --reason "East wins a key account" \
	--period 2026 --org EAST --value 900,000
for v in d1 d2 d3; do expect_ok s change vote 2 --approve --as $v; done
expect_ok s change vote 2 --reject --as d4
check_contains "$OUT" "change 2: open" "three approvals are not enough"
expect_ok s change vote 2 --approve --as d5
check_contains "$OUT" "change 2: approved" "four of six approve"
check_contains "$OUT" "applied as version 2" "one new version"
# EAST 900,000; the company keeps 1,200,000, so WEST 300,000; EAST's
# quarters 225,000 each and its reps 450,000 each
expect_ok s target list --plan P2026 --format csv
check_contains "$OUT" "revenue,EAST,East,2026,,,,,900000.00" "EAST revised"
check_contains "$OUT" "revenue,WEST,West,2026,,,,,300000.00" "WEST re-spread"
check_contains "$OUT" "revenue,EAST,East,2026-Q3,,,,,225000.00" "quarters re-spread"
check_contains "$OUT" "revenue,R2,Rep two,2026,,,,,450000.00" "reps re-spread"
check_tree "$DB" P2026 ACME EAST WEST
check_tree "$DB" P2026 EAST R1 R2
expect_ok s plan version --plan P2026 --format csv
check_eq "$(echo "$OUT" | tail -n +2 | cut -d, -f1,2,5 | tr '\n' ' ')" \
	"1,archived, 2,active,2 " "version 1 archived, version 2 active from change 2"

# ---- tracking against the original and the revision -----------------------------------
# on 2026-06-30: EAST actual 150,000 (R1's sale): 16.67% of 900,000, 25.00%
# of 600,000; WEST 30,000: 10.00% of 300,000, 5.00% of 600,000
expect_ok s track --plan P2026 --as-of 2026-06-30 --by org,year --version current --format csv
check_eq "$(printf "%s\n" "${OUT%%$'\n'*}" | tr ',' '\n' | tail -3 | tr '\n' ' ')" \
	"original_target original_attainment variance " "comparison columns"
row=$(echo "$OUT" | grep '^revenue,EAST,')
check_eq "$(echo "$row" | cut -d, -f9-11)" "900000.00,150000.00,16.67" "EAST revised attainment"
check_eq "$(echo "$row" | awk -F, '{ print $(NF-2) "," $(NF-1) "," $NF }')" \
	"600000.00,25.00,300000.00" "EAST original attainment and variance"
row=$(echo "$OUT" | grep '^revenue,WEST,')
check_eq "$(echo "$row" | awk -F, '{ print $11 "," $(NF-2) "," $(NF-1) "," $NF }')" \
	"10.00,600000.00,5.00,-300000.00" "WEST both attainments"
expect_ok s track --plan P2026 --as-of 2026-06-30 --by org,year --version original --format csv
check_contains "$OUT" "revenue,EAST,East,2026,,,,,600000.00" "tracking the original"

# ---- diff ---------------------------------------------------------------------------------
expect_ok s plan diff --plan P2026 --from 1 --to 2 --format csv
# EAST, its 4 quarters, R1, R2, WEST
check_eq "$(echo "$OUT" | tail -n +2 | wc -l)" "8" "eight cells differ"
check_contains "$OUT" "revenue,EAST,East,2026,,,,,600000.00,900000.00,300000.00,50.00" "EAST +50%"

# ---- a revision drafted by hand and discarded -----------------------------------------------
expect_ok s plan revise --plan P2026 --reason "budget round" --as d1
check_eq "$OUT" "plan P2026: version 3 opened as a draft revision" "revise"
expect_ok s change propose --plan P2026 --reason "x" --period 2026 --org WEST --value 310,000
expect_ok s target set --plan P2026 --period 2026 --value 2,000,000
expect_ok s plan diff --plan P2026 --from current --to latest --format csv
check_contains "$OUT" "revenue,ACME,ACME,2026,,,,,1200000.00,2000000.00" "draft differs"
expect_ok s plan discard --plan P2026 --as d1
expect_ok s target list --plan P2026 --format csv
check_contains "$OUT" "revenue,ACME,ACME,2026,,,,,1200000.00" "discard restores the company"
check_contains "$OUT" "revenue,EAST,East,2026-Q1,,,,,225000.00" "and the parts"
check_tree "$DB" P2026 ACME EAST WEST
check_tree "$DB" P2026 EAST R1 R2
# a minor change: WEST 300,000 -> 310,000 would be 3.3%, but WEST's annual
# target is a region's: major. R2 450,000 -> 459,000 (2%) is minor.
expect_ok s change propose --plan P2026 --reason "R2 ramps up" --period 2026 --org R2 --value 459,000
check_contains "$OUT" "(minor:" "2% of a rep's year is minor"
expect_ok s change list --plan P2026 --status open --format csv
check_eq "$(echo "$OUT" | tail -n +2 | cut -d, -f1,3,4 | tr '\n' ' ')" "3,open,major 4,open,minor " "open requests"
expect_ok s change vote 4 --approve --as wang
check_contains "$OUT" "applied as version 4" "the manager approves the minor change"
expect_ok s target list --plan P2026 --format csv
check_contains "$OUT" "revenue,R1,Rep one,2026,,,,,441000.00" "R1 re-spread so EAST holds"

# ---- letters ---------------------------------------------------------------------------------
expect_ok s letter status --plan P2026 --format csv
check_contains "$OUT" "R1,Rep one,rep,r1,false" "R1 not signed yet"
expect_ok s letter sign --plan P2026 --as r1 --date 2026-03-01
expect_fail --rc 1 s letter sign --plan P2026 --as r1
check_contains "$ERR" "signed already" "one signature per version"
expect_fail --rc 1 s letter sign --plan P2026 --as r1 --org EAST
check_contains "$ERR" "not responsible" "a rep signs their own letter only"
expect_ok s letter status --plan P2026 --format csv
check_contains "$OUT" "R1,Rep one,rep,r1,true,r1,2026-03-01,4,4,true" "R1 signed version 4"
expect_ok s letter print --plan P2026 --org R1
check_contains "$OUT" "<h1>目标责任书" "letter title"
check_contains "$OUT" "¥441,000.00" "R1's year in the letter"
check_contains "$OUT" "No incentive plan is defined for this organisation" "no incentive plan applies"
check_contains "$OUT" "Signed by r1 on 2026-03-01 (version 4)" "signature on the letter"

# ---- audit -------------------------------------------------------------------------------------
expect_ok s audit --limit 1000 --format csv
for a in plan.submit plan.approve plan.activate change.propose change.vote change.apply \
	change.decide plan.revise plan.discard letter.sign setting.set; do
	check_contains "$OUT" ",$a," "audited: $a"
done
echo "ok - 400_plan_lifecycle"
