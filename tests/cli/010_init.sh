#!/usr/bin/env bash
# 010_init — `salesplan init`, database selection and the command line itself:
# init creates a database and refuses to overwrite one; usage errors exit 2
# with one line on stderr; --db beats $SALESPLAN_DB beats ./salesplan.db for
# every command; unknown commands fail; every --help exits 0.
source "$(dirname "$0")/lib.sh"

# ---- init creates a database, and only once --------------------------------
expect_ok sp --db a.db init --company Acme --currency CNY
[[ -s a.db ]] || fail "init did not create a.db"
check_contains "$OUT" "a.db" "init reports the database it created"
expect_ok sp --db a.db plan list --format csv
check_eq "$OUT" "name,year,status,targets" "a fresh database has no plans"

cp a.db a.before
expect_fail --rc 1 sp --db a.db init --company Other
check_contains "$ERR" "a.db" "second init names the file"
check_contains "$ERR" "already" "second init says the database exists"
cmp -s a.db a.before || fail "a failed init changed the existing database"

# ---- usage errors: exit 2, one line, no file left behind -------------------
expect_fail --rc 2 sp --db b.db init
check_contains "$ERR" "--company" "missing --company names the option"
[[ ! -e b.db ]] || fail "init without --company created b.db"

expect_fail --rc 2 sp --db b.db init --company Acme unexpected
expect_fail --rc 2 sp --db b.db init --company Acme --fiscal-year-start 13
check_contains "$ERR" "--fiscal-year-start" "bad fiscal year start names the option"
expect_fail --rc 2 sp --db b.db init --company Acme --fiscal-year-start 0
expect_fail sp --db b.db init --company Acme --currency XYZ
check_contains "$ERR" "XYZ" "unknown currency is named"
expect_fail sp --db b.db init --company ""
[[ ! -e b.db ]] || fail "a failed init left b.db behind"

# An unknown option is a usage error with one clear line.
expect_fail --rc 2 sp --db b.db init --company Acme --bogus
check_contains "$ERR" "--bogus" "the unknown option is named"
expect_fail --rc 2 sp --db b.db track --plan
check_contains "$ERR" "--plan needs a value" "a missing option value is named"

# ---- other currencies and fiscal years are accepted ------------------------
expect_ok sp --db jpy.db init --company Nippon --currency JPY --fiscal-year-start 4
expect_ok sp --db jpy.db plan create FY --year 2017
expect_ok sp --db jpy.db target set --plan FY --period 2017 --value 1000
expect_ok sp --db jpy.db target list --plan FY --format csv
check_contains "$OUT" ",1000," "JPY amounts have no decimals"

# ---- which database: --db, then $SALESPLAN_DB, then ./salesplan.db ---------
mkdir sel && cd sel
expect_ok sp init --company Default
[[ -f salesplan.db ]] || fail "without --db or \$SALESPLAN_DB init must create ./salesplan.db"
SALESPLAN_DB=env.db expect_ok sp init --company Env
[[ -f env.db ]] || fail "\$SALESPLAN_DB was not used"
SALESPLAN_DB=env.db expect_ok sp --db flag.db init --company Flag
[[ -f flag.db ]] || fail "--db was not used"
# each database now gets a plan through the same precedence, and keeps it
expect_ok sp plan create InDefault --year 2017
SALESPLAN_DB=env.db expect_ok sp plan create InEnv --year 2017
SALESPLAN_DB=env.db expect_ok sp --db flag.db plan create InFlag --year 2017
for db in salesplan.db:InDefault env.db:InEnv flag.db:InFlag; do
	expect_ok sp --db "${db%%:*}" plan list --format csv
	check_eq "$(echo "$OUT" | tail -n +2 | cut -d, -f1 | tr '\n' ' ')" "${db##*:} " \
		"plans in ${db%%:*}"
done
# an empty $SALESPLAN_DB counts as unset
SALESPLAN_DB='' expect_ok sp plan list --format csv
check_contains "$OUT" "InDefault" "empty \$SALESPLAN_DB falls back to ./salesplan.db"
cd "$T"

# ---- commands on a missing database fail and create nothing ----------------
expect_fail sp --db missing.db plan list
check_contains "$ERR" "missing.db" "missing database is named"
[[ ! -e missing.db ]] || fail "plan list created missing.db"
expect_fail sp --db missing.db track --plan X --as-of 2017-01-01
[[ ! -e missing.db ]] || fail "track created missing.db"

# ---- unknown commands, bare invocation -------------------------------------
expect_fail --rc 2 sp --db a.db bogus
check_contains "$ERR" "bogus" "unknown command is named"
expect_fail --rc 2 sp --db a.db plan bogus
check_contains "$ERR" "bogus" "unknown plan action is named"
expect_fail --rc 2 sp --db a.db target bogus --plan X --period 2017
check_contains "$ERR" "bogus" "unknown target action is named"
expect_fail --rc 2 sp --db a.db target bogus
check_contains "$ERR" "bogus" "unknown target action named even without --plan"
expect_fail --rc 2 sp --db a.db import bogus x.csv
check_contains "$ERR" "bogus" "unknown import kind is named"
expect_fail --rc 2 sp --db
rc=0
sp >/dev/null 2>&1 || rc=$?
[[ $rc -ne 0 ]] || fail "salesplan without a command must not succeed"

# ---- every --help exits 0 and shows a usage line on stdout -----------------
expect_ok sp --help
check_contains "$OUT" "usage: salesplan" "top-level --help"
for c in init demo track serve; do
	expect_ok sp "$c" --help
	check_contains "$OUT" "usage: salesplan $c" "$c --help"
done
for c in "import" "import sales" "import calendar" "import org"; do
	# shellcheck disable=SC2086
	expect_ok sp $c --help
	check_contains "$OUT" "usage: salesplan import" "$c --help"
done
for c in "plan" "plan create" "plan list"; do
	# shellcheck disable=SC2086
	expect_ok sp $c --help
	check_contains "$OUT" "usage: salesplan plan" "$c --help"
done
for c in "target" "target set" "target split" "target lock" "target unlock" "target list"; do
	# shellcheck disable=SC2086
	expect_ok sp $c --help
	check_contains "$OUT" "usage: salesplan target" "$c --help"
done
# --help never needs or touches a database
[[ ! -e salesplan.db ]] || fail "--help created ./salesplan.db"

echo "ok 010_init"
