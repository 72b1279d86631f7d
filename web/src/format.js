// format.js — numbers, money and periods for display, in the user's locale.
// Amounts arrive as exact decimal strings ("12345.67"); they are formatted
// from the string (Intl.NumberFormat accepts decimal strings exactly), never
// through floating point arithmetic.

import { session } from './session.js'

const cache = new Map()

export function intlLocale(lang) {
  return lang === 'en' ? 'en-US' : 'zh-CN'
}

function nf(key, make) {
  let f = cache.get(key)
  if (!f) {
    f = make()
    cache.set(key, f)
  }
  return f
}

const DECIMAL = /^-?\d+(\.\d+)?$/

// Grouped fallback for engines without exact string formatting.
function groupPlain(s, decimals, sep, point) {
  let neg = s.startsWith('-')
  if (neg) s = s.slice(1)
  let [i, f = ''] = s.split('.')
  f = (f + '0'.repeat(decimals)).slice(0, decimals)
  i = i.replace(/\B(?=(\d{3})+(?!\d))/g, sep)
  return (neg ? '-' : '') + i + (decimals ? point + f : '')
}

// money("12345.6") -> "¥12,345.60" (zh-CN) / "CN¥12,345.60" (en).
// opts.symbol=false gives "12,345.60". Empty/null -> "".
export function money(value, opts = {}) {
  if (value === null || value === undefined || value === '') return ''
  const s = String(value).trim()
  if (!DECIMAL.test(s)) return s
  const cur = session.settings.currency || 'CNY'
  const dec = Number.isInteger(session.settings.decimals) ? session.settings.decimals : 2
  const loc = intlLocale(session.lang)
  const symbol = opts.symbol !== false
  const f = nf(`m|${loc}|${cur}|${dec}|${symbol}`, () =>
    new Intl.NumberFormat(loc, {
      style: symbol ? 'currency' : 'decimal',
      currency: cur,
      minimumFractionDigits: dec,
      maximumFractionDigits: dec,
      useGrouping: true,
    }),
  )
  try {
    return f.format(s) // exact for decimal strings (Intl.NumberFormat v3)
  } catch {
    return groupPlain(s, dec, ',', '.')
  }
}

// A compact label for chart axes ("2.6亿", "256M"); display only.
export function compact(n) {
  const loc = intlLocale(session.lang)
  return nf(`c|${loc}`, () =>
    new Intl.NumberFormat(loc, { notation: 'compact', maximumFractionDigits: 1 }),
  ).format(Number(n))
}

// pct(83.61) -> "83.61%" (percentages arrive as numbers already in %).
export function pct(n) {
  if (n === null || n === undefined || n === '') return ''
  const loc = intlLocale(session.lang)
  return (
    nf(`p|${loc}`, () =>
      new Intl.NumberFormat(loc, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    ).format(Number(n)) + '%'
  )
}

export function integer(n) {
  if (n === null || n === undefined || n === '') return ''
  const loc = intlLocale(session.lang)
  return nf(`i|${loc}`, () => new Intl.NumberFormat(loc)).format(Number(n))
}

// Parse a period text as the CLI writes it into {grain, year, n, m, d}.
//   2026 | 2026-H1 | 2026-Q3 | 2026-05 | 2026-05-D2 | 2026-W07 | 2026-05-14
export function parsePeriod(p) {
  let m
  if ((m = /^(\d{4})$/.exec(p))) return { grain: 'year', year: +m[1], key: [+m[1], 0, 0, 0] }
  if ((m = /^(\d{4})-H([12])$/.exec(p)))
    return { grain: 'half', year: +m[1], n: +m[2], key: [+m[1], (+m[2] - 1) * 6 + 1, 0, 1] }
  if ((m = /^(\d{4})-Q([1-4])$/.exec(p)))
    return { grain: 'quarter', year: +m[1], n: +m[2], key: [+m[1], (+m[2] - 1) * 3 + 1, 0, 2] }
  if ((m = /^(\d{4})-(\d{2})-D([123])$/.exec(p)))
    return { grain: 'dekad', year: +m[1], month: +m[2], n: +m[3], key: [+m[1], +m[2], (+m[3] - 1) * 10 + 1, 4] }
  if ((m = /^(\d{4})-W(\d{2})$/.exec(p)))
    return { grain: 'week', year: +m[1], n: +m[2], key: [+m[1], 0, +m[2], 5] }
  if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(p)))
    return { grain: 'day', year: +m[1], month: +m[2], day: +m[3], key: [+m[1], +m[2], +m[3], 6] }
  if ((m = /^(\d{4})-(\d{2})$/.exec(p)))
    return { grain: 'month', year: +m[1], month: +m[2], key: [+m[1], +m[2], 0, 3] }
  return { grain: 'other', key: [0, 0, 0, 9] }
}

export const GRAINS = ['year', 'half', 'quarter', 'month', 'dekad', 'week', 'day']

// Chronological order; a coarser period first when two start together.
export function comparePeriods(a, b) {
  const pa = parsePeriod(a), pb = parsePeriod(b)
  if (pa.grain === 'week' || pb.grain === 'week') {
    if (pa.grain === pb.grain) return pa.key[2] - pb.key[2] || pa.year - pb.year
  }
  for (let i = 0; i < 4; i++) {
    const d = pa.key[i] - pb.key[i]
    if (d) return d
  }
  return a < b ? -1 : a > b ? 1 : 0
}

// Period label in the UI language, using t from vue-i18n.
export function periodLabel(p, t) {
  if (!p) return ''
  const x = parsePeriod(p)
  switch (x.grain) {
    case 'year': return t('period.year', { y: x.year })
    case 'half': return t('period.half' + x.n, { y: x.year })
    case 'quarter': return t('period.quarter', { y: x.year, n: x.n })
    case 'month': return t('period.month', { y: x.year, m: x.month, mon: t('months.' + x.month) })
    case 'dekad': return t('period.dekad' + x.n, { y: x.year, m: x.month, mon: t('months.' + x.month) })
    case 'week': return t('period.week', { y: x.year, n: x.n })
    case 'day': return t('period.day', { y: x.year, m: x.month, d: x.day, mon: t('months.' + x.month) })
    default: return p
  }
}

// Short column header for a period inside a known year ("3月" / "Mar").
export function periodShort(p, t) {
  const x = parsePeriod(p)
  switch (x.grain) {
    case 'month': return t('periodShort.month', { m: x.month, mon: t('months.' + x.month) })
    case 'quarter': return 'Q' + x.n
    case 'half': return 'H' + x.n
    default: return periodLabel(p, t)
  }
}

export function isoToday() {
  const d = new Date()
  const z = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${z(d.getMonth() + 1)}-${z(d.getDate())}`
}
