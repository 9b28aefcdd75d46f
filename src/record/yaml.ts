import yaml from 'js-yaml'

/** The record as YAML (docs/design.md section 8), and its rollback plan: what the record itself is made of. */
import type { Settings } from '../settings/schema.js'
import type { DeploymentRecord, Record } from './types.js'

/** The rollback plan of the record: the user's own words, or one made from the commands. */
export function rollbackPlanText(
  settings: Pick<Settings, 'rollbackPlan' | 'commands'>,
  previousVersion: string
): string {
  if (settings.rollbackPlan) return settings.rollbackPlan
  const { rollback, migrateRollback, migrate } = settings.commands
  if (!rollback) return 'none'
  const target = previousVersion ? `Redeploy ${previousVersion}` : 'Redeploy the previous version'
  const schema = migrate && migrateRollback ? `, then \`${migrateRollback}\`` : ''
  return `${target} with \`${rollback}\`${schema}`
}

/** The seven contract keys of docs/design.md section 8, in its order. */
// prettier-ignore
const CONTRACT_KEYS = [
  'version', 'environment', 'checklist', 'migrations', 'rollback_plan', 'notify', 'smoke_tests'
] as const satisfies ReadonlyArray<keyof DeploymentRecord>

/**
 * Orders the record's keys as docs/design.md section 8 shows them: the seven contract keys
 * first, then the rest, leaving out what is unset.
 */
export function toRecord(d: DeploymentRecord): Record {
  const ordered: { [k: string]: unknown } = {}
  for (const k of CONTRACT_KEYS) ordered[k] = d[k]
  for (const [k, v] of Object.entries(d))
    if (v !== undefined && !(CONTRACT_KEYS as readonly string[]).includes(k)) ordered[k] = v
  return { deployment: ordered as unknown as DeploymentRecord }
}

export function recordYaml(d: DeploymentRecord): string {
  return yaml.dump(toRecord(d), { lineWidth: -1, noRefs: true, quotingType: '"' })
}
