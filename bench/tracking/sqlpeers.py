#!/usr/bin/python3
"""sqlpeers.py — the sqlite3-CLI and PostgreSQL peers of the tracking benchmark.

Python standard library only; the SQL comes from sql.mjs (same queries as the
DuckDB peer). Usage: sqlpeers.py sqlite|postgres DATADIR OUTDIR [REPS] [SECONDS]

sqlite:   a database file in a temporary directory; (a) `.import` of sales.csv
          into a typed table (whole sqlite3 process, wall clock); (b) the
          table query in one sqlite3 process with `.timer on`; (c) INSERT +
          tracking query repeated in one sqlite3 session, timed by `.timer on`.
postgres: a throwaway cluster (initdb, pg_ctl) under a temporary directory,
          listening on a unix socket only, run as the `postgres` user when
          this script runs as root; (a) COPY; (b) and (c) in psql with
          `\\timing on`. The cluster is stopped and removed at the end.
Prints one JSON line; writes OUTDIR/<peer>_b.csv and OUTDIR/<peer>_c.csv.
"""
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def sql(dialect, part, *args):
    return subprocess.run(["node", os.path.join(HERE, "sql.mjs"), dialect, part, *map(str, args)],
                          check=True, capture_output=True, text=True).stdout


def org_tree(data):
    with open(os.path.join(data, "org.csv")) as f:
        rows = [tuple(map(int, r)) for r in list(csv.reader(f))[1:]]
    parent = {i: p for i, p, _ in rows}
    level = {i: l for i, _, l in rows}
    reps = [i for i, _, l in rows if l == 5]
    return parent, level, reps


def region_of(rep, parent, level):
    while level[rep] > 2:
        rep = parent[rep]
    return rep


def rep_of(r, reps):
    return reps[0] + (r * 7919) % len(reps)


def norm_csv(text):
    """org,period,target,actual,attainment with attainment as %.2f."""
    rows = [r for r in csv.reader(io.StringIO(text)) if r]
    out = ["org,period,target,actual,attainment"]
    for r in rows:
        if r[0] == "org":
            continue
        out.append(f"{int(r[0])},{r[1]},{int(r[2])},{int(float(r[3]))},{float(r[4]):.2f}")
    return "\n".join(out) + "\n"


SCHEMA = """CREATE TABLE sales(date {d}, org INTEGER, product INTEGER, product_line INTEGER,
  channel INTEGER, segment INTEGER, customer INTEGER, amount BIGINT, profit BIGINT,
  quantity BIGINT);
CREATE TABLE org(id INTEGER, parent INTEGER, level INTEGER);
CREATE TABLE targets(org INTEGER, period TEXT, start {d}, "end" {d}, target BIGINT);
"""


def sqlite_peer(data, out, reps, seconds):
    tmp = tempfile.mkdtemp(prefix="sp-bench-sqlite-")
    db = os.path.join(tmp, "bench.db")
    try:
        def cli(script, capture=True):
            return subprocess.run(["sqlite3", db], input=script, check=True, text=True,
                                  capture_output=capture).stdout
        cli(SCHEMA.format(d="TEXT"))
        t0 = time.monotonic()
        cli(f".mode csv\n.import --skip 1 {data}/sales.csv sales\n")
        t_load = time.monotonic() - t0
        cli(f".mode csv\n.import --skip 1 {data}/org.csv org\n"
            f".import --skip 1 {data}/targets.csv targets\n" + sql("sqlite", "closure"))
        n = int(cli("SELECT count(*) FROM sales;").strip())
        res = cli(".headers on\n.mode csv\n.timer on\n" + sql("sqlite", "table"))
        t_table = sum(float(x) for x in re.findall(r"Run Time: real ([0-9.]+)", res))
        body = re.sub(r"Run Time:.*\n", "", res)
        with open(os.path.join(out, "sqlite_b.csv"), "w") as f:
            f.write(norm_csv(body))
        parent, level, rp = org_tree(data)
        lat, first = run_reps("sqlite", lambda script: cli(".mode csv\n.timer on\n" + script),
                              parent, level, rp, reps, seconds)
        with open(os.path.join(out, "sqlite_c.csv"), "w") as f:
            f.write(norm_csv(first))
        return {"peer": "sqlite", "rows": n, "load_s": t_load, "table_s": t_table,
                "table_rows": body.count("\n") - 1, **lat,
                "db_bytes": os.path.getsize(db)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_reps(dialect, session, parent, level, reps5, reps, seconds):
    """(c) in batches of one session each: each repetition is an INSERT and a
    tracking query; the per-statement timer lines give each repetition's
    time. Stops after `reps` repetitions or `seconds` of statement time."""
    times, first, r, spent = [], None, 0, 0.0
    timer = (r"Run Time: real ([0-9.]+)" if dialect == "sqlite" else r"Time: ([0-9.]+) ms")
    scale = 1.0 if dialect == "sqlite" else 1e-3
    batch = 1
    while r < reps and (r < 20 or spent < seconds):
        script = ""
        for k in range(r, min(r + batch, reps)):
            rep = rep_of(k, reps5)
            script += sql(dialect, "insert", k, rep) + sql(dialect, "track",
                                                          region_of(rep, parent, level))
        res = session(script)
        t = [float(x) * scale for x in re.findall(timer, res)]
        for k in range(0, len(t) - 1, 2):
            times.append(t[k] + t[k + 1])
        if first is None:
            first = re.sub(r"(Run Time|Time):.*\n", "", res)
            first = "\n".join(l for l in first.splitlines()
                              if l.count(",") == 4 or "|" in l) + "\n"
            first = first.replace("|", ",")
        spent += sum(t)
        r += batch
        batch = min(batch * 2, 50)
    times.sort()
    return {"c_reps": len(times), "c_p50_ms": times[len(times) // 2] * 1e3,
            "c_p99_ms": times[int(len(times) * 0.99)] * 1e3}, first


def postgres_peer(data, out, reps, seconds):
    tmp = tempfile.mkdtemp(prefix="sp-bench-pg-")
    os.chmod(tmp, 0o755)
    pgdata, sock = os.path.join(tmp, "data"), os.path.join(tmp, "sock")
    os.makedirs(sock)
    as_user = []
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres")
        shutil.chown(sock, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    bindir = "/usr/lib/postgresql/15/bin"
    run = lambda *a, **k: subprocess.run(as_user + list(a), check=True, capture_output=True,
                                         text=True, **k)
    started = False
    try:
        run(f"{bindir}/initdb", "-D", pgdata, "-A", "trust", "-U", "bench", "--no-sync")
        run(f"{bindir}/pg_ctl", "-D", pgdata, "-w", "-l", os.path.join(tmp, "log"), "-o",
            f"-k {sock} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
            f"-c shared_buffers=2GB -c work_mem=256MB -c max_parallel_workers_per_gather=2",
            "start")
        started = True

        def psql(script):
            return subprocess.run(["psql", "-h", sock, "-U", "bench", "-d", "postgres", "-X",
                                   "-q", "-A", "-F", ",", "-v", "ON_ERROR_STOP=1"],
                                  input=script, check=True, capture_output=True,
                                  text=True).stdout
        psql(SCHEMA.format(d="DATE"))
        res = psql(f"\\timing on\nCOPY sales FROM '{data}/sales.csv' CSV HEADER;\n")
        t_load = float(re.findall(r"Time: ([0-9.]+) ms", res)[0]) / 1e3
        psql(f"COPY org FROM '{data}/org.csv' CSV HEADER;\n"
             f"COPY targets FROM '{data}/targets.csv' CSV HEADER;\n" + sql("postgres", "closure")
             + "ANALYZE;\n")
        n = int([l for l in psql("SELECT count(*) FROM sales;").split() if l.isdigit()][0])
        best, body = None, ""
        for _ in range(2):
            res = psql("\\timing on\n\\pset footer off\n" + sql("postgres", "table"))
            t = float(re.findall(r"Time: ([0-9.]+) ms", res)[-1]) / 1e3
            if best is None or t < best:
                best, body = t, re.sub(r"Time:.*\n", "", res)
        with open(os.path.join(out, "postgres_b.csv"), "w") as f:
            f.write(norm_csv(body))
        parent, level, rp = org_tree(data)
        lat, first = run_reps("postgres",
                              lambda s: psql("\\timing on\n\\pset footer off\n" + s),
                              parent, level, rp, reps, seconds)
        with open(os.path.join(out, "postgres_c.csv"), "w") as f:
            f.write(norm_csv(first))
        return {"peer": "postgres", "rows": n, "load_s": t_load, "table_s": best,
                "table_rows": body.count("\n") - 1, **lat}
    finally:
        if started:
            subprocess.run(as_user + [f"{bindir}/pg_ctl", "-D", pgdata, "-w", "-m", "immediate",
                                      "stop"], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    peer, data, out = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]
    reps = int(sys.argv[4]) if len(sys.argv) > 4 else 10000
    seconds = float(sys.argv[5]) if len(sys.argv) > 5 else 30
    fn = {"sqlite": sqlite_peer, "postgres": postgres_peer}[peer]
    print(json.dumps(fn(data, out, reps, seconds)))


if __name__ == "__main__":
    main()
