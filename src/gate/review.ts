import type { GitHubApi, PullRequest, Review } from '../github/api.js'
import type { ChecklistItem } from '../record/types.js'
import { phrases } from '../report/wording.js'
import type { Language } from '../settings/schema.js'
import { itemMaker } from './item.js'

/** Item `review`: a production release comes from a pull request approved by someone else. */

/** Whether the run needs the review item: a production target, approvals asked for. */
export function reviewWanted(
  settings: { requiredApprovals: number },
  isProduction: boolean
): boolean {
  return isProduction && settings.requiredApprovals > 0
}

export interface ReviewFacts {
  /** the pull request the commit came from; undefined when there is none */
  pull?: { number: number; author: string }
  reviews: Review[]
  /** there is no pull request and we looked at open ones too (a dry run on a PR) */
  lookedAtOpen?: boolean
  error?: string
}

/**
 * The pull request of the commit: in a dry run on a pull request, that (open) one; else the
 * merged one whose merge, squash or head commit this is (the newest merged, if several).
 */
export function pullOf(pulls: PullRequest[], eventPull?: number): PullRequest | undefined {
  if (eventPull !== undefined) return pulls.find((p) => p.number === eventPull)
  return pulls
    .filter((p) => p.merged_at)
    .sort((a, b) => Date.parse(b.merged_at ?? '') - Date.parse(a.merged_at ?? ''))[0]
}

/** Reads the pull request's reviews; `pulls` is the one read of `commits/{sha}/pulls`. */
export async function collectReviewFacts(
  api: GitHubApi,
  pulls: Promise<PullRequest[]>,
  o: { eventPull?: number }
): Promise<ReviewFacts> {
  try {
    const pull = pullOf(await pulls, o.eventPull)
    if (!pull) return { reviews: [], lookedAtOpen: o.eventPull !== undefined }
    const reviews = await api.listReviews(pull.number)
    return { pull: { number: pull.number, author: pull.user?.login ?? '' }, reviews }
  } catch (e) {
    return { reviews: [], error: (e as Error).message }
  }
}

/**
 * Each reviewer's latest word that counts, in the order they were given: APPROVED and
 * CHANGES_REQUESTED set it, COMMENTED leaves it, DISMISSED takes it back. The author's own
 * reviews never count; bots count like people.
 */
export function tally(
  reviews: Review[],
  author: string
): { approvers: string[]; changesRequested: string[] } {
  const latest = new Map<string, 'APPROVED' | 'CHANGES_REQUESTED'>()
  const ordered = [...reviews].sort(
    (a, b) => Date.parse(a.submitted_at ?? '') - Date.parse(b.submitted_at ?? '') || a.id - b.id
  )
  for (const r of ordered) {
    const who = r.user?.login
    if (!who || who.toLowerCase() === author.toLowerCase()) continue
    if (r.state === 'APPROVED' || r.state === 'CHANGES_REQUESTED') latest.set(who, r.state)
    else if (r.state === 'DISMISSED') latest.delete(who)
  }
  const with_ = (state: string) => [...latest].filter(([, s]) => s === state).map(([who]) => who)
  return { approvers: with_('APPROVED'), changesRequested: with_('CHANGES_REQUESTED') }
}

export function evaluateReview(
  f: ReviewFacts | undefined,
  o: { isProduction: boolean; environment: string; required: number; sha: string },
  language: Language
): ChecklistItem {
  const p = phrases(language)
  const item = itemMaker('review', language)
  if (!o.isProduction) return item('na', p.notProduction(o.environment))
  if (o.required === 0 || !f) return item('na', p.reviewOff)
  if (f.error) return item('fail', p.reviewUnreadable(f.error))
  if (!f.pull) return item('fail', p.reviewNoPull(o.sha.slice(0, 7), f.lookedAtOpen === true))
  const { approvers, changesRequested } = tally(f.reviews, f.pull.author)
  if (approvers.length >= o.required && changesRequested.length === 0)
    return item('pass', p.reviewApproved(f.pull.number, approvers.join(', ')))
  return item(
    'fail',
    p.reviewMissing(f.pull.number, approvers.length, o.required, changesRequested.join(', '))
  )
}
