import { formatDuration } from '../duration.js'
import type { Commands, Language } from '../settings/schema.js'
import type { ChecklistItem } from '../record/types.js'
import { phrases } from '../report/wording.js'
import { itemMaker } from './item.js'

/** Item `migrations`: the read-only migration check passed before anything changes. */

export interface MigrationCheckFacts {
  ok: boolean
  durationMs: number
  reason: string
}

export function evaluateMigrations(
  commands: Commands,
  check: MigrationCheckFacts | undefined,
  language: Language
): ChecklistItem {
  const p = phrases(language)
  const item = itemMaker('migrations', language)
  if (!commands.migrate) return item('na', p.noMigrateCommand)
  if (!commands.migrateCheck || !check) return item('fail', p.noMigrateCheck)
  return check.ok
    ? item('pass', p.migrateCheckPassed(formatDuration(check.durationMs)))
    : item('fail', p.migrateCheckFailed(check.reason))
}
