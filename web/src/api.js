// api.js — the one place the web app talks to the server (/api, see
// docs/api.md). Same-origin fetch with the session cookie; every
// state-changing request carries the CSRF token the server gave at login
// (or /api/me). Errors become ApiError with the server's code and message.

let csrfToken = ''
let onUnauthorized = null

export function setCsrfToken(t) {
  csrfToken = t || ''
}

// Called (once per 401) when the session has ended, e.g. to show the login.
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn
}

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message || code || `HTTP ${status}`)
    this.status = status
    this.code = code || ''
    this.field = field || ''
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

// request(method, path, {json, body, contentType, query, quiet401})
// path is under /api, e.g. '/plans'. Resolves to parsed JSON (or null for 204).
export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json' }
  let body
  if (opts.json !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.json)
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = opts.contentType || 'application/octet-stream'
    body = opts.body
  }
  if (UNSAFE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken
  let url = '/api' + path
  if (opts.query) {
    const q = new URLSearchParams()
    for (const [k, v] of Object.entries(opts.query)) {
      if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
    }
    const s = q.toString()
    if (s) url += (url.includes('?') ? '&' : '?') + s
  }
  let res
  try {
    res = await fetch(url, { method, headers, body, credentials: 'same-origin', cache: 'no-store' })
  } catch (e) {
    throw new ApiError(0, 'network', e.message)
  }
  if (res.status === 204) return null
  const text = await res.text()
  let data = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = null
    }
  }
  if (!res.ok) {
    const err = (data && data.error) || {}
    const e = new ApiError(res.status, err.code, err.message || text.slice(0, 200), err.field)
    if (res.status === 401 && !opts.quiet401 && onUnauthorized) onUnauthorized(e)
    throw e
  }
  return data
}

export const get = (path, query, opts) => request('GET', path, { ...opts, query })
export const post = (path, json, opts) => request('POST', path, { ...opts, json })
export const put = (path, json, opts) => request('PUT', path, { ...opts, json })
export const patch = (path, json, opts) => request('PATCH', path, { ...opts, json })

// Items of a list answer, whether the server pages ({items,total}) or not.
export function itemsOf(data) {
  if (Array.isArray(data)) return data
  if (data && Array.isArray(data.items)) return data.items
  return []
}

// Every item of a paged list, fetched 1000 at a time.
export async function getAll(path, query = {}) {
  const out = []
  for (let offset = 0; ; ) {
    const data = await get(path, { ...query, limit: 1000, offset })
    const items = itemsOf(data)
    out.push(...items)
    const total = data && typeof data.total === 'number' ? data.total : null
    if (total === null || items.length === 0 || out.length >= total) break
    offset = out.length
  }
  return out
}

export const enc = encodeURIComponent
