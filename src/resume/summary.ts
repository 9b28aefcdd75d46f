import { escapeMarkdown, escapeTableCell } from '../report/escape.js'
import { colon } from '../report/summary.js'
import type { Language } from '../settings/schema.js'

/** One row of the queue table: a postponed release and what this step did with it. */
export interface QueueRow {
  environment: string
  version: string
  deploymentId: number
  /** in words, in the team's zone */
  postponedUntil: string
  done: string
}

const WORDS = {
  en: {
    title: (n: number) => (n > 0 ? `${n} postponed release${n === 1 ? '' : 's'} resumed` : 'idle'),
    queue: 'Queue of postponed releases',
    empty: 'No postponed release is waiting.',
    head: '| Environment | Version | Deployment | Postponed until | Done |',
    failed: 'Could not be started again'
  },
  fr: {
    title: (n: number) =>
      n > 0
        ? `${n} version${n === 1 ? '' : 's'} reportée${n === 1 ? '' : 's'} relancée${n === 1 ? '' : 's'}`
        : 'rien à relancer',
    queue: 'File des versions reportées',
    empty: 'Aucune version reportée en attente.',
    head: '| Environnement | Version | Déploiement | Reportée jusqu’au | Fait |',
    failed: 'Relance impossible'
  }
}

/** The job summary of a resume step: a headline and the queue as a table. */
export function renderQueueSummary(
  rows: QueueRow[],
  o: { resumed: number; failures: string[]; language: Language }
): string {
  const w = WORDS[o.language]
  const mark = o.failures.length > 0 ? '❌' : o.resumed > 0 ? '▶️' : '💤'
  const parts = [`## ${mark} Red Button — ${w.title(o.resumed)}`, '', `### ${w.queue}`, '']
  if (rows.length === 0) parts.push(w.empty, '')
  else
    parts.push(
      w.head,
      '|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${escapeTableCell(r.environment)} | ${escapeTableCell(r.version)} | #${r.deploymentId} | ${escapeTableCell(r.postponedUntil)} | ${escapeTableCell(r.done)} |`
      ),
      ''
    )
  if (o.failures.length > 0)
    parts.push(
      `**${w.failed}${colon(o.language)}**`,
      '',
      ...o.failures.map((f) => `- ${escapeMarkdown(f)}`),
      ''
    )
  return parts.join('\n')
}
