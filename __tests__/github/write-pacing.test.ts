import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { startGitHubApi, type GitHubApi as StandIn } from '../../__fixtures__/github-api.js'
import { WRITE_BURST } from '../../src/github/client.js'
import { connect, recordingClock } from './connect.js'

/**
 * The write pacing is one token bucket for the process (as the throttling plugin's own
 * groups are): this file is the first and only writer of its module registry, so the bucket
 * starts full.
 */

let gh: StandIn
beforeEach(async () => {
  gh = await startGitHubApi()
})
afterEach(async () => {
  await gh.close()
})

describe('write pacing', () => {
  it(`lets a run's first ${WRITE_BURST} writes go at once, then paces writes one a second`, async () => {
    const { api } = connect(gh, recordingClock(new Date()))
    const d = await api.createDeployment({
      ref: 'main',
      environment: 'qa',
      description: 'v1',
      payload: {},
      production_environment: false
    })
    for (let i = 0; i < 4; i++) await api.createDeploymentStatus(d.id, { state: 'in_progress' })
    const at = gh.requests.filter((r) => r.method === 'POST').map((r) => r.arrivedAt)
    expect(at).toHaveLength(5)
    const t = (i: number) => (at[i] ?? 0) - (at[0] ?? 0)
    // the bucket holds 3: the 4th and 5th writes wait for a token each, a second apart
    expect(t(WRITE_BURST + 1)).toBeGreaterThanOrEqual(1500)
    // and the burst goes faster than paced writes: not spaced a second each (2 s for three)
    expect(t(WRITE_BURST - 1)).toBeLessThan(t(WRITE_BURST + 1) - t(WRITE_BURST - 1))
  })
})
