import type { Language } from '../settings/schema.js'
import type { ChecklistItem } from '../record/types.js'
import { phrases } from '../report/wording.js'
import { itemMaker } from './item.js'

/** Item `monitoring`: monitoring answers before we deploy, so that the watch can be trusted. */

export const MONITORING_TIMEOUT_MS = 5000

export interface UrlAnswer {
  url: string
  ok: boolean
  detail: string
}

/** Shows a URL without credentials or query (a monitoring URL may carry a key). */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}${u.pathname}`
  } catch {
    return 'invalid URL'
  }
}

export function evaluateMonitoring(answers: UrlAnswer[], language: Language): ChecklistItem {
  const p = phrases(language)
  const item = itemMaker('monitoring', language)
  if (answers.length === 0) return item('fail', p.monitoringNone)
  const failed = answers.filter((a) => !a.ok)
  if (failed.length > 0) {
    return item(
      'fail',
      p.monitoringFailed(failed.map((a) => `${displayUrl(a.url)} (${a.detail})`).join(', '))
    )
  }
  return item('pass', p.monitoringOk(answers.length))
}
