import type { Log } from '../core.js'
import {
  asGitHubError,
  createGitHubClient,
  GitHubError,
  type ClientStats,
  type Octokit
} from './client.js'
import type { RunContext } from './context.js'

/** The GitHub REST calls of docs/design.md section 11, typed to the fields we read. */

export interface CheckRun {
  id: number
  name: string
  status: string
  conclusion: string | null
  check_suite?: { id: number } | null
  html_url?: string
}

export interface CommitStatus {
  context: string
  state: string
  description?: string | null
}

export interface CombinedStatus {
  state: string
  total_count: number
  statuses: CommitStatus[]
}

export interface Deployment {
  id: number
  sha: string
  ref: string
  environment: string
  created_at: string
  payload: unknown
  creator?: { login: string } | null
  description?: string | null
}

export interface DeploymentStatus {
  id: number
  state: string
  created_at: string
  log_url?: string | null
  description?: string | null
}

export interface PullRequest {
  number: number
  title: string
  state: string
  /** set when a closed pull request was merged */
  merged_at?: string | null
  user?: { login: string } | null
  html_url?: string
  head?: { ref: string; sha: string }
}

export interface Review {
  id: number
  user?: { login: string } | null
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING */
  state: string
  submitted_at?: string | null
}

export interface IssueComment {
  id: number
  body?: string
  user?: { login: string } | null
  html_url?: string
}

/** `GET compare/{base}...{head}`: what head has that base has not (docs/design.md section 11). */
export interface Comparison {
  /** ahead, behind, diverged or identical */
  status: string
  ahead_by: number
  behind_by: number
  /** every commit of the comparison; `commits` holds at most 250 of them */
  total_commits: number
  html_url: string
  /** oldest first */
  commits: ComparedCommit[]
  /** at most 300 files */
  files?: ComparedFile[]
}

export interface ComparedCommit {
  sha: string
  commit: { message: string; author?: { name?: string } | null }
  author?: { login: string } | null
}

export interface ComparedFile {
  filename: string
  /** added, removed, modified, renamed, copied, changed, unchanged */
  status: string
  previous_filename?: string
  changes?: number
}

/** A workflow run as `GET actions/runs/{run_id}` gives it (the fields resume mode reads). */
export interface WorkflowRun {
  id: number
  /** queued, in_progress, completed, waiting, requested, pending */
  status: string
  conclusion?: string | null
  run_attempt?: number
  html_url?: string
  check_suite_id?: number
}

/** A job of a workflow run attempt. */
export interface WorkflowJob {
  id: number
  name: string
  status: string
  runner_name?: string | null
}

export type DeploymentState =
  'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success'

/** octokit.paginate with a route given as text (its typings want a literal of its own tables) */
type Paginate = <T>(
  route: string,
  params: Record<string, unknown>,
  map: (response: { data: unknown }, done: () => void) => T[]
) => Promise<T[]>

export class GitHubApi {
  private readonly repoParams: { owner: string; repo: string }

  constructor(
    readonly octokit: Octokit,
    owner: string,
    repo: string,
    /** what the client did (requests sent, 304s); shared with the client that made `octokit` */
    readonly stats: ClientStats = { requests: 0, notModified: 0 }
  ) {
    this.repoParams = { owner, repo }
  }

  /** The API of this run's repository, through `GITHUB_API_URL` and the runner's proxy. */
  static forRun(
    ctx: Pick<RunContext, 'apiUrl' | 'owner' | 'repo' | 'backoffUnitMs'>,
    token: string,
    log?: Log
  ): GitHubApi {
    const { octokit, stats } = createGitHubClient({
      baseUrl: ctx.apiUrl,
      token,
      log,
      backoffUnitMs: ctx.backoffUnitMs
    })
    return new GitHubApi(octokit, ctx.owner, ctx.repo, stats)
  }

  /** every HTTP request sent, retries included: the benchmark reads it */
  get requestCount(): number {
    return this.stats.requests
  }

  /** One call, its errors told as `GitHubError`s naming the route. */
  private async call<T>(
    route: string,
    params: Record<string, unknown>,
    go: () => Promise<T>
  ): Promise<T> {
    try {
      return await go()
    } catch (e) {
      const path = this.octokit.request.endpoint(route, { ...this.repoParams, ...params }).url
      const [method] = route.split(' ')
      throw asGitHubError(e, `${method} ${new URL(path).pathname}`)
    }
  }

  private request<T>(route: string, params: Record<string, unknown> = {}): Promise<T> {
    return this.call(route, params, async () => {
      const res = await this.octokit.request(route, { ...this.repoParams, ...params })
      return res.data as T
    })
  }

  /** Every item of a list (octokit.paginate), at most `maxPages` pages of 100. */
  private list<T>(route: string, params: Record<string, unknown>, maxPages = 10): Promise<T[]> {
    return this.call(route, params, () => {
      let pages = 0
      return this.paginate<T>(route, { per_page: 100, ...params }, (response, done) => {
        if (++pages >= maxPages) done()
        return response.data as T[]
      })
    })
  }

  private paginate<T>(
    route: string,
    params: Record<string, unknown>,
    map: (response: { data: unknown }, done: () => void) => T[]
  ): Promise<T[]> {
    return (this.octokit.paginate as unknown as Paginate)<T>(
      route,
      { ...this.repoParams, ...params },
      map
    )
  }

  listCheckRuns(ref: string): Promise<CheckRun[]> {
    return this.list<CheckRun>('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
      ref,
      filter: 'latest'
    })
  }

  async combinedStatus(ref: string): Promise<CombinedStatus> {
    let first: CombinedStatus | undefined
    const route = 'GET /repos/{owner}/{repo}/commits/{ref}/status'
    const statuses = await this.call(route, { ref }, () => {
      let pages = 0
      return this.paginate<CommitStatus>(route, { ref, per_page: 100 }, (response, done) => {
        const page = response.data as CombinedStatus
        first ??= page
        if (++pages >= 10) done()
        return page.statuses
      })
    })
    return { state: first?.state ?? 'pending', total_count: first?.total_count ?? 0, statuses }
  }

  /** The check suite of a workflow run, to tell this run's own jobs from the others. */
  async runCheckSuiteId(runId: number): Promise<number | undefined> {
    return (await this.getRun(runId)).check_suite_id
  }

  getRun(runId: number): Promise<WorkflowRun> {
    return this.request<WorkflowRun>('GET /repos/{owner}/{repo}/actions/runs/{run_id}', {
      run_id: runId
    })
  }

  /** The jobs of one attempt of a workflow run (one page of 100). */
  async listRunJobs(runId: number, attempt: number): Promise<WorkflowJob[]> {
    const page = await this.request<{ jobs: WorkflowJob[] }>(
      'GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs',
      { run_id: runId, attempt_number: attempt, per_page: 100 }
    )
    return page.jobs ?? []
  }

  /** Re-runs one job of a completed run (`201`); GitHub answers `403` when it may not. */
  async rerunJob(jobId: number): Promise<void> {
    await this.request('POST /repos/{owner}/{repo}/actions/jobs/{job_id}/rerun', {
      job_id: jobId,
      request: { retries: 0 }
    })
  }

  /** Re-runs the failed jobs of a completed run (`201`). */
  async rerunFailedJobs(runId: number): Promise<void> {
    await this.request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs', {
      run_id: runId,
      request: { retries: 0 }
    })
  }

  listDeployments(
    query: { environment?: string; sha?: string },
    maxPages = 1
  ): Promise<Deployment[]> {
    return this.list<Deployment>('GET /repos/{owner}/{repo}/deployments', query, maxPages)
  }

  /** The statuses of a deployment, newest first (one page: its recent history). */
  listStatuses(deploymentId: number): Promise<DeploymentStatus[]> {
    return this.list<DeploymentStatus>(
      'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
      { deployment_id: deploymentId },
      1
    )
  }

  /** The newest status of a deployment, or undefined when it has none. */
  async latestStatus(deploymentId: number): Promise<DeploymentStatus | undefined> {
    const statuses = await this.request<DeploymentStatus[]>(
      'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
      { deployment_id: deploymentId, per_page: 1 }
    )
    return statuses[0]
  }

  /**
   * Never repeated after a 5xx or a network error: GitHub may have created it, and a second
   * one would hold the lock as a phantom. Rate-limit refusals are still retried (the
   * throttling plugin): GitHub did nothing with those.
   */
  createDeployment(body: {
    ref: string
    environment: string
    description: string
    payload: Record<string, unknown>
    production_environment: boolean
  }): Promise<Deployment> {
    return this.request<Deployment>('POST /repos/{owner}/{repo}/deployments', {
      ...body,
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
      request: { retries: 0 }
    })
  }

  createDeploymentStatus(
    deploymentId: number,
    body: {
      state: DeploymentState
      log_url?: string
      description?: string
      environment_url?: string
    }
  ): Promise<DeploymentStatus> {
    const description =
      body.description && body.description.length > 140
        ? `${body.description.slice(0, 137)}...`
        : body.description
    return this.request<DeploymentStatus>(
      'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
      {
        deployment_id: deploymentId,
        ...body,
        description,
        auto_inactive: body.state === 'success'
      }
    )
  }

  listPullsForCommit(sha: string): Promise<PullRequest[]> {
    return this.list<PullRequest>(
      'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls',
      { commit_sha: sha },
      1
    )
  }

  /** The reviews of a pull request, oldest first. */
  listReviews(pull: number): Promise<Review[]> {
    return this.list<Review>('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
      pull_number: pull
    })
  }

  listComments(issue: number): Promise<IssueComment[]> {
    return this.list<IssueComment>('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      issue_number: issue
    })
  }

  createComment(issue: number, body: string): Promise<IssueComment> {
    return this.request<IssueComment>('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      issue_number: issue,
      body
    })
  }

  updateComment(id: number, body: string): Promise<IssueComment> {
    return this.request<IssueComment>('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
      comment_id: id,
      body
    })
  }

  /** One page: its first 250 commits and 300 files are what a release manager reads. */
  compare(base: string, head: string): Promise<Comparison> {
    return this.request<Comparison>('GET /repos/{owner}/{repo}/compare/{basehead}', {
      basehead: `${base}...${head}`
    })
  }

  /** `role_name` of a collaborator (`admin`, `maintain`, `write`, ...), undefined when unknown. */
  async roleOf(user: string): Promise<string | undefined> {
    try {
      const res = await this.request<{ role_name?: string; permission?: string }>(
        'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
        { username: user }
      )
      return res.role_name
    } catch (e) {
      if (e instanceof GitHubError && e.status === 404) return undefined
      throw e
    }
  }
}
