#!/usr/bin/env bash
# 070_users — `salesplan init --admin-password`, `salesplan user
# add|passwd|disable|enable|list` and `salesplan audit`: the first admin of
# a real database, users with roles and org nodes, usage errors, and the
# audit log of user, plan and target changes exported as CSV and JSON.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# ---- init makes the admin -------------------------------------------------------
expect_ok sp --db a.db init --company Acme --admin-password 'first secret'
expect_ok sp --db a.db user list --format csv
check_eq "$OUT" $'username,display_name,role,org,disabled\nadmin,Administrator,admin,Acme,false' \
	"init creates the admin"
expect_ok sp --db b.db init --company Beta
check_contains "$OUT" "user admin, password " "init without --admin-password prints one"
pw=$(sed -n 's/^user admin, password \([^ ]*\) .*/\1/p' <<<"$OUT")
check_eq "${#pw}" 16 "a generated password has 16 characters"
expect_fail --rc 2 sp --db c.db init --company Gamma --admin-password short
[[ ! -e c.db ]] || fail "a refused admin password left c.db behind"

# ---- users ------------------------------------------------------------------------
printf 'org_code,name,parent,manager\nEAST,East,,Wang\nE1,East team,EAST,Chen\n' >org.csv
expect_ok sp --db a.db import org org.csv
expect_ok sp --db a.db user add wang --role manager --org EAST --name "王建国" --password 'manager pw'
check_contains "$OUT" "added user wang" "user add"
echo 'rep password' | sp --db a.db user add chen --role rep --org E1 --password-stdin >/dev/null ||
	fail "user add --password-stdin"
expect_ok sp --db a.db user add fin --role finance --password 'finance pw'
expect_fail sp --db a.db user add wang --role rep --org E1 --password 'another pw'
check_contains "$ERR" "exists" "a second wang is refused"
expect_fail sp --db a.db user add x --role manager --password 'long enough'
check_contains "$ERR" "org" "a manager needs an org"
expect_fail sp --db a.db user add y --role boss --password 'long enough'
check_contains "$ERR" "role" "unknown role"
expect_fail sp --db a.db user add z --role rep --org NOPE --password 'long enough'
check_contains "$ERR" "NOPE" "unknown org"
expect_fail sp --db a.db user add 'bad name' --role finance --password 'long enough'
expect_fail sp --db a.db user add w --role finance --password short
check_contains "$ERR" "8" "short password"
expect_fail --rc 2 sp --db a.db user add q --role finance </dev/null
expect_fail --rc 2 sp --db a.db user frobnicate x
expect_fail --rc 2 sp --db a.db user list extra

expect_ok sp --db a.db user disable chen
expect_ok sp --db a.db user passwd wang --password 'new manager pw'
expect_ok sp --db a.db user list --format json
py "$OUT" <<'PY'
import json, sys
users = {u["username"]: u for u in json.loads(sys.argv[1])}
assert set(users) == {"admin", "wang", "chen", "fin"}, users
assert users["wang"] == {"username": "wang", "display_name": "王建国", "role": "manager",
                         "org": "EAST", "disabled": False}, users["wang"]
assert users["chen"]["disabled"] is True and users["chen"]["org"] == "E1"
assert users["fin"]["org"] == "Acme"
PY
expect_ok sp --db a.db user enable chen
expect_fail sp --db a.db user disable nobody
check_contains "$ERR" "nobody" "unknown user"

# ---- the audit log ------------------------------------------------------------------
expect_ok sp --db a.db plan create FY --year 2026
expect_ok sp --db a.db target set --plan FY --period 2026 --value 1000
expect_ok sp --db a.db target set --plan FY --period 2026 --value 1500
expect_ok sp --db a.db audit --format json
py "$OUT" <<'PY'
import json, sys
log = json.loads(sys.argv[1])
acts = [(e["action"], e["object"]) for e in log]
# newest first
assert acts[:3] == [("target.set", "revenue Acme 2026"), ("target.set", "revenue Acme 2026"),
                    ("plan.create", "FY")], acts[:3]
last, first = json.loads(log[0]["after"]), json.loads(log[1]["after"])
assert last[0]["value"] == "1500.00" and json.loads(log[0]["before"])[0]["value"] == "1000.00"
assert first[0]["value"] == "1000.00" and json.loads(log[1]["before"]) == []
assert all(e["user"] == "local-admin" for e in log)
users = [e for e in log if e["action"].startswith("user.")]
assert [e["action"] for e in users].count("user.add") == 4, users
for e in users:
    assert "password_hash" not in (e["after"] or "") and "argon2" not in (e["after"] or "")
pw = [e for e in users if e["action"] == "user.update" and "password_changed" in e["after"]]
assert len(pw) == 1 and pw[0]["object"] == "wang", pw
PY
expect_ok sp --db a.db audit --format csv --limit 1
check_eq "$(head -1 <<<"$OUT")" "at,user,action,object,before,after" "audit csv header"
check_eq "$(wc -l <<<"$OUT")" 2 "--limit 1: one entry"
expect_fail --rc 2 sp --db a.db audit --limit 0
echo "070_users: all passed"
