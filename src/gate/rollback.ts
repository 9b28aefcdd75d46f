import type { Commands, Language } from '../settings/schema.js'
import type { ChecklistItem } from '../record/types.js'
import { phrases } from '../report/wording.js'
import { itemMaker } from './item.js'

/** Item `rollback`: there is always a way back. */
export function evaluateRollback(
  commands: Commands,
  rollbackPlan: string | undefined,
  language: Language
): ChecklistItem {
  const p = phrases(language)
  const item = itemMaker('rollback', language)
  if (commands.rollback) return item('pass', p.rollbackCommand)
  if (rollbackPlan) return item('pass', p.rollbackPlan)
  return item('fail', p.rollbackNone)
}
