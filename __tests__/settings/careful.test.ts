import { describe, expect, it } from '@jest/globals'
import {
  closest,
  editDistance,
  isProductionName,
  productionLookAlike
} from '../../src/settings/names.js'
import { settingsWarnings, unknownInputs } from '../../src/settings/load.js'
import { parseSettings, SettingsError } from '../../src/settings/schema.js'

describe('names compared as GitHub compares them', () => {
  it('counts edits, a swap of two neighbours as one, ignoring case', () => {
    expect(editDistance('prodution', 'production')).toBe(1)
    expect(editDistance('porduction', 'production')).toBe(1)
    expect(editDistance('PRODUCTION', 'production')).toBe(0)
    expect(editDistance('staging', 'production')).toBeGreaterThan(2)
    expect(closest('monitor-duraton', ['monitor-duration', 'monitor-interval'])).toEqual({
      name: 'monitor-duration',
      distance: 1
    })
  })

  it('matches production patterns on whole names, ignoring case, * for any characters', () => {
    expect(isProductionName('Production', ['production'])).toBe(true)
    expect(isProductionName('production-eu', ['production-*'])).toBe(true)
    expect(isProductionName('PRODUCTION-EU', ['production-*'])).toBe(true)
    expect(isProductionName('production', ['production-*'])).toBe(false)
    expect(isProductionName('my-production', ['production'])).toBe(false)
    expect(isProductionName('production.eu', ['production*eu'])).toBe(true)
    expect(isProductionName('productionXeu', ['production.eu'])).toBe(false)
  })

  it('takes a name two edits from a production name for a typo, never a production one', () => {
    expect(productionLookAlike('prodution', ['production'])).toBe('production')
    expect(productionLookAlike('prod-uction', ['production', 'live'])).toBe('production')
    expect(productionLookAlike('Production', ['production'])).toBeUndefined()
    expect(productionLookAlike('staging', ['production'])).toBeUndefined()
    expect(productionLookAlike('preproduction', ['production'])).toBeUndefined()
    expect(productionLookAlike('production-eu', ['production-*'])).toBeUndefined()
  })
})

describe('settings: the environment is production or clearly not', () => {
  const problem = (raw: Record<string, string>) => {
    try {
      parseSettings(raw)
    } catch (e) {
      if (e instanceof SettingsError) return e.message
    }
    return undefined
  }
  it('refuses a target within two edits of a production name, saying what to write', () => {
    expect(problem({ environment: 'prodution', 'deploy-command': 'x' })).toMatch(
      /^input "environment": expected a production name written as it is \(production\), or a name that is clearly not production: "prodution" is within two edits of "production".*write production, or add "prodution" to production-environments/
    )
    expect(
      problem({
        environment: 'prodution',
        'deploy-command': 'x',
        'production-environments': 'prodution'
      })
    ).toBeUndefined()
    expect(problem({ environment: 'PRODUCTION', 'deploy-command': 'x' })).toBeUndefined()
  })
})

describe('unknownInputs: a typo in with: fails the step, naming the closest input', () => {
  it('names the input it meant', () => {
    expect(unknownInputs({ 'INPUT_MONITOR-DURATON': '5m', 'INPUT_MONITOR-DURATION': '' })).toEqual([
      'input "monitor-duraton": expected an input of Red Button, got an unknown name (a typo in with: is otherwise only a warning of the runner, and the setting it meant keeps its default); did you mean monitor-duration?'
    ])
  })
  it('says where to look when nothing is close, and leaves known inputs and other variables alone', () => {
    expect(unknownInputs({ INPUT_FOO_BAR_BAZ_QUUX: 'x' })[0]).toMatch(
      /see the inputs of action\.yml$/
    )
    expect(
      unknownInputs({
        'INPUT_GITHUB-TOKEN': 't',
        INPUT_ENVIRONMENT: 'x',
        INPUTS: 'y',
        PATH: '/bin'
      })
    ).toEqual([])
  })
})

describe('settingsWarnings: allowed, but probably not meant', () => {
  const base = { environment: 'production', 'deploy-command': 'x', 'github-token': 't' }
  it('warns of an empty token', () => {
    const w = settingsWarnings(parseSettings({ ...base, 'github-token': '' }))
    expect(w).toEqual([
      expect.stringMatching(/^github-token is empty: GitHub is read without a token/)
    ])
    expect(settingsWarnings(parseSettings(base))).toEqual([])
  })
  it('warns of a freeze window naming an environment that is nothing here', () => {
    const freeze =
      '- from: "Fri 14:00"\n  to: "Mon 00:00"\n  environments: [prodcution, staging, Production]\n  name: Weekend'
    const w = settingsWarnings(parseSettings({ ...base, freeze }))
    expect(w).toEqual([
      'freeze window "Weekend" names the environment "prodcution", which is neither production (production-environments), staging (staging-environment) nor this target (production): check its spelling'
    ])
  })
  it('warns when forward-only-migrations and migrate-rollback-command both say how the schema goes back', () => {
    const migrate = { 'migrate-command': 'm', 'rollback-command': 'r' }
    const both = settingsWarnings(
      parseSettings({
        ...base,
        ...migrate,
        'forward-only-migrations': 'true',
        'migrate-rollback-command': 'mr'
      })
    )
    expect(both).toEqual([
      'forward-only-migrations is true and migrate-rollback-command is set: a rollback runs migrate-rollback-command (the schema is rolled back, not kept); remove one of the two'
    ])
    for (const one of [{ 'forward-only-migrations': 'true' }, { 'migrate-rollback-command': 'mr' }])
      expect(settingsWarnings(parseSettings({ ...base, ...migrate, ...one }))).toEqual([])
  })
})
