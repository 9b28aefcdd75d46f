import type { Core } from '../core.js'
import { headerValues } from './checks.js'
import { problem, SettingsError } from './errors.js'
import { CONTROL } from './readers.js'
import { closest, isProductionName, sameEnvironment } from './names.js'
import {
  INPUT_NAMES,
  mergeInputs,
  parseSettings,
  SECRET_INPUTS,
  secretValues,
  type Settings
} from './schema.js'

/** The variable a runner sets for an input: INPUT_ + upper case, spaces to _, hyphens kept. */
const variableOf = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`

/**
 * `INPUT_*` variables that name no input of action.yml: a typo in `with:`, which the runner
 * only warns about while the input silently keeps its default. Each problem names the
 * closest input.
 */
export function unknownInputs(env: Record<string, string | undefined>): string[] {
  const known = new Set(INPUT_NAMES.map(variableOf))
  return Object.keys(env)
    .filter((k) => k.startsWith('INPUT_') && !known.has(k))
    .sort()
    .map((k) => {
      const given = k.slice('INPUT_'.length).toLowerCase()
      const near = closest(given, INPUT_NAMES)
      const hint =
        near && near.distance <= Math.max(2, Math.floor(given.length / 3))
          ? `; did you mean ${near.name}?`
          : '; see the inputs of action.yml'
      return `input "${given}": expected an input of Red Button, got an unknown name (a typo in with: is otherwise only a warning of the runner, and the setting it meant keeps its default)${hint}`
    })
}

/** What is allowed but probably not meant: said as warnings before anything runs. */
export function settingsWarnings(settings: Settings): string[] {
  const warnings: string[] = []
  if (!settings.githubToken)
    warnings.push(
      'github-token is empty: GitHub is read without a token (public repositories only, at 60 requests an hour) and nothing is written (no deployment, no status, no PR comment); pass github-token: ${{ github.token }} or leave the input out'
    )
  const known = [settings.environment, ...settings.stagingEnvironments]
  for (const [n, w] of settings.freeze.entries()) {
    for (const e of w.environments ?? []) {
      const production = isProductionName(e, settings.productionEnvironments)
      if (!production && !known.some((k) => sameEnvironment(k, e)))
        warnings.push(
          `freeze window ${w.name ? `"${w.name}"` : n + 1} names the environment "${e}", which is neither production (production-environments), staging (staging-environment) nor this target (${settings.environment}): check its spelling`
        )
    }
  }
  // both say how the schema goes back: the command wins (run/rollback.ts), say so
  if (settings.forwardOnlyMigrations && settings.commands.migrateRollback)
    warnings.push(
      'forward-only-migrations is true and migrate-rollback-command is set: a rollback runs migrate-rollback-command (the schema is rolled back, not kept); remove one of the two'
    )
  return warnings
}

/** Reads and validates inputs; every secret is masked before anything else is logged. */
export function loadSettings(
  core: Core,
  workspace: string,
  env?: Record<string, string | undefined>
): Settings {
  const masked = new Set<string>()
  const mask = (values: string[]): void => {
    for (const v of values.filter((v) => !masked.has(v))) {
      core.setSecret(v)
      masked.add(v)
    }
  }
  // the workflow's secrets first: reading the policy file may fail
  mask(secretValues(Object.fromEntries(SECRET_INPUTS.map((n) => [n, core.getInput(n)]))))
  const unknown = env ? unknownInputs(env) : []
  let merged: ReturnType<typeof mergeInputs> | undefined
  let settings: Settings | undefined
  const problems = [...unknown]
  try {
    merged = mergeInputs((name) => core.getInput(name), workspace)
    mask(secretValues(merged.raw))
    settings = { ...parseSettings(merged.raw), configFile: merged.configFile }
    // the checks' header values (Authorization: Bearer …) are secrets too
    mask(headerValues([...settings.smokeTests, ...settings.monitorChecks]))
  } catch (e) {
    if (!(e instanceof SettingsError)) throw e
    problems.push(...e.problems)
  }
  if (problems.length > 0 || !settings) throw new SettingsError(problems)
  return settings
}

/**
 * Settings for the record of a run whose inputs were refused: the defaults, with the target
 * and language as given where they can be read, so that the refusal still leaves outputs, a
 * record and a summary saying what to fix.
 */
export function settingsForRefusal(getInput: (name: string) => string): Settings {
  const base = parseSettings({ environment: 'unknown', 'dry-run': 'true' })
  const environment = getInput('environment').trim()
  const readable = environment !== '' && !CONTROL.test(environment) && environment.length <= 255
  return {
    ...base,
    dryRun: false,
    environment: readable ? environment : base.environment,
    language: getInput('language').trim().toLowerCase() === 'fr' ? 'fr' : 'en'
  }
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
