// session.js — who is signed in and the app-wide choices (language, plan,
// as-of date), as one reactive object shared by every page.

import { reactive } from 'vue'
import * as api from './api.js'
import { isoToday } from './format.js'

const LANG_KEY = 'salesplan.lang'
const ASOF_KEY = 'salesplan.asOf'

function storedLang() {
  try {
    const v = localStorage.getItem(LANG_KEY)
    if (v === 'en' || v === 'zh-CN') return v
  } catch {
    /* storage may be disabled */
  }
  return 'zh-CN'
}

export const session = reactive({
  ready: false, // the first /api/me answered
  user: null, // {username, display_name, role, org:{code,name}}
  settings: { company: '', currency: 'CNY', currency_symbol: '¥', decimals: 2, fiscal_year_start: 1 },
  lang: storedLang(),
  plans: [],
  plan: '', // current plan name
  asOf: '', // YYYY-MM-DD, '' until a plan is known
  asOfExplicit: false,
})

// What each role may open; the server checks every request anyway, this
// only keeps the menu to what the user can use.
const ANALYSES = ['leaderboard', 'funnel', 'customers', 'alerts', 'reviews']
const DOCS = ['versions', 'letters', 'actions']
const CAN = {
  admin: ['dashboard', 'plan', 'plan.edit', 'plan.create', 'tracking', 'import', 'users', 'audit', ...ANALYSES,
    'alerts.act', 'alerts.evaluate', 'reviews.pack', 'catchup.apply', ...DOCS, 'repplans', 'budget', 'incentives'],
  director: ['dashboard', 'plan', 'plan.edit', 'plan.create', 'tracking', 'audit', ...ANALYSES,
    'alerts.act', 'alerts.evaluate', 'reviews.pack', 'catchup.apply', ...DOCS, 'repplans', 'budget', 'incentives'],
  manager: ['dashboard', 'plan', 'plan.edit', 'tracking', ...ANALYSES,
    'alerts.act', 'alerts.evaluate', 'reviews.write', 'reviews.pack', 'catchup.apply', ...DOCS, 'repplans', 'budget', 'incentives'],
  rep: ['dashboard', 'plan', 'tracking', ...ANALYSES, 'alerts.act', 'reviews.write', ...DOCS, 'repplans', 'incentives'],
  finance: ['dashboard', 'plan', 'tracking', 'import', ...ANALYSES, 'alerts.evaluate', 'reviews.pack', ...DOCS, 'budget', 'incentives'],
}

export function can(what) {
  const role = session.user && session.user.role
  return !!role && (CAN[role] || []).includes(what)
}

// May the user change this org node's targets? Managers: below their own
// node only (the org list is already limited to their subtree), but they
// may split their own node's targets into parts below it.
export function canEditOrg(code) {
  return editMode(code) === 'full'
}

// 'full' (set, lock, split), 'split' (split only) or '' (read only).
export function editMode(code) {
  if (!can('plan.edit')) return ''
  if (session.user.role === 'manager' && session.user.org && session.user.org.code === code) return 'split'
  return 'full'
}

export function setLang(lang) {
  session.lang = lang
  try {
    localStorage.setItem(LANG_KEY, lang)
  } catch {
    /* ignore */
  }
  document.documentElement.lang = lang
}

export function setAsOf(d, explicit = true) {
  session.asOf = d
  session.asOfExplicit = explicit
  if (explicit) {
    try {
      sessionStorage.setItem(ASOF_KEY, d)
    } catch {
      /* ignore */
    }
  }
}

function applyMe(body) {
  session.user = body.user
  api.setCsrfToken(body.csrf_token)
}

export async function loadSettings() {
  try {
    const s = await api.get('/settings', null, { quiet401: true })
    Object.assign(session.settings, s)
  } catch {
    try {
      const h = await api.get('/health')
      session.settings.company = h.company
      session.settings.currency = h.currency
    } catch {
      /* offline: keep defaults */
    }
  }
}

// Restore a session from the cookie, if any. Resolves to true if signed in.
export async function restore() {
  try {
    applyMe(await api.get('/me', null, { quiet401: true }))
    await afterLogin()
    return true
  } catch {
    session.user = null
    return false
  } finally {
    session.ready = true
  }
}

export async function login(username, password) {
  const body = await api.post('/login', { username, password }, { quiet401: true })
  applyMe(body)
  await afterLogin()
}

export async function logout() {
  try {
    await api.post('/logout')
  } catch {
    /* the session is gone either way */
  }
  clearSession()
}

export function clearSession() {
  session.user = null
  session.plans = []
  session.plan = ''
  api.setCsrfToken('')
}

async function afterLogin() {
  await loadSettings()
  await loadPlans()
}

// Plans the user may see; keeps the current one if still there, else the
// newest. The as-of date defaults to today, clamped into the plan's year.
export async function loadPlans() {
  const items = api.itemsOf(await api.get('/plans'))
  items.sort((a, b) => b.year - a.year || String(a.name).localeCompare(String(b.name)))
  session.plans = items
  if (!items.some((p) => p.name === session.plan)) session.plan = items.length ? items[0].name : ''
  if (!session.asOf) {
    let stored = ''
    try {
      stored = sessionStorage.getItem(ASOF_KEY) || ''
    } catch {
      /* ignore */
    }
    if (stored) setAsOf(stored, true)
    else setAsOf(defaultAsOf(), false)
  }
}

export function currentPlan() {
  return session.plans.find((p) => p.name === session.plan) || null
}

export function defaultAsOf() {
  const today = isoToday()
  const p = currentPlan()
  if (!p || !p.year) return today
  const y = Number(today.slice(0, 4))
  if (y < p.year) return `${p.year}-01-01`
  if (y > p.year) return `${p.year}-12-31`
  return today
}

export function selectPlan(name) {
  session.plan = name
  if (!session.asOfExplicit) setAsOf(defaultAsOf(), false)
}
