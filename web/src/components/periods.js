// periods.js — period choices for the analysis pages (leaderboard, funnel,
// customers, reviews, tracking drill-down) and exact amount sums.
import { session, currentPlan } from '../session.js'
import { periodLabel } from '../format.js'

const z = (n) => String(n).padStart(2, '0')

// The plan's year (else the as-of date's year).
export function planYear() {
  const p = currentPlan()
  return (p && p.year) || Number((session.asOf || '').slice(0, 4)) || new Date().getFullYear()
}

// Options {value, label} for a period select: the year, its halves,
// quarters and months (labels in the UI language).
export function periodOptions(t, year = planYear()) {
  const vals = [String(year), `${year}-H1`, `${year}-H2`]
  for (let q = 1; q <= 4; q++) vals.push(`${year}-Q${q}`)
  for (let m = 1; m <= 12; m++) vals.push(`${year}-${z(m)}`)
  return vals.map((v) => ({ value: v, label: periodLabel(v, t) }))
}

// The month of the as-of date, e.g. "2026-11".
export function asOfMonth() {
  return (session.asOf || '').slice(0, 7)
}

function utc(d) {
  const [y, m, dd] = d.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, dd))
}
function iso(dt) {
  return `${dt.getUTCFullYear()}-${z(dt.getUTCMonth() + 1)}-${z(dt.getUTCDate())}`
}

// ISO week of a date: {week: "2026-W48", from: Monday, to: Sunday}.
export function isoWeek(d) {
  const dt = utc(d)
  const wd = (dt.getUTCDay() + 6) % 7 // Monday 0
  const mon = new Date(dt.getTime() - wd * 86400000)
  const thu = new Date(mon.getTime() + 3 * 86400000)
  const y = thu.getUTCFullYear()
  const jan4 = new Date(Date.UTC(y, 0, 4))
  const mon1 = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86400000)
  const n = Math.round((mon.getTime() - mon1.getTime()) / (7 * 86400000)) + 1
  return { week: `${y}-W${z(n)}`, from: iso(mon), to: iso(new Date(mon.getTime() + 6 * 86400000)) }
}

// The n ISO weeks up to the one containing date d, newest first.
export function recentWeeks(d, n = 12) {
  const out = []
  let dt = utc(d)
  for (let i = 0; i < n; i++) {
    out.push(isoWeek(iso(dt)))
    dt = new Date(dt.getTime() - 7 * 86400000)
  }
  return out
}

// Days of a month "2026-11" as "2026-11-01" … (never past `until`, if given).
export function daysOf(month, until) {
  const [y, m] = month.split('-').map(Number)
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  const out = []
  for (let d = 1; d <= last; d++) {
    const s = `${month}-${z(d)}`
    if (until && s > until) break
    out.push(s)
  }
  return out
}

// Exact sum of decimal amount strings (BigInt of minor units) -> string.
export function sumAmounts(values, decimals = 2) {
  let total = 0n
  const scale = 10n ** BigInt(decimals)
  for (const v of values) {
    if (v === null || v === undefined || v === '') continue
    const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(v))
    if (!m) continue
    const f = ((m[3] || '') + '0'.repeat(decimals)).slice(0, decimals)
    const x = BigInt(m[2]) * scale + BigInt(f || '0')
    total += m[1] ? -x : x
  }
  const neg = total < 0n
  const a = neg ? -total : total
  const i = a / scale
  const f = (a % scale).toString().padStart(decimals, '0')
  return (neg ? '-' : '') + i.toString() + (decimals ? '.' + f : '')
}
