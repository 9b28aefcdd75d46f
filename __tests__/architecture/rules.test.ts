import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * docs/design.md section 12's rules, kept by dependency-cruiser in `npm run lint`: each rule is
 * shown to fail on a deliberate violation, in a copy of src/, and the real src/ passes.
 */

const ROOT = process.cwd()
const CLI = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs')

interface Violation {
  rule: { name: string }
  from: string
  to: string
}

/** Runs the project's rules over a copy of src/ changed by `change`; the violations. */
function violationsOf(change: (src: string) => void = () => undefined): Violation[] {
  const dir = mkdtempSync(join(tmpdir(), 'red-button-rules-'))
  try {
    cpSync(join(ROOT, 'src'), join(dir, 'src'), { recursive: true })
    for (const f of ['tsconfig.json', '.dependency-cruiser.cjs', 'package.json'])
      cpSync(join(ROOT, f), join(dir, f))
    change(join(dir, 'src'))
    const run = spawnSync(
      process.execPath,
      [CLI, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') } }
    )
    const report = JSON.parse(run.stdout) as { summary: { violations: Violation[] } }
    return report.summary.violations
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const file = (src: string, path: string, text: string): void => writeFileSync(join(src, path), text)

const rulesOf = (violations: Violation[]): string[] =>
  [...new Set(violations.map((v) => v.rule.name))].sort()

/** Each rule and a deliberate violation of it: a file that imports what it must not. */
const CASES: Array<[rule: string, path: string, text: string]> = [
  ['schedule-is-pure', 'schedule/x.ts', "export * from '../github/api.js'"],
  ['schedule-is-pure', 'schedule/x.ts', "export * from '../notify/index.js'"],
  ['gate-never-acts', 'gate/x.ts', "export * from '../run/command.js'"],
  ['gate-never-acts', 'gate/x.ts', "export * from '../notify/index.js'"],
  ['run-never-re-decides', 'run/x.ts', "export * from '../gate/lock.js'"],
  ['github-knows-no-policy', 'github/x.ts', "export * from '../gate/verdict.js'"],
  ['github-knows-no-policy', 'github/x.ts', "export type { StepRunner } from '../run/steps.js'"],
  ['report-only-renders', 'report/x.ts', "export type { GitHubApi } from '../github/api.js'"],
  ['report-only-renders', 'report/x.ts', "export * from '../run/env.js'"],
  ['notify-carries-a-record', 'notify/x.ts', "export type { Process } from '../run/process.js'"],
  ['notify-carries-a-record', 'notify/x.ts', "export * from '../gate/verdict.js'"],
  ['record-has-one-owner', 'notify/x.ts', "export { RunRecord } from '../record/owner.js'"],
  ['resume-never-deploys', 'resume/x.ts', "export * from '../gate/verdict.js'"],
  ['resume-never-deploys', 'resume/x.ts', "export type { Process } from '../run/process.js'"],
  ['record-before-reports', 'record/x.ts', "export * from '../report/summary.js'"],
  ['sql-is-pure', 'sql/x.ts', "export type { GitHubApi } from '../github/api.js'"],
  ['sql-is-pure', 'sql/x.ts', "export * from '../report/escape.js'"],
  ['sql-parser-loads-lazily', 'gate/x.ts', "export { lintMigration } from '../sql/lint.js'"],
  ['sql-parser-loads-lazily', 'run/x.ts', "export { parse } from 'libpg-query'"],
  ['settings-come-first', 'settings/x.ts', "export type { ProbeContext } from '../run/probes.js'"],
  ['settings-come-first', 'settings/x.ts', "export * from '../report/escape.js'"]
]

const CYCLE = ['run/a.ts', 'run/b.ts']
const caseFile = (path: string, n: number): string => path.replace(/x\.ts$/, `x${n}.ts`)

/**
 * One run of dependency-cruiser over a copy of src/ holding every deliberate violation at once
 * (each in its own file, so each is told apart by where it comes from): one run, not one per
 * rule, which took minutes on a busy machine.
 */
let all: Violation[] | undefined
function violations(): Violation[] {
  all ??= violationsOf((src) => {
    CASES.forEach(([, path, text], n) => file(src, caseFile(path, n), `${text}\n`))
    file(src, 'run/a.ts', "import { b } from './b.js'\nexport const a = () => b\n")
    file(src, 'run/b.ts', "import { a } from './a.js'\nexport const b = () => a\n")
    appendFileSync(join(src, 'finish.ts'), "\nexport { runGate } from './gate/index.js'\n")
  })
  return all
}
const fromAny = (files: string[]) => (v: Violation) =>
  files.some((f) => v.from === `src/${f}` || v.to === `src/${f}`)

describe('the shape of the code (docs/design.md section 12)', () => {
  it('the code as it is breaks no rule', () => {
    expect(rulesOf(violationsOf())).toEqual([])
  })

  it.each(CASES.map(([rule, path, text], n) => [rule, path, text, n] as const))(
    '%s fails on %s importing: %s',
    (rule, path, _text, n) => {
      expect(rulesOf(violations().filter(fromAny([caseFile(path, n)])))).toEqual([rule])
    }
  )

  it('no-cycles fails on two modules that import each other', () => {
    expect(rulesOf(violations().filter(fromAny(CYCLE)))).toEqual(['no-cycles'])
  })

  it('post-step-stays-light fails when the post step reaches the gate', () => {
    const cases = CASES.map(([, path], n) => caseFile(path, n))
    const rest = violations().filter((v) => !fromAny([...cases, ...CYCLE])(v))
    expect(rulesOf(rest)).toEqual(['post-step-stays-light'])
  })
})
