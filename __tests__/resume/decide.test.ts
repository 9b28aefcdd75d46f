import { describe, expect, it } from '@jest/globals'
import {
  decide,
  newerToRead,
  refusalOf,
  rerunOf,
  type OtherDeployment,
  type QueuedRelease
} from '../../src/resume/decide.js'
import { postponedPayload } from '../../src/github/payload.js'

const DAY = 86_400_000
const MONDAY = new Date('2026-11-30T08:10:00Z')
const FRIDAY = new Date('2026-11-27T14:00:00Z')

function queued(id: number, o: Partial<QueuedRelease> & { until?: string } = {}): QueuedRelease {
  return {
    id,
    environment: 'production',
    createdAt: FRIDAY,
    resumeRequested: false,
    payload: {
      version: `v${id}`,
      postponed_until: o.until ?? '2026-11-30T00:00:00+01:00',
      run_id: 7000 + id
    },
    ...o
  }
}
const other = (id: number, state?: string, environment = 'production'): OtherDeployment => ({
  id,
  environment,
  version: `v${id}`,
  createdAt: new Date(FRIDAY.getTime() + DAY),
  state
})
const judge = (
  r: QueuedRelease,
  queue: QueuedRelease[],
  others: OtherDeployment[] = [],
  now = MONDAY
) => decide(r, { queue, others, now, expiryMs: 7 * DAY })

describe('decide (docs/design.md section 14)', () => {
  it('is due once postponed_until has passed, waiting before', () => {
    const r = queued(1)
    expect(judge(r, [r])).toEqual({ kind: 'due' })
    expect(judge(r, [r], [], new Date('2026-11-29T22:59:00Z'))).toEqual({ kind: 'waiting' })
  })

  it('is superseded by a newer postponed release of the same environment, not of another', () => {
    const r = queued(1)
    const newer = queued(2)
    expect(judge(r, [r, newer])).toEqual({
      kind: 'superseded',
      by: { id: 2, version: 'v2' },
      postponed: true
    })
    const elsewhere = queued(3, { environment: 'staging' })
    expect(judge(r, [r, elsewhere])).toEqual({ kind: 'due' })
  })

  it('is superseded by a newer deployment that went out (success, or inactive after it)', () => {
    const r = queued(1)
    expect(judge(r, [r], [other(5, 'success')])).toMatchObject({
      kind: 'superseded',
      postponed: false
    })
    expect(judge(r, [r], [other(5, 'inactive')])).toMatchObject({ kind: 'superseded' })
    expect(judge(r, [r], [other(5, 'failure')])).toEqual({ kind: 'due' })
    // older deployments and other environments do not count
    expect(judge(queued(9), [queued(9)], [other(5, 'success')])).toEqual({ kind: 'due' })
    expect(judge(r, [r], [other(5, 'success', 'staging')])).toEqual({ kind: 'due' })
  })

  it('expires past postpone-expiry, counted from its creation', () => {
    const r = queued(1, { createdAt: new Date(MONDAY.getTime() - 7 * DAY - 1) })
    expect(judge(r, [r])).toMatchObject({ kind: 'expired' })
  })

  it('names only the newer deployments of its environment not read yet', () => {
    const r = queued(3)
    expect(
      newerToRead(r, [other(1), other(4), other(5, 'success'), other(6, undefined, 'staging')]).map(
        (o) => o.id
      )
    ).toEqual([4])
  })

  it('re-runs the job when known, else the run', () => {
    expect(rerunOf(queued(1))).toEqual({ run: 7001 })
    const withJob = queued(1)
    withJob.payload.job_id = 42
    expect(rerunOf(withJob)).toEqual({ job: 42, run: 7001 })
  })

  it("tells GitHub's refusals by the permission or limit they name; already running is none", () => {
    expect(refusalOf(403, 'This workflow is already running')).toBeUndefined()
    expect(refusalOf(403, 'Resource not accessible by integration')).toMatch(/actions: write/)
    expect(
      refusalOf(403, 'Unable to retry this workflow run because it was created over a month ago')
    ).toMatch(/last 30 days/)
    expect(refusalOf(404, 'Not Found')).toMatch(/deleted/)
  })
})

describe('postponedPayload', () => {
  it('reads payload.red_button of a postponed release, as an object or as JSON text', () => {
    const red_button = {
      version: 'v1',
      postponed_until: '2026-11-30T00:00:00+01:00',
      run_id: 7,
      slack: { channel: 'C1', ts: '1.2' }
    }
    expect(postponedPayload({ payload: { red_button } })).toMatchObject(red_button)
    expect(postponedPayload({ payload: JSON.stringify({ red_button }) })).toMatchObject({
      run_id: 7
    })
  })

  it('is undefined for any other deployment', () => {
    expect(postponedPayload({ payload: { tool: 'red-button', version: 'v1' } })).toBeUndefined()
    expect(
      postponedPayload({ payload: { red_button: { postponed_until: 'soon' } } })
    ).toBeUndefined()
    expect(postponedPayload({ payload: 'free text' })).toBeUndefined()
  })
})
