/**
 * An in-memory stand-in for the parts of the GitHub REST API that Red Button uses
 * (docs/design.md section 11), served over real HTTP on 127.0.0.1 with a random port.
 *
 * Paths, status codes, pagination (`per_page`, `page`, `Link` header) and the quirks that
 * matter (combined status `pending` with `total_count: 0`, `role_name` vs legacy
 * `permission`, deployment `auto_inactive`, required contexts) follow GitHub.
 *
 * Everything lives in `api.state`, which tests may read and mutate directly; the helpers
 * (`addCheckRun`, `addDeployment`, ...) are shortcuts that fill in GitHub's defaults.
 * Lists are stored oldest first; the API answers newest first where GitHub does.
 */
import { createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

// ---------------------------------------------------------------------------------------
// State

export type CheckRunStatus =
  'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending'
export type CheckRunConclusion =
  | 'success'
  | 'failure'
  | 'neutral'
  | 'cancelled'
  | 'skipped'
  | 'timed_out'
  | 'action_required'
  | 'stale'
  | null
export type CommitStatusState = 'error' | 'failure' | 'pending' | 'success'
export type DeploymentStatusState =
  'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success'
export type RoleName = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | (string & {})
export type LegacyPermission = 'admin' | 'write' | 'read' | 'none'

export interface CheckRun {
  id: number
  head_sha: string
  name: string
  status: CheckRunStatus
  conclusion: CheckRunConclusion
  check_suite_id: number
  /** the app's slug, e.g. `github-actions` */
  app: string
  started_at: string
  completed_at: string | null
}

export interface CommitStatus {
  id: number
  sha: string
  context: string
  state: CommitStatusState
  target_url: string | null
  description: string | null
  created_at: string
  updated_at: string
}

export interface DeploymentStatus {
  id: number
  state: DeploymentStatusState
  created_at: string
  updated_at: string
  log_url: string
  environment_url: string
  description: string
  environment: string
  creator: string
}

export interface Deployment {
  id: number
  sha: string
  ref: string
  task: string
  environment: string
  original_environment: string
  /** as sent: an object, or a string when the client sent a string */
  payload: unknown
  description: string | null
  created_at: string
  updated_at: string
  creator: string
  production_environment: boolean
  transient_environment: boolean
  /** oldest first; `statuses.at(-1)` is the latest */
  statuses: DeploymentStatus[]
}

export interface PullRequest {
  number: number
  title: string
  state: 'open' | 'closed'
  /** when it was merged (a closed PR that was merged); null when it was not */
  merged_at: string | null
  head_ref: string
  head_sha: string
  base_ref: string
  user: string
  /** commits associated with the pull request (`GET commits/{sha}/pulls` looks here) */
  commits: string[]
}

export interface PullReview {
  id: number
  pull_number: number
  user: string
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING */
  state: string
  submitted_at: string
}

export interface IssueComment {
  id: number
  issue_number: number
  body: string
  user: string
  created_at: string
  updated_at: string
}

export interface CommitFile {
  filename: string
  /** added, removed, modified, renamed */
  status: 'added' | 'removed' | 'modified' | 'renamed'
  previous_filename?: string
  changes?: number
}

/** A commit of the stand-in's one line of history (`GET compare` walks it). */
export interface HistoryCommit {
  sha: string
  message: string
  /** the GitHub login of its author; null for an author GitHub does not know */
  author: string | null
  /** the author's name in git */
  authorName: string
  files: CommitFile[]
}

export interface CommitInput {
  sha: string
  message: string
  author?: string | null
  files?: CommitFile[]
}

export interface Collaborator {
  role_name: RoleName
  permission: LegacyPermission
}

export interface WorkflowRun {
  id: number
  check_suite_id: number
  head_sha: string
  run_attempt: number
  name: string
  /** `in_progress` unless told: "this run" is running while the action runs */
  status?: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending'
  conclusion?: string | null
  /** GitHub re-runs only runs of the last 30 days */
  created_at?: string
}

/** A job of a workflow run attempt (`GET actions/runs/{id}/attempts/{n}/jobs`). */
export interface WorkflowJob {
  id: number
  run_id: number
  run_attempt: number
  /** the job's name as shown (the key, `GITHUB_JOB`, unless the workflow names it) */
  name: string
  status: 'queued' | 'in_progress' | 'completed'
  conclusion: string | null
  runner_name: string | null
}

/** A re-run GitHub accepted (`POST actions/jobs/{id}/rerun` or `.../rerun-failed-jobs`). */
export interface Rerun {
  run_id: number
  /** undefined for rerun-failed-jobs */
  job_id?: number
  /** the attempt it started */
  attempt: number
  at: string
}

export interface GitHubState {
  owner: string
  repo: string
  /** e.g. `/api/v3` to look like GitHub Enterprise Server; `url` then ends with it */
  pathPrefix: string
  /** used to build `html_url`s */
  webUrl: string
  /** the commit that branch and tag names resolve to unless `refs` says otherwise */
  headSha: string
  /** branch or tag name -> sha */
  refs: Record<string, string>
  /** the identity behind the token: author of deployments, statuses and comments */
  login: string
  checkRuns: CheckRun[]
  statuses: CommitStatus[]
  deployments: Deployment[]
  pulls: PullRequest[]
  /** reviews of pull requests, oldest first */
  reviews: PullReview[]
  comments: IssueComment[]
  /** login -> role; unknown logins get 404 */
  collaborators: Record<string, Collaborator>
  runs: WorkflowRun[]
  /** jobs of the runs' attempts */
  jobs: WorkflowJob[]
  /** re-runs accepted, in order */
  reruns: Rerun[]
  /** false: the token lacks `actions: write` (re-runs answer 403) */
  actionsWrite: boolean
  /** one line of history, oldest first: `compare` answers from it */
  history: HistoryCommit[]
  /** `"base...head"` -> a compare answer given as is (a diverged history, say) */
  comparisons: Record<string, unknown>
  /** comment writes answer 403 "Resource not accessible by integration" */
  readOnlyComments: boolean
  /** artificial delay before every request is handled */
  delayMs: number
  /**
   * the token's rate limit, as GitHub keeps it: every answered request counts but a
   * `304 Not Modified` to a conditional request (`If-None-Match` with the ETag GitHub gave)
   */
  rateLimit: { limit: number; used: number }
  /** when set, only these tokens are accepted (others get 401 "Bad credentials") */
  tokens: string[] | null
  /** source of `created_at` / `updated_at` */
  clock: () => Date
  /** called once when a deployment is about to be created (to stage a race) */
  beforeCreateDeployment?: () => void
}

export interface RecordedRequest {
  method: string
  /** the path as sent, including `pathPrefix`, without the query string */
  path: string
  query: Record<string, string>
  /** parsed JSON body, `undefined` when there was none */
  body: unknown
  /** lower-cased names */
  headers: Record<string, string>
  /** the status it was answered with (set once answered) */
  status?: number
  /** whether it counted against the rate limit (a 304 does not) */
  counted?: boolean
  /** performance.now() when it arrived and when its answer was sent */
  arrivedAt: number
  answeredAt?: number
}

export interface CheckRunInput {
  name: string
  status?: CheckRunStatus
  conclusion?: CheckRunConclusion
  check_suite_id?: number
  app?: string
}

export interface StatusInput {
  context: string
  state: CommitStatusState
  target_url?: string | null
  description?: string | null
}

export interface DeploymentStatusInput {
  state: DeploymentStatusState
  created_at?: string
  log_url?: string
  environment_url?: string
  description?: string
}

export interface DeploymentInput {
  sha: string
  ref: string
  environment: string
  payload?: unknown
  created_at?: string
  task?: string
  description?: string | null
  creator?: string
  production_environment?: boolean
  transient_environment?: boolean
  /** oldest first */
  statuses?: DeploymentStatusInput[]
}

export interface PullInput {
  number: number
  title: string
  head_ref: string
  /** `merged` is a closed PR with `merged_at` set */
  state?: 'open' | 'closed' | 'merged'
  base_ref?: string
  user?: string
}

export interface GitHubApi {
  /** base URL to use as `GITHUB_API_URL`, e.g. `http://127.0.0.1:PORT` (+ `pathPrefix`) */
  readonly url: string
  readonly state: GitHubState
  readonly requests: RecordedRequest[]
  close(): Promise<void>
  addCheckRun(sha: string, run: CheckRunInput): CheckRun
  /** patches the newest check run with that name on that commit */
  setCheckRun(
    sha: string,
    name: string,
    patch: Partial<Omit<CheckRun, 'id' | 'head_sha'>>
  ): CheckRun
  addStatus(sha: string, status: StatusInput): CommitStatus
  addDeployment(deployment: DeploymentInput): number
  addDeploymentStatus(deploymentId: number, status: DeploymentStatusInput): DeploymentStatus
  addPull(sha: string, pull: PullInput): PullRequest
  /** a review of pull request `pull` by `user` (submitted now unless told) */
  addReview(pull: number, user: string, state: string, submittedAt?: string): PullReview
  setPermission(user: string, roleName: RoleName, permission?: LegacyPermission): void
  addRun(run: Partial<WorkflowRun> & { id: number }): WorkflowRun
  /** a job of a run's attempt (attempt 1, in progress, unless told) */
  addJob(job: Partial<WorkflowJob> & { run_id: number; name: string }): WorkflowJob
  /** appends a commit to the line of history */
  addCommit(commit: CommitInput): HistoryCommit
  /**
   * The next `n` requests matching `pathPattern` (tested against the path and against
   * `"METHOD path"`; all requests when omitted) fail with `status`. 403 and 429 look like
   * GitHub's secondary rate limit (`Retry-After: 1`, or `retryAfter` as given).
   */
  failNext(n: number, status?: number, pathPattern?: RegExp, retryAfter?: string): void
  /** requests so far whose path or `"METHOD path"` matches (all when omitted) */
  requestCount(pattern?: RegExp): number
}

/**
 * How many round trips a client waited for one after another: the longest chain of requests
 * each sent after the previous one was answered (requests in flight together count once).
 */
export function sequentialRoundTrips(requests: readonly RecordedRequest[]): number {
  let chain = 0
  let freeAt = -Infinity
  const answered = requests.filter((r) => r.answeredAt !== undefined)
  for (const r of [...answered].sort((a, b) => (a.answeredAt ?? 0) - (b.answeredAt ?? 0))) {
    if (r.arrivedAt >= freeAt) {
      chain++
      freeAt = r.answeredAt ?? 0
    }
  }
  return chain
}

export const DEFAULT_OWNER = 'acme'
export const DEFAULT_REPO = 'shop'
export const DEFAULT_SHA = '3f786850e387550fdab836ed7e6dc881de23001b'
/** the workflow run that stands for "this run" (`GITHUB_RUN_ID`) */
export const DEFAULT_RUN_ID = 7001
/** its check suite: check runs added with this `check_suite_id` are "this run's own" */
export const DEFAULT_RUN_CHECK_SUITE_ID = 9001
/** check suite given to check runs added without one (some other workflow) */
export const OTHER_CHECK_SUITE_ID = 5001
export const DEFAULT_LOGIN = 'github-actions[bot]'

const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'

const LEGACY_PERMISSION: Record<string, LegacyPermission> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read'
}

const DEPLOYMENT_STATES: readonly string[] = [
  'error',
  'failure',
  'inactive',
  'in_progress',
  'queued',
  'pending',
  'success'
]

/** GitHub's timestamps: ISO 8601 in UTC, no milliseconds */
export function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function defaultState(headSha: string): GitHubState {
  return {
    owner: DEFAULT_OWNER,
    repo: DEFAULT_REPO,
    pathPrefix: '',
    webUrl: 'https://github.com',
    headSha,
    refs: {},
    login: DEFAULT_LOGIN,
    checkRuns: [],
    statuses: [],
    deployments: [],
    pulls: [],
    reviews: [],
    comments: [],
    collaborators: {},
    history: [],
    comparisons: {},
    runs: [
      {
        id: DEFAULT_RUN_ID,
        check_suite_id: DEFAULT_RUN_CHECK_SUITE_ID,
        head_sha: headSha,
        run_attempt: 1,
        name: 'Release'
      }
    ],
    jobs: [],
    reruns: [],
    actionsWrite: true,
    readOnlyComments: false,
    delayMs: 0,
    rateLimit: { limit: 1000, used: 0 },
    tokens: null,
    clock: () => new Date()
  }
}

function highestId(state: GitHubState): number {
  const ids = [
    ...state.checkRuns.map((r) => r.id),
    ...state.statuses.map((s) => s.id),
    ...state.deployments.flatMap((d) => [d.id, ...d.statuses.map((s) => s.id)]),
    ...state.comments.map((c) => c.id)
  ]
  return Math.max(1000, ...ids)
}

// ---------------------------------------------------------------------------------------
// HTTP plumbing

type Json = Record<string, unknown>

interface Reply {
  status: number
  body: unknown
  headers?: Record<string, string>
}

interface Ctx {
  method: string
  /** path after `pathPrefix` and `/repos/{owner}/{repo}` */
  sub: string
  query: URLSearchParams
  body: unknown
  /** absolute URL of this request, to build `Link` headers */
  self: URL
}

type Handler = (ctx: Ctx, params: string[]) => Reply

interface FailureRule {
  remaining: number
  status: number
  pattern?: RegExp
  retryAfter?: string
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Json = {}
  ) {
    super(message)
  }
}

function notFound(): HttpError {
  return new HttpError(404, 'Not Found')
}

function matches(pattern: RegExp | undefined, method: string, path: string): boolean {
  if (!pattern) return true
  pattern.lastIndex = 0
  if (pattern.test(path)) return true
  pattern.lastIndex = 0
  return pattern.test(`${method} ${path}`)
}

function asObject(body: unknown): Json {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Json) : {}
}

function optString(body: Json, key: string): string | undefined {
  const value = body[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw invalid(`"${key}" must be a string`)
  return value
}

function optBool(body: Json, key: string): boolean | undefined {
  const value = body[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'boolean') throw invalid(`"${key}" must be a boolean`)
  return value
}

function invalid(detail: string): HttpError {
  return new HttpError(422, `Invalid request.\n\n${detail}.`)
}

function intParam(query: URLSearchParams, key: string): number | undefined {
  const raw = query.get(key)
  if (raw === null || !/^\d+$/.test(raw)) return undefined
  return Number(raw)
}

function paginate<T>(
  items: readonly T[],
  ctx: Ctx
): { items: T[]; headers: Record<string, string> } {
  const perPageRaw = intParam(ctx.query, 'per_page')
  const perPage = perPageRaw === undefined || perPageRaw < 1 ? 30 : Math.min(perPageRaw, 100)
  const page = Math.max(1, intParam(ctx.query, 'page') ?? 1)
  const lastPage = Math.max(1, Math.ceil(items.length / perPage))
  const link = (n: number, rel: string): string => {
    const url = new URL(ctx.self)
    url.searchParams.set('per_page', String(perPage))
    url.searchParams.set('page', String(n))
    return `<${url.toString()}>; rel="${rel}"`
  }
  const links: string[] = []
  if (page > 1) links.push(link(Math.min(page - 1, lastPage), 'prev'))
  if (page < lastPage) links.push(link(page + 1, 'next'), link(lastPage, 'last'))
  if (page > 1) links.push(link(1, 'first'))
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : {}
  }
}

function headerRecord(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

// ---------------------------------------------------------------------------------------
// The stand-in

export async function startGitHubApi(seed: Partial<GitHubState> = {}): Promise<GitHubApi> {
  const state: GitHubState = { ...defaultState(seed.headSha ?? DEFAULT_SHA), ...seed }
  const requests: RecordedRequest[] = []
  const failures: FailureRule[] = []
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  let lastId = highestId(state)
  const nextId = (): number => ++lastId
  const now = (): string => iso(state.clock())

  const repoPath = (): string => `/repos/${state.owner}/${state.repo}`
  const webRepo = (): string => `${state.webUrl}/${state.owner}/${state.repo}`
  const resolveRef = (ref: string): string =>
    state.refs[ref] ?? (/^[0-9a-f]{40}$/i.test(ref) ? ref.toLowerCase() : state.headSha)

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve()
      }, ms)
      timers.add(timer)
    })

  // ---- rendering -------------------------------------------------------------------

  const renderCheckRun = (run: CheckRun): Json => ({
    id: run.id,
    head_sha: run.head_sha,
    name: run.name,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.started_at,
    completed_at: run.completed_at,
    check_suite: { id: run.check_suite_id },
    html_url: `${webRepo()}/runs/${run.id}`,
    details_url: `${webRepo()}/runs/${run.id}`,
    app: { slug: run.app, name: run.app }
  })

  const renderStatus = (status: CommitStatus): Json => ({
    id: status.id,
    context: status.context,
    state: status.state,
    target_url: status.target_url,
    description: status.description,
    created_at: status.created_at,
    updated_at: status.updated_at
  })

  const renderDeployment = (d: Deployment): Json => ({
    id: d.id,
    url: `${api.url}${repoPath()}/deployments/${d.id}`,
    statuses_url: `${api.url}${repoPath()}/deployments/${d.id}/statuses`,
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    environment: d.environment,
    original_environment: d.original_environment,
    payload: d.payload,
    description: d.description,
    creator: { login: d.creator },
    created_at: d.created_at,
    updated_at: d.updated_at,
    production_environment: d.production_environment,
    transient_environment: d.transient_environment
  })

  const renderDeploymentStatus = (d: Deployment, s: DeploymentStatus): Json => ({
    id: s.id,
    state: s.state,
    created_at: s.created_at,
    updated_at: s.updated_at,
    log_url: s.log_url,
    target_url: s.log_url,
    environment_url: s.environment_url,
    description: s.description,
    environment: s.environment,
    creator: { login: s.creator },
    deployment_url: `${api.url}${repoPath()}/deployments/${d.id}`
  })

  const pullUrl = (n: number): string => `${webRepo()}/pull/${n}`

  const renderPull = (p: PullRequest): Json => ({
    number: p.number,
    title: p.title,
    state: p.state,
    merged_at: p.merged_at,
    html_url: pullUrl(p.number),
    user: { login: p.user },
    head: { ref: p.head_ref, sha: p.head_sha, label: `${state.owner}:${p.head_ref}` },
    base: { ref: p.base_ref }
  })

  const renderComment = (c: IssueComment): Json => {
    const isPull = state.pulls.some((p) => p.number === c.issue_number)
    return {
      id: c.id,
      body: c.body,
      user: { login: c.user },
      html_url: `${webRepo()}/${isPull ? 'pull' : 'issues'}/${c.issue_number}#issuecomment-${c.id}`,
      issue_url: `${api.url}${repoPath()}/issues/${c.issue_number}`,
      created_at: c.created_at,
      updated_at: c.updated_at
    }
  }

  // ---- helpers shared by routes and tests -------------------------------------------

  /** the newest status of each context, newest first */
  const latestStatuses = (sha: string): CommitStatus[] => {
    const byContext = new Map<string, CommitStatus>()
    for (const s of state.statuses) if (s.sha === sha) byContext.set(s.context, s)
    return [...byContext.values()].sort((a, b) => b.id - a.id)
  }

  const findDeployment = (id: number): Deployment => {
    const found = state.deployments.find((d) => d.id === id)
    if (!found) throw notFound()
    return found
  }

  const pushDeploymentStatus = (
    d: Deployment,
    input: DeploymentStatusInput & { environment?: string }
  ): DeploymentStatus => {
    const at = input.created_at ?? now()
    const status: DeploymentStatus = {
      id: nextId(),
      state: input.state,
      created_at: at,
      updated_at: at,
      log_url: input.log_url ?? '',
      environment_url: input.environment_url ?? '',
      description: input.description ?? '',
      environment: input.environment ?? d.environment,
      creator: state.login
    }
    d.statuses.push(status)
    d.updated_at = at
    return status
  }

  // ---- routes -------------------------------------------------------------------------

  const listCheckRuns: Handler = (ctx, [ref = '']) => {
    const sha = resolveRef(ref)
    let runs = state.checkRuns.filter((r) => r.head_sha === sha)
    const name = ctx.query.get('check_name')
    if (name !== null) runs = runs.filter((r) => r.name === name)
    const status = ctx.query.get('status')
    if (status !== null) runs = runs.filter((r) => r.status === status)
    if (ctx.query.get('filter') !== 'all') {
      // GitHub's default `filter=latest`: the most recent run per app and name
      const latest = new Map<string, CheckRun>()
      for (const r of runs) latest.set(`${r.app}\u0000${r.name}`, r)
      runs = runs.filter((r) => latest.get(`${r.app}\u0000${r.name}`) === r)
    }
    const page = paginate(runs, ctx)
    return {
      status: 200,
      headers: page.headers,
      body: { total_count: runs.length, check_runs: page.items.map(renderCheckRun) }
    }
  }

  const combinedStatus: Handler = (ctx, [ref = '']) => {
    const sha = resolveRef(ref)
    const latest = latestStatuses(sha)
    const states = latest.map((s) => s.state)
    const combined: CommitStatusState =
      states.length === 0
        ? 'pending'
        : states.some((s) => s === 'failure' || s === 'error')
          ? 'failure'
          : states.includes('pending')
            ? 'pending'
            : 'success'
    const page = paginate(latest, ctx)
    return {
      status: 200,
      headers: page.headers,
      body: {
        state: combined,
        sha,
        total_count: latest.length,
        statuses: page.items.map(renderStatus),
        repository: { full_name: `${state.owner}/${state.repo}` },
        commit_url: `${api.url}${repoPath()}/commits/${sha}`,
        url: `${api.url}${repoPath()}/commits/${sha}/status`
      }
    }
  }

  const listDeployments: Handler = (ctx) => {
    let list = [...state.deployments].sort((a, b) => b.id - a.id)
    for (const key of ['sha', 'ref', 'environment', 'task'] as const) {
      const wanted = ctx.query.get(key)
      if (wanted !== null && wanted !== '') list = list.filter((d) => d[key] === wanted)
    }
    const page = paginate(list, ctx)
    return { status: 200, headers: page.headers, body: page.items.map(renderDeployment) }
  }

  const createDeployment: Handler = (ctx) => {
    const hook = state.beforeCreateDeployment
    state.beforeCreateDeployment = undefined
    hook?.()
    const body = asObject(ctx.body)
    const ref = optString(body, 'ref')
    if (!ref) throw invalid('"ref" wasn\'t supplied')
    const environment = optString(body, 'environment') ?? 'production'
    const sha = optString(body, 'sha') ?? resolveRef(ref)
    const payload = body.payload === undefined || body.payload === null ? {} : body.payload
    if (typeof payload !== 'string' && typeof payload !== 'object') {
      throw invalid('"payload" must be an object or a string')
    }

    // GitHub checks commit statuses unless `required_contexts` says otherwise
    const required = body.required_contexts
    if (required !== undefined && !Array.isArray(required)) {
      throw invalid('"required_contexts" must be an array')
    }
    const latest = latestStatuses(sha)
    const contexts =
      required === undefined ? latest.map((s) => s.context) : required.map((c) => String(c))
    const failing = contexts.filter((c) => latest.find((s) => s.context === c)?.state !== 'success')
    if (failing.length > 0) {
      throw new HttpError(409, `Conflict: Commit status checks failed for ${ref}.`, {
        errors: [{ contexts: failing, resource: 'Deployment', field: 'required_contexts' }]
      })
    }

    const at = now()
    const deployment: Deployment = {
      id: nextId(),
      sha,
      ref,
      task: optString(body, 'task') ?? 'deploy',
      environment,
      original_environment: environment,
      payload,
      description: optString(body, 'description') ?? null,
      created_at: at,
      updated_at: at,
      creator: state.login,
      production_environment:
        optBool(body, 'production_environment') ?? environment === 'production',
      transient_environment: optBool(body, 'transient_environment') ?? false,
      statuses: []
    }
    state.deployments.push(deployment)
    return { status: 201, body: renderDeployment(deployment) }
  }

  const getDeployment: Handler = (_ctx, [id = '']) => ({
    status: 200,
    body: renderDeployment(findDeployment(Number(id)))
  })

  const listDeploymentStatuses: Handler = (ctx, [id = '']) => {
    const d = findDeployment(Number(id))
    const list = [...d.statuses].sort((a, b) => b.id - a.id)
    const page = paginate(list, ctx)
    return {
      status: 200,
      headers: page.headers,
      body: page.items.map((s) => renderDeploymentStatus(d, s))
    }
  }

  const createDeploymentStatus: Handler = (ctx, [id = '']) => {
    const d = findDeployment(Number(id))
    const body = asObject(ctx.body)
    const stateName = optString(body, 'state')
    if (!stateName || !DEPLOYMENT_STATES.includes(stateName)) {
      throw invalid(`"state" must be one of ${DEPLOYMENT_STATES.join(', ')}`)
    }
    const environment = optString(body, 'environment')
    if (environment) d.environment = environment
    const status = pushDeploymentStatus(d, {
      state: stateName as DeploymentStatusState,
      log_url: optString(body, 'log_url') ?? optString(body, 'target_url'),
      environment_url: optString(body, 'environment_url'),
      description: optString(body, 'description'),
      environment
    })
    // auto_inactive (default true): earlier successful non-transient, non-production
    // deployments to the same environment get an `inactive` status
    if (status.state === 'success' && optBool(body, 'auto_inactive') !== false) {
      for (const other of state.deployments) {
        if (
          other.id < d.id &&
          other.environment === d.environment &&
          !other.transient_environment &&
          !other.production_environment &&
          other.statuses.at(-1)?.state === 'success'
        ) {
          pushDeploymentStatus(other, { state: 'inactive' })
        }
      }
    }
    return { status: 201, body: renderDeploymentStatus(d, status) }
  }

  const listPullsForCommit: Handler = (ctx, [sha = '']) => {
    const list = state.pulls.filter((p) => p.commits.includes(sha))
    const page = paginate(list, ctx)
    return { status: 200, headers: page.headers, body: page.items.map(renderPull) }
  }

  const listReviews: Handler = (ctx, [n = '']) => {
    if (!state.pulls.some((p) => p.number === Number(n))) throw notFound()
    const list = state.reviews.filter((r) => r.pull_number === Number(n))
    const page = paginate(list, ctx)
    return {
      status: 200,
      headers: page.headers,
      body: page.items.map((r) => ({
        id: r.id,
        user: { login: r.user, type: r.user.endsWith('[bot]') ? 'Bot' : 'User' },
        state: r.state,
        body: '',
        submitted_at: r.submitted_at,
        html_url: `${pullUrl(r.pull_number)}#pullrequestreview-${r.id}`
      }))
    }
  }

  const listComments: Handler = (ctx, [n = '']) => {
    const list = state.comments.filter((c) => c.issue_number === Number(n))
    const page = paginate(list, ctx)
    return { status: 200, headers: page.headers, body: page.items.map(renderComment) }
  }

  const forbidCommentWrites = (): void => {
    if (state.readOnlyComments) {
      throw new HttpError(403, 'Resource not accessible by integration', {
        documentation_url: 'https://docs.github.com/rest/issues/comments'
      })
    }
  }

  const createComment: Handler = (ctx, [n = '']) => {
    forbidCommentWrites()
    const text = optString(asObject(ctx.body), 'body')
    if (text === undefined) throw invalid('"body" wasn\'t supplied')
    const at = now()
    const comment: IssueComment = {
      id: nextId(),
      issue_number: Number(n),
      body: text,
      user: state.login,
      created_at: at,
      updated_at: at
    }
    state.comments.push(comment)
    return { status: 201, body: renderComment(comment) }
  }

  const findComment = (id: string): IssueComment => {
    const comment = state.comments.find((c) => c.id === Number(id))
    if (!comment) throw notFound()
    return comment
  }

  const getComment: Handler = (_ctx, [id = '']) => ({
    status: 200,
    body: renderComment(findComment(id))
  })

  const updateComment: Handler = (ctx, [id = '']) => {
    const comment = findComment(id)
    forbidCommentWrites()
    const text = optString(asObject(ctx.body), 'body')
    if (text === undefined) throw invalid('"body" wasn\'t supplied')
    comment.body = text
    comment.updated_at = now()
    return { status: 200, body: renderComment(comment) }
  }

  const getPermission: Handler = (_ctx, [user = '']) => {
    const key = Object.keys(state.collaborators).find(
      (login) => login.toLowerCase() === user.toLowerCase()
    )
    const found = key === undefined ? undefined : state.collaborators[key]
    if (key === undefined || !found) throw notFound()
    return {
      status: 200,
      body: { permission: found.permission, role_name: found.role_name, user: { login: key } }
    }
  }

  const findRun = (id: number): WorkflowRun => {
    const run = state.runs.find((r) => r.id === id)
    if (!run) throw notFound()
    return run
  }

  const getRun: Handler = (_ctx, [id = '']) => {
    const run = findRun(Number(id))
    const status = run.status ?? 'in_progress'
    return {
      status: 200,
      body: {
        id: run.id,
        name: run.name,
        check_suite_id: run.check_suite_id,
        html_url: `${webRepo()}/actions/runs/${run.id}`,
        head_sha: run.head_sha,
        run_attempt: run.run_attempt,
        status,
        conclusion: status === 'completed' ? (run.conclusion ?? 'failure') : null,
        created_at: run.created_at ?? now()
      }
    }
  }

  const renderJob = (j: WorkflowJob): Json => ({
    id: j.id,
    run_id: j.run_id,
    run_attempt: j.run_attempt,
    name: j.name,
    status: j.status,
    conclusion: j.conclusion,
    runner_name: j.runner_name,
    html_url: `${webRepo()}/actions/runs/${j.run_id}/job/${j.id}`
  })

  const listJobs = (ctx: Ctx, runId: number, attempt: number): Reply => {
    const jobs = state.jobs.filter((j) => j.run_id === runId && j.run_attempt === attempt)
    const page = paginate(jobs, ctx)
    return {
      status: 200,
      headers: page.headers,
      body: { total_count: jobs.length, jobs: page.items.map(renderJob) }
    }
  }

  const listAttemptJobs: Handler = (ctx, [id = '', attempt = '']) =>
    listJobs(ctx, findRun(Number(id)).id, Number(attempt))

  const listRunJobs: Handler = (ctx, [id = '']) => {
    const run = findRun(Number(id))
    return listJobs(ctx, run.id, run.run_attempt)
  }

  /**
   * GitHub's answers to a re-run: 403 without `actions: write`, for a run still running, or
   * one created over a month ago; 404 for a run that is gone. A re-run starts the next attempt.
   */
  const rerun = (run: WorkflowRun, jobId?: number): Reply => {
    if (!state.actionsWrite) throw new HttpError(403, 'Resource not accessible by integration')
    if ((run.status ?? 'in_progress') !== 'completed')
      throw new HttpError(403, 'This workflow is already running')
    const created = Date.parse(run.created_at ?? now())
    if (state.clock().getTime() - created > 30 * 86_400_000)
      throw new HttpError(
        403,
        'Unable to retry this workflow run because it was created over a month ago'
      )
    run.run_attempt += 1
    run.status = 'queued'
    run.conclusion = null
    state.reruns.push({ run_id: run.id, job_id: jobId, attempt: run.run_attempt, at: now() })
    return { status: 201, body: {} }
  }

  const rerunJob: Handler = (_ctx, [id = '']) => {
    const job = state.jobs.find((j) => j.id === Number(id))
    if (!job) throw notFound()
    return rerun(findRun(job.run_id), job.id)
  }

  const rerunFailedJobs: Handler = (_ctx, [id = '']) => rerun(findRun(Number(id)))

  /** The files of commits one after another, as one diff (what `compare` lists). */
  const combinedFiles = (commits: HistoryCommit[]) => {
    const files = new Map<string, CommitFile>()
    for (const c of commits) {
      for (const f of c.files) {
        const before = files.get(f.filename)
        if (f.status === 'renamed') {
          const old = files.get(f.previous_filename ?? '')
          files.delete(f.previous_filename ?? '')
          files.set(
            f.filename,
            old?.status === 'added'
              ? {
                  filename: f.filename,
                  status: 'added',
                  changes: (old.changes ?? 0) + (f.changes ?? 0)
                }
              : { ...f, previous_filename: old?.previous_filename ?? f.previous_filename }
          )
        } else if (f.status === 'removed') {
          if (before?.status === 'added') files.delete(f.filename)
          else files.set(f.filename, { ...f })
        } else if (before && before.status !== 'removed') {
          files.set(f.filename, { ...before, changes: (before.changes ?? 0) + (f.changes ?? 0) })
        } else {
          files.set(f.filename, { ...f, status: before ? 'modified' : f.status })
        }
      }
    }
    return [...files.values()].map((f) => ({
      sha: createHash('sha1').update(f.filename).digest('hex'),
      filename: f.filename,
      status: f.status,
      additions: f.changes ?? 1,
      deletions: 0,
      changes: f.changes ?? 1,
      ...(f.previous_filename && { previous_filename: f.previous_filename })
    }))
  }

  const renderHistoryCommit = (c: HistoryCommit) => ({
    sha: c.sha,
    html_url: `${webRepo()}/commit/${c.sha}`,
    commit: {
      message: c.message,
      author: { name: c.authorName, email: `${c.authorName}@example.com`, date: now() }
    },
    author: c.author === null ? null : { login: c.author, type: 'User' },
    parents: []
  })

  // GitHub: at most 250 commits (the oldest first) and 300 files in one answer
  const compare: Handler = (_ctx, [basehead = '']) => {
    const given = state.comparisons[basehead]
    if (given !== undefined) return { status: 200, body: given }
    const [base = '', head = ''] = decodeURIComponent(basehead).split('...')
    const at = (ref: string) => {
      const sha = resolveRef(ref)
      return state.history.findIndex((c) => c.sha === sha || c.sha.startsWith(ref))
    }
    const from = at(base)
    const to = at(head)
    if (from < 0 || to < 0) throw notFound()
    const ahead = state.history.slice(from + 1, to + 1)
    const behind = Math.max(0, from - to)
    const status = from === to ? 'identical' : from < to ? 'ahead' : 'behind'
    return {
      status: 200,
      body: {
        url: `${webRepo().replace('https://github.com', 'https://api.github.com/repos')}/compare/${basehead}`,
        html_url: `${webRepo()}/compare/${basehead}`,
        status,
        ahead_by: ahead.length,
        behind_by: behind,
        total_commits: ahead.length,
        commits: ahead.slice(0, 250).map(renderHistoryCommit),
        files: combinedFiles(ahead).slice(0, 300)
      }
    }
  }

  const routes: Array<[string, RegExp, Handler]> = [
    ['GET', /^\/compare\/(.+)$/, compare],
    ['GET', /^\/commits\/(.+)\/check-runs$/, listCheckRuns],
    ['GET', /^\/commits\/(.+)\/status$/, combinedStatus],
    ['GET', /^\/commits\/([^/]+)\/pulls$/, listPullsForCommit],
    ['GET', /^\/deployments$/, listDeployments],
    ['POST', /^\/deployments$/, createDeployment],
    ['GET', /^\/deployments\/(\d+)$/, getDeployment],
    ['GET', /^\/deployments\/(\d+)\/statuses$/, listDeploymentStatuses],
    ['POST', /^\/deployments\/(\d+)\/statuses$/, createDeploymentStatus],
    ['GET', /^\/pulls\/(\d+)\/reviews$/, listReviews],
    ['GET', /^\/issues\/(\d+)\/comments$/, listComments],
    ['POST', /^\/issues\/(\d+)\/comments$/, createComment],
    ['GET', /^\/issues\/comments\/(\d+)$/, getComment],
    ['PATCH', /^\/issues\/comments\/(\d+)$/, updateComment],
    ['GET', /^\/collaborators\/([^/]+)\/permission$/, getPermission],
    ['GET', /^\/actions\/runs\/(\d+)$/, getRun],
    ['GET', /^\/actions\/runs\/(\d+)\/jobs$/, listRunJobs],
    ['GET', /^\/actions\/runs\/(\d+)\/attempts\/(\d+)\/jobs$/, listAttemptJobs],
    ['POST', /^\/actions\/jobs\/(\d+)\/rerun$/, rerunJob],
    ['POST', /^\/actions\/runs\/(\d+)\/rerun-failed-jobs$/, rerunFailedJobs]
  ]

  // ---- request handling -----------------------------------------------------------

  const route = (ctx: Omit<Ctx, 'sub'>, pathname: string): Reply => {
    if (!pathname.startsWith(state.pathPrefix)) throw notFound()
    const rest = pathname.slice(state.pathPrefix.length)
    const base = repoPath()
    if (rest.slice(0, base.length).toLowerCase() !== base.toLowerCase()) throw notFound()
    const sub = rest.slice(base.length)
    for (const [method, pattern, handler] of routes) {
      const m = pattern.exec(sub)
      if (m && method === ctx.method) {
        return handler({ ...ctx, sub }, m.slice(1).map(decodeURIComponent))
      }
    }
    throw notFound()
  }

  const authFailure = (headers: Record<string, string>): HttpError | undefined => {
    const m = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(headers.authorization ?? '')
    if (!m) return new HttpError(401, 'Requires authentication')
    if (state.tokens && !state.tokens.includes(m[1] ?? '')) {
      return new HttpError(401, 'Bad credentials')
    }
    return undefined
  }

  const injectedFailure = (method: string, path: string): Reply | undefined => {
    const rule = failures.find((f) => f.remaining > 0 && matches(f.pattern, method, path))
    if (!rule) return undefined
    rule.remaining -= 1
    if (rule.status === 403 || rule.status === 429) {
      return {
        status: rule.status,
        headers: { 'retry-after': rule.retryAfter ?? '1' },
        body: {
          message: SECONDARY_RATE_LIMIT_MESSAGE,
          documentation_url:
            'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits'
        }
      }
    }
    const message = rule.status >= 500 ? 'Server Error' : http.STATUS_CODES[rule.status]
    return { status: rule.status, body: { message: message ?? 'Error' } }
  }

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const self = new URL(req.url ?? '/', api.url)
    const method = (req.method ?? 'GET').toUpperCase()
    const headers = headerRecord(req.headers)
    const raw = await readBody(req)
    const record: RecordedRequest = {
      arrivedAt: performance.now(),
      method,
      path: self.pathname,
      query: Object.fromEntries(self.searchParams),
      body: undefined,
      headers
    }
    requests.push(record)

    let reply: Reply
    try {
      if (raw.trim() !== '') {
        try {
          record.body = JSON.parse(raw) as unknown
        } catch {
          throw new HttpError(400, 'Problems parsing JSON')
        }
      }
      if (state.delayMs > 0) await sleep(state.delayMs)
      const auth = authFailure(headers)
      if (auth) throw auth
      reply =
        injectedFailure(method, self.pathname) ??
        route({ method, query: self.searchParams, body: record.body, self }, self.pathname)
    } catch (error) {
      if (!(error instanceof HttpError)) throw error
      reply = {
        status: error.status,
        body: {
          message: error.message,
          documentation_url: 'https://docs.github.com/rest',
          ...error.extra
        }
      }
    }
    const text = JSON.stringify(reply.body)
    // GitHub's conditional requests: a GET that names the current ETag gets an empty 304,
    // which does not count against the rate limit
    const etag =
      method === 'GET' && reply.status === 200
        ? `W/"${createHash('sha1').update(text).digest('hex')}"`
        : undefined
    const notModified = etag !== undefined && headers['if-none-match'] === etag
    record.status = notModified ? 304 : reply.status
    record.counted = !notModified
    if (!notModified) state.rateLimit.used++
    if (res.destroyed) return
    const { limit, used } = state.rateLimit
    res.writeHead(record.status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-request-id': `RB:${requests.length}`,
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - used)),
      'x-ratelimit-used': String(used),
      'x-ratelimit-reset': String(Math.floor(state.clock().getTime() / 1000) + 3600),
      ...(etag ? { etag } : {}),
      ...reply.headers
    })
    res.end(notModified ? undefined : text)
    record.answeredAt = performance.now()
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.destroyed) return
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' })
      res.end(JSON.stringify({ message: `stand-in error: ${String(error)}` }))
    })
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo

  const api: GitHubApi = {
    get url() {
      return `http://127.0.0.1:${port}${state.pathPrefix}`
    },
    state,
    requests,

    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer)
        timers.clear()
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      }),

    addCheckRun(sha, input) {
      const status = input.status ?? 'completed'
      const at = now()
      const run: CheckRun = {
        id: nextId(),
        head_sha: sha,
        name: input.name,
        status,
        conclusion:
          input.conclusion !== undefined
            ? input.conclusion
            : status === 'completed'
              ? 'success'
              : null,
        check_suite_id: input.check_suite_id ?? OTHER_CHECK_SUITE_ID,
        app: input.app ?? 'github-actions',
        started_at: at,
        completed_at: status === 'completed' ? at : null
      }
      state.checkRuns.push(run)
      return run
    },

    setCheckRun(sha, name, patch) {
      const run = state.checkRuns.findLast((r) => r.head_sha === sha && r.name === name)
      if (!run) throw new Error(`no check run "${name}" on ${sha}`)
      Object.assign(run, patch)
      if (run.status === 'completed' && run.completed_at === null) run.completed_at = now()
      return run
    },

    addStatus(sha, input) {
      const at = now()
      const status: CommitStatus = {
        id: nextId(),
        sha,
        context: input.context,
        state: input.state,
        target_url: input.target_url ?? null,
        description: input.description ?? null,
        created_at: at,
        updated_at: at
      }
      state.statuses.push(status)
      return status
    },

    addDeployment(input) {
      const at = input.created_at ?? now()
      const deployment: Deployment = {
        id: nextId(),
        sha: input.sha,
        ref: input.ref,
        task: input.task ?? 'deploy',
        environment: input.environment,
        original_environment: input.environment,
        payload: input.payload ?? {},
        description: input.description ?? null,
        created_at: at,
        updated_at: at,
        creator: input.creator ?? state.login,
        production_environment: input.production_environment ?? input.environment === 'production',
        transient_environment: input.transient_environment ?? false,
        statuses: []
      }
      state.deployments.push(deployment)
      for (const s of input.statuses ?? []) {
        pushDeploymentStatus(deployment, { ...s, created_at: s.created_at ?? at })
      }
      return deployment.id
    },

    addDeploymentStatus(deploymentId, input) {
      const d = state.deployments.find((x) => x.id === deploymentId)
      if (!d) throw new Error(`no deployment ${deploymentId}`)
      return pushDeploymentStatus(d, input)
    },

    addPull(sha, input) {
      const existing = state.pulls.find((p) => p.number === input.number)
      if (existing) {
        if (!existing.commits.includes(sha)) existing.commits.push(sha)
        return existing
      }
      const pull: PullRequest = {
        number: input.number,
        title: input.title,
        state: input.state === 'merged' ? 'closed' : (input.state ?? 'open'),
        merged_at: input.state === 'merged' ? now() : null,
        head_ref: input.head_ref,
        head_sha: sha,
        base_ref: input.base_ref ?? 'main',
        user: input.user ?? 'octocat',
        commits: [sha]
      }
      state.pulls.push(pull)
      return pull
    },

    addReview(pull, user, reviewState, submittedAt) {
      const review: PullReview = {
        id: nextId(),
        pull_number: pull,
        user,
        state: reviewState,
        submitted_at: submittedAt ?? now()
      }
      state.reviews.push(review)
      return review
    },

    setPermission(user, roleName, permission) {
      state.collaborators[user] = {
        role_name: roleName,
        permission: permission ?? LEGACY_PERMISSION[roleName] ?? 'none'
      }
    },

    addRun(input) {
      const run: WorkflowRun = {
        check_suite_id: nextId(),
        head_sha: state.headSha,
        run_attempt: 1,
        name: 'Release',
        ...input
      }
      state.runs = state.runs.filter((r) => r.id !== run.id)
      state.runs.push(run)
      return run
    },

    addJob(input) {
      const job: WorkflowJob = {
        id: nextId(),
        run_attempt: 1,
        status: 'in_progress',
        conclusion: null,
        runner_name: null,
        ...input
      }
      state.jobs.push(job)
      return job
    },

    addCommit(input) {
      const commit: HistoryCommit = {
        sha: input.sha,
        message: input.message,
        author: input.author === undefined ? 'octocat' : input.author,
        authorName: input.author ?? 'Someone',
        files: input.files ?? []
      }
      state.history.push(commit)
      return commit
    },

    failNext(n, status = 502, pathPattern, retryAfter) {
      failures.push({ remaining: n, status, pattern: pathPattern, retryAfter })
    },

    requestCount(pattern) {
      return requests.filter((r) => matches(pattern, r.method, r.path)).length
    }
  }
  return api
}
