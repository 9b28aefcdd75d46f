import { afterAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/**
 * `npm run local -- --scene NAME`: the bundled action against the stand-ins, offline. Each
 * scene is a subprocess that mostly waits on its own loopback servers: they run concurrently.
 */

const left: string[] = []
afterAll(() => {
  for (const dir of left) rmSync(dir, { recursive: true, force: true })
})

async function local(...args: string[]) {
  const child = spawn(process.execPath, [join('scripts', 'local.mjs'), ...args], {
    // the test run's own temp folder (scripts/jest-temp-setup.mjs): what a scene leaves is seen
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: tmpdir() }
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })
  const output = (name: string) => new RegExp(`^  ${name}\\s+(.*)$`, 'm').exec(stdout)?.[1]
  const path = (label: string) => new RegExp(`^${label}:\\s+(\\S+)$`, 'm').exec(stdout)?.[1]
  // the scene's folder (<folder>/job/summary.md) stays for a reader; the tests remove it
  const summary = path('Summary')
  if (summary) left.push(dirname(dirname(summary)))
  return { status, stdout, stderr, output, path }
}

/** A line that looks like something went wrong (the exit code's own line apart). */
const ERROR_LOOKING = /error|fail|unknown|HTTP [45]\d\d|denied|refused/i
const errorLooking = (stdout: string) =>
  stdout.split('\n').filter((l) => ERROR_LOOKING.test(l) && !l.startsWith('Exit code '))

/** each scene's own clock (scripts/local.mjs) */
const SCENE_CLOCK: Record<string, string> = {
  green: '2026-11-24T10:00:00+01:00',
  friday: '2026-11-27T15:00:00+01:00',
  'failed-ci': '2026-11-24T10:00:00+01:00',
  rollback: '2026-11-24T10:00:00+01:00',
  p1: '2026-11-27T19:30:00+01:00',
  holiday: '2027-03-29T10:00:00+02:00',
  bake: '2026-11-24T10:00:00+01:00'
}

describe('npm run local', () => {
  it.concurrent.each([
    ['green', 'deployed', 'go', 0],
    ['friday', 'postponed', 'postpone', 1],
    ['failed-ci', 'aborted', 'abort', 1],
    // its smoke test retries for its real 10 s: the other scenes run beside it
    ['rollback', 'rolled-back', 'go', 1],
    ['p1', 'deployed', 'go', 0],
    ['holiday', 'postponed', 'postpone', 1],
    ['bake', 'postponed', 'postpone', 1]
  ])("--scene %s ends %s, with the step's exit code", async (scene, status, decision, code) => {
    const r = await local('--scene', scene)
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
    // a scene without an error says nothing that looks like one (a postponed release's
    // reason is printed as the reason it is)
    if (scene !== 'failed-ci' && scene !== 'rollback') expect(errorLooking(r.stdout)).toEqual([])
    if (scene === 'rollback') {
      // the reason is on the step's error line, the Slack message says it was rolled back
      expect(r.stdout).toContain('error: Red Button: rolled-back — smoke test "Health" failed')
      expect(r.output('previous-version')).toBe('v1.1.9')
      expect(record).toMatch(/name: rollback\n\s+status: pass/)
      expect(r.stdout).toMatch(/Slack message .*\n(.*\n)*.*rolled back to v1\.1\.9/)
    }
    if (scene === 'friday') {
      expect(r.output('next-window')).toBe('2026-11-30T00:00:00+01:00')
      // the one message's edit keeps its headline: what it adds is shown instead
      expect(r.stdout).toMatch(
        /postponed until Monday 30 November 00:00 .*\n {2}\(edited, adds: It starts again by itself at Mon 30 Nov 00:00/
      )
      expect(r.stdout).toContain(
        'Next window: Monday 30 November 00:00 (Europe/Paris), in 2 days 9 hours — 2026-11-30T00:00:00+01:00'
      )
    }
    if (scene === 'holiday') {
      // Easter Monday is frozen all day (holidays: FR), named as the holiday it is
      expect(r.output('next-window')).toBe('2027-03-30T00:00:00+02:00')
      expect(r.stdout).toContain('Red Button: postponed — window: inside "Easter Monday"')
      expect(r.stdout).toContain(
        'Next window: Tuesday 30 March 00:00 (Europe/Paris), in 14 hours — 2027-03-30T00:00:00+02:00'
      )
    }
    if (scene === 'bake') {
      // staging succeeded 20 min before the scene's clock; bake-time 30m: exactly 10 min more.
      // The scene's clock runs on from its start, so a slow machine adds seconds to "live".
      expect(r.output('next-window')).toBe('2026-11-24T10:10:00+01:00')
      expect(r.stdout).toMatch(
        /Red Button: postponed — staging: v1\.2\.0 live 20 min( \d+ s)? \(deployment #/
      )
      expect(r.stdout).toMatch(
        /baked 20 min( \d+ s)? on staging, needs 30 min: baked at 2026-11-24T10:10:00\+01:00/
      )
      expect(r.stdout).toMatch(
        /Next window: Tuesday 24 November 10:10 \(Europe\/Paris\), in (9|10) minutes/
      )
      expect(record).toMatch(/succeeded_at: "?2026-11-24T09:40:00\+01:00/)
    }
  })

  it.concurrent(
    '--scene holiday at 23:50 the evening before Ascension Day: the watch would run into it',
    async () => {
      const r = await local('--scene', 'holiday', '--now', '2027-05-05T23:50:00+02:00')
      expect(r.output('status')).toBe('postponed')
      expect(r.output('next-window')).toBe('2027-05-07T00:00:00+02:00')
      expect(r.stdout).toContain('the watch would run into Ascension Day, from 2027-05-06 00:00')
      expect(errorLooking(r.stdout)).toEqual([])
    }
  )

  it.concurrent(
    '--scene queue shows the queue as a resume step sees it on Monday: due, and re-run',
    async () => {
      const r = await local('--scene', 'queue')
      expect(r.output('status')).toBe('postponed')
      expect(r.stdout).toMatch(
        /\| production \| v1\.2\.0 \| #\d+ \| Mon 30 Nov 00:00 Europe\/Paris \| resume requested/
      )
      expect(r.stdout).toMatch(/^ {2}status {3}resumed$/m)
      expect(r.stdout).toContain('re-runs requested: 1')
    }
  )

  it.concurrent(
    '--scene queue --now a later Friday: its resume step follows the clock to that Monday',
    async () => {
      const r = await local('--scene', 'queue', '--now', '2026-12-04T15:00:00+01:00')
      expect(r.output('next-window')).toBe('2026-12-07T00:00:00+01:00')
      expect(r.stdout).toContain('Resume step at 2026-12-07T09:10:00+01:00')
      expect(r.stdout).toMatch(/\| Mon 7 Dec 00:00 Europe\/Paris \| resume requested/)
      expect(r.stdout).toContain('re-runs requested: 1')
    }
  )

  it.concurrent(
    '--now moves the clock: the green scene on a Friday afternoon is postponed',
    async () => {
      const r = await local('--scene', 'green', '--now', '2026-11-27T16:00:00+01:00')
      expect(r.output('status')).toBe('postponed')
      // the scene's day is the clock's, not the one it was written for
      expect(r.stdout).toContain('Friday, 27 November 2026 at 16:00 (Europe/Paris')
      expect(r.stdout).not.toContain('Tuesday')
    }
  )

  it.concurrent('--help lists the scenes and options and runs nothing', async () => {
    const r = await local('--help')
    expect(r.status).toBe(0)
    for (const name of [
      'green',
      'friday',
      'failed-ci',
      'rollback',
      'p1',
      'queue',
      'holiday',
      'bake',
      '--scene',
      '--now'
    ])
      expect(r.stdout).toContain(`  ${name}`)
    expect(r.stdout).not.toContain('compiling')
    expect(r.stdout).not.toContain('Outputs')
  })

  it.concurrent('an unknown scene or a bad --now is refused, naming what is expected', async () => {
    const r = await local('--scene', 'tuesday')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(
      'one of green, friday, failed-ci, rollback, p1, queue, holiday, bake'
    )
    expect((await local('--now', 'soon')).stderr).toContain('expected an ISO instant')
  })
})
