import { existsSync, readFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import yaml from 'js-yaml'
import { SettingsError, show } from './errors.js'
import { INPUT_NAMES, type InputName, type Raw } from './inputs.js'

/** A value as a policy file may give it: YAML scalars and lists become input text. */
function toInputText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return yaml.dump(value, { flowLevel: -1, lineWidth: -1 })
}

/** Reads the optional policy file; its keys are the input names. */
export function readPolicyFile(path: string): Raw {
  let parsed: unknown
  try {
    parsed = yaml.load(readFileSync(path, 'utf8'))
  } catch (e) {
    const reason = e instanceof yaml.YAMLException ? e.reason : (e as Error).message
    throw new SettingsError([`input "config": expected a readable YAML policy file: ${reason}`])
  }
  if (parsed === undefined || parsed === null) return {}
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SettingsError(['input "config": expected a YAML mapping of input names to values'])
  }
  const raw: Raw = {}
  const unknown: string[] = []
  for (const [key, value] of Object.entries(parsed)) {
    if ((INPUT_NAMES as readonly string[]).includes(key) && key !== 'config') {
      raw[key as InputName] = toInputText(value)
    } else {
      unknown.push(key)
    }
  }
  if (unknown.length > 0) {
    throw new SettingsError([
      `input "config": unknown key ${show(unknown[0] as string)} in the policy file; expected input names such as environment, freeze, smoke-tests`
    ])
  }
  return raw
}

/**
 * Merges the policy file under the workflow inputs. Only non-empty workflow inputs win,
 * since a runner passes an unset input as an empty string.
 */
export function mergeInputs(
  getInput: (name: InputName) => string,
  workspace: string
): { raw: Raw; configFile?: string } {
  const fromWorkflow: Raw = {}
  for (const name of INPUT_NAMES) {
    const value = getInput(name)
    if (value.trim() !== '') fromWorkflow[name] = value
  }
  const configInput = fromWorkflow.config?.trim()
  const configPath = configInput || '.github/red-button.yml'
  const full = isAbsolute(configPath) ? configPath : resolve(workspace, configPath)
  if (!existsSync(full)) {
    if (configInput) {
      throw new SettingsError([
        `input "config": expected an existing policy file, got ${show(configInput)}`
      ])
    }
    return { raw: fromWorkflow }
  }
  return { raw: { ...readPolicyFile(full), ...fromWorkflow }, configFile: configPath }
}
