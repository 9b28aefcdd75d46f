/** Wiring of the real GitHub client (octokit) to the loopback GitHub stand-in, with a controllable clock. */
import { fixedClock, type Clock } from '../../src/clock.js'
import { GitHubApi } from '../../src/github/api.js'
import {
  createGitHubClient,
  type ClientStats,
  type GitHubClientOptions,
  type Octokit
} from '../../src/github/client.js'
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

/** `clock` is the gate's; the client's own waits (retries, rate limits) are real. */
export function connect(
  standIn: StandIn,
  _clock: Clock,
  options: Partial<GitHubClientOptions> = {}
): { client: ClientStats & { requestCount: number }; octokit: Octokit; api: GitHubApi } {
  const { octokit, stats } = createGitHubClient({ baseUrl: standIn.url, token: TOKEN, ...options })
  const client = Object.defineProperty(stats, 'requestCount', {
    get: () => stats.requests
  }) as ClientStats & { requestCount: number }
  return {
    client,
    octokit,
    api: new GitHubApi(octokit, standIn.state.owner, standIn.state.repo, stats)
  }
}
