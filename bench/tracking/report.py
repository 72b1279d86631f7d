#!/usr/bin/python3
"""report.py — the tracking benchmark's table and answer check.

Usage: report.py RESULTS.jsonl ANSWERS_DIR OUT.md OUT.csv
Reads one JSON line per (peer, size) and the bandwidth probe; compares every
peer's answer files (ANSWERS_DIR/<size>/<peer>_{b,c}.csv) with salesplan's:
org, period, target and actual must be equal, attainment within 0.01 points
(salesplan rounds exactly half away from zero, the peers round a double).
Writes a markdown table with ratios to salesplan and a CSV, both with the
machine's description. Exits 1, naming the rows, if any answer differs.
"""
import csv
import json
import os
import subprocess
import sys


def machine():
    cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    info = dict(l.split(":", 1) for l in cpu.splitlines() if ":" in l)
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) / 1048576
    return (f"{info.get('Model name', '?').strip()}, {info.get('CPU(s)', '?').strip()} CPUs, "
            f"L3 {info.get('L3 cache', '?').strip()}, {mem:.1f} GiB RAM")


def load(path):
    with open(path) as f:
        rows = list(csv.reader(f))[1:]
    return {(r[0], r[1]): r for r in rows if r}


def check(ans, size, peer):
    bad = []
    for part in "bc":
        ref = load(os.path.join(ans, str(size), f"salesplan_{part}.csv"))
        got = load(os.path.join(ans, str(size), f"{peer}_{part}.csv"))
        if set(ref) != set(got):
            bad.append(f"{peer} ({part}) has rows {len(got)} vs salesplan {len(ref)}")
            continue
        for k, r in ref.items():
            g = got[k]
            if (int(r[2]), int(r[3])) != (int(g[2]), int(g[3])) or \
                    abs(float(r[4]) - float(g[4])) > 0.0101:
                bad.append(f"{peer} ({part}) {k}: {g} vs salesplan {r}")
    return bad


def main():
    results, ans, md, out_csv = sys.argv[1:5]
    # the last line for each (peer, size) wins, so a rerun of some peers with
    # KEEP=1 replaces just their figures
    last = {}
    for l in open(results):
        if l.strip():
            r = json.loads(l)
            last[(r["peer"], r.get("size"))] = r
    rows = list(last.values())
    bw = next(r for r in rows if r["peer"] == "bandwidth")
    runs = [r for r in rows if r["peer"] != "bandwidth"]
    desc = machine()
    bad = []
    lines = [f"Machine: {desc}. Single-core sequential read: {bw['gbps']:.1f} GB/s.", ""]
    fields = ["size", "peer", "load_s", "load_ratio", "table_s", "table_ratio", "c_reps",
              "c_p50_ms", "c_p99_ms", "c_p99_ratio", "bytes_per_fact", "answers"]
    table = []
    for size in sorted({r["size"] for r in runs}):
        sp = next((r for r in runs if r["size"] == size and r["peer"] == "salesplan"), None)
        if sp is None:
            continue
        # the bound for (b): a sequential read of the columns the table needs
        # (date, org, amount) in salesplan's widths: 2 + 2 + 4 bytes a row
        bound = size * 8 / (bw["gbps"] * 1e9)
        lines += [f"### {size:,} transactions", "",
                  f"(b) physical bound: reading date, org and amount (8 bytes a row) at "
                  f"{bw['gbps']:.1f} GB/s takes {bound * 1e3:.2f} ms; salesplan's table takes "
                  f"{sp['table_s'] / bound:.2f}x that.", "",
                  "| peer | (a) load s | x salesplan | (b) table s | x salesplan | "
                  "(c) reps | p50 ms | p99 ms | p99 x salesplan | (d) bytes/txn | answers |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
        for r in [x for x in runs if x["size"] == size]:
            if r["peer"] == "salesplan":
                ok = "reference"
            else:
                b = check(ans, size, r["peer"])
                bad += b
                ok = "equal" if not b else f"DIFFER ({len(b)})"
            mem = r.get("rss_delta_bytes")
            bpf = f"{mem / size:.1f}" if mem is not None else "n/a (on disk)"
            rec = {"size": size, "peer": r["peer"], "load_s": r["load_s"],
                   "load_ratio": r["load_s"] / sp["load_s"], "table_s": r["table_s"],
                   "table_ratio": r["table_s"] / sp["table_s"], "c_reps": r["c_reps"],
                   "c_p50_ms": r["c_p50_ms"], "c_p99_ms": r["c_p99_ms"],
                   "c_p99_ratio": r["c_p99_ms"] / sp["c_p99_ms"], "bytes_per_fact": bpf,
                   "answers": ok}
            table.append(rec)
            lines.append(f"| {r['peer']} | {r['load_s']:.3f} | {rec['load_ratio']:.2f} | "
                         f"{r['table_s']:.4f} | {rec['table_ratio']:.1f} | {r['c_reps']} | "
                         f"{r['c_p50_ms']:.4f} | {r['c_p99_ms']:.4f} | {rec['c_p99_ratio']:.0f} | "
                         f"{bpf} | {ok} |")
        if "engine_bytes" in sp:
            lines.append(f"\nsalesplan engine's own estimate: {sp['engine_bytes'] / size:.1f} "
                         f"bytes a transaction (resident set delta above).")
        lines.append("")
    with open(md, "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(out_csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["# machine: " + desc + f"; bandwidth_gbps={bw['gbps']:.2f}"])
        w.writerow(fields)
        for rec in table:
            w.writerow([rec[k] for k in fields])
    if bad:
        print("tracking: ANSWERS DIFFER FROM SALESPLAN'S:", file=sys.stderr)
        for b in bad[:20]:
            print("  " + b, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
