import { describe, expect, it } from '@jest/globals'
import {
  decide,
  newerToRead,
  refusalOf,
  rerunOf,
  type OtherDeployment,
  type QueuedRelease
} from '../../src/resume/decide.js'
import {
  postponedPayload,
  postponedUntilIn,
  withPostponedUntil,
  type PostponedPayload
} from '../../src/github/payload.js'
import { postponementOf } from '../../src/resume/queue.js'

const DAY = 86_400_000
const MONDAY = new Date('2026-11-30T08:10:00Z')
const FRIDAY = new Date('2026-11-27T14:00:00Z')

function queued(id: number, o: Partial<QueuedRelease> & { until?: string } = {}): QueuedRelease {
  const until = o.until ?? '2026-11-30T00:00:00+01:00'
  return {
    id,
    environment: 'production',
    createdAt: FRIDAY,
    resumeRequested: false,
    payload: { version: `v${id}`, postponed_until: until, run_id: 7000 + id },
    postponedUntil: until,
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

  it("waits until the instant its run postponed it to again, not the payload's first one", () => {
    // Friday → Monday 00:00 in the payload; the Monday re-run postponed it to Tuesday 09:00
    const r = queued(1, { postponedUntil: '2026-12-01T09:00:00+01:00' })
    expect(judge(r, [r])).toEqual({ kind: 'waiting' })
    expect(judge(r, [r], [], new Date('2026-12-01T07:59:00Z'))).toEqual({ kind: 'waiting' })
    expect(judge(r, [r], [], new Date('2026-12-01T08:00:00Z'))).toEqual({ kind: 'due' })
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

describe("the postponement instant in a queued status's log_url (docs/design.md section 14)", () => {
  const RUN = 'https://github.com/acme/shop/actions/runs/7001'
  const TUESDAY = '2026-12-01T09:00:00+01:00'

  it("is written as a fragment of the run's URL, the offset encoded, and read back as written", () => {
    const url = withPostponedUntil(`${RUN}/attempts/2`, TUESDAY)
    expect(url).toBe(`${RUN}/attempts/2#red-button-postponed-until=2026-12-01T09:00:00%2B01:00`)
    expect(new URL(url).pathname).toBe('/acme/shop/actions/runs/7001/attempts/2')
    expect(postponedUntilIn(url)).toBe(TUESDAY)
    // a URL that had a fragment gets this one instead
    expect(withPostponedUntil(`${RUN}#old`, '2026-12-01T08:00:00Z')).toBe(
      `${RUN}#red-button-postponed-until=2026-12-01T08:00:00Z`
    )
  })

  it('reads the instant raw or fully encoded, among other fragment parts', () => {
    expect(postponedUntilIn(`${RUN}#red-button-postponed-until=${TUESDAY}`)).toBe(TUESDAY)
    expect(
      postponedUntilIn(`${RUN}#red-button-postponed-until=${encodeURIComponent(TUESDAY)}`)
    ).toBe(TUESDAY)
    expect(postponedUntilIn(`${RUN}#step=3&red-button-postponed-until=2026-12-01T08:00Z`)).toBe(
      '2026-12-01T08:00Z'
    )
    // an offset that moves the wall-clock date: still the day it names
    expect(postponedUntilIn(`${RUN}#red-button-postponed-until=2026-12-31T23:30:00-05:00`)).toBe(
      '2026-12-31T23:30:00-05:00'
    )
    expect(postponedUntilIn(`${RUN}#red-button-postponed-until=2028-02-29T00:15:00%2B13:45`)).toBe(
      '2028-02-29T00:15:00+13:45'
    )
  })

  it('is undefined when the fragment is absent or malformed', () => {
    for (const url of [
      undefined,
      null,
      '',
      RUN,
      `${RUN}#`,
      `${RUN}#red-button-postponed-until`,
      `${RUN}#red-button-postponed-until=`,
      `${RUN}#red-button-postponed-until=tuesday`,
      `${RUN}#red-button-postponed-until=2026-12-01`, // no time, no offset
      `${RUN}#red-button-postponed-until=2026-12-01T09:00:00`, // no offset
      `${RUN}#red-button-postponed-until=2026-13-01T09:00:00Z`, // no 13th month
      `${RUN}#red-button-postponed-until=2026-02-30T09:00:00Z`, // no 30 February (not 2 March)
      `${RUN}#red-button-postponed-until=2026-12-01T24:00:00Z`, // not the next day's 00:00
      `${RUN}#red-button-postponed-until=2026-12-01T09:60:00Z`,
      `${RUN}#red-button-postponed-until=2026-12-01T09:00:00%2B25:00`, // no such offset
      `${RUN}#red-button-postponed-until=2026-12-01T09:00:00%E0%A4%A`, // bad encoding
      `${RUN}#other-postponed-until=${TUESDAY}`
    ])
      expect(postponedUntilIn(url)).toBeUndefined()
  })
})

describe("postponementOf: what a queued release's latest status says", () => {
  const payload: PostponedPayload = {
    version: 'v1.2.0',
    postponed_until: '2026-11-30T00:00:00+01:00',
    run_id: 7001
  }
  const TUESDAY = '2026-12-01T09:00:00+01:00'

  it('takes the instant of the fragment of a status its run wrote (any attempt)', () => {
    const logUrl = withPostponedUntil(
      'https://github.com/acme/shop/actions/runs/7001/attempts/2',
      TUESDAY
    )
    expect(postponementOf(payload, { log_url: logUrl })).toEqual({
      postponedUntil: TUESDAY,
      resumeRequested: false
    })
    // the first postponement: attempt 1, no /attempts/ part
    expect(
      postponementOf(payload, {
        log_url: withPostponedUntil('https://github.com/acme/shop/actions/runs/7001', TUESDAY)
      })
    ).toEqual({ postponedUntil: TUESDAY, resumeRequested: false })
  })

  it("falls back to the payload's instant when the fragment is absent or malformed", () => {
    for (const log_url of [
      'https://github.com/acme/shop/actions/runs/7001',
      'https://github.com/acme/shop/actions/runs/7001#red-button-postponed-until=monday',
      null,
      undefined
    ])
      expect(postponementOf(payload, { log_url })).toEqual({
        postponedUntil: payload.postponed_until,
        resumeRequested: log_url === null || log_url === undefined
      })
  })

  it('is a requested resume when a resume step wrote it; its fragment keeps the instant', () => {
    expect(
      postponementOf(payload, { log_url: 'https://github.com/acme/shop/actions/runs/9100' })
    ).toEqual({ postponedUntil: payload.postponed_until, resumeRequested: true })
    // a resume step's queued status repeats the instant it resumed (the queue's summary shows
    // Tuesday, not the payload's Monday); runs 70010 or 700 are not run 7001
    expect(
      postponementOf(payload, {
        log_url: withPostponedUntil('https://github.com/acme/shop/actions/runs/70010', TUESDAY)
      })
    ).toEqual({ postponedUntil: TUESDAY, resumeRequested: true })
  })
})
