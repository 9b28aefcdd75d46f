import type { Log } from '../core.js'
import type { GitHubApi, PullRequest } from '../github/api.js'
import { GitHubError } from '../github/client.js'
import type { DeploymentRecord } from '../record/types.js'
import { commentMarker, renderComment } from '../report/comment.js'
import type { Language } from '../settings/schema.js'

/**
 * The sticky PR comment, published: found again by its marker and edited in place. The
 * comment itself is rendered by report/comment.ts; here it is delivered.
 */

/** The pull requests a run reports on: open or merged ones (a release from `main` reports on the PR it shipped), not those closed unmerged. */
export function pullsToReport(pulls: PullRequest[], eventPull?: number): number[] {
  const numbers = pulls
    .filter((p) => p.state === 'open' || Boolean(p.merged_at))
    .map((p) => p.number)
  if (eventPull !== undefined && !numbers.includes(eventPull)) numbers.push(eventPull)
  return numbers
}

/** The pull requests to write on, each with our comment there if it has one already. */
export type CommentTargets =
  { targets: Array<{ number: number; commentId?: number }> } | { error: unknown }

/**
 * Finds where the comment goes; never rejects. Started early (its reads overlap the gate and
 * the deployment), so that only the writes remain at the end of the run.
 */
export async function findCommentTargets(
  api: GitHubApi,
  o: { pulls: Promise<PullRequest[]>; pullNumber?: number; environment: string }
): Promise<CommentTargets> {
  try {
    const marker = commentMarker(o.environment)
    const numbers = pullsToReport(await o.pulls, o.pullNumber)
    const targets = await Promise.all(
      numbers.map(async (number) => ({
        number,
        commentId: (await api.listComments(number)).find((c) => c.body?.includes(marker))?.id
      }))
    )
    return { targets }
  } catch (error) {
    return { error }
  }
}

/**
 * Creates or edits the comment on every pull request of the commit (and the event's own
 * PR). A token without write access (fork PRs) gives a warning, never a failure.
 */
export async function publishPrComments(
  api: GitHubApi,
  o: {
    targets: Promise<CommentTargets>
    record: DeploymentRecord
    language: Language
    log: Log
  }
): Promise<string[]> {
  const done: string[] = []
  try {
    const found = await o.targets
    if ('error' in found) throw found.error
    const body = renderComment(o.record, o.language)
    for (const { number, commentId } of found.targets) {
      if (commentId !== undefined) await api.updateComment(commentId, body)
      else await api.createComment(number, body)
      done.push(`#${number}`)
    }
  } catch (e) {
    const why =
      e instanceof GitHubError && (e.status === 403 || e.status === 404)
        ? 'the token cannot write to this pull request (a fork PR?)'
        : (e as Error).message
    o.log.warning(`PR comment not written: ${why}`)
  }
  return done
}
