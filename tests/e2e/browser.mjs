// browser.mjs — the web app in a real browser: playwright-core driving
// Debian's Chromium (never a downloaded one) against a running salesplan
// server with the demo database (see 010_browser.sh, which starts both).
//
//   node browser.mjs BASE_URL ARTIFACT_DIR
//
// Checks: each demo role signs in and sees only its menu, scope and rights;
// the director changes targets in the plan grid and sees the tree update
// with every parent still the exact sum of its parts; an import with an
// error names row and column, then a good one goes in; zh-CN <-> en; users
// and audit pages for the admin; the analysis pages (leaderboard, funnel,
// customers, alerts, weekly reviews, the tracking drill-down and catch-up)
// show the figures oracle.py computed from the fixture's tables, a rep
// acknowledges an alert and writes a review the manager finds in the pack,
// equal attainments share a rank; the plan page's panels: SMART findings
// as cell markers and a filtered list (西南's growth over last year as
// oracle.py computes it),
// the recommendation as GET /recommend answers it, a rep's commitment and
// the gap the director sees, the plan files downloaded; the plan as a
// document (section 6): the director takes the plan to active, the manager
// proposes a major change, two board members vote it through and the diff
// shows it, letters are signed and printed, the action plan's Gantt chart
// and item status, a rep edits the week plan, budget and payout figures
// checked by hand; no script errors and no CSP violations.
// A screenshot of each page goes to ARTIFACT_DIR. With SP_DOC_SHOTS=1 the
// walkthrough's pictures of docs/plan-lifecycle.md are also written to
// docs/img/ (SP_DOC_SHOTS_DIR). Exit 0 when all pass.
import { chromium } from 'playwright-core'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const base = process.argv[2]
const artifacts = process.argv[3]
if (!base || !artifacts) {
  console.error('usage: node browser.mjs BASE_URL ARTIFACT_DIR')
  process.exit(2)
}
fs.mkdirSync(artifacts, { recursive: true })
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
const PLAN = '2026年度销售计划'
const ROOT = '华夏智能科技有限公司'
const AS_OF = process.env.SP_E2E_AS_OF || '2026-11-23'
// Expected figures computed by oracle.py from the database's tables.
const ORACLE = process.env.SP_E2E_ORACLE ? JSON.parse(fs.readFileSync(process.env.SP_E2E_ORACLE, 'utf8')) : null
const ANALYSES = ['alerts', 'customers', 'funnel', 'leaderboard', 'reviews']
const DOC_SHOTS = process.env.SP_DOC_SHOTS === '1'
const DOC_DIR = process.env.SP_DOC_SHOTS_DIR || new URL('../../docs/img/', import.meta.url).pathname
if (DOC_SHOTS) fs.mkdirSync(DOC_DIR, { recursive: true })

let failures = 0
const pendings = []
const t0 = Date.now()
const secs = () => ((Date.now() - t0) / 1000).toFixed(1) + 's'

function ok(name) {
  console.log(`ok - ${name} (${secs()})`)
}
function fail(name, err) {
  failures++
  console.log(`not ok - ${name}: ${err && err.stack ? err.stack.split('\n').slice(0, 4).join('\n    ') : err}`)
}
function pending(name, why) {
  pendings.push(name)
  console.log(`PENDING - ${name}: ${why}`)
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg)
}
async function check(name, fn) {
  try {
    await fn()
    ok(name)
    return true
  } catch (e) {
    fail(name, e)
    return false
  }
}

// ---- the browser ---------------------------------------------------------------
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'salesplan-e2e-profile-'))
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 1440, height: 900 },
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
})
ctx.setDefaultTimeout(15000)
// Only the server under test: any other address is refused.
await ctx.route((url) => !url.href.startsWith(base), (route) => route.abort())

const problems = [] // script errors and CSP violations, per page
function watch(page, label) {
  page.on('pageerror', (e) => problems.push(`${label}: page error: ${e.message}`))
  page.on('console', (m) => {
    const text = m.text()
    if (/Content Security Policy|Refused to/i.test(text)) problems.push(`${label}: CSP: ${text}`)
    else if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of (401|403|404|400|409|429)/.test(text))
      problems.push(`${label}: console error: ${text}`)
  })
}
await ctx.addInitScript(() => {
  window.__csp = []
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile || ''}:${e.lineNumber || ''}`))
})

// A screenshot of the whole page: the layout scrolls inside .main, so the
// viewport is stretched to the content's height for the picture.
async function shot(page, name) {
  await page.waitForTimeout(400) // let charts finish drawing
  const vp = page.viewportSize()
  const h = await page.evaluate(() => {
    const m = document.querySelector('.main')
    return m ? m.scrollHeight + m.getBoundingClientRect().top : document.documentElement.scrollHeight
  })
  if (h > vp.height) {
    await page.setViewportSize({ width: vp.width, height: Math.min(Math.ceil(h), 6000) })
    await page.waitForTimeout(300)
  }
  await page.screenshot({ path: path.join(artifacts, name + '.png'), fullPage: true })
  if (h > vp.height) await page.setViewportSize(vp)
}
// A picture for the docs (SP_DOC_SHOTS=1): the visible part of the page at
// 1280x800 (small PNGs with stable names), besides the artefact.
async function docShot(page, name, focus) {
  await shot(page, 'doc-' + name)
  if (!DOC_SHOTS) return
  // toasts of the last action are not part of the picture
  await page.evaluate(() => document.querySelectorAll('.el-message').forEach((e) => (e.style.visibility = 'hidden')))
  const vp = page.viewportSize()
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.waitForTimeout(400)
  if (focus) await page.evaluate((sel) => document.querySelector(sel).scrollIntoView({ block: 'start' }), focus)
  await page.screenshot({ path: path.join(DOC_DIR, name + '.png') })
  if (focus) await page.evaluate(() => document.querySelector('.main') && document.querySelector('.main').scrollTo(0, 0))
  await page.setViewportSize(vp)
}
async function cspOf(page) {
  return page.evaluate(() => window.__csp || [])
}
const input = (page, key) => page.locator(`input[data-test="${key}"], [data-test="${key}"] input`).first()

// Parse a formatted amount ("¥12,345.60", "12,345.60") into integer cents.
function cents(text) {
  const s = String(text).replace(/[^0-9.\-]/g, '')
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(s)
  if (!m) throw new Error(`not an amount: "${text}"`)
  return (BigInt(m[2]) * 100n + BigInt(((m[3] || '') + '00').slice(0, 2))) * (m[1] ? -1n : 1n)
}
const money = (c) => {
  const neg = c < 0n
  const a = neg ? -c : c
  return (neg ? '-' : '') + (a / 100n).toString() + '.' + (a % 100n).toString().padStart(2, '0')
}

async function apiStatus(page, method, p, body) {
  return page.evaluate(
    async ([method, p, body]) => {
      const me = await fetch('/api/me', { credentials: 'same-origin' })
      const tok = me.ok ? (await me.json()).csrf_token : ''
      const r = await fetch(p, {
        method,
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': tok },
        body: body ? JSON.stringify(body) : undefined,
      })
      return r.status
    },
    [method, p, body],
  )
}

async function login(page, user, password = 'demo') {
  await page.goto(`${base}/#/login`)
  await input(page, 'username').fill(user)
  await input(page, 'password').fill(password)
  await page.locator('[data-test="login-submit"]').click()
  await page.waitForURL(/#\/dashboard/)
  await page.locator('[data-test="page-dashboard"]').waitFor()
}
async function logout(page) {
  await page.locator('[data-test="user"]').click()
  await page.locator('[data-test="logout"]').click()
  await page.waitForURL(/#\/login/)
}
async function menuKeys(page) {
  return page.locator('[data-test="menu"] [data-menu]').evaluateAll((els) => els.map((e) => e.getAttribute('data-menu')).sort())
}
async function go(page, route) {
  await page.goto(`${base}/#/${route}?as_of=${AS_OF}`)
}

// ---- 0. is there a login at all? --------------------------------------------------------
const page = await ctx.newPage()
watch(page, 'main')
const probe = await page.request.post(`${base}/api/login`, { data: { username: '', password: '' }, failOnStatusCode: false })
const haveLogin = probe.status() !== 404 && probe.status() !== 405
await page.goto(`${base}/`)
await check('the app loads (no fallback page) and shows the sign-in form in Chinese', async () => {
  await page.waitForURL(/#\/login/)
  await input(page, 'username').waitFor()
  assert((await page.locator('[data-test="login-submit"]').innerText()).includes('登录'), 'the button says 登录')
  await shot(page, 'login-zh')
})
await check('language switch on the sign-in page (zh-CN -> en -> zh-CN)', async () => {
  await page.locator('[data-test="lang"]').click()
  await page.locator('[data-test="login-submit"]', { hasText: 'Sign in' }).waitFor()
  await shot(page, 'login-en')
  await page.locator('[data-test="lang"]').click()
  await page.locator('[data-test="login-submit"]', { hasText: '登录' }).waitFor()
})

if (!haveLogin) {
  pending('everything after sign-in', `POST /api/login answers ${probe.status()}: the session routes are not in this server yet`)
} else {
  await check('a wrong password is refused with a message', async () => {
    await input(page, 'username').fill('director')
    await input(page, 'password').fill('wrong-password')
    await page.locator('[data-test="login-submit"]').click()
    await page.locator('[data-test="login-error"]').waitFor()
    assert(/#\/login/.test(page.url()), 'still on the sign-in page')
  })

  // ---- 1. every role sees its own view ----------------------------------------------------
  const withAnalyses = (m) => [...m, ...ANALYSES].sort()
  const DOCS = ['actions', 'letters', 'versions']
  const roles = {
    admin: { menu: withAnalyses([...DOCS, 'audit', 'budget', 'dashboard', 'import', 'incentives', 'plan', 'repplans', 'tracking', 'users']), scope: ROOT, edit: true },
    director: { menu: withAnalyses([...DOCS, 'audit', 'budget', 'dashboard', 'incentives', 'plan', 'repplans', 'tracking']), scope: ROOT, edit: true },
    manager: { menu: withAnalyses([...DOCS, 'budget', 'dashboard', 'incentives', 'plan', 'repplans', 'tracking']), scope: '华东', edit: true },
    rep: { menu: withAnalyses([...DOCS, 'dashboard', 'incentives', 'plan', 'repplans', 'tracking']), scope: null, edit: false },
    finance: { menu: withAnalyses([...DOCS, 'budget', 'dashboard', 'import', 'incentives', 'plan', 'tracking']), scope: ROOT, edit: false },
  }
  for (const r of Object.values(roles)) r.menu.sort()
  for (const [role, want] of Object.entries(roles)) {
    await check(`${role}: signs in, menu is exactly ${want.menu.join(', ')}`, async () => {
      await login(page, role)
      await go(page, 'dashboard')
      await page.locator('[data-test="page-dashboard"]').waitFor()
      const got = await menuKeys(page)
      assert(JSON.stringify(got) === JSON.stringify(want.menu), `menu ${JSON.stringify(got)}`)
      const me = await page.evaluate(async () => (await fetch('/api/me')).json())
      assert(me.user && me.user.role === role, `role ${me.user && me.user.role}`)
      if (want.scope) assert(me.user.org && me.user.org.name === want.scope, `scope ${JSON.stringify(me.user.org)}`)
    })
    await check(`${role}: dashboard for the own scope`, async () => {
      const kpi = page.locator('[data-test="kpi-0"]')
      const err = page.locator('[data-test="page-dashboard"] .el-alert--error')
      await Promise.race([kpi.waitFor(), err.waitFor()])
      if (await err.count()) throw new Error('dashboard error: ' + (await err.innerText()))
      const scope = await page.locator('[data-test="dashboard-scope"]').innerText()
      if (want.scope) assert(scope.includes(want.scope), `scope tag "${scope}"`)
      await shot(page, `dashboard-${role}`)
    })
    await check(`${role}: pages outside the role are not reachable`, async () => {
      for (const p of ['users', 'audit', 'import', 'budget', 'repplans']) {
        if (want.menu.includes(p)) continue
        await go(page, p)
        await page.waitForURL(/#\/dashboard/)
      }
    })
    await check(`${role}: plan grid ${want.edit ? 'editable' : 'read only'}, scope rows only`, async () => {
      await go(page, 'plan')
      const grid = page.locator('[data-test="plan-grid"]')
      await grid.waitFor()
      await page.waitForFunction(() => !document.querySelector('[data-test="plan-grid"] .el-loading-mask'))
      const ro = await page.locator('[data-test="read-only"]').count()
      assert(want.edit ? ro === 0 : ro === 1, `read-only notice ${ro}`)
      const orgs = await page.locator('[data-org]').evaluateAll((els) => els.map((e) => e.getAttribute('data-org')))
      if (role === 'manager') {
        assert(orgs.includes('EAST'), `manager sees EAST: ${orgs}`)
        assert(!orgs.some((o) => ['SOUTH', 'NORTH', 'WEST'].includes(o)), `manager sees other regions: ${orgs}`)
        assert((await page.locator('.cell.split-only[data-cell^="EAST|"]').count()) > 0, 'manager may split the own node')
        assert((await page.locator('.cell.editable:not(.split-only)').count()) === 0, 'manager may not change the own node')
      }
      if (role === 'rep') assert(!orgs.some((o) => ['SOUTH', 'NORTH', 'WEST'].includes(o)), `rep sees other regions: ${orgs}`)
      if (!want.edit) assert((await page.locator('.cell.editable').count()) === 0, 'no editable cell')
      await shot(page, `plan-${role}`)
    })
    await check(`${role}: tracking only within scope`, async () => {
      await go(page, 'tracking')
      await page.locator('[data-test="tracking-table"]').waitFor()
      await page.waitForFunction(() => !document.querySelector('[data-test="tracking-table"] .el-loading-mask'))
      const data = await page.evaluate(async ([plan, asOf]) => {
        const r = await fetch(`/api/plans/${encodeURIComponent(plan)}/tracking?as_of=${asOf}&by=org,month`)
        return { status: r.status, body: r.ok ? await r.json() : null }
      }, [PLAN, AS_OF])
      assert(data.status === 200, `tracking status ${data.status}`)
      const orgs = new Set(data.body.items.map((r) => r.org))
      if (role === 'manager' || role === 'rep') assert(!['SOUTH', 'NORTH', 'WEST', ROOT].some((o) => orgs.has(o)), `${role} tracking has ${[...orgs]}`)
      if (role === 'director') await shot(page, 'tracking')
    })
    await check(`${role}: the plan document pages of the menu load without an error`, async () => {
      const pages = { versions: 'page-versions', letters: 'page-letters', actions: 'page-actions', repplans: 'page-rep-plans', budget: 'page-budget', incentives: 'page-incentives' }
      for (const [route, root] of Object.entries(pages)) {
        if (!want.menu.includes(route)) continue
        await go(page, route)
        await page.locator(`[data-test="${root}"]`).waitFor()
        await page.waitForFunction((r) => !document.querySelector(`[data-test="${r}"] .el-loading-mask:not([style*="display: none"])`), root)
        await page.waitForTimeout(300)
        const err = page.locator(`[data-test="${root}"] .el-alert--error`)
        assert((await err.count()) === 0, `${route}: ${(await err.allInnerTexts()).join(' ')}`)
        if (role === 'rep' || role === 'finance') await shot(page, `${route}-${role}`)
      }
    })
    await check(`${role}: the server refuses what the role may not do`, async () => {
      const deny = []
      if (role !== 'admin') deny.push(['GET', '/api/users'])
      if (!['admin', 'director'].includes(role)) deny.push(['GET', '/api/audit'])
      if (!want.edit) deny.push(['PUT', `/api/plans/${encodeURIComponent(PLAN)}/targets`, { metric: 'revenue', period: '2026-12', org: 'EAST', value: '1.00' }])
      if (role === 'manager') deny.push(['PUT', `/api/plans/${encodeURIComponent(PLAN)}/targets`, { metric: 'revenue', period: '2026-12', org: 'SOUTH', value: '1.00' }])
      for (const [m, p, b] of deny) {
        const s = await apiStatus(page, m, p, b)
        assert(s === 403, `${m} ${p} answered ${s}, want 403`)
      }
    })
    await logout(page)
  }

  // ---- 1b. the analysis pages, against the oracle's figures -----------------------------
  const idle = (sel) => page.waitForFunction((s) => {
    const el = document.querySelector(s)
    return el && !el.querySelector('.el-loading-mask')
  }, sel)
  const texts = (sel, attr) => page.locator(sel).evaluateAll((els, a) => els.map((e) => (a ? e.getAttribute(a) : e.textContent.trim())), attr)
  const amount = async (sel) => money(cents(await page.locator(sel).first().innerText()))
  const O = ORACLE
  assert(O, 'SP_E2E_ORACLE names the oracle file (010_browser.sh writes it)')

  await login(page, 'director')
  await check('leaderboard (director): regions in the order and ranks of the oracle, this month', async () => {
    await go(page, 'leaderboard')
    await page.locator('[data-test="lb-level"] [data-level="region"]').click()
    await idle('[data-test="lb-table"]')
    await page.locator('[data-test="lb-table"] [data-org="SOUTH"]').waitFor()
    const orgs = await texts('[data-test="lb-table"] [data-rank]', 'data-org')
    const ranks = await texts('[data-test="lb-table"] [data-rank]', 'data-rank')
    const want = O.leaderboard_regions
    assert(JSON.stringify(orgs) === JSON.stringify(want.map((r) => r.org)), `order ${orgs} != ${want.map((r) => r.org)}`)
    assert(JSON.stringify(ranks) === JSON.stringify(want.map((r) => String(r.rank))), `ranks ${ranks}`)
    const row = page.locator('[data-test="lb-table"] .el-table__row', { has: page.locator('[data-org="NORTH"]') })
    assert((await row.innerText()).replace(/[^0-9.\n]/g, '').includes(want[3].actual), `NORTH actual ${want[3].actual}`)
    await shot(page, 'leaderboard')
  })
  await check('funnel (director): per team, the group picker; chart and stage table', async () => {
    await go(page, 'funnel')
    await idle('[data-test="page-funnel"] .card-row')
    await page.locator('[data-test="funnel-by"] [data-by="team"]').click()
    await page.locator('[data-test="funnel-group"]').waitFor()
    await page.locator('[data-test="funnel-table"] [data-stage="won"]').waitFor()
    await shot(page, 'funnel')
  })
  await check('customers (director): counts and ABC classes of the oracle', async () => {
    await go(page, 'customers')
    await page.locator('[data-test="cust-summary"]').waitFor()
    await idle('[data-test="page-customers"] > div:last-child')
    const c = O.customers_company
    const stat = async (k) => (await page.locator(`[data-test="stat-${k}"] .el-statistic__content`).innerText()).replace(/[^0-9]/g, '')
    assert((await stat('customers')) === String(c.count), `customers ${await stat('customers')} != ${c.count}`)
    assert((await stat('churned')) === String(c.churned), `churned ${await stat('churned')}`)
    for (const k of ['A', 'B', 'C']) {
      const n = (await page.locator(`[data-class-count="${k}"]`).innerText()).replace(/[^0-9]/g, '')
      assert(n === String(c.classes[k]), `class ${k}: ${n} != ${c.classes[k]}`)
    }
    assert((await amount('[data-test="stat-revenue"]')) === c.revenue, 'revenue')
    const top = await texts('[data-test="cust-table"] [data-customer]')
    assert(JSON.stringify(top.slice(0, 3)) === JSON.stringify(c.top), `top customers ${top.slice(0, 3)} != ${c.top}`)
    for (const [code, k] of [[c.top[0], 'A'], [c.first_b, 'B'], [c.first_c, 'C']]) {
      await input(page, 'cust-search').fill(code)
      const cell = page.locator(`[data-class-of="${code}"]`)
      await cell.waitFor()
      assert((await cell.innerText()).trim() === k, `${code} is class ${await cell.innerText()}, want ${k}`)
    }
    await input(page, 'cust-search').fill('')
    await shot(page, 'customers')
  })
  await check('alerts (director): evaluate at the as-of date; the list has the rules', async () => {
    await go(page, 'alerts')
    await page.locator('[data-test="alerts-evaluate"]').click()
    await page.locator('.el-message--success', { hasText: '评估' }).waitFor()
    await idle('[data-test="alerts-table"]')
    await page.locator('[data-test="alerts-table"] [data-rule="stage_stuck"]').first().waitFor()
    await page.locator('[data-test="alerts-table"] [data-rule="progress_gap"]').first().waitFor()
    await shot(page, 'alerts')
  })
  await check('tracking drill-down (director): company → 华东 → team → rep, year → month → day', async () => {
    await go(page, 'tracking')
    await page.locator('.el-tabs__item', { hasText: '下钻分析' }).click()
    await page.locator('[data-test="drill-node"]').waitFor()
    await idle('[data-test="drill"]')
    assert((await amount('[data-test="drill-target"]')) === O.company_year_target, 'company year target')
    await page.locator('[data-drill-child="EAST"]').click()
    await page.locator('[data-test="drill-org-path"] [data-drill-org="EAST"]').waitFor()
    await idle('[data-test="drill"]')
    assert((await amount('[data-test="drill-actual"]')) === O.east_year_actual, `华东 year actual != ${O.east_year_actual}`)
    await page.locator('[data-drill-child="EAST-T1"]').click()
    await page.locator('[data-drill-child="R001"]').click()
    await page.locator('[data-test="drill-org-path"] [data-drill-org="R001"]').waitFor()
    await idle('[data-test="drill"]')
    await page.waitForFunction((w) => {
      const el = document.querySelector('[data-test="drill-actual"]')
      return el && el.textContent.replace(/[^0-9.]/g, '') === w
    }, O.r001.year)
    await shot(page, 'tracking-drill-year')
    await page.locator(`[data-drill-sub="${AS_OF.slice(0, 7)}"]`).click()
    await page.locator(`[data-test="drill-period-path"] [data-drill-period="${AS_OF.slice(0, 7)}"]`).waitFor()
    await idle('[data-test="drill"]')
    assert((await amount('[data-test="drill-actual"]')) === O.r001.month, `R001 month actual != ${O.r001.month}`)
    assert((await amount(`[data-actual-in="${AS_OF}"]`)) === O.r001.day, `R001 ${AS_OF} != ${O.r001.day}`)
    await page.locator(`[data-drill-sub="${AS_OF}"]`).click()
    await page.locator(`[data-test="drill-period-path"] [data-drill-period="${AS_OF}"]`).waitFor()
    await idle('[data-test="drill"]')
    assert((await amount('[data-test="drill-actual"]')) === O.r001.day, `R001 day actual != ${O.r001.day}`)
    await shot(page, 'tracking-drill-day')
  })
  await check('tracking catch-up (director): 华北 behind this year; the proposal adds up to the target', async () => {
    await go(page, 'tracking')
    await page.locator('.el-tabs__item', { hasText: '目标单元' }).click()
    await page.locator('[data-test="tracking-table"]').waitFor()
    await page.locator('[data-test="grouping"]').click()
    await page.locator('.el-select-dropdown__item', { hasText: '组织 × 年' }).click()
    await idle('[data-test="tracking-table"]')
    await page.locator('[data-catchup="NORTH|2026"]').click()
    await page.locator('[data-test="catchup-table"]').waitFor()
    await idle('[data-test="catchup"]')
    const c = O.catchup_north
    assert((await amount('[data-test="catchup-target"]')) === c.target, 'target')
    assert((await amount('[data-test="catchup-actual"]')) === c.actual, 'actual')
    assert((await amount('[data-test="catchup-spread"]')) === c.to_spread, 'to spread')
    const proposed = await texts('[data-test="catchup-table"] [data-proposed]')
    assert(proposed.length === 12, `12 months, got ${proposed.length}`)
    const sum = proposed.reduce((a, x) => a + cents(x), 0n)
    assert(money(sum) === c.target, `proposal adds up to ${money(sum)}, not ${c.target}`)
    assert((await page.locator('[data-test="catchup-apply"]').count()) === 1, 'a director may apply it')
    await shot(page, 'catchup')
    await page.keyboard.press('Escape')
  })
  await check('language: the analysis pages in English have no untranslated text', async () => {
    await page.locator('[data-test="lang"]').click()
    await page.locator('[data-menu="dashboard"]', { hasText: 'Dashboard' }).waitFor()
    const org = await page.evaluate(async () => (await (await fetch('/api/org')).json()).items)
    // action_overdue alerts quote their item's title (data too)
    const items = await page.evaluate(async (p) => (await (await fetch(`/api/plans/${encodeURIComponent(p)}/actions`)).json()).items, PLAN)
    const data = [PLAN, ...org.map((o) => o.name), ...org.map((o) => o.manager).filter(Boolean), '张磊', '陈总', ...items.map((i) => i.name)]
    const me = await page.evaluate(async () => (await fetch('/api/me')).json())
    data.push(me.user.display_name)
    data.sort((a, b) => b.length - a.length)
    for (const [route, ready] of [['leaderboard', '[data-test="lb-table"] [data-rank]'], ['funnel', '[data-test="funnel-table"] [data-stage]'],
      ['customers', '[data-test="cust-table"] [data-customer]'], ['alerts', '[data-test="alerts-table"] [data-rule]'],
      ['reviews', '[data-test="pack-figures"] .el-table__row'], ['tracking', '[data-test="tracking-table"] .el-table__row']]) {
      await go(page, route)
      await page.locator(ready).first().waitFor()
      await page.waitForFunction(() => !document.querySelector('.main .el-loading-mask:not([style*="display: none"])'))
      let text = await page.locator('.main').innerText()
      for (const n of data) text = text.replaceAll(n, '')
      const cjk = text.match(/[\u4e00-\u9fff]+/g) || []
      assert(cjk.length === 0, `${route} untranslated: ${cjk.slice(0, 10).join(' ')}`)
      await shot(page, `${route}-en`)
    }
    await page.locator('[data-test="lang"]').click()
    await page.locator('[data-menu="dashboard"]', { hasText: '仪表盘' }).waitFor()
  })
  await logout(page)

  await login(page, 'manager')
  await check('leaderboard (manager): teams of 华东 only', async () => {
    await go(page, 'leaderboard')
    await idle('[data-test="lb-table"]')
    await page.locator('[data-test="lb-table"] [data-org="EAST-T1"]').waitFor()
    const orgs = await texts('[data-test="lb-table"] [data-rank]', 'data-org')
    assert(JSON.stringify([...orgs].sort()) === JSON.stringify(['EAST-T1', 'EAST-T2', 'EAST-T3']), `teams ${orgs}`)
  })
  await logout(page)

  await login(page, 'rep')
  await check('leaderboard (rep): only the own line', async () => {
    await go(page, 'leaderboard')
    await idle('[data-test="lb-table"]')
    await page.locator('[data-test="lb-table"] [data-org="R001"]').waitFor()
    const orgs = await texts('[data-test="lb-table"] [data-rank]', 'data-org')
    assert(JSON.stringify(orgs) === JSON.stringify(['R001']), `rep sees ${orgs}`)
    await shot(page, 'leaderboard-rep')
  })
  await check('funnel (rep): own stage counts and conversions as the oracle counts them', async () => {
    await go(page, 'funnel')
    await page.locator('[data-test="funnel-table"] [data-stage="won"]').waitFor()
    const f = O.funnel_r001
    const order = ['lead', 'qualified', 'proposal', 'negotiation', 'won']
    for (const s of [...order, 'lost']) {
      const n = (await page.locator(`[data-reached="${s}"]`).innerText()).replace(/[^0-9]/g, '')
      assert(n === String(f[s]), `${s} reached ${n} != ${f[s]}`)
    }
    for (let k = 0; k < 4; k++) {
      // conversion = next ÷ this, in % with two decimals, half up (integers only)
      const a = BigInt(f[order[k + 1]]), b = BigInt(f[order[k]])
      const bp = (a * 20000n + b) / (2n * b)
      const want = `${bp / 100n}.${String(bp % 100n).padStart(2, '0')}%`
      const got = (await page.locator(`[data-conversion="${order[k]}"]`).innerText()).trim()
      assert(got === want, `${order[k]} conversion ${got} != ${want}`)
    }
    await shot(page, 'funnel-rep')
  })
  await check('customers (rep): own churned count and the win-back list', async () => {
    await go(page, 'customers')
    await page.locator('[data-test="cust-summary"]').waitFor()
    const c = O.customers_r001
    const churned = (await page.locator('[data-test="stat-churned"] .el-statistic__content').innerText()).replace(/[^0-9]/g, '')
    assert(churned === String(c.churned), `churned ${churned} != ${c.churned}`)
    const winback = await texts('[data-test="winback-table"] [data-winback]', 'data-winback')
    assert(winback.length === c.churned, `win-back list has ${winback.length}, want ${c.churned}`)
    await shot(page, 'customers-rep')
  })
  await check('alerts (rep): the own stuck opportunity; acknowledge it; no evaluate button', async () => {
    await go(page, 'alerts')
    assert((await page.locator('[data-test="alerts-evaluate"]').count()) === 0, 'a rep does not evaluate')
    const row = page.locator('[data-test="alerts-table"] .el-table__row', { hasText: 'OPP-E2E-1' })
    await row.waitFor()
    const id = await row.locator('[data-alert]').getAttribute('data-alert')
    assert((await page.locator(`[data-alert-state="${id}"]`).innerText()).includes('新'), 'state new')
    await shot(page, 'alerts-rep')
    await page.locator(`[data-ack="${id}"]`).click()
    await page.waitForFunction((i) => {
      const el = document.querySelector(`[data-alert-state="${i}"]`)
      return el && el.textContent.includes('已确认')
    }, id)
    const st = await page.evaluate(async (i) => (await (await fetch('/api/alerts?state=all')).json()).items.find((a) => String(a.id) === i).state, id)
    assert(st === 'acknowledged', `server says ${st}`)
    assert((await page.locator(`[data-ack="${id}"]`).count()) === 0, 'no second acknowledge')
  })
  const REVIEW = { done: '拜访客户 C0001 与 C0009，推进 OPP-E2E-1', gaps: '月度目标差距：大客户采购推迟', help_needed: '需要技术支持配合演示', next: '下周完成两次方案演示' }
  await check('reviews (rep): the week figures from the data; write and save the self-review', async () => {
    await go(page, 'reviews')
    await page.locator('[data-test="my-figures"]').waitFor()
    assert((await amount('[data-test="my-week-actual"]')) === O.r001.week, `week actual != ${O.r001.week}`)
    for (const [k, v] of Object.entries(REVIEW)) await page.locator(`textarea[data-test="review-${k}"], [data-test="review-${k}"] textarea`).first().fill(v)
    await page.locator('[data-test="review-save"]').click()
    await page.locator('.el-message--success', { hasText: '周报已保存' }).waitFor()
    await page.locator('[data-test="my-status"].el-tag--success').waitFor()
    await shot(page, 'reviews-rep')
  })
  await logout(page)

  await login(page, 'manager')
  await check('reviews (manager): the rep\'s review in the team pack and in the printable pack', async () => {
    await go(page, 'reviews')
    const card = page.locator('[data-review="R001"]')
    await card.waitFor()
    assert((await card.innerText()).includes(REVIEW.done), 'the done text in the pack')
    assert((await card.locator('[data-text="next"]').innerText()).trim() === REVIEW.next, 'next week plan')
    assert((await page.locator('[data-review].missing').count()) > 0, 'the others are missing')
    await shot(page, 'reviews-pack')
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.locator('[data-test="pack-html"]').click()])
    await popup.waitForLoadState()
    const html = await popup.content()
    assert(html.includes(REVIEW.gaps) && html.includes(REVIEW.help_needed), 'the printable pack has the review')
    await popup.screenshot({ path: path.join(artifacts, 'reviews-pack-print.png'), fullPage: true })
    await popup.close()
  })
  await logout(page)

  await login(page, 'finance')
  await check('alerts (finance): may evaluate, may not acknowledge', async () => {
    await go(page, 'alerts')
    await page.locator('[data-test="alerts-evaluate"]').waitFor()
    await idle('[data-test="alerts-table"]')
    assert((await page.locator('[data-ack]').count()) === 0, 'no acknowledge button for finance')
  })
  await logout(page)

  // ---- 1c. the plan page's panels: SMART findings, recommendation, commitments, export -----
  // (before section 2 changes targets: the figures are the fixture's, as oracle.py read them)
  const panelsIdle = () => page.waitForFunction(() => !document.querySelector('[data-test="plan-panels"] .el-loading-mask:not([style*="display: none"])'))
  async function planTab(name) {
    await page.locator(`[data-test="plan-tabs"] #tab-${name}`).click()
    await page.locator(`[data-test="plan-tabs"] #pane-${name}`).waitFor()
  }
  await login(page, 'director')
  await check('plan findings (director): markers on the cells; 西南\'s achievable finding with the oracle\'s figures; filter; select', async () => {
    await go(page, 'plan')
    await page.locator('[data-test="findings-table"] .el-table__row').first().waitFor()
    const A = O.achievable_west
    const k = `${A.org}|${A.period}`
    // the list has the achievable finding of 西南's year, naming last year's actual and the growth needed
    const row = page.locator('[data-test="findings-table"] .el-table__row', { has: page.locator(`[data-finding-cells="revenue ${A.org} ${A.period}"]`) })
      .filter({ has: page.locator('[data-rule="achievable"]') })
    assert((await row.count()) === 1, `one achievable finding for ${k}, got ${await row.count()}`)
    const rowText = await row.innerText()
    assert(rowText.includes(`needs ${A.growth} over last year (${A.last_year})`), `finding text: ${rowText}`)
    const sev = await row.locator('[data-finding-severity]').getAttribute('data-finding-severity')
    // its marker has the worst severity of the cell's findings, and the tooltip names rule and figures
    const sevs = await page.locator('[data-test="findings-table"] .el-table__row', { has: page.locator(`[data-finding-cells="revenue ${A.org} ${A.period}"]`) })
      .locator('[data-finding-severity]').evaluateAll((els) => els.map((e) => e.getAttribute('data-finding-severity')))
    const want = ['error', 'warning', 'info'].find((x) => sevs.includes(x))
    assert(sevs.includes(sev) && want, `severities ${sevs}`)
    const marker = page.locator(`[data-marker="${k}"]`)
    assert((await marker.getAttribute('data-marker-severity')) === want, `${k}: marker ${await marker.getAttribute('data-marker-severity')} != ${want}`)
    await marker.hover()
    const tip = page.locator(`.el-popper [data-tip-for="${k}"]`)
    await tip.waitFor()
    const text = await tip.innerText()
    assert(text.includes('可实现') && text.includes(`over last year (${A.last_year})`), `tooltip of ${k}: ${text}`)
    await page.mouse.move(0, 0)
    // the plan has no strategic objective (oracle): the company's year is not relevant, a warning
    assert(O.objectives === 0, 'the fixture plan has no objectives')
    const rel = page.locator('[data-test="findings-table"] .el-table__row', { has: page.locator(`[data-finding-cells="revenue ${ROOT} ${A.period}"]`) })
      .filter({ has: page.locator('[data-rule="relevant"]') })
    assert((await rel.locator('[data-finding-severity="warning"]').count()) === 1, 'relevant warning on the company year')
    assert(['warning', 'error'].includes(await page.locator(`[data-marker="${ROOT}|${A.period}"]`).getAttribute('data-marker-severity')), 'company year marker')
    // filter: notes off -> no note in the list nor as a marker
    const total = await page.locator('[data-test="findings-table"] .el-table__row').count()
    const notes = await page.locator('[data-test="findings-table"] [data-finding-severity="info"]').count()
    assert(notes > 0, 'the fixture has notes')
    await page.locator('[data-test="findings-filter"] [data-severity="info"]').click()
    await page.waitForFunction((n) => document.querySelectorAll('[data-test="findings-table"] .el-table__row').length === n, total - notes)
    assert((await page.locator('[data-test="findings-table"] [data-finding-severity="info"]').count()) === 0, 'no notes listed')
    assert((await page.locator('[data-marker-severity="info"]').count()) === 0, 'no note markers')
    assert((await page.locator(`[data-marker="${k}"]`).count()) === (want === 'info' ? 0 : 1), 'the warning marker stays')
    // clicking a finding selects its cell
    await page.locator(`[data-test="findings-table"] [data-finding-cells="revenue ${A.org} ${A.period}"]`).first().click()
    await page.locator(`[data-test="selected-cell"][data-sel-org="${A.org}"][data-sel-period="${A.period}"]`).waitFor()
    await page.locator(`[data-cell="${k}"].selected`).waitFor()
    await shot(page, 'plan-findings')
    await page.locator('[data-test="findings-filter"] [data-severity="info"]').click()
    await page.waitForFunction((n) => document.querySelectorAll('[data-test="findings-table"] .el-table__row').length === n, total)
  })
  await check('plan recommendation (director): 华东 2026 forecast as GET /recommend answers; probabilities within 0–100 %', async () => {
    await page.locator('[data-test="plan-grid"] [data-org="EAST"]').click()
    await page.locator('[data-test="selected-cell"][data-sel-org="EAST"]').waitFor()
    await planTab('recommend')
    await page.locator('[data-test="rec-result"]').waitFor()
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-test="rec-forecast"]')
      return el && document.querySelector('[data-test="rec-result"]') && /华东/.test(document.querySelector('[data-test="rec-result"]').innerText)
    })
    await panelsIdle()
    const api = await page.evaluate(async (plan) => (await fetch(`/api/plans/${encodeURIComponent(plan)}/recommend?period=2026&org=EAST&metric=revenue&method=comb&level=80&growth=10%25`)).json(), PLAN)
    assert(api.forecast && api.org === 'EAST', `API answer ${JSON.stringify(api)}`)
    assert((await page.locator('[data-test="rec-forecast"]').getAttribute('data-value')) === api.forecast, 'forecast attribute = API')
    assert((await amount('[data-test="rec-forecast"]')) === api.forecast, `forecast shown != API ${api.forecast}`)
    assert((await amount('[data-test="rec-recommended"]')) === api.recommended, `recommended shown != API ${api.recommended}`)
    // the current target is the fixture's (oracle), its probability a percentage
    assert((await amount('[data-test="rec-target"]')) === O.east_year_target, `target != oracle ${O.east_year_target}`)
    const p = Number((await page.locator('[data-test="rec-target-prob"]').innerText()).replace(/[^0-9.]/g, ''))
    assert(p >= 0 && p <= 100, `probability ${p}`)
    assert(Math.abs(p - api.target_probability) < 0.051, `probability shown ${p} != API ${api.target_probability}`)
    const [lo, hi] = [cents(api.lo), cents(api.hi)]
    assert(lo <= cents(api.forecast) && cents(api.forecast) <= hi, 'forecast inside its interval')
    // a value typed in: far above the interval is nearly impossible, zero is certain
    await input(page, 'rec-value').fill(money(hi * 3n))
    await page.locator('[data-test="rec-run"]').click()
    await page.locator('[data-test="rec-value-prob"]').waitFor()
    await panelsIdle()
    const pv = Number((await page.locator('[data-test="rec-value-prob"]').innerText()).replace(/[^0-9.]/g, ''))
    assert(pv >= 0 && pv < 5, `probability of 3 × the interval's top: ${pv}`)
    await page.locator('[data-test="rec-chart"] canvas').waitFor()
    await shot(page, 'plan-recommend')
  })
  await check('plan export (director): CSV, wide CSV and XLSX downloads', async () => {
    const get = async (fmt) => {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-export="${fmt}"]`).click()])
      const p = await dl.path()
      return { name: dl.suggestedFilename(), data: fs.readFileSync(p) }
    }
    const csv = await get('csv')
    const lines = csv.data.toString('utf8').split(/\r?\n/)
    assert(lines[0] === 'metric,org,period,product_line,product,channel,segment,value,locked,method', `CSV header: ${lines[0]}`)
    assert(csv.name.endsWith('.csv'), `file name ${csv.name}`)
    assert(lines.some((l) => l.startsWith(`revenue,EAST,2026,,,,,${O.east_year_target},`)), 'the 华东 year row with the oracle value')
    const wide = await get('wide-csv')
    assert(wide.data.toString('utf8').split(/\r?\n/)[0].startsWith('metric,org,org_name,parent,'), 'wide CSV header')
    const xlsx = await get('xlsx')
    assert(xlsx.data.subarray(0, 2).toString('latin1') === 'PK' && xlsx.name.endsWith('.xlsx'), 'an XLSX (zip) file')
  })
  await logout(page)

  const COMMIT = '400000.00'
  await login(page, 'rep')
  await check('plan commitments (rep): commits for the own node', async () => {
    await go(page, 'plan')
    await page.locator('[data-test="commit-form"]').waitFor()
    assert((await page.locator('[data-test="reconcile-form"]').count()) === 0, 'a rep does not reconcile')
    await input(page, 'commit-input').fill('400000')
    await page.locator('[data-test="commit-save"]').click()
    await page.waitForFunction((w) => {
      const el = document.querySelector('[data-test="commit-current"]')
      return el && el.textContent.replace(/[^0-9.]/g, '') === w
    }, COMMIT)
    assert((await amount('[data-commit-value="R001"]')) === COMMIT, 'the own row shows the commitment')
    await shot(page, 'plan-commit-rep')
    // a rep may not commit for another node
    const s = await apiStatus(page, 'POST', `/api/plans/${encodeURIComponent(PLAN)}/commitments`, { period: '2026', org: 'R002', value: '1.00' })
    assert(s === 403, `rep commits for R002: ${s}`)
  })
  await logout(page)

  await login(page, 'director')
  await check('plan commitments (director): 华东 shows the rep\'s commitment and the gap; keep-top-down after a confirmation', async () => {
    await go(page, 'plan')
    await page.locator('[data-test="plan-grid"] [data-org="EAST"]').click()
    await planTab('commit')
    await page.locator('[data-commit-org="EAST-T1"]').waitFor()
    await panelsIdle()
    await page.waitForFunction(() => (document.querySelector('[data-commit-value="EAST"]') || {}).textContent !== '—')
    assert((await amount('[data-commit-target="EAST"]')) === O.east_year_target, 'top-down target = oracle')
    assert((await amount('[data-commit-value="EAST"]')) === COMMIT, 'committed = the rep\'s commitment')
    const gap = cents(O.east_year_target) - cents(COMMIT)
    assert((await amount('[data-commit-gap="EAST"]')) === money(gap), `gap != ${money(gap)}`)
    assert((await amount('[data-commit-value="EAST-T1"]')) === COMMIT, 'the rep\'s team rolls it up')
    assert((await page.locator('[data-commit-value="EAST-T2"]').innerText()).trim() === '—', 'EAST-T2 has no commitments')
    await page.locator('[data-test="reconcile-mode"] [data-mode="keep-top-down"]').click()
    await page.locator('[data-test="reconcile-run"]').click()
    const box = page.locator('.el-message-box')
    await box.waitFor()
    await shot(page, 'plan-reconcile-confirm')
    await box.locator('.el-button--primary').click()
    await page.locator('[data-test="reconcile-result"]').waitFor()
    assert((await amount('[data-test="reconcile-after"]')) === O.east_year_target, 'keep-top-down keeps the target')
    assert((await amount('[data-commit-target="EAST"]')) === O.east_year_target, 'still the oracle target')
    await shot(page, 'plan-commit-director')
  })
  await check('plan panels in English: no untranslated text', async () => {
    await page.locator('[data-test="lang"]').click()
    await page.locator('[data-menu="dashboard"]', { hasText: 'Dashboard' }).waitFor()
    const org = await page.evaluate(async () => (await (await fetch('/api/org')).json()).items)
    const data = [PLAN, ...org.map((o) => o.name), '张磊'].sort((a, b) => b.length - a.length)
    for (const tab of ['findings', 'recommend', 'commit']) {
      await planTab(tab)
      await panelsIdle()
      let text = await page.locator('[data-test="plan-panels"]').innerText()
      for (const n of data) text = text.replaceAll(n, '')
      const cjk = text.match(/[\u4e00-\u9fff]+/g) || []
      assert(cjk.length === 0, `${tab} untranslated: ${cjk.slice(0, 10).join(' ')}`)
    }
    await shot(page, 'plan-panels-en')
    await page.locator('[data-test="lang"]').click()
    await page.locator('[data-menu="dashboard"]', { hasText: '仪表盘' }).waitFor()
  })
  await logout(page)

  // ---- 2. the director changes targets in the grid -----------------------------------------
  await login(page, 'director')
  await go(page, 'plan')
  const cell = (org, p) => page.locator(`[data-cell="${org}|${p}"] .num`)
  const val = async (org, p) => cents(await cell(org, p).innerText())
  const regions = ['EAST', 'SOUTH', 'NORTH', 'WEST']
  const months = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`)
  async function sums() {
    const year = await val(ROOT, '2026')
    let m = 0n
    for (const p of months) m += await val(ROOT, p)
    const dec = await val(ROOT, '2026-12')
    let r = 0n
    for (const o of regions) r += await val(o, '2026-12')
    return { year, m, dec, r }
  }
  async function setCell(org, p, value) {
    await page.locator(`[data-cell="${org}|${p}"]`).click()
    const dlg = page.locator('.el-dialog', { has: page.locator('[data-test="value-input"]') })
    await dlg.waitFor()
    await input(page, 'value-input').fill(value)
    await page.locator('[data-test="save-value"]').click()
    await dlg.waitFor({ state: 'hidden' })
    await page.waitForFunction(() => !document.querySelector('[data-test="plan-grid"] .el-loading-mask'))
  }
  await check('director: plan grid shows the tree, each parent the exact sum of its parts', async () => {
    await cell('EAST', '2026-12').waitFor()
    const s = await sums()
    assert(s.m === s.year, `months ${money(s.m)} != year ${money(s.year)}`)
    assert(s.r === s.dec, `regions ${money(s.r)} != December ${money(s.dec)}`)
    await shot(page, 'plan-director-before')
  })
  await check('director: set the company December target; its regions re-spread, the year holds', async () => {
    const before = await sums()
    const east = await val('EAST', '2026-12')
    const nov = await val(ROOT, '2026-11')
    const want = before.dec + 100000000n // + 1,000,000.00
    await setCell(ROOT, '2026-12', money(want))
    await page.waitForFunction(([sel, w]) => {
      const el = document.querySelector(sel)
      return el && el.textContent.replace(/[^0-9.]/g, '') === w
    }, [`[data-cell="${ROOT}|2026-12"] .num`, money(want)])
    const after = await sums()
    assert(after.dec === want, `December ${money(after.dec)} != ${money(want)}`)
    assert(after.year === before.year, 'the year target holds')
    assert(after.m === after.year, `months ${money(after.m)} != year ${money(after.year)}`)
    assert(after.r === after.dec, `regions ${money(after.r)} != December ${money(after.dec)}`)
    assert((await val('EAST', '2026-12')) !== east, 'EAST December re-spread')
    assert((await val(ROOT, '2026-11')) !== nov, 'November re-spread so the year holds')
    assert((await page.locator('.cell.changed').count()) > 2, 'changed cells are marked')
    await shot(page, 'plan-director-after-set')
  })
  await check('director: lock SOUTH December, set EAST December; SOUTH kept, the rest re-spread', async () => {
    await page.locator(`[data-cell="SOUTH|2026-12"]`).click()
    await page.locator('[data-test="toggle-lock"]').click()
    await page.locator(`[data-cell="SOUTH|2026-12"].locked`).waitFor()
    const south = await val('SOUTH', '2026-12')
    const north = await val('NORTH', '2026-12')
    const dec = await val(ROOT, '2026-12')
    const east = (await val('EAST', '2026-12')) + 50000000n
    await setCell('EAST', '2026-12', money(east))
    await page.waitForFunction(([sel, w]) => {
      const el = document.querySelector(sel)
      return el && el.textContent.replace(/[^0-9.]/g, '') === w
    }, ['[data-cell="EAST|2026-12"] .num', money(east)])
    assert((await val('SOUTH', '2026-12')) === south, 'locked SOUTH kept')
    assert((await val('NORTH', '2026-12')) !== north, 'NORTH re-spread')
    const s = await sums()
    assert(s.dec === dec, 'December holds')
    assert(s.r === s.dec, `regions ${money(s.r)} != December ${money(s.dec)}`)
    await shot(page, 'plan-director-after-lock')
  })
  await check('director: a bad value is refused in the editor', async () => {
    await page.locator(`[data-cell="WEST|2026-12"]`).click()
    await input(page, 'value-input').fill('-5')
    await page.locator('[data-test="save-value"]').click()
    await page.locator('.el-message--warning').waitFor()
    await page.keyboard.press('Escape')
  })
  await check('director: audit log shows the target changes', async () => {
    await go(page, 'audit')
    await page.locator('[data-test="audit-table"]').waitFor()
    await page.locator('[data-test="audit-table"] .el-table__row').first().waitFor()
    await shot(page, 'audit')
  })
  await check('language: zh-CN -> en on every visible text, and back', async () => {
    await go(page, 'dashboard')
    await page.locator('[data-test="kpi-0"]').waitFor()
    await page.locator('[data-test="lang"]').click()
    await page.locator('[data-menu="dashboard"]', { hasText: 'Dashboard' }).waitFor()
    // no Chinese left except data (org, plan and user names) and the
    // switch back to 中文
    const text = await page.locator('.main').innerText()
    const header = await page.locator('.header').innerText()
    const me = await page.evaluate(async () => (await fetch('/api/me')).json())
    assert(header.includes('中文') && header.includes('Sales director'), `header: ${header}`)
    const names = await page.evaluate(async () => (await (await fetch('/api/org')).json()).items.map((o) => o.name))
    let stripped = text.replaceAll(PLAN, '').replaceAll(me.user.display_name, '')
    for (const n of names.sort((a, b) => b.length - a.length)) stripped = stripped.replaceAll(n, '')
    const cjk = stripped.match(/[\u4e00-\u9fff]+/g) || []
    assert(cjk.length === 0, `untranslated: ${cjk.slice(0, 10).join(' ')}`)
    assert(/CN¥|CNY/.test(text), 'money in the company currency, English style')
    await shot(page, 'dashboard-en')
    await go(page, 'plan')
    await cell('EAST', '2026-12').waitFor()
    await shot(page, 'plan-en')
    await page.locator('[data-test="lang"]').click()
    await page.locator('[data-menu="dashboard"]', { hasText: '仪表盘' }).waitFor()
  })
  await logout(page)

  // ---- 2b. the manager splits the own region to teams and sets one ----------------------
  await login(page, 'manager')
  await go(page, 'plan')
  await check('manager: split 华东 December over its teams; set one team, the others re-spread', async () => {
    await cell('EAST', '2026-12').waitFor()
    const east = await val('EAST', '2026-12')
    await page.locator('[data-cell="EAST|2026-12"]').click()
    await page.locator('[data-test="do-split"]').waitFor()
    assert((await page.locator('[data-test="value-input"]').count()) === 0, 'no value editor on the own node')
    await page.locator('[data-test="do-split"]').click()
    await cell('EAST-T1', '2026-12').waitFor()
    const teams = ['EAST-T1', 'EAST-T2', 'EAST-T3']
    let sum = 0n
    for (const o of teams) sum += await val(o, '2026-12')
    assert(sum === east, `teams ${money(sum)} != 华东 ${money(east)}`)
    const t2 = await val('EAST-T2', '2026-12')
    const want = (await val('EAST-T1', '2026-12')) + 10000000n
    await setCell('EAST-T1', '2026-12', money(want))
    await page.waitForFunction(([sel, w]) => {
      const el = document.querySelector(sel)
      return el && el.textContent.replace(/[^0-9.]/g, '') === w
    }, ['[data-cell="EAST-T1|2026-12"] .num', money(want)])
    assert((await val('EAST-T2', '2026-12')) !== t2, 'EAST-T2 re-spread')
    sum = 0n
    for (const o of teams) sum += await val(o, '2026-12')
    assert(sum === east && (await val('EAST', '2026-12')) === east, `teams ${money(sum)} != 华东 ${money(east)}`)
    await shot(page, 'plan-manager-split')
  })
  await logout(page)

  // ---- 3. imports -------------------------------------------------------------------------
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'salesplan-e2e-csv-'))
  const bad = path.join(tmp, 'bad.csv')
  const good = path.join(tmp, 'good.csv')
  fs.writeFileSync(bad, 'date,amount,org\n2026-11-20,100.50,R001\n2026-11-21,abc,R001\n2026-11-22,7,R002\n')
  fs.writeFileSync(good, '日期,金额,组织\n2026-11-20,1000.50,R001\n2026-11-21,2000,R002\n2026-11-22,3000,R014\n')
  await login(page, 'finance')
  await go(page, 'import')
  await check('import: a bad file is refused, naming row 3 and column amount', async () => {
    await page.locator('[data-test="page-import"] input[type=file]').setInputFiles(bad)
    await page.locator('[data-test="preview"]').waitFor()
    await page.locator('[data-test="dry-run"]').click()
    const err = page.locator('[data-test="import-error"]')
    await err.waitFor()
    const text = await err.innerText()
    assert(/row 3/.test(text) && /amount/.test(text), `message: ${text}`)
    assert((await page.locator('[data-test="import-where"]').innerText()).includes('3'), 'where names the row')
    await page.locator('[data-test="preview"] tr.bad[data-row="3"] td.badcol').waitFor()
    assert(await page.locator('[data-test="do-import"]').isDisabled(), 'import stays disabled')
    await shot(page, 'import-error')
  })
  await check('import: a good file (Chinese headers) passes the dry run, then goes in', async () => {
    await page.locator('[data-test="page-import"] input[type=file]').setInputFiles(good)
    await page.locator('[data-test="dry-run"]').click()
    await page.locator('[data-test="import-result"]').waitFor()
    assert((await page.locator('[data-test="rows-read"]').innerText()).trim() === '3', 'dry run read 3 rows')
    assert((await page.locator('[data-test="rows-imported"]').innerText()).trim() === '0', 'dry run imported nothing')
    await page.locator('[data-test="do-import"]').click()
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-test="rows-imported"]')
      return el && el.textContent.trim() === '3'
    })
    await shot(page, 'import-ok')
  })
  await logout(page)

  // ---- 4. the administrator's pages --------------------------------------------------------
  await login(page, 'admin')
  await check('admin: users list has the five demo users; add one, disable it', async () => {
    await go(page, 'users')
    await page.locator('[data-test="users-table"] .el-table__row').first().waitFor()
    const text = await page.locator('[data-test="users-table"]').innerText()
    for (const u of ['admin', 'director', 'manager', 'rep', 'finance']) assert(text.includes(u), `user ${u} listed`)
    await page.locator('[data-test="add-user"]').click()
    await input(page, 'new-username').fill('e2e_rep')
    await input(page, 'new-display-name').fill('测试销售')
    await input(page, 'new-password').fill('e2e-password-1')
    await page.locator('[data-test="new-org"]').click()
    await page.locator('.el-select-dropdown__item', { hasText: '(R002)' }).click()
    await page.locator('[data-test="create-user"]').click()
    await page.locator('[data-test="users-table"]', { hasText: 'e2e_rep' }).waitFor()
    await page.locator('[data-disable="e2e_rep"]').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.locator('[data-user-status="e2e_rep"].el-tag--info').waitFor()
    await shot(page, 'users')
  })
  await check('admin: the disabled user cannot sign in', async () => {
    await logout(page)
    await page.goto(`${base}/#/login`)
    await input(page, 'username').fill('e2e_rep')
    await input(page, 'password').fill('e2e-password-1')
    await page.locator('[data-test="login-submit"]').click()
    await page.locator('[data-test="login-error"]').waitFor()
  })
  // ---- 5. ties share a rank; the new pages on a phone --------------------------------------
  await login(page, 'director')
  await check('leaderboard: two teams at the same attainment share a rank, the next rank skips', async () => {
    // November targets of twice the actual: 50.00 % each, exactly
    const lb = await page.evaluate(async ([plan, asOf]) => (await (await fetch(`/api/plans/${encodeURIComponent(plan)}/leaderboard?level=team&org=EAST&period=2026-11&as_of=${asOf}`)).json()).items, [PLAN, AS_OF])
    const act = Object.fromEntries(lb.map((r) => [r.org, cents(r.actual)]))
    for (const o of ['EAST-T1', 'EAST-T2']) {
      const s = await apiStatus(page, 'PUT', `/api/plans/${encodeURIComponent(PLAN)}/targets`, { period: '2026-11', org: o, value: money(act[o] * 2n) })
      assert(s === 200, `set ${o}: ${s}`)
    }
    const s3 = await apiStatus(page, 'PUT', `/api/plans/${encodeURIComponent(PLAN)}/targets`, { period: '2026-11', org: 'EAST-T3', value: money(act['EAST-T3'] * 4n) })
    assert(s3 === 200, `set EAST-T3: ${s3}`)
    await go(page, 'leaderboard')
    await page.locator('[data-test="lb-level"] [data-level="team"]').click()
    await idle('[data-test="lb-table"]')
    await page.locator('[data-test="lb-table"] [data-org="EAST-T1"][data-rank="1"]').waitFor()
    const rank = async (o) => page.locator(`[data-test="lb-table"] [data-org="${o}"]`).getAttribute('data-rank')
    assert((await rank('EAST-T2')) === '1', `EAST-T2 rank ${await rank('EAST-T2')}`)
    assert((await rank('EAST-T3')) === '3', `EAST-T3 (25 %) rank ${await rank('EAST-T3')}, want 3`)
    assert((await page.locator('[data-test="lb-table"] [data-test="tie"]').count()) === 2, 'both tied rows marked')
    assert((await rank('SOUTH-T1')) === '', 'a team without a target has no rank')
    await shot(page, 'leaderboard-tie')
  })
  await logout(page)
  await check('phone (390×844): the analysis pages fit the screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await login(page, 'manager')
    for (const [route, ready] of [['leaderboard', '[data-test="lb-table"] [data-rank]'], ['funnel', '[data-test="funnel-table"] [data-stage]'],
      ['customers', '[data-test="cust-table"] [data-customer]'], ['alerts', '[data-test="alerts-table"]'],
      ['reviews', '[data-test="pack-figures"] .el-table__row'], ['tracking', '[data-test="tracking-table"]']]) {
      await go(page, route)
      await page.locator(ready).first().waitFor()
      await page.waitForTimeout(300)
      // neither the page nor its main area scrolls sideways (tables scroll inside)
      const w = await page.evaluate(() => {
        const m = document.querySelector('.main')
        return [document.documentElement.scrollWidth, m.scrollWidth - m.clientWidth]
      })
      assert(w[0] <= 392 && w[1] <= 1, `${route}: the page is ${w[0]} px wide, the main area ${w[1]} px too wide on a 390 px screen`)
      await shot(page, `${route}-phone`)
    }
    await logout(page)
    await page.setViewportSize({ width: 1440, height: 900 })
  })

  await check('a narrow (phone) screen still shows the dashboard', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await login(page, 'rep')
    await page.locator('[data-test="page-dashboard"]').waitFor()
    await shot(page, 'dashboard-phone')
    await page.setViewportSize({ width: 1440, height: 900 })
  })

  // ---- 6. the plan as a document: versions, changes, letters, actions, rep plans, money --
  await logout(page)
  await page.reload() // the phone test left the menu collapsed
  const PLAN_ENC = encodeURIComponent(PLAN)
  const apiGet = (p) => page.evaluate(async (p) => {
    const r = await fetch(p, { credentials: 'same-origin' })
    return { status: r.status, body: r.ok ? await r.json() : null }
  }, p)
  // the letters of every page's fixed texts (titles, headers, buttons,
  // labels, tags) — data (names, reasons, titles of items) is left out
  async function untranslated(page, root) {
    const texts = await page.locator(`${root} .page-title, ${root} th, ${root} button, ${root} .el-form-item__label, ${root} .el-card__header, ${root} .el-tag, ${root} > p.muted, ${root} .legend`).allInnerTexts()
    const names = (await apiGet('/api/org')).body.items.map((o) => o.name).sort((a, b) => b.length - a.length)
    let all = texts.join(' | ').replaceAll(PLAN, '')
    for (const n of names) all = all.replaceAll(n, '')
    return all.match(/[\u4e00-\u9fff]+/g) || []
  }
  const versionRow = (n) => page.locator(`[data-test="versions-table"] .el-table__row`, { has: page.locator(`[data-version="${n}"]`) })

  await login(page, 'director')
  await check('versions: the draft, with its document number; the director submits, approves and activates it', async () => {
    await go(page, 'versions')
    await versionRow(1).waitFor()
    assert((await page.locator('[data-test="document-no"]').innerText()).includes('SN-GG-2026-01'), 'document number')
    await page.locator('[data-status="draft"]').waitFor()
    await docShot(page, 'lifecycle-1-draft')
    for (const [stepName, status] of [['submit', 'submitted'], ['approve', 'approved'], ['activate', 'active']]) {
      await page.locator(`[data-test="step-${stepName}"]`).click()
      await versionRow(1).locator(`[data-status="${status}"]`).waitFor()
    }
    const text = await versionRow(1).innerText()
    assert((text.match(/director/g) || []).length >= 3, `who submitted, approved, activated: ${text}`)
    await page.locator('[data-test="history-table"]').count()
    assert((await page.locator('[data-test="propose-open"]').count()) === 1, 'a change may be proposed now')
    await docShot(page, 'lifecycle-2-active')
  })
  await logout(page)

  // the manager proposes EAST's year + 1,000,000.00: a region's annual target, so major
  const eastYear = async () => cents((await apiGet(`/api/plans/${PLAN_ENC}/targets?limit=1000`)).body.items.find((r) => r.org === 'EAST' && r.period === '2026' && r.metric === 'revenue' && !r.product_line && !r.channel && !r.segment && !r.product).value)
  let eastBefore = 0n
  await login(page, 'manager')
  await check('versions: the manager proposes a major change (华东 2026 + 1,000,000.00); 2 of 3 board members needed', async () => {
    eastBefore = await eastYear()
    await go(page, 'versions')
    await page.locator('[data-test="propose-open"]').click()
    await input(page, 'propose-reason').fill('华东签下重点客户')
    await page.locator('[data-test="propose-org"]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '(EAST)' }).click()
    await input(page, 'propose-period').fill('2026')
    await input(page, 'propose-value').fill(money(eastBefore + 100000000n))
    await docShot(page, 'lifecycle-3-propose')
    await page.locator('[data-test="propose-submit"]').click()
    await page.locator('[data-test="propose-dialog"]').waitFor({ state: 'hidden' })
    await page.locator('[data-change-status="open"]').waitFor()
    const c = (await apiGet('/api/changes/1')).body
    assert(c.kind === 'major' && c.needed === 2 && c.board === 3, `change 1: ${JSON.stringify(c).slice(0, 200)}`)
    await page.locator('[data-test="change-detail"]').waitFor()
    assert(cents(await page.locator('[data-test="change-new-value"]').first().innerText()) === eastBefore + 100000000n, 'new value shown')
    assert((await page.locator('[data-test="vote-form"]').count()) === 0, 'the manager is not on the board: no vote buttons')
  })
  await logout(page)

  await login(page, 'finance')
  await check('versions: a board member (finance) approves with a comment; 1 of 2 needed, still open', async () => {
    await go(page, 'versions')
    await page.locator('[data-change="1"]').click()
    await page.locator('[data-test="vote-form"]').waitFor()
    await input(page, 'vote-comment').fill('预算可以覆盖')
    await page.locator('[data-test="vote-approve"]').click()
    await page.locator('[data-test="my-vote"]').waitFor()
    assert((await page.locator('[data-change-status="open"]').count()) === 1, 'still open')
    assert((await page.locator('[data-tally="1"]').innerText()).includes('1'), 'one approval')
    assert((await page.locator('[data-test="change-votes"]').innerText()).includes('预算可以覆盖'), 'the comment is shown')
  })
  await logout(page)

  await login(page, 'director')
  await check('versions: the director votes too: two thirds reached, applied as version 2; the diff shows +1,000,000.00 for 华东', async () => {
    await go(page, 'versions')
    await page.locator('[data-change="1"]').click()
    await page.locator('[data-test="vote-form"]').waitFor()
    await docShot(page, 'lifecycle-4-vote', '[data-test="changes-table"]')
    await page.locator('[data-test="vote-approve"]').click()
    await page.locator('[data-change-status="approved"]').waitFor()
    await versionRow(2).locator('[data-status="active"]').waitFor()
    await versionRow(1).locator('[data-status="archived"]').waitFor()
    assert((await eastYear()) === eastBefore + 100000000n, 'EAST year in force')
    await page.locator('[data-test="diff-to"]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^(第 2 版|Version 2)/ }).click()
    await idle('[data-test="diff-table"]')
    const row = page.locator('[data-test="diff-table"] .el-table__row', { has: page.locator('[data-diff="EAST|2026"]') })
    await row.waitFor()
    const cellsText = await row.locator('td').allInnerTexts()
    assert(cents(cellsText[5]) === 100000000n, `difference ${cellsText[5]}`)
    assert(cents(cellsText[3]) === eastBefore && cents(cellsText[4]) === eastBefore + 100000000n, `from/to ${cellsText[3]} ${cellsText[4]}`)
    // the company's year holds: the other regions give way by the same amount
    const diff = (await apiGet(`/api/plans/${PLAN_ENC}/diff?from=1&to=2`)).body.items
    let regions = 0n
    for (const r of diff) if (['EAST', 'SOUTH', 'NORTH', 'WEST'].includes(r.org) && r.period === '2026') regions += cents(r.difference)
    assert(regions === 0n, `regions' year differences add to ${money(regions)}`)
    await docShot(page, 'lifecycle-5-diff', '[data-test="diff-card"]')
  })
  await logout(page)

  await login(page, 'manager')
  await check('letters: who has signed; the manager signs 华东; the printable letter', async () => {
    await go(page, 'letters')
    await page.locator('[data-letter="EAST"]').waitFor()
    assert((await page.locator('[data-letter-state="EAST:unsigned"]').count()) === 1, 'EAST unsigned')
    await page.locator('[data-sign="EAST"]').click()
    await page.locator('[data-letter-state="EAST:signed"]').waitFor()
    const list = (await apiGet(`/api/plans/${PLAN_ENC}/letters`)).body.items
    const signed = list.filter((r) => r.signed && r.up_to_date).length
    assert(signed === 1, `signed ${signed}`)
    assert((await page.locator('[data-test="letters-summary"]').innerText()).includes(`1 / ${list.length}`), 'summary')
    assert((await page.locator('[data-sign]').count()) === 0, 'nothing else to sign for the manager')
    await docShot(page, 'lifecycle-6-letters')
    const href = await page.locator('[data-print="EAST"]').getAttribute('href')
    const head = await page.request.get(base + href)
    const csp = head.headers()['content-security-policy'] || ''
    assert(head.status() === 200 && csp.includes("default-src 'none'") && csp.includes("style-src 'unsafe-inline'"), `letter CSP: ${csp}`)
    const letter = await ctx.newPage()
    watch(letter, 'letter')
    await letter.goto(base + href)
    const text = await letter.locator('body').innerText()
    assert(text.includes('目标责任书') && text.includes('华东') && text.includes('SN-GG-2026-01'), 'the letter names itself, the node and the document')
    await docShot(letter, 'lifecycle-7-letter')
    await letter.close()
    // another node's letter is refused to the manager
    const other = await apiGet(`/api/plans/${PLAN_ENC}/letters/SOUTH?format=json`)
    assert(other.status === 403, `SOUTH letter answered ${other.status}`)
  })
  await logout(page)

  await login(page, 'director')
  await check('actions: phases and items as a Gantt chart with dependencies; the overdue item is marked', async () => {
    await go(page, 'actions')
    await page.locator('[data-test="gantt"] .bar-wrapper').first().waitFor()
    const g = (await apiGet(`/api/plans/${PLAN_ENC}/actions?as_of=${AS_OF}`)).body
    assert((await page.locator('[data-test="gantt"] .bar-wrapper').count()) === g.items.length, 'a bar per item')
    assert((await page.locator('[data-test="gantt"] g.arrow path').count()) === g.dependencies.length && g.dependencies.length === 3, 'an arrow per dependency')
    // demo: 4 items in research, strategy, preparation, execution; item 3 (doing, due 03-10) overdue
    assert(g.items.length === 4 && (await page.locator('[data-phase]').count()) === 4, 'four phases')
    await page.locator('[data-overdue="3"]').waitFor()
    assert((await page.locator('[data-test="gantt"] .bar-wrapper.overdue').count()) === 1, 'one overdue bar')
    assert((await page.locator('[data-deps="4"]').innerText()).trim() === '#3', 'item 4 waits for 3')
    // 30,000 + 0 + 20,000 + 50,000
    assert(cents(await page.locator('[data-test="actions-cost"]').innerText()) === 10000000n, 'total cost 100,000.00')
    await docShot(page, 'actions-gantt')
  })
  const actionAlerts = async (state) => {
    const a = (await apiGet(`/api/alerts?plan=${PLAN_ENC}&state=${state}`)).body
    return (Array.isArray(a) ? a : a.items).filter((x) => x.rule === 'action_overdue')
  }
  await check('actions: item 3 set to done (no longer overdue, its alert resolved); a new item after item 4', async () => {
    assert((await apiStatus(page, 'POST', '/api/alerts/evaluate', { as_of: AS_OF })) === 200, 'evaluate')
    const open = await actionAlerts('open')
    assert(open.length === 1 && open[0].subject === `${PLAN}: action 3`, `overdue alerts: ${JSON.stringify(open)}`)
    await page.locator('[data-status-select="3"]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '已完成' }).click()
    await page.locator('[data-overdue="3"]').waitFor({ state: 'detached' })
    assert((await actionAlerts('open')).length === 0, 'no open action alert')
    assert((await actionAlerts('resolved')).some((x) => x.subject === `${PLAN}: action 3` && x.changed_by === 'director'), 'resolved by the director')
    await page.locator('[data-test="add-action"]').click()
    await input(page, 'new-title').fill('年末客户答谢会')
    await input(page, 'new-cost').fill('8000')
    await page.locator('[data-test="new-after"] .el-checkbox', { hasText: '#4 ' }).click()
    await page.locator('[data-test="new-submit"]').click()
    await page.locator('[data-action="5"]').waitFor()
    assert((await page.locator('[data-deps="5"]').innerText()).trim() === '#4', 'item 5 waits for 4')
    assert(cents(await page.locator('[data-test="actions-cost"]').innerText()) === 10800000n, 'total cost 108,000.00')
    assert((await page.locator('[data-test="gantt"] g.arrow path').count()) === 4, 'four arrows')
  })
  await check('budget: budget, spending, remaining and ratios (hand-summed demo lines)', async () => {
    await go(page, 'budget')
    await page.locator('[data-line="1"]').waitFor()
    // 50,000 + 300,000 + 80,000 + 80,000 + 120,000; spent 45,000 + 264,000
    assert(cents(await page.locator('[data-test="budget-total"]').innerText()) === 63000000n, 'budget 630,000.00')
    assert(cents(await page.locator('[data-test="budget-spent"]').innerText()) === 30900000n, 'spent 309,000.00')
    assert(cents(await page.locator('[data-test="budget-remaining"]').innerText()) === 32100000n, 'remaining 321,000.00')
    assert(cents(await page.locator('[data-remaining="1"]').innerText()) === 500000n, 'market research: 5,000.00 left')
    assert((await page.locator('[data-used="1"]').innerText()).includes('90.00%'), 'market research 90 % used')
    await shot(page, 'budget')
  })
  await logout(page)

  await login(page, 'rep')
  await check('rep plans: the month in three 10-day blocks, planned vs done (demo plan for D1: 8 customers, 12 visits, 60,000.00 signed)', async () => {
    await go(page, 'repplans')
    await page.locator('[data-test="month-grid"] [data-block="2026-11-D1"]').waitFor()
    await page.locator('input[data-plan="2026-11-D1|customers"]').waitFor()
    const v = (k) => page.locator(`input[data-plan="2026-11-D1|${k}"]`).inputValue()
    assert((await v('customers')) === '8' && (await v('visits')) === '12' && (await v('signed_amount')) === '60000.00', 'D1 planned')
    const m = (await apiGet('/api/rep-plans/R001?period=2026-11')).body.items
    const d1 = m.find((r) => r.block === '2026-11-D1')
    assert((await page.locator('[data-done="2026-11-D1|visits"]').innerText()).trim() === String(d1.visits_done), 'visits done as the data shows')
    assert(cents(await page.locator('[data-done="2026-11-D1|receivables"]').innerText()) === cents(d1.receivables_done), 'receivables done')
    assert((await page.locator('[data-test="week-grid"] [data-block]').count()) === 8, 'week: seven days and the total')
  })
  await check('rep plans: the rep edits the week plan (Tue: 3 visits, 12,345.60 signed) and sees it saved', async () => {
    await page.locator('input[data-plan="2026-11-24|visits"]').fill('3')
    await page.locator('input[data-plan="2026-11-24|signed_amount"]').fill('12,345.6')
    await page.locator('input[data-plan="2026-11-25|customers"]').fill('2')
    await page.locator('[data-test="save-week"]').click()
    await page.locator('.el-message--success', { hasText: '计划已保存' }).waitFor()
    await page.reload()
    await page.locator('input[data-plan="2026-11-24|visits"]').waitFor()
    assert((await page.locator('input[data-plan="2026-11-24|visits"]').inputValue()) === '3', 'visits saved')
    assert((await page.locator('input[data-plan="2026-11-24|signed_amount"]').inputValue()) === '12345.60', 'amount saved')
    assert((await page.locator('[data-plan-value="total|visits"]').last().innerText()).trim() === '3', 'week total visits 3')
    assert(cents(await page.locator('[data-plan-value="total|signed_amount"]').last().innerText()) === 1234560n, 'week total 12,345.60')
    assert((await page.locator('[data-plan-value="total|customers"]').last().innerText()).trim() === '2', 'week total customers 2')
    await docShot(page, 'rep-plans')
  })
  await check('incentives: the rep\'s own payout statement; the arithmetic checked independently, to the cent', async () => {
    await go(page, 'incentives')
    await page.locator('[data-test="statement-table"]').waitFor()
    await page.locator('[data-amount="credited"]').waitFor()
    const credited = cents(await page.locator('[data-amount="credited"]').innerText())
    // 销售提成方案: marginal 1 % to 200,000, 2 % to 500,000, 3 % above, cap 30,000;
    // each tier rounded half away from zero to the cent
    const part = (lo, hi, bp) => {
      const base = (credited < hi ? credited : hi) - lo
      return base <= 0n ? 0n : (base * bp + 5000n) / 10000n
    }
    let want = part(0n, 20000000n, 100n) + part(20000000n, 50000000n, 200n) + part(50000000n, 1n << 62n, 300n)
    if (want > 3000000n) want = 3000000n
    assert(cents(await page.locator('[data-test="payout"]').innerText()) === want, `payout ${await page.locator('[data-test="payout"]').innerText()} != ${money(want)}`)
    assert((await page.locator('[data-test="payroll-csv"]').count()) === 0, 'no payroll export for a rep')
    await input(page, 'what-if').fill('10000')
    await page.locator('[data-test="what-if-go"]').click()
    await page.locator('[data-amount="what-if difference"]').waitFor()
    // above 500,000 each further 10,000.00 pays 3 %: 300.00 (under the cap)
    assert(cents(await page.locator('[data-amount="what-if difference"]').innerText()) === 30000n, 'what-if +300.00')
    await shot(page, 'incentives-rep')
  })
  await logout(page)

  await login(page, 'finance')
  await check('incentives: finance exports the payroll as CSV and XLSX', async () => {
    await go(page, 'incentives')
    await page.locator('[data-test="payroll-csv"]').waitFor()
    const href = await page.locator('[data-test="payroll-csv"]').getAttribute('href')
    const r = await page.request.get(base + href)
    assert(r.status() === 200, `payroll CSV ${r.status()}`)
    const csv = await r.text()
    assert(csv.startsWith('org,name,metric,period,credited') && csv.includes('\nR001,'), 'payroll CSV rows')
    const x = await page.request.get(base + (await page.locator('[data-test="payroll-xlsx"]').getAttribute('href')))
    assert(x.status() === 200 && (await x.body()).subarray(0, 2).toString() === 'PK', 'payroll XLSX is a zip')
    await shot(page, 'incentives-finance')
  })
  await logout(page)

  await login(page, 'director')
  await check('language: the plan document pages in English, and back', async () => {
    await page.locator('[data-test="lang"]').click()
    await page.locator('[data-menu="dashboard"]', { hasText: 'Dashboard' }).waitFor()
    for (const [route, root, ready] of [
      ['versions', '[data-test="page-versions"]', '[data-change="1"]'],
      ['letters', '[data-test="page-letters"]', '[data-letter="EAST"]'],
      ['actions', '[data-test="page-actions"]', '[data-test="gantt"] .bar-wrapper'],
      ['repplans', '[data-test="page-rep-plans"]', '[data-block="2026-11-D1"]'],
      ['budget', '[data-test="page-budget"]', '[data-line="1"]'],
      ['incentives', '[data-test="page-incentives"]', '[data-amount="payout"]'],
    ]) {
      await go(page, route)
      await page.locator(ready).first().waitFor()
      await page.waitForTimeout(200)
      const left = await untranslated(page, root)
      assert(left.length === 0, `${route}: untranslated ${left.slice(0, 8).join(' ')}`)
      await shot(page, `${route}-en`)
    }
    await page.locator('[data-test="lang"]').click()
    await page.locator('[data-menu="dashboard"]', { hasText: '仪表盘' }).waitFor()
  })
  await logout(page)
}

const csp = await cspOf(page).catch(() => [])
for (const c of csp) problems.push('CSP violation: ' + c)
await check('no script errors and no CSP violations', async () => {
  assert(problems.length === 0, problems.slice(0, 10).join('\n    '))
})
await ctx.close()
fs.rmSync(profile, { recursive: true, force: true })
console.log(`# ${failures} failed, ${pendings.length} pending, in ${secs()}; screenshots in ${artifacts}`)
process.exit(failures ? 1 : 0)
