import { readFileSync } from 'node:fs'

/** What the runner tells us about this run, read from its environment once. */
export interface RunContext {
  owner: string
  repo: string
  /** the commit being deployed (a PR's head commit on pull_request events) */
  sha: string
  ref: string
  actor: string
  runId?: number
  runAttempt?: number
  /** the job's key in the workflow (`GITHUB_JOB`) */
  job?: string
  /** the runner running this job (`RUNNER_NAME`): tells this job from the others of the run */
  runnerName?: string
  eventName: string
  /** PR number when the event is about a pull request */
  pullNumber?: number
  apiUrl: string
  serverUrl: string
  runUrl?: string
  workspace: string
  tempDir: string
  /**
   * One second of the GitHub client's back-off, in ms, from `RED_BUTTON_BACKOFF_UNIT_MS`: for
   * tests, so a retried 5xx does not cost real seconds. Read only outside GitHub Actions (a
   * workflow cannot shorten its own back-off); undefined means a real second.
   */
  backoffUnitMs?: number
}

type Env = Record<string, string | undefined>

function readEvent(path: string | undefined): Record<string, unknown> {
  if (!path) return {}
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
  } catch {
    return {}
  }
}

export class ContextError extends Error {}

export function readRunContext(env: Env = process.env): RunContext {
  const repository = env.GITHUB_REPOSITORY ?? ''
  const [owner, repo] = repository.split('/')
  if (!owner || !repo)
    throw new ContextError('GITHUB_REPOSITORY must be set as owner/repo (the runner sets it)')
  const event = readEvent(env.GITHUB_EVENT_PATH)
  const pr = event.pull_request as { number?: number; head?: { sha?: string } } | undefined
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  const isPrEvent = eventName.startsWith('pull_request') && pr !== undefined
  const sha = (isPrEvent ? pr?.head?.sha : undefined) ?? env.GITHUB_SHA ?? ''
  if (!/^[0-9a-f]{7,64}$/i.test(sha))
    throw new ContextError('GITHUB_SHA must be set to the commit being deployed')
  const serverUrl = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/$/, '')
  const runId =
    env.GITHUB_RUN_ID && /^\d+$/.test(env.GITHUB_RUN_ID) ? Number(env.GITHUB_RUN_ID) : undefined
  const runAttempt = env.GITHUB_RUN_ATTEMPT ? Number(env.GITHUB_RUN_ATTEMPT) : undefined
  return {
    owner,
    repo,
    sha: sha.toLowerCase(),
    ref: env.GITHUB_REF ?? '',
    // The one who pressed the button: on a re-run that is the triggering actor.
    actor: env.GITHUB_TRIGGERING_ACTOR || env.GITHUB_ACTOR || '',
    runId,
    runAttempt,
    job: env.GITHUB_JOB || undefined,
    runnerName: env.RUNNER_NAME || undefined,
    eventName,
    pullNumber: isPrEvent ? pr?.number : undefined,
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, ''),
    serverUrl,
    runUrl:
      runId !== undefined ? runUrlOf({ serverUrl, owner, repo }, runId, runAttempt) : undefined,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    tempDir: env.RUNNER_TEMP || env.TMPDIR || '/tmp',
    backoffUnitMs: backoffUnit(env)
  }
}

/** The URL of a workflow run (of one attempt when `attempt` > 1). */
export function runUrlOf(
  ctx: Pick<RunContext, 'serverUrl' | 'owner' | 'repo'>,
  runId: number,
  attempt?: number
): string {
  return `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/actions/runs/${runId}${attempt && attempt > 1 ? `/attempts/${attempt}` : ''}`
}

/**
 * Whether `url` (a status's `log_url`) names the workflow run `runId`, any attempt and any job,
 * its query or fragment aside.
 */
export function namesRun(url: string, runId: number): boolean {
  return new RegExp(`/actions/runs/${runId}(/|$|\\?|#)`).test(url)
}

function backoffUnit(env: Env): number | undefined {
  const wanted = env.RED_BUTTON_BACKOFF_UNIT_MS?.trim()
  if (!wanted || env.GITHUB_ACTIONS === 'true' || !/^\d+$/.test(wanted)) return undefined
  return Number(wanted)
}

/** The version label: the tag name when the ref is a tag, else the 7-character short SHA. */
export function defaultVersion(ctx: Pick<RunContext, 'ref' | 'sha'>): string {
  if (ctx.ref.startsWith('refs/tags/')) return ctx.ref.slice('refs/tags/'.length)
  return ctx.sha.slice(0, 7)
}
