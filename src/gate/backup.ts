import type { Commands, Language } from '../settings/schema.js'
import type { ChecklistItem } from '../record/types.js'
import { phrases } from '../report/wording.js'
import { itemMaker } from './item.js'

/** Item `backup`: production data is backed up before a migration touches it. */
export function evaluateBackup(
  commands: Commands,
  target: { isProduction: boolean; environment: string },
  language: Language
): ChecklistItem {
  const p = phrases(language)
  const item = itemMaker('backup', language)
  // the real reason it does not apply
  if (!target.isProduction) return item('na', p.notProduction(target.environment))
  if (!commands.migrate) return item('na', p.backupNoMigrations)
  return commands.backup ? item('pass', p.backupOk) : item('fail', p.backupNone)
}
