import type { Clock } from '../clock.js'
import { GitHubError, RestClient } from './client.js'
import type { RunContext } from './context.js'

/** The GitHub REST calls of DESIGN.md section 11, typed to the fields we read. */

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
  html_url?: string
  head?: { ref: string; sha: string }
}

export interface IssueComment {
  id: number
  body?: string
  user?: { login: string } | null
  html_url?: string
}

export type DeploymentState =
  'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success'

export class GitHubApi {
  constructor(
    readonly client: RestClient,
    private readonly owner: string,
    private readonly repo: string
  ) {}

  /** The API of this run's repository, through `GITHUB_API_URL`. */
  static forRun(
    ctx: Pick<RunContext, 'apiUrl' | 'owner' | 'repo'>,
    token: string,
    clock: Clock
  ): GitHubApi {
    return new GitHubApi(new RestClient({ baseUrl: ctx.apiUrl, token, clock }), ctx.owner, ctx.repo)
  }

  private get base(): string {
    return `/repos/${encodeURIComponent(this.owner)}/${encodeURIComponent(this.repo)}`
  }

  get requestCount(): number {
    return this.client.requestCount
  }

  listCheckRuns(ref: string): Promise<CheckRun[]> {
    return this.client.paginate<{ check_runs: CheckRun[] }, CheckRun>(
      `${this.base}/commits/${encodeURIComponent(ref)}/check-runs`,
      { filter: 'latest' },
      (p) => p.check_runs
    )
  }

  async combinedStatus(ref: string): Promise<CombinedStatus> {
    let first: CombinedStatus | undefined
    const statuses = await this.client.paginate<CombinedStatus, CommitStatus>(
      `${this.base}/commits/${encodeURIComponent(ref)}/status`,
      {},
      (p) => {
        first ??= p
        return p.statuses
      }
    )
    return { state: first?.state ?? 'pending', total_count: first?.total_count ?? 0, statuses }
  }

  /** The check suite of a workflow run, to tell this run's own jobs from the others. */
  async runCheckSuiteId(runId: number): Promise<number | undefined> {
    const res = await this.client.request<{ check_suite_id?: number }>(
      'GET',
      `${this.base}/actions/runs/${runId}`
    )
    return res.data.check_suite_id
  }

  listDeployments(
    query: { environment?: string; sha?: string },
    maxPages = 1
  ): Promise<Deployment[]> {
    return this.client.paginate<Deployment[], Deployment>(
      `${this.base}/deployments`,
      query,
      (p) => p,
      maxPages
    )
  }

  /** The newest status of a deployment, or undefined when it has none. */
  async latestStatus(deploymentId: number): Promise<DeploymentStatus | undefined> {
    const res = await this.client.request<DeploymentStatus[]>(
      'GET',
      `${this.base}/deployments/${deploymentId}/statuses`,
      { query: { per_page: 1 } }
    )
    return res.data[0]
  }

  async createDeployment(body: {
    ref: string
    environment: string
    description: string
    payload: Record<string, unknown>
    production_environment: boolean
  }): Promise<Deployment> {
    const res = await this.client.request<Deployment>('POST', `${this.base}/deployments`, {
      body: { ...body, auto_merge: false, required_contexts: [], transient_environment: false },
      once: true
    })
    return res.data
  }

  async createDeploymentStatus(
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
    const res = await this.client.request<DeploymentStatus>(
      'POST',
      `${this.base}/deployments/${deploymentId}/statuses`,
      {
        body: { ...body, description, auto_inactive: body.state === 'success' }
      }
    )
    return res.data
  }

  listPullsForCommit(sha: string): Promise<PullRequest[]> {
    return this.client.paginate<PullRequest[], PullRequest>(
      `${this.base}/commits/${sha}/pulls`,
      {},
      (p) => p,
      1
    )
  }

  listComments(issue: number): Promise<IssueComment[]> {
    return this.client.paginate<IssueComment[], IssueComment>(
      `${this.base}/issues/${issue}/comments`,
      {},
      (p) => p,
      10
    )
  }

  async createComment(issue: number, body: string): Promise<IssueComment> {
    return (
      await this.client.request<IssueComment>('POST', `${this.base}/issues/${issue}/comments`, {
        body: { body }
      })
    ).data
  }

  async updateComment(id: number, body: string): Promise<IssueComment> {
    return (
      await this.client.request<IssueComment>('PATCH', `${this.base}/issues/comments/${id}`, {
        body: { body }
      })
    ).data
  }

  /** `role_name` of a collaborator (`admin`, `maintain`, `write`, ...), undefined when unknown. */
  async roleOf(user: string): Promise<string | undefined> {
    try {
      const res = await this.client.request<{ role_name?: string; permission?: string }>(
        'GET',
        `${this.base}/collaborators/${encodeURIComponent(user)}/permission`
      )
      return res.data.role_name
    } catch (e) {
      if (e instanceof GitHubError && e.status === 404) return undefined
      throw e
    }
  }
}
