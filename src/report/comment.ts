import type { Language } from '../settings/schema.js'
import { changesMarkdown } from './changes.js'
import { escapeMarkdown } from './escape.js'
import { checklistTable, colon, fenced, headlineOf, STATUS_MARKS, stepsTable } from './summary.js'
import { dryRunAnswer, nextWindowText, postponedNotes, resumedText } from './when.js'
import { recordYaml } from '../record/yaml.js'
import { outcomeWhy } from './why.js'
import type { DeploymentRecord } from '../record/types.js'

/** The sticky PR comment: one per environment, found again by a hidden marker. */

export function commentMarker(environment: string): string {
  // encoded so that no environment name can close the HTML comment
  return `<!-- red-button:environment=${encodeURIComponent(environment)} -->`
}

const WORDS = {
  en: {
    plan: 'Release plan (dry run)',
    next: 'Next window',
    decision: 'Decision',
    why: 'Why',
    record: 'Record',
    steps: 'Steps'
  },
  fr: {
    plan: 'Plan de mise en production (simulation)',
    next: 'Prochaine fenêtre',
    decision: 'Décision',
    why: 'Pourquoi',
    record: 'Enregistrement',
    steps: 'Étapes'
  }
}

/** GitHub refuses comments over 65,536 characters. */
const COMMENT_LIMIT = 60_000

export function renderComment(d: DeploymentRecord, language: Language): string {
  const w = WORDS[language]
  const lines = [
    commentMarker(d.environment),
    `### ${STATUS_MARKS[d.status]} Red Button — ${headlineOf(d, language)}`,
    ''
  ]
  if (d.dry_run) lines.push(`_${w.plan}_`, '')
  const answer = dryRunAnswer(d, language)
  lines.push(
    `**${w.decision}${colon(language)}** \`${d.decision}\`${answer ? ` — ${escapeMarkdown(answer)}` : ''}`
  )
  const why = outcomeWhy(d, language)
  if (why) lines.push(`**${w.why}${colon(language)}** ${escapeMarkdown(why)}`)
  const next = nextWindowText(d, language)
  if (next) lines.push(`**${w.next}${colon(language)}** ${escapeMarkdown(next)}`)
  for (const warning of d.warnings ?? []) lines.push('', `> ⚠️ ${escapeMarkdown(warning)}`)
  for (const note of postponedNotes(d, language)) lines.push('', escapeMarkdown(note))
  const resumed = resumedText(d, language)
  if (resumed) lines.push('', `▶️ ${escapeMarkdown(resumed)}`)
  if (d.run_url) lines.push(`[${d.run_url.replace(/^https?:\/\//, '')}](${d.run_url})`)
  lines.push('', checklistTable(d, language), '')
  const changes = changesMarkdown(d, language)
  if (changes) lines.push(changes, '')
  if (d.steps.length > 0) lines.push(`**${w.steps}**`, '', stepsTable(d.steps), '')
  const head = lines.join('\n')
  let record = recordYaml(d)
  const room = COMMENT_LIMIT - head.length - 200
  if (record.length > room) record = `${record.slice(0, Math.max(0, room))}\n# … cut to fit`
  return `${head}<details><summary>${w.record}</summary>\n\n${fenced(record, 'yaml')}\n\n</details>\n`
}
