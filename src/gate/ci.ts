import type { Clock } from '../clock.js'
import type { Log } from '../core.js'
import { formatDuration } from '../duration.js'
import type { CheckRun, CommitStatus, GitHubApi } from '../github/api.js'
import type { Language } from '../settings/schema.js'
import type { ChecklistItem } from '../record/types.js'
import { phrases } from '../report/wording.js'
import { itemMaker } from './item.js'

/** Item `ci`: every required check run and commit status on the commit is green. */

export type CheckState = 'pass' | 'fail' | 'pending'

export interface CheckObservation {
  name: string
  source: 'check-run' | 'status'
  state: CheckState
  /** conclusion of a check run or state of a status, as GitHub gave it */
  outcome: string
}

export interface CiFacts {
  observed: CheckObservation[]
  /** required names not found on the commit */
  missing: string[]
  waitedMs: number
  /** this run's own unfinished jobs, left out (waiting for them would wait for ourselves) */
  ownSkipped: number
  error?: string
}

const GREEN_CONCLUSIONS = new Set(['success', 'neutral', 'skipped'])

export function classifyCheckRun(run: Pick<CheckRun, 'status' | 'conclusion'>): CheckState {
  if (run.status !== 'completed') return 'pending'
  return GREEN_CONCLUSIONS.has(run.conclusion ?? '') ? 'pass' : 'fail'
}

export function classifyStatus(status: Pick<CommitStatus, 'state'>): CheckState {
  if (status.state === 'success') return 'pass'
  if (status.state === 'pending') return 'pending'
  return 'fail'
}

/** Picks the checks that count; pure, so the selection rules are tested without HTTP. */
export function selectChecks(
  runs: CheckRun[],
  statuses: CommitStatus[],
  ownSuiteId: number | undefined,
  required: string[] | undefined
): Pick<CiFacts, 'observed' | 'missing' | 'ownSkipped'> {
  let ownSkipped = 0
  const observed: CheckObservation[] = []
  for (const run of runs) {
    const state = classifyCheckRun(run)
    if (ownSuiteId !== undefined && run.check_suite?.id === ownSuiteId && state === 'pending') {
      ownSkipped++
      continue
    }
    observed.push({
      name: run.name,
      source: 'check-run',
      state,
      outcome: run.conclusion ?? run.status
    })
  }
  for (const s of statuses) {
    observed.push({ name: s.context, source: 'status', state: classifyStatus(s), outcome: s.state })
  }
  if (required === undefined) return { observed, missing: [], ownSkipped }
  const wanted = new Set(required)
  return {
    observed: observed.filter((o) => wanted.has(o.name)),
    missing: required.filter((name) => !observed.some((o) => o.name === name)),
    ownSkipped
  }
}

function settled(f: Pick<CiFacts, 'observed' | 'missing'>): boolean {
  if (f.observed.some((o) => o.state === 'fail')) return true
  return f.missing.length === 0 && !f.observed.some((o) => o.state === 'pending')
}

export interface CollectCiOptions {
  sha: string
  required?: string[]
  runId?: number
  timeoutMs: number
  pollMs?: number
  clock: Clock
  log: Log
  signal?: AbortSignal
}

/** Like Promise.all, but waits for every promise before throwing the first failure. */
async function settledAll<A, B, C>(
  a: Promise<A>,
  b: Promise<B>,
  c: Promise<C>
): Promise<[A, B, C]> {
  const [ra, rb, rc] = await Promise.allSettled([a, b, c])
  for (const r of [ra, rb, rc]) if (r.status === 'rejected') throw r.reason
  return [
    (ra as PromiseFulfilledResult<A>).value,
    (rb as PromiseFulfilledResult<B>).value,
    (rc as PromiseFulfilledResult<C>).value
  ]
}

/** Reads check runs and statuses, polling while some are pending, up to `timeoutMs`. */
export async function collectCiFacts(api: GitHubApi, o: CollectCiOptions): Promise<CiFacts> {
  const start = o.clock.now().getTime()
  // This job is itself an unfinished check run of the commit: its suite is looked up beside
  // the first read (not after it), since a run on GitHub always finds itself pending.
  // A run that cannot be read (no `actions: read`, or not found) only means this job cannot
  // be told from the others: said in the log, never a failure of the item by itself.
  const ownSuite =
    o.required === undefined && o.runId !== undefined
      ? api.runCheckSuiteId(o.runId).catch((e: unknown) => {
          o.log.info(
            `Could not read this workflow run to tell its own jobs from the checks: ${(e as Error).message}`
          )
          return undefined
        })
      : Promise.resolve(undefined)
  let ownSuiteId: number | undefined
  for (;;) {
    try {
      // both reads end before the gate goes on (settled, not raced): one given up must not
      // leave the other retrying in the background after the verdict
      const [runs, combined, suite] = await settledAll(
        api.listCheckRuns(o.sha),
        api.combinedStatus(o.sha),
        ownSuite
      )
      ownSuiteId = suite
      // A commit without statuses reads `pending` with total_count 0: no statuses, not pending.
      const statuses = combined.total_count === 0 ? [] : combined.statuses
      const selected = selectChecks(runs, statuses, ownSuiteId, o.required)
      const waitedMs = o.clock.now().getTime() - start
      if (settled(selected) || waitedMs >= o.timeoutMs || o.signal?.aborted)
        return { ...selected, waitedMs }
      const pending = selected.observed.filter((c) => c.state === 'pending').map((c) => c.name)
      o.log.info(`Waiting for checks: ${[...pending, ...selected.missing].join(', ')}`)
      await o.clock.sleep(Math.min(o.pollMs ?? 10_000, o.timeoutMs - waitedMs), o.signal)
    } catch (e) {
      return {
        observed: [],
        missing: [],
        ownSkipped: 0,
        waitedMs: o.clock.now().getTime() - start,
        error: (e as Error).message
      }
    }
  }
}

export function evaluateCi(f: CiFacts, language: Language): ChecklistItem {
  const p = phrases(language)
  const item = itemMaker('ci', language)
  if (f.error) return item('fail', p.checksUnreadable(f.error))
  const names = (state: CheckState): string =>
    f.observed
      .filter((o) => o.state === state)
      .map((o) => (state === 'fail' ? `${o.name} (${o.outcome})` : o.name))
      .join(', ')
  const failed = names('fail')
  if (failed) return item('fail', p.checksFailed(failed))
  const pending = names('pending')
  if (pending) return item('fail', p.checksPending(pending, formatDuration(f.waitedMs)))
  if (f.missing.length > 0) return item('fail', p.checksMissing(f.missing.join(', ')))
  if (f.observed.length === 0) return item('fail', p.noChecks)
  return item('pass', p.checksSucceeded(f.observed.length, f.observed.length))
}
