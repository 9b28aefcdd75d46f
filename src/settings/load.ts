import type { Core } from '../core.js'
import { mergeInputs, parseSettings, SECRET_INPUTS, secretValues, type Settings } from './schema.js'

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
