// findings.js — the SMART check's findings (GET /api/plans/{name}/check)
// mapped onto grid cells. A finding names its cells as text, as the CLI
// prints them: "revenue NORTH 2026 and its 12 month parts",
// "revenue EAST 2026-05 channel=ONLINE", or two cells for the share-path
// rule ("market_share EAST 2026, market_share EAST 2027 and …"). Each
// "METRIC ORG PERIOD [dim=CODE …]" group is one cell.

export const SEVERITIES = ['error', 'warning', 'info']
const RANK = { error: 0, warning: 1, info: 2 }
const DIMS = ['product_line', 'product', 'channel', 'segment']
const CELL = /(?:^|, |\s)([a-z_]+) (\S+?) (\d{4}(?:-[0-9A-Z]{1,3}){0,2})((?: (?:product_line|product|channel|segment)=[^\s,]+)*)(?=,|\s|$)/g

// The cells a finding's text names: [{metric, org, period, dims}].
export function parseCells(text) {
  const out = []
  if (!text) return out
  CELL.lastIndex = 0
  let m
  while ((m = CELL.exec(text))) {
    const dims = {}
    for (const part of m[4].trim().split(/\s+/).filter(Boolean)) {
      const [k, v] = part.split('=')
      if (DIMS.includes(k)) dims[k] = v
    }
    out.push({ metric: m[1], org: m[2], period: m[3], dims })
  }
  return out
}

export const isPlainCell = (c) => Object.keys(c.dims).length === 0

// The findings with their parsed cells and a stable id.
export function annotate(items) {
  return items.map((f, i) => ({ ...f, id: i, cellList: parseCells(f.cells) }))
}

// For the grid: "org|period" -> findings on that plain cell of the metric.
export function byCell(findings, metric) {
  const m = new Map()
  for (const f of findings) {
    for (const c of f.cellList) {
      if (c.metric !== metric || !isPlainCell(c)) continue
      const k = c.org + '|' + c.period
      if (!m.has(k)) m.set(k, [])
      if (!m.get(k).includes(f)) m.get(k).push(f)
    }
  }
  return m
}

// The worst severity of a list of findings.
export function worst(list) {
  let best = null
  for (const f of list) if (best === null || RANK[f.severity] < RANK[best]) best = f.severity
  return best
}
