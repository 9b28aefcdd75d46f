import { formatDuration } from '../duration.js'
import type { Commands, Language, Settings } from '../settings/schema.js'
import type { ChecklistItem, MigrationFinding } from '../record/types.js'
import { phrases } from '../report/wording.js'
import { itemMaker } from './item.js'
import type { MigrationFileFacts } from './migration-files.js'

/**
 * Item `migrations`: the read-only migration check passed, and this release's SQL loses no
 * data, before anything changes.
 */

export interface MigrationCheckFacts {
  ok: boolean
  durationMs: number
  reason: string
}

const at = (f: MigrationFinding) => `${f.file}:${f.line}`
const brief = (list: MigrationFinding[]) => list.map((f) => `${f.rule} (${at(f)})`).join(', ')

/** The findings that stop the release under the lint mode: syntax errors always. */
function blockingFindings(
  findings: MigrationFinding[],
  lint: Settings['migrationLint']
): MigrationFinding[] {
  return findings.filter(
    (f) => f.rule === 'syntax-error' || (lint === 'error' && f.severity === 'error' && !f.allowed)
  )
}

export function evaluateMigrations(
  commands: Commands,
  check: MigrationCheckFacts | undefined,
  language: Language,
  release?: { files: MigrationFileFacts; lint: Settings['migrationLint'] }
): ChecklistItem {
  const p = phrases(language)
  const item = itemMaker('migrations', language)
  const files = release?.files
  if (!commands.migrate && (!files || (files.files.length === 0 && !files.error)))
    return item(
      'na',
      files?.unknown
        ? p.migrationFilesUnknown(files.unknown)
        : files
          ? p.noMigrationFiles
          : p.noMigrateCommand
    )
  if (commands.migrate && (!commands.migrateCheck || !check)) return item('fail', p.noMigrateCheck)
  if (check && !check.ok) return item('fail', p.migrateCheckFailed(check.reason))
  if (files?.error) return item('fail', p.migrationFilesUnread(files.error))

  const findings = files?.findings ?? []
  const [first, ...others] = blockingFindings(findings, release?.lint ?? 'error')
  if (first) {
    return item(
      'fail',
      first.rule === 'syntax-error'
        ? p.migrationUnparsed(at(first), first.detail)
        : p.migrationLosesData(at(first), first.rule, first.detail, others.length)
    )
  }
  const parts: string[] = []
  if (check) parts.push(p.migrateCheckPassed(formatDuration(check.durationMs)))
  if (files) {
    const n = files.files.length
    parts.push(
      files.unknown
        ? p.migrationFilesUnknown(files.unknown)
        : n === 0
          ? p.noMigrationFiles
          : files.findings
            ? p.migrationFilesChecked(n)
            : p.migrationFilesListed(n)
    )
    if (files.partial) parts.push(p.migrationFilesPartial)
    const allowed = findings.filter((f) => f.allowed)
    const reported = findings.filter((f) => !f.allowed)
    if (reported.length > 0) parts.push(p.migrationWarnings(brief(reported)))
    if (allowed.length > 0) parts.push(p.migrationAllowed(brief(allowed)))
  }
  return item('pass', parts.join('; '))
}
