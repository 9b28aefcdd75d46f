import { afterAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** `npm run local -- --scene NAME`: the bundled action against the stand-ins, offline. */

const left: string[] = []
afterAll(() => {
  for (const dir of left) rmSync(dir, { recursive: true, force: true })
})

function local(...args: string[]) {
  const r = spawnSync(process.execPath, [join('scripts', 'local.mjs'), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME }
  })
  const output = (name: string) => new RegExp(`^  ${name}\\s+(.*)$`, 'm').exec(r.stdout)?.[1]
  const path = (label: string) => new RegExp(`^${label}:\\s+(\\S+)$`, 'm').exec(r.stdout)?.[1]
  // the scene's folder (<folder>/job/summary.md) stays for a reader; the tests remove it
  const summary = path('Summary')
  if (summary) left.push(dirname(dirname(summary)))
  return { ...r, output, path }
}

/** each scene's own clock (scripts/local.mjs) */
const SCENE_CLOCK: Record<string, string> = {
  green: '2026-11-24T10:00:00+01:00',
  friday: '2026-11-27T15:00:00+01:00',
  'failed-ci': '2026-11-24T10:00:00+01:00',
  p1: '2026-11-27T19:30:00+01:00'
}

describe('npm run local', () => {
  it.each([
    ['green', 'deployed', 'go', 0],
    ['friday', 'postponed', 'postpone', 1],
    ['failed-ci', 'aborted', 'abort', 1],
    ['p1', 'deployed', 'go', 0]
  ])("--scene %s ends %s, with the step's exit code", (scene, status, decision, code) => {
    const r = local('--scene', scene)
    expect(r.stderr).not.toMatch(/Error|at .*\.m?js:\d+/)
    expect(r.output('status')).toBe(status)
    expect(r.output('decision')).toBe(decision)
    expect(r.status).toBe(code)
    expect(r.stdout).toContain(`Exit code ${code} `)
    const summary = r.path('Summary') as string
    expect(existsSync(summary) && readFileSync(summary, 'utf8')).toContain('Red Button')
    expect(existsSync(r.path('Record') as string)).toBe(true)
    // the log is kept beside them, and says nothing looks wrong that is not: the stand-in
    // answers every read (the change list's compare included)
    const log = readFileSync(r.path('Log') as string, 'utf8')
    expect(log).toContain('Red Button')
    expect(log).not.toMatch(/HTTP 404|unknown/)
    const record = readFileSync(r.path('Record') as string, 'utf8')
    expect(record).toMatch(/changes:\n(.*\n)*?\s+commits: 1/)
    // what was there before the run is dated before the scene's clock
    const staging = /succeeded \((\S+)\)/.exec(record)?.[1]
    if (staging) expect(Date.parse(staging)).toBeLessThan(Date.parse(SCENE_CLOCK[scene] ?? ''))
    if (scene === 'p1') {
      expect(record).toContain('urgency: P1')
      expect(record).toMatch(/reason: .+/)
      expect(record).toContain('urgency P1 lifts the time rules')
    }
    if (scene === 'friday') {
      expect(r.output('next-window')).toBe('2026-11-30T00:00:00+01:00')
      expect(r.stdout).toContain(
        'Next window: Monday 30 November 00:00 (Europe/Paris), in 2 days 9 hours — 2026-11-30T00:00:00+01:00'
      )
    }
  })

  it('--scene queue shows the queue as a resume step sees it on Monday: due, and re-run', () => {
    const r = local('--scene', 'queue')
    expect(r.output('status')).toBe('postponed')
    expect(r.stdout).toMatch(
      /\| production \| v1\.2\.0 \| #\d+ \| Mon 30 Nov 00:00 Europe\/Paris \| resume requested/
    )
    expect(r.stdout).toMatch(/^ {2}status {3}resumed$/m)
    expect(r.stdout).toContain('re-runs requested: 1')
  })

  it('--now moves the clock: the green scene on a Friday afternoon is postponed', () => {
    const r = local('--scene', 'green', '--now', '2026-11-27T16:00:00+01:00')
    expect(r.output('status')).toBe('postponed')
    // the scene's day is the clock's, not the one it was written for
    expect(r.stdout).toContain('Friday, 27 November 2026 at 16:00 (Europe/Paris')
    expect(r.stdout).not.toContain('Tuesday')
  })

  it('--help lists the scenes and options and runs nothing', () => {
    const r = local('--help')
    expect(r.status).toBe(0)
    for (const name of ['green', 'friday', 'failed-ci', 'rollback', 'p1', '--scene', '--now'])
      expect(r.stdout).toContain(`  ${name}`)
    expect(r.stdout).not.toContain('compiling')
    expect(r.stdout).not.toContain('Outputs')
  })

  it('an unknown scene or a bad --now is refused, naming what is expected', () => {
    const r = local('--scene', 'tuesday')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('one of green, friday, failed-ci, rollback, p1, queue')
    expect(local('--now', 'soon').stderr).toContain('expected an ISO instant')
  })
})
