import type { Commands, Language } from '../settings/schema.js'
import type { ChecklistItem } from '../record/types.js'
import { phrases } from '../report/wording.js'
import { destructiveCommand } from './destructive.js'
import { itemMaker } from './item.js'

/**
 * Item `rollback`: there is always a way back — for the code, and for the schema when the
 * release migrates — and no way back destroys data.
 */
export function evaluateRollback(
  commands: Commands,
  o: { rollbackPlan?: string; forwardOnlyMigrations: boolean },
  language: Language
): ChecklistItem {
  const p = phrases(language)
  const item = itemMaker('rollback', language)
  const rollbacks: Array<[string, string | undefined]> = [
    ['rollback-command', commands.rollback],
    ['migrate-rollback-command', commands.migrateRollback]
  ]
  for (const [input, script] of rollbacks) {
    const hit = script ? destructiveCommand(script) : undefined
    if (hit) return item('fail', p.rollbackDestroys(input, hit.command, hit.destroys))
  }
  if (!commands.rollback && !o.rollbackPlan) return item('fail', p.rollbackNone)
  if (commands.migrate && !commands.migrateRollback && !o.forwardOnlyMigrations)
    return item('fail', p.rollbackNoSchemaWay)
  const code = commands.rollback ? p.rollbackCommand : p.rollbackPlan
  const separator = language === 'fr' ? ' ; ' : '; '
  const schema =
    commands.migrate && !commands.migrateRollback ? `${separator}${p.rollbackForwardOnly}` : ''
  return item('pass', `${code}${schema}`)
}
