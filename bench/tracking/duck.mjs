// duck.mjs — the DuckDB peer of the tracking benchmark (@duckdb/node-api,
// an in-memory database using every core). Same steps as sp_bench.c:
// (a) CREATE TABLE sales AS read_csv; (d) the process's resident set before
// and after; (b) the full tracking table; (c) INSERT one transaction, then
// the company's and its region's tracking, repeated up to REPS times or for
// at most SECONDS. Prints one JSON line; writes OUTDIR/duckdb_b.csv and
// OUTDIR/duckdb_c.csv.
// Usage: node duck.mjs DATADIR OUTDIR [REPS] [SECONDS]
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, writeFileSync } from 'node:fs';
import { closure, table, insert, track, repOf } from './sql.mjs';

const [dir, out, repsArg, secArg] = process.argv.slice(2);
const reps = Number(repsArg || 10000), seconds = Number(secArg || 30);
const rss = () => Number(readFileSync('/proc/self/statm', 'utf8').split(' ')[1]) * 4096;
const now = () => performance.now() / 1000;

const org = readFileSync(`${dir}/org.csv`, 'utf8').trim().split('\n').slice(1)
  .map((l) => l.split(',').map(Number));
const parent = new Map(org.map(([id, p]) => [id, p]));
const level = new Map(org.map(([id, , l]) => [id, l]));
const reps5 = org.filter(([, , l]) => l === 5).map(([id]) => id);

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRows();

const rss0 = rss();
let t0 = now();
await con.run(`CREATE TABLE sales AS SELECT * FROM read_csv('${dir}/sales.csv', header = true,
  columns = {'date': 'DATE', 'org': 'INTEGER', 'product': 'INTEGER', 'product_line': 'INTEGER',
  'channel': 'INTEGER', 'segment': 'INTEGER', 'customer': 'INTEGER', 'amount': 'BIGINT',
  'profit': 'BIGINT', 'quantity': 'BIGINT'})`);
const tLoad = now() - t0;
const rss1 = rss();
const n = Number((await rows('SELECT count(*) FROM sales'))[0][0]);

await con.run(`CREATE TABLE org AS SELECT * FROM read_csv('${dir}/org.csv', header = true)`);
await con.run(`CREATE TABLE targets AS SELECT * FROM read_csv('${dir}/targets.csv', header = true,
  columns = {'org': 'INTEGER', 'period': 'VARCHAR', 'start': 'DATE', 'end': 'DATE', 'target': 'BIGINT'})`);
await con.run(closure());

const csv = (rs) => 'org,period,target,actual,attainment\n' +
  rs.map(([o, p, t, a, x]) => `${o},${p},${t},${a},${Number(x).toFixed(2)}`).join('\n') + '\n';

const runs = [];
let res;
for (let i = 0; i < 3; i++) { // best of three: the first run warms the caches
  t0 = now();
  res = await rows(table('duckdb'));
  runs.push(now() - t0);
}
writeFileSync(`${out}/duckdb_b.csv`, csv(res));

const lat = [];
const tc = now();
for (let r = 0; r < reps && (r < 20 || now() - tc < seconds); r++) {
  const rep = repOf(r, reps5[0], reps5.length);
  let region = rep;
  while (level.get(region) > 2) region = parent.get(region);
  const s = now();
  await con.run(insert(r, rep));
  const ans = await rows(track('duckdb', region));
  lat.push(now() - s);
  if (r === 0) writeFileSync(`${out}/duckdb_c.csv`, csv(ans));
}
lat.sort((a, b) => a - b);
console.log(JSON.stringify({
  peer: 'duckdb', rows: n, load_s: tLoad, table_s: Math.min(...runs), table_rows: res.length,
  c_reps: lat.length, c_p50_ms: lat[Math.floor(lat.length / 2)] * 1e3,
  c_p99_ms: lat[Math.floor(lat.length * 0.99)] * 1e3, rss_delta_bytes: rss1 - rss0,
}));
