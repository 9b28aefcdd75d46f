import type { Commands, Language } from '../settings/schema.js'
import type { ChecklistItem } from '../record/types.js'
import { phrases } from '../report/wording.js'
import { itemMaker } from './item.js'

/** Item `backup`: production data is backed up before a migration touches it. */
export function evaluateBackup(
  commands: Commands,
  isProduction: boolean,
  language: Language
): ChecklistItem {
  const p = phrases(language)
  const item = itemMaker('backup', language)
  if (!commands.migrate || !isProduction) return item('na', p.backupNa)
  return commands.backup ? item('pass', p.backupOk) : item('fail', p.backupNone)
}
