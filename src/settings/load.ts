import type { Core } from '../core.js'
import { problem } from './errors.js'
import {
  mergeInputs,
  parseSettings,
  SECRET_INPUTS,
  secretValues,
  SettingsError,
  type Settings
} from './schema.js'

/** Reads and validates inputs; every secret is masked before anything else is logged. */
export function loadSettings(core: Core, workspace: string): Settings {
  const masked = new Set<string>()
  const mask = (values: string[]): void => {
    for (const v of values.filter((v) => !masked.has(v))) {
      core.setSecret(v)
      masked.add(v)
    }
  }
  // the workflow's secrets first: reading the policy file may fail
  mask(secretValues(Object.fromEntries(SECRET_INPUTS.map((n) => [n, core.getInput(n)]))))
  const { raw, configFile } = mergeInputs((name) => core.getInput(name), workspace)
  mask(secretValues(raw))
  return { ...parseSettings(raw), configFile }
}

/**
 * `holidays` codes the holiday library does not know, refused before anything runs. Apart
 * from `loadSettings` since the library is loaded (asynchronously) only when codes are given.
 */
export async function refuseUnknownHolidays(settings: Pick<Settings, 'holidays'>): Promise<void> {
  if (settings.holidays.length === 0) return
  const { unknownHolidayCodes } = await import('../schedule/holidays.js')
  const unknown = await unknownHolidayCodes(settings.holidays)
  if (unknown.length > 0)
    throw new SettingsError([
      problem(
        'holidays',
        'ISO 3166 codes of countries or subdivisions the holiday data knows, e.g. FR, DE-BY, US-CA',
        unknown.join(', ')
      )
    ])
}
