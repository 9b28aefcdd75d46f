import type { DeploymentRecord, MigrationFinding, PullRecord } from '../record/types.js'
import type { Language } from '../settings/schema.js'
import { escapeMarkdown, escapeTableCell } from './escape.js'

/**
 * What goes out, in words: the change list, this release's migrations and what the SQL lint
 * found. Plain, unescaped text shared by every channel (summary, PR comment, Slack, Teams),
 * each escaping it for its own format.
 */

/** Pull requests listed by name; the rest are counted ("and 3 more"). */
export const PULLS_SHOWN = 20

const WORDS = {
  en: {
    title: 'What goes out',
    since: (n: number, base: string) =>
      `${n} commit${n === 1 ? '' : 's'} since ${base || 'the running version'}`,
    noPulls: 'no pull request named in the commit messages',
    more: (n: number) => `and ${n} more pull request${n === 1 ? '' : 's'}`,
    unknown: (base: string, why: string) =>
      `the change list since ${base || 'the running version'} is unknown: ${why}`,
    behind: (n: number) =>
      `this commit is older than the running version: ${n} commit${n === 1 ? '' : 's'} would be taken back`,
    diverged: (n: number) =>
      `the histories diverged: the running version has ${n} commit${n === 1 ? '' : 's'} this one lacks`,
    identical: 'the same commit as the running version',
    truncated:
      'GitHub lists only the first 250 commits and 300 files of a compare: the list is cut',
    migrations: 'Migrations',
    findings: 'SQL findings',
    allowed: 'allowed',
    safer: 'safer'
  },
  fr: {
    title: 'Ce qui part',
    since: (n: number, base: string) =>
      `${n} commit${n === 1 ? '' : 's'} depuis ${base || 'la version en service'}`,
    noPulls: 'aucune pull request nommée dans les messages de commit',
    more: (n: number) => `et ${n} autre${n === 1 ? '' : 's'} pull request${n === 1 ? '' : 's'}`,
    unknown: (base: string, why: string) =>
      `la liste des changements depuis ${base || 'la version en service'} est inconnue : ${why}`,
    behind: (n: number) =>
      `ce commit est plus ancien que la version en service : ${n} commit${n === 1 ? '' : 's'} seraient retirés`,
    diverged: (n: number) =>
      `les historiques ont divergé : la version en service a ${n} commit${n === 1 ? '' : 's'} absent${n === 1 ? '' : 's'} de celle-ci`,
    identical: 'le même commit que la version en service',
    truncated:
      "GitHub ne liste que les 250 premiers commits et 300 fichiers d'une comparaison : la liste est coupée",
    migrations: 'Migrations',
    findings: 'Constats SQL',
    allowed: 'autorisé',
    safer: 'plus sûr'
  }
}

export const changeWords = (language: Language) => WORDS[language]

interface ChangeText {
  /** "14 commits since v1.1.9", or why the list is unknown */
  headline: string
  /** what is odd about the history (behind, diverged, truncated) */
  notes: string[]
  /** the pull requests shown, at most PULLS_SHOWN */
  pulls: PullRecord[]
  /** "and N more pull requests", when some are not shown */
  more?: string
}

/** The change list of a record in words; undefined when there is none (no previous version). */
function changeText(d: DeploymentRecord, language: Language): ChangeText | undefined {
  const c = d.changes
  if (!c) return undefined
  const w = WORDS[language]
  if (c.error) return { headline: w.unknown(c.base, c.error), notes: [], pulls: [] }
  const notes: string[] = []
  if (c.history === 'behind') notes.push(w.behind(c.behind_by ?? 0))
  if (c.history === 'diverged') notes.push(w.diverged(c.behind_by ?? 0))
  if (c.history === 'identical') notes.push(w.identical)
  if (c.truncated) notes.push(w.truncated)
  if (c.commits > 0 && c.pulls.length === 0) notes.push(w.noPulls)
  const hidden = c.pulls.length - PULLS_SHOWN
  return {
    headline: w.since(c.commits, c.base),
    notes,
    pulls: c.pulls.slice(0, PULLS_SHOWN),
    more: hidden > 0 ? w.more(hidden) : undefined
  }
}

/** "#123 Add user exports (alice)"; `esc` escapes the outside text (title, login), never the number. */
const pullLine = (p: PullRecord, esc: (s: string) => string = (s) => s): string =>
  `#${p.number} ${esc(p.title)}${p.author ? ` (${esc(p.author)})` : ''}`

const findingMark = (f: MigrationFinding): string =>
  f.allowed ? '☑️' : f.severity === 'error' ? '⛔' : '⚠️'

function findingLine(f: MigrationFinding, language: Language): string {
  const w = WORDS[language]
  const mark = findingMark(f)
  const allowed = f.allowed ? ` (${w.allowed})` : ''
  return `${mark} ${f.file}:${f.line} ${f.rule}${allowed}: ${f.detail}`
}

/** Every line of what goes out, as plain text: for chat messages. */
export function changeLines(d: DeploymentRecord, language: Language): string[] {
  const w = WORDS[language]
  const lines: string[] = []
  const text = changeText(d, language)
  if (text) {
    lines.push(text.headline, ...text.notes, ...text.pulls.map((p) => pullLine(p)))
    if (text.more) lines.push(text.more)
  }
  if (d.migrations.length > 0) lines.push(`${w.migrations}: ${d.migrations.join(', ')}`)
  lines.push(...(d.migration_findings ?? []).map((f) => findingLine(f, language)))
  return lines
}

const HEADERS = {
  en: ['File', 'Line', 'Rule', 'Severity', 'What it does', 'Safer way'],
  fr: ['Fichier', 'Ligne', 'Règle', 'Gravité', 'Effet', 'Plus sûr']
}

/** The same as Markdown (job summary, PR comment); empty when there is nothing to say. */
export function changesMarkdown(d: DeploymentRecord, language: Language): string {
  const w = WORDS[language]
  const text = changeText(d, language)
  const findings = d.migration_findings ?? []
  if (!text && d.migrations.length === 0 && findings.length === 0) return ''
  const out = [`### ${w.title}`, '']
  if (text) {
    const link =
      d.changes?.url && /^https?:\/\//.test(d.changes.url) ? ` ([compare](${d.changes.url}))` : ''
    out.push(`${escapeMarkdown(text.headline)}${link}`, '')
    for (const note of text.notes) out.push(`> ${escapeMarkdown(note)}`, '')
    if (text.pulls.length > 0) {
      // the number stays as it is: GitHub links it to the pull request
      out.push(...text.pulls.map((p) => `- ${pullLine(p, escapeMarkdown)}`))
      if (text.more) out.push(`- ${escapeMarkdown(text.more)}`)
      out.push('')
    }
  }
  if (d.migrations.length > 0)
    out.push(`**${w.migrations}:** ${d.migrations.map(escapeMarkdown).join(', ')}`, '')
  if (findings.length > 0) {
    const h = HEADERS[language]
    out.push(
      `**${w.findings}**`,
      '',
      `| ${h.join(' | ')} |`,
      `|${'---|'.repeat(h.length)}`,
      ...findings.map((f) => {
        const severity = `${findingMark(f)} ${f.severity}${f.allowed ? ` (${w.allowed})` : ''}`
        return `| ${[f.file, String(f.line), f.rule, severity, f.detail, f.safer ?? ''].map(escapeTableCell).join(' | ')} |`
      }),
      ''
    )
  }
  return out.join('\n')
}
