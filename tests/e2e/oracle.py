#!/usr/bin/env python3
"""oracle.py — expected figures of the analysis pages, computed straight from
the fixture database's tables (not through salesplan), for browser.mjs.

    python3 oracle.py DB AS_OF > oracle.json

- leaderboard: regions ranked by revenue attainment of the month of AS_OF
  (exact fractions; equal ratios share a rank);
- funnel: per stage, how many of R001's opportunities reached it;
- customers: ABC classes (70 % / 20 % of the revenue of the 365 days to
  AS_OF) of the whole company and R001's churned count (> 180 days);
- catchup: NORTH's year target and actual to AS_OF;
- r001: R001's actuals of the year, month, week and day of AS_OF;
- achievable_west: 西南's 2026 revenue target against its 2025 actual (the
  growth the SMART check's achievable rule names); objectives: how many
  strategic objectives the plan has; east_year_target: 华东's year target.
Dates in the database are days since 1970-01-01; amounts are minor units.
"""
import datetime
import json
import sqlite3
import sys
from fractions import Fraction

db, as_of_s = sys.argv[1], sys.argv[2]
EPOCH = datetime.date(1970, 1, 1)
as_of = (datetime.date.fromisoformat(as_of_s) - EPOCH).days
c = sqlite3.connect(db)

nodes = {r[0]: r for r in c.execute("SELECT id, parent_id, code, name, kind FROM org_node")}
by_code = {r[2]: r[0] for r in nodes.values()}


def subtree(code):
    root = by_code[code]
    out = set()
    for i in nodes:
        j = i
        while j is not None:
            if j == root:
                out.add(i)
                break
            j = nodes[j][1]
    return out


def actual(code, start, end):
    ids = subtree(code)
    q = "SELECT org_id, SUM(amount) FROM sale WHERE date BETWEEN ? AND ? GROUP BY org_id"
    return sum(s for o, s in c.execute(q, (start, end)) if o in ids)


def cents(v):
    return f"{v // 100}.{v % 100:02d}"


def day(s):
    return (datetime.date.fromisoformat(s) - EPOCH).days


plan_id = c.execute("SELECT id FROM plan WHERE name = ?", ("2026年度销售计划",)).fetchone()[0]


def target(code, period):
    r = c.execute(
        "SELECT value, start_date, end_date FROM target WHERE plan_id = ? AND metric = 'revenue' "
        "AND org_id = ? AND period = ? AND product_line_id IS NULL AND product_id IS NULL "
        "AND channel_id IS NULL AND segment_id IS NULL",
        (plan_id, by_code[code], period),
    ).fetchone()
    return r


out = {}

# leaderboard of regions, month of as_of
month = as_of_s[:7]
rows = []
for i, n in nodes.items():
    if n[4] != "region":
        continue
    t = target(n[2], month)
    a = actual(n[2], t[1], min(t[2], as_of))
    rows.append((Fraction(a, t[0]), n[2], n[3], a, t[0]))
rows.sort(key=lambda r: (-r[0], r[1]))
ranked, rank = [], 0
for k, r in enumerate(rows):
    if k == 0 or r[0] != rows[k - 1][0]:
        rank = k + 1
    ranked.append({"rank": rank, "org": r[1], "name": r[2], "actual": cents(r[3]), "target": cents(r[4])})
out["leaderboard_regions"] = ranked

# funnel of R001: opportunities that reached each stage
stages = ["lead", "qualified", "proposal", "negotiation", "won", "lost"]
reached = {s: 0 for s in stages}
r001 = by_code["R001"]
for (oid,) in c.execute("SELECT id FROM opportunity WHERE org_id = ? AND created <= ?", (r001, as_of)):
    seen = {s for (s,) in c.execute(
        "SELECT stage FROM opportunity_stage WHERE opportunity_id = ? AND date <= ?", (oid, as_of))}
    # an opportunity reached every stage up to the furthest it went to
    top = max((stages.index(s) for s in seen if s != "lost"), default=-1)
    for k in range(top + 1):
        reached[stages[k]] += 1
    if "lost" in seen:
        reached["lost"] += 1
out["funnel_r001"] = reached

# customers: ABC of the company over the 365 days to as_of
def customers(code):
    ids = subtree(code)
    rev, first, last = {}, {}, {}
    q = "SELECT org_id, customer_id, date, amount FROM sale WHERE customer_id IS NOT NULL AND date <= ?"
    for o, cu, d, a in c.execute(q, (as_of,)):
        if o not in ids:
            continue
        first[cu] = min(first.get(cu, d), d)
        last[cu] = max(last.get(cu, d), d)
        if d >= as_of - 364:
            rev[cu] = rev.get(cu, 0) + a
        else:
            rev.setdefault(cu, 0)
    codes = {i: code for i, code in c.execute("SELECT id, code FROM customer")}
    order = sorted(rev, key=lambda cu: (-rev[cu], codes[cu]))
    total = sum(v for v in rev.values() if v > 0)
    before, cls = 0, {}
    for cu in order:
        v = rev[cu]
        if total <= 0 or v <= 0:
            k = "C"
        elif before * 100 < 70 * total:
            k = "A"
        elif before * 100 < 90 * total:
            k = "B"
        else:
            k = "C"
        if v > 0:
            before += v
        cls[codes[cu]] = k
    churned = [codes[cu] for cu in rev if as_of - last[cu] > 180]
    counts = {k: sum(1 for v in cls.values() if v == k) for k in "ABC"}
    return {"count": len(rev), "classes": counts, "churned": len(churned),
            "top": [codes[cu] for cu in order[:3]],
            "first_b": next((x for x in (codes[cu] for cu in order) if cls[x] == "B"), None),
            "first_c": next((x for x in (codes[cu] for cu in order) if cls[x] == "C"), None),
            "revenue": cents(sum(rev.values()))}


out["customers_company"] = customers("华夏智能科技有限公司")
out["customers_r001"] = customers("R001")

# catch-up of NORTH's year
t = target("NORTH", as_of_s[:4])
out["catchup_north"] = {"target": cents(t[0]), "actual": cents(actual("NORTH", t[1], min(t[2], as_of))),
                        "to_spread": cents(t[0] - actual("NORTH", t[1], min(t[2], as_of)))}
# R001: the year to date, the month to date, the as-of day (= its ISO week
# to date when AS_OF is a Monday) and the company's year target
year = as_of_s[:4]
out["r001"] = {
    "year": cents(actual("R001", day(year + "-01-01"), as_of)),
    "month": cents(actual("R001", day(month + "-01"), as_of)),
    "day": cents(actual("R001", as_of, as_of)),
    "week": cents(actual("R001", as_of - datetime.date.fromisoformat(as_of_s).weekday(), as_of)),
}
out["company_year_target"] = cents(target("华夏智能科技有限公司", year)[0])
out["east_year_actual"] = cents(actual("EAST", day(year + "-01-01"), as_of))

# the SMART check's achievable rule on 西南's year: the growth its target
# needs over last year's actual (one decimal, half up), and the relevant rule
# on the company's year (the fixture's plan has no strategic objective)
ly = str(int(year) - 1)
last = actual("WEST", day(ly + "-01-01"), day(ly + "-12-31"))
g = (Fraction(target("WEST", year)[0], last) - 1) * 1000
g10 = (g.numerator * 2 + g.denominator) // (2 * g.denominator) if g >= 0 else -((-g.numerator * 2 + g.denominator) // (2 * g.denominator))
out["achievable_west"] = {"org": "WEST", "period": year, "last_year": cents(last),
                          "growth": f"{'+' if g10 >= 0 else '-'}{abs(g10) // 10}.{abs(g10) % 10}%"}
out["objectives"] = c.execute("SELECT COUNT(*) FROM objective WHERE plan_id = ?", (plan_id,)).fetchone()[0]
out["east_year_target"] = cents(target("EAST", year)[0])

json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
print()
