import type { Language } from '../settings/schema.js'
import { changesMarkdown } from './changes.js'
import { escapeMarkdown, escapeTableCell } from './escape.js'
import { recordYaml } from '../record/yaml.js'
import { dryRunAnswer, nextWindowText, postponedNotes, resumedText } from './when.js'
import { outcomeWhy } from './why.js'
import type { DeploymentRecord, ItemStatus, StepRecord } from '../record/types.js'
import { STATUS_LABELS } from './wording.js'

export const ITEM_MARKS: { [s in ItemStatus]: string } = {
  pass: '✅ pass',
  fail: '❌ fail',
  na: '➖ n/a'
}
const STEP_MARKS: { [s in StepRecord['status']]: string } = {
  pass: '✅',
  fail: '❌',
  skipped: '⏭️'
}

/** GitHub refuses summaries over 1 MiB; keep well under, cutting the record first. */
export const SUMMARY_LIMIT = 900 * 1024

const HEADINGS = {
  en: {
    checklist: 'Checklist',
    item: 'Item',
    status: 'Status',
    detail: 'Detail',
    steps: 'Steps',
    record: 'Record',
    next: 'Next window',
    reason: 'Reason',
    dryRun: 'Dry run',
    why: 'Why',
    schemaKept: 'Schema kept (forward-only migrations): only the code was rolled back.',
    noCheck: 'No check ran.'
  },
  fr: {
    checklist: 'Checklist',
    item: 'Point',
    status: 'Statut',
    detail: 'Détail',
    steps: 'Étapes',
    record: 'Enregistrement',
    next: 'Prochaine fenêtre',
    reason: 'Raison',
    dryRun: 'Simulation',
    why: 'Pourquoi',
    schemaKept: 'Schéma conservé (migrations forward-only) : seul le code a été remis en arrière.',
    noCheck: 'Aucune vérification lancée.'
  }
}

/** A fence longer than any backtick run inside, so outside text cannot close it. */
export function fenced(text: string, lang = ''): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length))
  const fence = '`'.repeat(Math.max(3, longest + 1))
  return `${fence}${lang}\n${text}\n${fence}`
}

export function checklistTable(d: DeploymentRecord, language: Language): string {
  const h = HEADINGS[language]
  const rows = d.checklist.map(
    (i) => `| ${escapeTableCell(i.item)} | ${ITEM_MARKS[i.status]} | ${escapeTableCell(i.detail)} |`
  )
  return [`| ${h.item} | ${h.status} | ${h.detail} |`, '|---|---|---|', ...rows].join('\n')
}

/** The steps on a time line, as a Mermaid Gantt chart (GitHub renders Mermaid). */
export function stepsChart(steps: StepRecord[]): string {
  if (steps.length === 0) return ''
  const t0 = Date.parse(steps[0]?.started_at ?? '') || 0
  const lines = steps.map((s, n) => {
    const start = s.offset_ms ?? (Date.parse(s.started_at ?? '') || t0) - t0
    const tag = s.status === 'fail' ? 'crit, ' : s.status === 'skipped' ? 'done, ' : 'active, '
    return `    ${s.name} ${STEP_MARKS[s.status]} :${tag}s${n}, ${Math.max(0, start)}, ${Math.max(1, s.duration_ms)}ms`
  })
  return ['```mermaid', 'gantt', '    dateFormat x', '    axisFormat %M:%S', ...lines, '```'].join(
    '\n'
  )
}

export function stepsTable(steps: StepRecord[]): string {
  if (steps.length === 0) return ''
  const rows = steps.map(
    (s) =>
      `| ${s.name} | ${STEP_MARKS[s.status]} ${s.status} | ${s.duration_ms} ms | ${escapeTableCell(s.reason ?? '')} |`
  )
  return ['| Step | Status | Duration | Note |', '|---|---|---|---|', ...rows].join('\n')
}

/** "Label:" in English, "Label :" in French typography. */
export const colon = (language: Language): string => (language === 'fr' ? ' :' : ':')

/** The headline's mark: the answer at a glance, one per status. */
export const STATUS_MARKS: Record<DeploymentRecord['status'], string> = {
  deployed: '✅',
  planned: '📋',
  postponed: '⏸️',
  aborted: '⛔',
  'rolled-back': '↩️',
  'rollback-failed': '🚨',
  cancelled: '⏹️',
  'in-progress': '⏳'
}

export function headlineOf(d: DeploymentRecord, language: Language): string {
  const status = STATUS_LABELS[language][d.status]
  return `${escapeMarkdown(d.version)} → ${escapeMarkdown(d.environment)}: ${status}`
}

/** The job summary: headline, checklist, steps, record. */
export function renderSummary(d: DeploymentRecord, language: Language): string {
  const h = HEADINGS[language]
  const parts = [`## ${STATUS_MARKS[d.status]} Red Button — ${headlineOf(d, language)}`, '']
  const why = outcomeWhy(d, language)
  if (why) parts.push(`**${h.why}${colon(language)}** ${escapeMarkdown(why)}`, '')
  const answer = dryRunAnswer(d, language)
  if (answer) parts.push(`**${h.dryRun}${colon(language)}** ${escapeMarkdown(answer)}`, '')
  const next = nextWindowText(d, language)
  if (next) parts.push(`**${h.next}${colon(language)}** ${escapeMarkdown(next)}`, '')
  if (d.schema_kept) parts.push(h.schemaKept, '')
  for (const note of postponedNotes(d, language)) parts.push(escapeMarkdown(note), '')
  const resumed = resumedText(d, language)
  if (resumed) parts.push(`▶️ ${escapeMarkdown(resumed)}`, '')
  for (const w of d.warnings ?? []) parts.push(`> ⚠️ ${escapeMarkdown(w)}`, '')
  if (d.reason) parts.push(`**${h.reason}${colon(language)}** ${escapeMarkdown(d.reason)}`, '')
  if (d.checklist.length > 0) parts.push(`### ${h.checklist}`, '', checklistTable(d, language), '')
  else if (d.error) parts.push(h.noCheck, '')
  const changes = changesMarkdown(d, language)
  if (changes) parts.push(changes, '')
  if (d.steps.length > 0)
    parts.push(`### ${h.steps}`, '', stepsChart(d.steps), '', stepsTable(d.steps), '')
  const head = parts.join('\n')
  let record = recordYaml(d)
  const room = SUMMARY_LIMIT - Buffer.byteLength(head) - 200
  if (Buffer.byteLength(record) > room)
    record = `${record.slice(0, Math.max(0, room))}\n# … cut to fit the summary limit`
  return `${head}<details><summary>${h.record}</summary>\n\n${fenced(record, 'yaml')}\n\n</details>\n`
}
