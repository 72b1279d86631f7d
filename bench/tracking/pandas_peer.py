#!/usr/bin/python3
"""pandas_peer.py — the pandas peer of the tracking benchmark (Debian's
python3-pandas). Same steps as sp_bench.c: (a) read_csv of sales.csv with
dtypes; (d) resident set before and after; (b) the full tracking table
(groupby rep and month, roll-up over the org closure, join with targets);
(c) one new row appended (pd.concat), then the company's and its region's
2024-12 and 2024-Q4 tracking by boolean masks, up to REPS times or SECONDS.
Usage: pandas_peer.py DATADIR OUTDIR [REPS] [SECONDS]
Prints one JSON line; writes OUTDIR/pandas_b.csv and OUTDIR/pandas_c.csv.
"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def fmt(df):
    lines = ["org,period,target,actual,attainment"]
    for o, p, t, a in zip(df.org, df.period, df.target, df.actual):
        lines.append(f"{o},{p},{t},{a},{round(100.0 * a / t, 2):.2f}")
    return "\n".join(lines) + "\n"


def main():
    data, out = sys.argv[1], sys.argv[2]
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 30
    org = pd.read_csv(f"{data}/org.csv")
    targets = pd.read_csv(f"{data}/targets.csv", parse_dates=["start", "end"])
    rss0 = rss()
    t0 = time.monotonic()
    sales = pd.read_csv(f"{data}/sales.csv", parse_dates=["date"],
                        dtype={"org": np.int32, "product": np.int32, "product_line": np.int32,
                               "channel": np.int32, "segment": np.int32, "customer": np.int32,
                               "amount": np.int64, "profit": np.int64, "quantity": np.int64})
    t_load = time.monotonic() - t0
    rss1 = rss()

    # org closure: node -> itself and every ancestor
    parent = dict(zip(org.id, org.parent))
    level = dict(zip(org.id, org.level))
    pairs = []
    for i in org.id:
        a = i
        while a:
            pairs.append((i, a))
            a = parent[a]
    anc = pd.DataFrame(pairs, columns=["org", "anc"])

    def table():
        m = sales.groupby([sales.org, sales.date.dt.to_period("M")])["amount"].sum()
        m = m.reset_index().rename(columns={"date": "mon"})
        r = m.merge(anc, on="org").groupby(["anc", "mon"])["amount"].sum().reset_index()
        r["mon"] = r.mon.dt.start_time
        x = targets.merge(r, left_on="org", right_on="anc", how="left")
        x = x[(x.mon >= x.start) & (x.mon <= x.end)]
        act = x.groupby(["org", "period"])["amount"].sum()
        res = targets.set_index(["org", "period"]).join(act.rename("actual"))
        res["actual"] = res.actual.fillna(0).astype(np.int64)
        return res.reset_index().sort_values(["org", "period"])

    runs = []
    for _ in range(2):
        t0 = time.monotonic()
        res = table()
        runs.append(time.monotonic() - t0)
    with open(f"{out}/pandas_b.csv", "w") as f:
        f.write(fmt(res))

    reps5 = [i for i in org.id if level[i] == 5]
    tix = targets[targets.period.isin(["2024-12", "2024-Q4"])]
    lat = []
    tc = time.monotonic()
    r = 0
    while r < reps and (r < 20 or time.monotonic() - tc < seconds):
        rep = reps5[0] + (r * 7919) % len(reps5)
        region = rep
        while level[region] > 2:
            region = parent[region]
        s = time.monotonic()
        row = pd.DataFrame({"date": [pd.Timestamp("2024-12-31")], "org": [rep], "product": [1],
                            "product_line": [1], "channel": [1], "segment": [1],
                            "customer": [1], "amount": [12345 + r], "profit": [1000],
                            "quantity": [1000]}).astype(sales.dtypes.to_dict())
        sales = pd.concat([sales, row], ignore_index=True)
        rows = []
        for o in (1, region):
            below = anc.org[anc.anc == o].to_numpy()
            in_org = sales.org.isin(below)
            for _, t in tix[tix.org == o].iterrows():
                mask = in_org & (sales.date >= t.start) & (sales.date <= t.end)
                rows.append((o, t.period, t.target, int(sales.amount[mask].sum())))
        ans = pd.DataFrame(rows, columns=["org", "period", "target", "actual"])
        lat.append(time.monotonic() - s)
        if r == 0:
            with open(f"{out}/pandas_c.csv", "w") as f:
                f.write(fmt(ans.sort_values(["org", "period"])))
        r += 1
    lat.sort()
    print(json.dumps({"peer": "pandas", "rows": len(sales) - r, "load_s": t_load,
                      "table_s": min(runs), "table_rows": len(res), "c_reps": len(lat),
                      "c_p50_ms": lat[len(lat) // 2] * 1e3,
                      "c_p99_ms": lat[int(len(lat) * 0.99)] * 1e3,
                      "rss_delta_bytes": rss1 - rss0}))


if __name__ == "__main__":
    main()
