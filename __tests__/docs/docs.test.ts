import { beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import yaml from 'js-yaml'
import { fixedClock } from '../../src/clock.js'
import type { RunContext } from '../../src/github/context.js'
import { makeRecord } from '../../src/record/make.js'
import { RunRecord } from '../../src/record/owner.js'
import { runState, type RunSubject } from '../../src/record/state.js'
import { ITEM_LABELS, STATUS_LABELS } from '../../src/report/wording.js'
import { deploymentPayload } from '../../src/run/deployment.js'
import { commandEnv } from '../../src/run/env.js'
import { postponedPayloadOf } from '../../src/run/postpone.js'
import { INPUT_NAMES, parseSettings } from '../../src/settings/schema.js'
import { RULES } from '../../src/sql/rules.js'

/**
 * README.md's reference tables are generated from action.yml (scripts/docs.mjs), and
 * action.yml follows the contract of docs/design.md sections 3 and 4. The contract's names in
 * docs/design.md are checked against action.yml and the code, both ways: a name that leaves
 * either side fails here.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
/** The design notes and contract, inside the repository. */
const DESIGN_FILE = join(ROOT, 'docs', 'design.md')

interface ActionYml {
  inputs: { [name: string]: { description?: string; required?: boolean; default?: string } }
  outputs: { [name: string]: { description?: string } }
}

interface DocsModule {
  readAction(file?: string): ActionYml
  checkReadme(): { current: boolean; readme: string; expected: string }
  renderReadme(readme: string, action: ActionYml): string
  inputsTable(action: ActionYml): string
  outputsTable(action: ActionYml): string
  describeInput(input: ActionYml['inputs'][string]): { text: string; default: string }
  cell(text: string): string
}

let docs: DocsModule
beforeAll(async () => {
  // a file URL keeps TypeScript from looking for types of the plain JavaScript script
  docs = (await import(pathToFileURL(join(ROOT, 'scripts', 'docs.mjs')).href)) as DocsModule
})

const action = (): ActionYml =>
  yaml.load(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml

describe('README reference tables', () => {
  it('are current with action.yml (run `npm run docs` to regenerate)', () => {
    const { readme, expected } = docs.checkReadme()
    expect(readme).toBe(expected)
  })

  it('list every input and output of action.yml', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    for (const name of [...Object.keys(action().inputs), ...Object.keys(action().outputs)])
      expect(readme).toContain(`| \`${name}\` |`)
  })

  it('escape pipes and line breaks in cells', () => {
    expect(docs.cell('a | b\n  c')).toBe('a \\| b c')
  })

  it('take the default from action.yml, else from the description', () => {
    expect(docs.describeInput({ description: 'Limit. Default - 15m.' })).toEqual({
      text: 'Limit.',
      default: '`15m`'
    })
    expect(docs.describeInput({ description: 'Hook. Default - none.' }).default).toBe('—')
    expect(
      docs.describeInput({
        description: 'Token. Default - the token.',
        default: '${{ github.token }}'
      }).default
    ).toBe('`${{ github.token }}`')
    expect(docs.describeInput({ description: 'Where. Default - every check but ours.' })).toEqual({
      text: 'Where.',
      default: 'every check but ours'
    })
  })

  it('refuse a README without the markers', () => {
    expect(() => docs.renderReadme('# no markers\n', action())).toThrow(/inputs:start/)
  })

  it('regenerate a stale table', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const stale = readme.replace(/(<!-- outputs:start -->)[\s\S]*?(<!-- outputs:end -->)/, '$1\n$2')
    expect(stale).not.toBe(readme)
    expect(docs.renderReadme(stale, action())).toBe(readme)
  })
})

describe('action.yml', () => {
  it('declares the inputs the code reads, in the same order', () => {
    expect(Object.keys(action().inputs)).toEqual([...INPUT_NAMES])
  })

  it('states the default of every optional input (a runner passes every default: as set)', () => {
    for (const [name, input] of Object.entries(action().inputs)) {
      if (input.required === true) continue
      const stated = /Default - .+/.test(input.description ?? '')
      expect({ name, stated }).toEqual({ name, stated: true })
    }
  })

  it('gives a default: only to github-token', () => {
    const withDefault = Object.entries(action().inputs)
      .filter(([, i]) => i.default !== undefined)
      .map(([n]) => n)
    expect(withDefault).toEqual(['github-token'])
  })
})

/** The cells of each body row of the first table after `heading` (escaped pipes kept whole). */
function designTableRows(markdown: string, heading: RegExp): string[][] {
  const lines = markdown.split('\n')
  let i = lines.findIndex((l) => heading.test(l))
  if (i === -1) throw new Error(`docs/design.md has no heading matching ${heading}`)
  while (i < lines.length && !lines[i]?.startsWith('|')) i++
  const rows: string[][] = []
  for (i += 2; i < lines.length && lines[i]?.startsWith('|'); i++)
    rows.push(
      (lines[i] as string)
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((c) => c.trim())
    )
  return rows
}

/** The backticked names of a cell. */
const namesIn = (cell: string | undefined): string[] =>
  [...(cell ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] as string)

/** Backticked names in the first column of the first table after `heading`. */
const designTableNames = (markdown: string, heading: RegExp): string[] =>
  designTableRows(markdown, heading).flatMap((row) => namesIn(row[0]))

const sorted = (names: Iterable<string>): string[] => [...names].sort()

/** A run as the code makes it: its subject, and a record through every transition that adds a field. */
function sampleRun() {
  const settings = parseSettings({ environment: 'production', 'deploy-command': './deploy.sh' })
  const ctx: RunContext = {
    owner: 'acme',
    repo: 'shop',
    sha: 'a'.repeat(40),
    ref: 'refs/tags/v1.2.0',
    actor: 'alice',
    runId: 7,
    runAttempt: 1,
    eventName: 'push',
    apiUrl: 'http://127.0.0.1:1',
    serverUrl: 'https://github.com',
    workspace: '/nonexistent',
    tempDir: '/nonexistent'
  }
  const subject: RunSubject = {
    settings,
    ctx,
    version: 'v1.2.0',
    startedAt: new Date('2026-11-27T14:00:00Z'),
    recordFile: '/nonexistent/record.yml'
  }
  const run = new RunRecord(makeRecord(subject, fixedClock(subject.startedAt)))
  run.deploymentCreated(1)
  run.postponed('2026-11-30T00:00:00+01:00', 1)
  run.slackMessage({ channel: 'C0123456789', ts: '1.2' })
  run.smokeChecked([])
  run.watched({ rounds: 0, failed_rounds: 0, duration_ms: 0 })
  run.schemaKept()
  run.noted('pr-comment: #1')
  run.warned('a warning')
  run.failedUnexpectedly('a bug')
  return runState(subject, run)
}

describe('docs/design.md contract', () => {
  const design = readFileSync(DESIGN_FILE, 'utf8')

  it('numbers its sections 1 to 14, as the code and README cite them', () => {
    const numbers = [...design.matchAll(/^## (\d+)\. /gm)].map((m) => Number(m[1]))
    expect(numbers).toEqual(Array.from({ length: 14 }, (_, i) => i + 1))
  })

  it('every input of section 3 is declared in action.yml, and no other', () => {
    const names = designTableNames(design, /^## 3\. Inputs/)
    expect(names.length).toBeGreaterThan(30)
    expect(names.filter((n) => !(n in action().inputs))).toEqual([])
    expect(Object.keys(action().inputs).filter((n) => !names.includes(n))).toEqual([])
  })

  it('lists the inputs of section 3 in the order of INPUT_NAMES', () => {
    expect(designTableNames(design, /^## 3\. Inputs/)).toEqual([...INPUT_NAMES])
  })

  it('every output of section 4 is declared in action.yml, and no other', () => {
    const names = designTableNames(design, /^## 4\. Outputs/)
    expect(names.length).toBeGreaterThan(5)
    expect(names.filter((n) => !(n in action().outputs))).toEqual([])
    expect(Object.keys(action().outputs).filter((n) => !names.includes(n))).toEqual([])
  })

  it('the statuses of section 4 are the ones the code words (en, fr) and action.yml names', () => {
    const table = designTableNames(design, /^### Statuses/)
    const output = designTableRows(design, /^## 4\. Outputs/).find((r) => r[0] === '`status`')
    for (const language of ['en', 'fr'] as const) {
      const coded = Object.keys(STATUS_LABELS[language]).filter((s) => s !== 'in-progress')
      expect(sorted(table)).toEqual(sorted(coded))
    }
    expect(sorted(namesIn(output?.[1]))).toEqual(sorted(table))
    const described = action().outputs.status?.description ?? ''
    expect(table.filter((s) => !described.includes(s))).toEqual([])
  })

  it('the checklist of section 5 is the code’s: ids in order, wording in en and fr', () => {
    const rows = designTableRows(design, /^## 5\. The checklist/)
    expect(rows.map((r) => namesIn(r[0])[0])).toEqual(Object.keys(ITEM_LABELS.en))
    for (const [id, en, fr] of rows) {
      const key = namesIn(id)[0] as keyof (typeof ITEM_LABELS)['en']
      expect({ id: key, en, fr }).toEqual({
        id: key,
        en: ITEM_LABELS.en[key],
        fr: ITEM_LABELS.fr[key]
      })
    }
  })

  it('the SQL rules of section 5 are the lint’s, with their severity', () => {
    const rows = designTableRows(design, /^### SQL rules/)
    expect(sorted(rows.map((r) => namesIn(r[0])[0] as string))).toEqual(sorted(Object.keys(RULES)))
    for (const [id, severity] of rows) {
      const rule = namesIn(id)[0] as keyof typeof RULES
      expect({ rule, severity }).toEqual({ rule, severity: RULES[rule].severity })
    }
  })

  it('the record fields of section 8 are the fields the record can have', () => {
    const documented = designTableNames(design, /^### Record fields/)
    expect(sorted(documented)).toEqual(sorted(Object.keys(sampleRun().record)))
  })

  it('the payload fields of sections 8 and 14 are the ones the code writes', () => {
    const state = sampleRun()
    expect(sorted(designTableNames(design, /^### The deployment on GitHub/))).toEqual(
      sorted([...Object.keys(deploymentPayload(state)), 'red_button'])
    )
    expect(sorted(designTableNames(design, /^### 1\. Postponed/))).toEqual(
      sorted(Object.keys(postponedPayloadOf(state, '2026-11-30T00:00:00+01:00', 42)))
    )
  })

  it('the variables of section 9 are the ones every command gets', () => {
    expect(sorted(designTableNames(design, /^## 9\. Commands/))).toEqual(
      sorted(Object.keys(commandEnv(sampleRun(), 'deploy')))
    )
  })
})
