// sql.mjs — the SQL every SQL peer runs, generated per dialect so that the
// queries are the same apart from date functions. Used by duck.mjs and by
// sqlpeers.py (which reads it through `node sql.mjs DIALECT PART`).
//
// The full tracking table: sales aggregated by (rep, month) first, rolled up
// over an org closure table (node -> every ancestor and itself), months
// summed into quarters, joined to the targets of every node, month and
// quarter. One new transaction: an
// INSERT, then the company's and a region's 2024-12 and 2024-Q4 tracking
// straight from the sales table.

export function closure() {
  return `CREATE TABLE anc AS
WITH RECURSIVE a(org, anc) AS (
  SELECT id, id FROM org
  UNION ALL
  SELECT a.org, o.parent FROM a JOIN org o ON o.id = a.anc WHERE o.parent <> 0)
SELECT org, anc FROM a`;
}

function ym(d, dialect) {
  if (dialect === 'sqlite') return `substr(${d}, 1, 7)`;
  if (dialect === 'postgres') return `to_char(${d}, 'YYYY-MM')`;
  return `strftime(${d}, '%Y-%m')`;
}

function att(dialect) {
  const r = 'round(100.0 * x.actual / x.target, 2)';
  return dialect === 'postgres' ? `${r}::float8` : r;
}

// Periods are joined by equality on their names ('2024-12', '2024-Q4'), so
// every engine can hash or index the join.
export function table(dialect) {
  return `WITH m AS (
  SELECT org, ${ym('date', dialect)} AS ym, sum(amount) AS amt FROM sales GROUP BY 1, 2),
r AS (
  SELECT anc.anc AS org, m.ym, sum(m.amt) AS amt FROM m JOIN anc ON anc.org = m.org GROUP BY 1, 2),
p AS (
  SELECT org, ym AS period, amt FROM r
  UNION ALL
  SELECT org, substr(ym, 1, 4) || '-Q' || CASE WHEN substr(ym, 6, 2) <= '03' THEN '1'
    WHEN substr(ym, 6, 2) <= '06' THEN '2' WHEN substr(ym, 6, 2) <= '09' THEN '3' ELSE '4' END,
    amt FROM r),
x AS (
  SELECT t.org, t.period, t.target, coalesce(sum(p.amt), 0) AS actual
  FROM targets t LEFT JOIN p ON p.org = t.org AND p.period = t.period
  GROUP BY t.org, t.period, t.target)
SELECT x.org, x.period, x.target, x.actual, ${att(dialect)} AS attainment
FROM x ORDER BY x.org, x.period`;
}

export function insert(r, rep) {
  return `INSERT INTO sales VALUES ('2024-12-31', ${rep}, 1, 1, 1, 1, 1, ${12345 + r}, 1000, 1000)`;
}

// The sales of the periods' dates are scanned once, joined to the closure
// for the two nodes, then summed per target.
export function track(dialect, region) {
  return `WITH tt AS (
  SELECT * FROM targets WHERE org IN (1, ${region}) AND period IN ('2024-12', '2024-Q4')),
s AS (
  SELECT anc.anc AS org, s.date, s.amount FROM sales s JOIN anc ON anc.org = s.org
  WHERE s.date >= (SELECT min(start) FROM tt) AND s.date <= (SELECT max("end") FROM tt)
    AND anc.anc IN (1, ${region})),
x AS (
  SELECT tt.org, tt.period, tt.target, coalesce(sum(s.amount), 0) AS actual
  FROM tt LEFT JOIN s ON s.org = tt.org AND s.date >= tt.start AND s.date <= tt."end"
  GROUP BY tt.org, tt.period, tt.target)
SELECT x.org, x.period, x.target, x.actual, ${att(dialect)} AS attainment
FROM x ORDER BY x.org, x.period`;
}

// The transaction of repetition r goes to rep first_rep + (r * 7919) % nrep,
// as in sp_bench.c.
export function repOf(r, firstRep, nrep) {
  return firstRep + Number((BigInt(r) * 7919n) % BigInt(nrep));
}

if (process.argv[1] && process.argv[1].endsWith('sql.mjs')) {
  const [dialect, part, a, b] = process.argv.slice(2);
  const out = { closure: () => closure(), table: () => table(dialect),
    insert: () => insert(Number(a), Number(b)), track: () => track(dialect, Number(a)) }[part];
  process.stdout.write(out() + ';\n');
}
