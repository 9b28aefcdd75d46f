/** Wiring of the real REST client to the loopback GitHub stand-in, with a controllable clock. */
import { fixedClock, type Clock } from '../../src/clock.js'
import { GitHubApi } from '../../src/github/api.js'
import { RestClient, type RestClientOptions } from '../../src/github/client.js'
import type { GitHubApi as StandIn } from '../../__fixtures__/github-api.js'

export const TOKEN = 'ghs_test_token'

/** A fixed clock (sleep advances it at once) that records every sleep it was asked for. */
export function recordingClock(
  start: Date,
  onSleep?: (ms: number, n: number) => void
): Clock & { sleeps: number[]; set(d: Date): void } {
  const base = fixedClock(start)
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => base.now(),
    set: (d) => base.set(d),
    sleep: async (ms, signal) => {
      sleeps.push(ms)
      await base.sleep(ms, signal)
      onSleep?.(ms, sleeps.length)
    }
  }
}

export function connect(
  standIn: StandIn,
  clock: Clock,
  options: Partial<RestClientOptions> = {}
): { client: RestClient; api: GitHubApi } {
  const client = new RestClient({ baseUrl: standIn.url, token: TOKEN, clock, ...options })
  return { client, api: new GitHubApi(client, standIn.state.owner, standIn.state.repo) }
}
