import yaml from 'js-yaml'
import type { Settings } from '../settings.js'
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

/**
 * Orders the record's keys as DESIGN.md section 8 shows them: the seven contract keys
 * first, then the rest, leaving out what is unset.
 */
export function toRecord(d: DeploymentRecord): Record {
  const {
    version,
    environment,
    checklist,
    migrations,
    rollback_plan,
    notify,
    smoke_tests,
    ...rest
  } = d
  const ordered: { [k: string]: unknown } = {
    version,
    environment,
    checklist,
    migrations,
    rollback_plan,
    notify,
    smoke_tests
  }
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) ordered[k] = v
  return { deployment: ordered as unknown as DeploymentRecord }
}

export function recordYaml(d: DeploymentRecord): string {
  return yaml.dump(toRecord(d), { lineWidth: -1, noRefs: true, quotingType: '"' })
}
