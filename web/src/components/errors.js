// errors.js — an ApiError as a sentence in the UI language.
export function errorText(e, t) {
  if (!e) return ''
  if (e.code && ['invalid', 'conflict', 'not_found'].includes(e.code) && e.message) return e.message
  const key = 'errors.' + (e.code || '')
  const known = ['unauthorized', 'forbidden', 'not_found', 'conflict', 'invalid', 'csrf', 'too_many', 'network', 'internal']
  if (known.includes(e.code)) return t(key) + (e.message && e.code === 'forbidden' ? ': ' + e.message : '')
  return e.message || t('errors.generic', { status: e.status })
}
