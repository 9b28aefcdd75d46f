import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** `npm run local -- --scene NAME`: the bundled action against the stand-ins, offline. */

function local(...args: string[]) {
  const r = spawnSync(process.execPath, [join('scripts', 'local.mjs'), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME }
  })
  const output = (name: string) => new RegExp(`^  ${name}\\s+(.*)$`, 'm').exec(r.stdout)?.[1]
  const path = (label: string) => new RegExp(`^${label}:\\s+(\\S+)$`, 'm').exec(r.stdout)?.[1]
  return { ...r, output, path }
}

describe('npm run local', () => {
  it.each([
    ['green', 'deployed', 'go'],
    ['friday', 'postponed', 'postpone'],
    ['failed-ci', 'aborted', 'abort']
  ])('--scene %s ends %s', (scene, status, decision) => {
    const r = local('--scene', scene)
    expect(r.stderr).not.toMatch(/Error|at .*\.m?js:\d+/)
    expect(r.output('status')).toBe(status)
    expect(r.output('decision')).toBe(decision)
    const summary = r.path('Summary') as string
    expect(existsSync(summary) && readFileSync(summary, 'utf8')).toContain('Red Button')
    expect(existsSync(r.path('Record') as string)).toBe(true)
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
    expect(local('--scene', 'green', '--now', '2026-11-27T16:00:00+01:00').output('status')).toBe(
      'postponed'
    )
  })

  it('an unknown scene or a bad --now is refused, naming what is expected', () => {
    const r = local('--scene', 'tuesday')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('one of green, friday, failed-ci, rollback, queue')
    expect(local('--now', 'soon').stderr).toContain('expected an ISO instant')
  })
})
