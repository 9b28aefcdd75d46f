/**
 * The human wording of notifications, in English and French. Everything here is plain,
 * unescaped text: each channel escapes it for its own format (src/report/escape.ts).
 */
import type { ChecklistItem, DeploymentRecord, ItemStatus, RunStatus } from '../record/types.js'
import { STATUS_LABELS } from '../report/wording.js'

export type NotifyEvent = 'before' | 'after' | 'refused'
import { changeLines, changeWords } from '../report/changes.js'
import { postponedNotes, resumedText, windowInWords } from '../report/when.js'
import type { Language } from '../settings/schema.js'

export type { Language }

export interface MessageExtra {
  /** wait between the "before" message and the deployment (`notify-lead-time`) */
  leadTimeMs?: number
  /** a headline of its own (a release's progress: "v1.2.0 on production: smoke tests") */
  headline?: string
  /** the emoji leading it, instead of the status's */
  emoji?: string
}

/** Labels the channels put next to values (fields, facts, buttons). */
export interface Labels {
  version: string
  environment: string
  urgency: string
  status: string
  reason: string
  checklist: string
  changes: string
  run: string
}

export interface Message {
  /** one line, e.g. "Deploying v1.2.0 to production"; also the record's notify.before/after text */
  headline: string
  /** the urgency, e.g. "P1" */
  urgency: string
  /** the record's reason on one line, when it has one */
  reason?: string
  /** further lines: failed checklist items, next window, failed steps, error */
  notes: string[]
  /** everything under the headline as text: "Urgency: P1", "Reason: …", then the notes */
  lines: string[]
  /** what goes out: the change list (at most 20 pull requests), migrations, SQL findings */
  changes: string[]
  /** the record's status for this event, in words ("in progress" before the deployment) */
  status: string
  labels: Labels
}

interface Wording {
  labels: Labels
  urgency: (u: string) => string
  reason: (r: string) => string
  failedItem: (item: string, detail: string) => string
  /** a postponed release is held, not failed: said as what it waits for */
  heldBy: (item: string, detail: string) => string
  failedStep: (step: string, reason: string) => string
  nextWindow: (when: string) => string
  previous: (v: string) => string
  error: (e: string) => string
  schemaKept: string
  url: (u: string) => string
  before: (v: string, env: string, lead?: string) => string
  headlines: {
    [s in RunStatus]: (v: string, env: string, r: DeploymentRecord, extra: string) => string
  }
}

const EN: Wording = {
  labels: {
    version: 'Version',
    environment: 'Environment',
    urgency: 'Urgency',
    status: 'Status',
    reason: 'Reason',
    checklist: 'Checklist',
    changes: changeWords('en').title,
    run: 'View run'
  },
  urgency: (u) => `Urgency: ${u}`,
  reason: (r) => `Reason: ${r}`,
  failedItem: (item, detail) => `Failed: ${item}${detail ? ` (${detail})` : ''}`,
  heldBy: (item, detail) => `Postponed by: ${item}${detail ? ` (${detail})` : ''}`,
  failedStep: (step, reason) => `Failed step: ${step}${reason ? ` (${reason})` : ''}`,
  nextWindow: (when) => `Next window: ${when}`,
  previous: (v) => `Previous version: ${v}`,
  error: (e) => `Error: ${e}`,
  schemaKept: 'Schema kept (forward-only migrations): only the code was rolled back',
  url: (u) => `URL: ${u}`,
  before: (v, env, lead) => `Deploying ${v} to ${env}${lead ? ` in ${lead}` : ''}`,
  headlines: {
    deployed: (v, env) => `${v} deployed to ${env}`,
    planned: (v, env) => `Dry run: deployment of ${v} to ${env} planned`,
    aborted: (v, env, _r, items) =>
      `Deployment of ${v} to ${env} aborted${items ? `: ${items}` : ''}`,
    postponed: (v, env, _r, when) =>
      `Deployment of ${v} to ${env} postponed${when ? ` until ${when}` : ''}`,
    'rolled-back': (v, env, r) =>
      `Deployment of ${v} to ${env} rolled back${r.previous_version ? ` to ${r.previous_version}` : ''}`,
    'rollback-failed': (v, env) => `Rollback of ${v} on ${env} failed: manual action needed`,
    cancelled: (v, env) => `Deployment of ${v} to ${env} cancelled`
  }
}

const FR: Wording = {
  labels: {
    version: 'Version',
    environment: 'Environnement',
    urgency: 'Urgence',
    status: 'Statut',
    reason: 'Raison',
    checklist: 'Checklist',
    changes: changeWords('fr').title,
    run: "Voir l'exécution"
  },
  urgency: (u) => `Urgence : ${u}`,
  reason: (r) => `Raison : ${r}`,
  failedItem: (item, detail) => `Échec : ${item}${detail ? ` (${detail})` : ''}`,
  heldBy: (item, detail) => `Reporté par : ${item}${detail ? ` (${detail})` : ''}`,
  failedStep: (step, reason) => `Étape en échec : ${step}${reason ? ` (${reason})` : ''}`,
  nextWindow: (when) => `Prochaine fenêtre : ${when}`,
  previous: (v) => `Version précédente : ${v}`,
  error: (e) => `Erreur : ${e}`,
  schemaKept: 'Schéma conservé (migrations forward-only) : seul le code a été remis en arrière',
  url: (u) => `URL : ${u}`,
  before: (v, env, lead) => `Déploiement de ${v} en ${env}${lead ? ` dans ${lead}` : ''}`,
  headlines: {
    deployed: (v, env) => `${v} déployée en ${env}`,
    planned: (v, env) => `Simulation : déploiement de ${v} en ${env} planifié`,
    aborted: (v, env, _r, items) =>
      `Déploiement de ${v} en ${env} abandonné${items ? ` : ${items}` : ''}`,
    postponed: (v, env, _r, when) =>
      `Déploiement de ${v} en ${env} reporté${when ? ` jusqu'au ${when}` : ''}`,
    'rolled-back': (v, env, r) =>
      `Rollback de ${v} en ${env}${r.previous_version ? ` : retour à ${r.previous_version}` : ''}`,
    'rollback-failed': (v, env) =>
      `Échec du rollback de ${v} en ${env} : intervention manuelle requise`,
    cancelled: (v, env) => `Déploiement de ${v} en ${env} annulé`
  }
}

const WORDING: { [l in Language]: Wording } = { en: EN, fr: FR }

function wording(language: Language): Wording {
  return WORDING[language] ?? EN
}

/** "5 min", "30 s", "1 h 30 min" (the same in both languages). */
export function formatLeadTime(ms: number): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000))
  if (totalSeconds < 60) return `${totalSeconds} s`
  const h = Math.floor(totalSeconds / 3600)
  const m = Math.floor((totalSeconds % 3600) / 60)
  const s = totalSeconds % 60
  return [h ? `${h} h` : '', m ? `${m} min` : '', s && !h ? `${s} s` : ''].filter(Boolean).join(' ')
}

/**
 * "2026-11-30T00:00:00+01:00" → "2026-11-30 00:00 +01:00": the local time of the zone the
 * window was computed in, with its offset. Other text is returned unchanged.
 */
/** The next window in words in the team's zone (the instant as written for older records). */
function nextWindowWords(record: DeploymentRecord, language: Language): string {
  const iso = record.next_window ?? ''
  const words = windowInWords(iso, language, record.timezone, record.started_at)
  return words === iso ? formatInstant(iso) : words
}

export function formatInstant(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.exec(iso)
  if (!m) return iso
  return `${m[1]} ${m[2]} ${m[3] === 'Z' ? 'UTC' : m[3]}`
}

/** Single line, bounded: outside text (reasons, command output) can be long. */
function oneLine(s: string, max = 300): string {
  const flat = s.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

function failedItems(record: DeploymentRecord): ChecklistItem[] {
  return (record.checklist ?? []).filter((i) => i.status === 'fail')
}

/** What the message is about: "before" stands alone, otherwise the record's status decides. */
function statusFor(event: NotifyEvent, record: DeploymentRecord): RunStatus | 'before' {
  return event === 'before' || record.status === 'in-progress' ? 'before' : record.status
}

/** The one-line headline; also what the record's notify.before/after quote. */
export function headline(
  event: NotifyEvent,
  record: DeploymentRecord,
  language: Language,
  extra: MessageExtra = {}
): string {
  const w = wording(language)
  const v = oneLine(record.version, 100)
  const env = oneLine(record.environment, 100)
  const status = statusFor(event, record)
  if (status === 'before') {
    const lead = extra.leadTimeMs && extra.leadTimeMs > 0 ? formatLeadTime(extra.leadTimeMs) : ''
    return w.before(v, env, lead)
  }
  const build = w.headlines[status] ?? w.headlines.cancelled
  let extraText = ''
  if (status === 'aborted')
    extraText = failedItems(record)
      .map((i) => oneLine(i.item, 80))
      .join(', ')
  if (status === 'postponed' && record.next_window) extraText = nextWindowWords(record, language)
  return build(v, env, record, extraText)
}

/** Localised word for the record's status at this event (the job summary's words). */
export function statusLabel(
  event: NotifyEvent,
  record: DeploymentRecord,
  language: Language
): string {
  const words = STATUS_LABELS[language] ?? STATUS_LABELS.en
  const status = statusFor(event, record)
  return words[status === 'before' ? 'in-progress' : status] ?? status
}

export function labels(language: Language): Labels {
  return wording(language).labels
}

/** The full message of an event: headline, urgency, reason and explanatory notes. */
export function buildMessage(
  event: NotifyEvent,
  record: DeploymentRecord,
  language: Language,
  extra: MessageExtra = {}
): Message {
  const w = wording(language)
  const status = statusFor(event, record)
  const notes: string[] = []
  if (status === 'aborted' || status === 'postponed') {
    const say = status === 'postponed' ? w.heldBy : w.failedItem
    for (const item of failedItems(record)) {
      notes.push(say(oneLine(item.item, 80), oneLine(item.detail ?? '', 200)))
    }
    if (status === 'postponed' && record.next_window) {
      notes.push(w.nextWindow(nextWindowWords(record, language)))
    }
  }
  if (status === 'rolled-back' || status === 'rollback-failed' || status === 'cancelled') {
    for (const step of (record.steps ?? []).filter((s) => s.status === 'fail')) {
      notes.push(w.failedStep(step.name, oneLine(step.reason ?? '', 200)))
    }
    if (status === 'rollback-failed' && record.previous_version) {
      notes.push(w.previous(oneLine(record.previous_version, 100)))
    }
    if (record.schema_kept) notes.push(w.schemaKept)
  }
  if (status === 'postponed') notes.push(...postponedNotes(record, language))
  const resumed = resumedText(record, language)
  if (resumed) notes.push(resumed)
  if (record.environment_url) notes.push(w.url(oneLine(record.environment_url, 500)))
  if (status !== 'before' && record.error) notes.push(w.error(oneLine(record.error)))
  const urgency = oneLine(record.urgency ?? '', 20)
  const reason = record.reason ? oneLine(record.reason, 500) : undefined
  return {
    headline: extra.headline ?? headline(event, record, language, extra),
    urgency,
    reason,
    notes,
    lines: [w.urgency(urgency), ...(reason ? [w.reason(reason)] : []), ...notes],
    changes: changeLines(record, language).map((line) => oneLine(line, 300)),
    status: statusLabel(event, record, language),
    labels: w.labels
  }
}

/** The run URL the channels link to: http(s) only, normalised; undefined otherwise. */
export function runLink(url: string | undefined): string | undefined {
  if (!url) return undefined
  try {
    const u = new URL(url)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined
  } catch {
    return undefined
  }
}

/** The message as plain lines of text. */
export function messageText(message: Message): string {
  return [message.headline, ...message.lines].join('\n')
}

/** Marks of checklist items in chat messages. */
export const ITEM_MARK: { [s in ItemStatus]: string } = { pass: '✅', fail: '❌', na: '➖' }

/** Emoji leading the headline, by event and status. */
export function statusEmoji(event: NotifyEvent, record: DeploymentRecord): string {
  if (event === 'before') return '🚀'
  switch (record.status) {
    case 'deployed':
      return '✅'
    case 'planned':
      return '📝'
    case 'aborted':
      return '⛔'
    case 'postponed':
      return '⏸️'
    case 'rolled-back':
      return '↩️'
    case 'rollback-failed':
      return '🚨'
    case 'cancelled':
      return '⏹️'
    default:
      return 'ℹ️'
  }
}
