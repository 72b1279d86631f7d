// Routes of the web app and the menu built from them. Pages a role may not
// use are neither in its menu nor reachable (the server refuses the data
// anyway). An entry with `soon: true` is a place held for a page not built
// yet: it stays out of the menu.
import { createRouter, createWebHashHistory } from 'vue-router'
import { session, can, restore } from './session.js'

export const menu = [
  { key: 'dashboard', path: '/dashboard', icon: 'DataBoard' },
  {
    group: 'groupTargets',
    icon: 'Aim',
    items: [
      { key: 'plan', path: '/plan', icon: 'Grid' },
      { key: 'versions', path: '/versions', icon: 'Tickets' },
      { key: 'letters', path: '/letters', icon: 'EditPen' },
    ],
  },
  {
    group: 'groupExecution',
    icon: 'TrendCharts',
    items: [
      { key: 'tracking', path: '/tracking', icon: 'List' },
      { key: 'actions', path: '/actions', icon: 'Calendar' },
      { key: 'repplans', path: '/repplans', icon: 'Memo' },
      { key: 'alerts', path: '/alerts', icon: 'Bell' },
      { key: 'leaderboard', path: '/leaderboard', icon: 'Trophy' },
      { key: 'funnel', path: '/funnel', icon: 'Filter' },
    ],
  },
  {
    group: 'groupCustomers',
    icon: 'User',
    items: [
      { key: 'customers', path: '/customers', icon: 'UserFilled' },
      { key: 'reviews', path: '/reviews', icon: 'Notebook' },
    ],
  },
  {
    group: 'groupMoney',
    icon: 'Coin',
    items: [
      { key: 'budget', path: '/budget', icon: 'Wallet' },
      { key: 'incentives', path: '/incentives', icon: 'Money' },
    ],
  },
  {
    group: 'groupSystem',
    icon: 'Setting',
    items: [
      { key: 'import', path: '/import', icon: 'Upload' },
      { key: 'users', path: '/users', icon: 'Avatar' },
      { key: 'audit', path: '/audit', icon: 'Document' },
    ],
  },
]

const pages = {
  dashboard: () => import('./pages/Dashboard.vue'),
  plan: () => import('./pages/Plan.vue'),
  tracking: () => import('./pages/Tracking.vue'),
  alerts: () => import('./pages/Alerts.vue'),
  leaderboard: () => import('./pages/Leaderboard.vue'),
  funnel: () => import('./pages/Funnel.vue'),
  customers: () => import('./pages/Customers.vue'),
  reviews: () => import('./pages/Reviews.vue'),
  versions: () => import('./pages/Versions.vue'),
  letters: () => import('./pages/Letters.vue'),
  actions: () => import('./pages/Actions.vue'),
  repplans: () => import('./pages/RepPlans.vue'),
  budget: () => import('./pages/Budget.vue'),
  incentives: () => import('./pages/Incentives.vue'),
  import: () => import('./pages/Import.vue'),
  users: () => import('./pages/Users.vue'),
  audit: () => import('./pages/Audit.vue'),
}

const routes = [
  { path: '/login', name: 'login', component: () => import('./pages/Login.vue'), meta: { public: true } },
  { path: '/', redirect: '/dashboard' },
  ...Object.entries(pages).map(([key, component]) => ({
    path: '/' + key,
    name: key,
    component,
    meta: { cap: key },
  })),
  { path: '/:rest(.*)*', redirect: '/dashboard' },
]

export const router = createRouter({ history: createWebHashHistory(), routes })

router.beforeEach(async (to) => {
  if (!session.ready) await restore()
  if (to.meta.public) return session.user && to.name === 'login' ? { path: '/dashboard' } : true
  if (!session.user) return { path: '/login', query: to.fullPath !== '/dashboard' ? { next: to.fullPath } : {} }
  if (to.meta.cap && !can(to.meta.cap)) return { path: '/dashboard' }
  return true
})
