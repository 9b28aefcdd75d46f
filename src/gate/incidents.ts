import { describeAlerts, firingAlerts, type Alert, type AlertSource } from '../alerts/client.js'
import type { ChecklistItem } from '../record/types.js'
import { phrases } from '../report/wording.js'
import type { Language } from '../settings/schema.js'
import { itemMaker } from './item.js'

/** Item `incidents`: never into an incident. */

export interface IncidentFacts {
  url: string
  alerts: Alert[]
  error?: string
}

export async function collectIncidentFacts(
  source: AlertSource,
  signal?: AbortSignal
): Promise<IncidentFacts> {
  // named in details and messages: never with credentials the URL may carry
  const shown = new URL(source.url)
  shown.username = ''
  shown.password = ''
  const url = shown.href.replace(/\/$/, '')
  try {
    return { url, alerts: await firingAlerts(source, signal) }
  } catch (e) {
    return { url, alerts: [], error: (e as Error).message }
  }
}

/**
 * Any firing alert fails (abort), unless a maintainer's P1 with a reason is under way: a
 * hotfix is how an incident ends, and the detail names the alerts either way.
 */
export function evaluateIncidents(
  f: IncidentFacts | undefined,
  o: { p1Granted: boolean },
  language: Language
): ChecklistItem {
  const p = phrases(language)
  const item = itemMaker('incidents', language)
  if (!f) return item('na', p.noAlertmanager)
  if (f.error) return item('fail', p.incidentsUnreadable(f.error))
  if (f.alerts.length === 0) return item('pass', p.incidentsNone(f.url))
  const list = describeAlerts(f.alerts, { since: p.alertSince, more: p.alertsMore })
  if (o.p1Granted) return item('pass', p.incidentsP1(f.alerts.length, list))
  return item('fail', p.incidentsFiring(f.alerts.length, list))
}
