/**
 * Ready-made scenes for tests, the demo and the benchmark: a repository whose commit is
 * green and already validated on staging, plus a receiver for notifications.
 */
import { DEFAULT_RUN_CHECK_SUITE_ID, DEFAULT_SHA, iso, startGitHubApi } from './github-api.js'
import type {
  DeploymentInput,
  DeploymentStatusState,
  GitHubApi,
  GitHubState
} from './github-api.js'
import { startReceiver } from './webhook-receiver.js'
import type { Receiver, ReceiverOptions } from './webhook-receiver.js'

export const GREEN_CHECKS = ['build', 'test', 'lint'] as const
export const GREEN_STATUS_CONTEXT = 'ci/external'
export const STAGING_ENVIRONMENT = 'staging'

/** Successful check runs `build`, `test`, `lint` and a successful commit status on `sha`. */
export function seedGreenRepo(api: GitHubApi, sha: string): void {
  for (const name of GREEN_CHECKS) {
    api.addCheckRun(sha, { name, status: 'completed', conclusion: 'success' })
  }
  api.addStatus(sha, {
    context: GREEN_STATUS_CONTEXT,
    state: 'success',
    description: 'All good',
    target_url: 'https://ci.example.com/builds/1'
  })
}

/**
 * A deployment of `sha` (ref `version`, payload `{ version }`) to staging whose latest
 * status is `success`. Returns the deployment id.
 */
export function seedStagingSuccess(
  api: GitHubApi,
  sha: string,
  version: string,
  environment: string = STAGING_ENVIRONMENT
): number {
  return seedDeployment(api, sha, version, environment, {
    description: `Deploy ${version} to ${environment}`,
    statuses: [
      { state: 'in_progress', description: 'Deploying' },
      {
        state: 'success',
        description: 'Deployed',
        log_url: 'https://github.com/acme/shop/actions/runs/1',
        environment_url: `https://${environment}.shop.example.com`
      }
    ]
  })
}

/** What production runs before the deployment: `version`, deployed with success. */
export function seedLiveDeployment(
  api: GitHubApi,
  version = 'v1.1.9',
  environment = 'production',
  sha = 'a'.repeat(40)
): number {
  return seedDeployment(api, sha, version, environment, {
    statuses: [{ state: 'in_progress' }, { state: 'success' }]
  })
}

/** A deployment status `[state, minutes before the clock]`. */
export type StatusAgo = [DeploymentStatusState, number]

/**
 * A deployment of `sha` (default DEFAULT_SHA) as `version` (default v1.2.0) to `environment`
 * whose statuses (oldest first) are dated back from the instant `now`, the deployment itself
 * with its first: `[['in_progress', 12], ['success', 10]]` has baked 10 minutes at `now`.
 * Returns the deployment id.
 */
export function seedDeploymentAgo(
  api: GitHubApi,
  environment: string,
  now: string,
  statuses: readonly StatusAgo[],
  { sha = DEFAULT_SHA, version = 'v1.2.0' }: { sha?: string; version?: string } = {}
): number {
  const ago = (min: number) => iso(new Date(Date.parse(now) - min * 60_000))
  return seedDeployment(api, sha, version, environment, {
    created_at: ago(statuses[0]?.[1] ?? 0),
    statuses: statuses.map(([state, min]) => ({ state, created_at: ago(min) }))
  })
}

/** A deployment of `sha` as `version` (its ref and payload) to `environment`. */
function seedDeployment(
  api: GitHubApi,
  sha: string,
  version: string,
  environment: string,
  rest: Pick<DeploymentInput, 'created_at' | 'description' | 'statuses'>
): number {
  return api.addDeployment({ sha, ref: version, environment, payload: { version }, ...rest })
}

/**
 * The GitHub stand-in of the benchmark and the soak: a green commit validated on staging as
 * v1.2.0, with v1.1.9 live in production.
 */
export async function startProductionApi(sha: string = DEFAULT_SHA): Promise<GitHubApi> {
  const api = await startGitHubApi()
  seedGreenRepo(api, sha)
  seedStagingSuccess(api, sha, 'v1.2.0')
  seedLiveDeployment(api)
  return api
}

export interface StandIns {
  api: GitHubApi
  receiver: Receiver
  sha: string
  version: string
  close(): Promise<void>
}

export interface StandInOptions {
  sha?: string
  version?: string
  seed?: Partial<GitHubState>
  receiver?: ReceiverOptions
}

/**
 * Starts the GitHub API stand-in (green commit, staging validated) and a receiver.
 * `close()` stops both.
 */
export async function startStandIns(opts: StandInOptions = {}): Promise<StandIns> {
  const sha = opts.sha ?? opts.seed?.headSha ?? DEFAULT_SHA
  const version = opts.version ?? 'v1.2.0'
  const api = await startGitHubApi({ headSha: sha, ...opts.seed })
  const receiver = await startReceiver(opts.receiver)
  seedGreenRepo(api, sha)
  seedStagingSuccess(api, sha, version)
  return {
    api,
    receiver,
    sha,
    version,
    close: async () => {
      await Promise.all([api.close(), receiver.close()])
    }
  }
}

/**
 * The GitHub stand-in as the end-to-end tests start it: green checks on the commit, this
 * job's own check run still in progress (it must be ignored), and unless told otherwise the
 * commit already deployed to staging as `version`.
 */
export async function startReleasableApi(
  opts: { sha?: string; version?: string; staging?: boolean } = {}
): Promise<GitHubApi> {
  const sha = opts.sha ?? DEFAULT_SHA
  const api = await startGitHubApi()
  seedGreenRepo(api, sha)
  api.addCheckRun(sha, {
    name: 'deploy',
    status: 'in_progress',
    check_suite_id: DEFAULT_RUN_CHECK_SUITE_ID
  })
  if (opts.staging !== false) seedStagingSuccess(api, sha, opts.version ?? 'v1.2.0')
  return api
}
