/** Hand-built facts for the pure evaluators of src/gate. */
import type { CheckRun, CommitStatus } from '../../src/github/api.js'
import type { CheckObservation, CiFacts } from '../../src/gate/ci.js'
import type { DeploymentView } from '../../src/gate/deployments.js'
import { TOOL_NAME } from '../../src/gate/deployments.js'
import type { WindowFacts } from '../../src/gate/window.js'
import { DEFAULT_FREEZE } from '../../src/schedule/freeze.js'

/** Wednesday 2026-11-25 09:00 UTC: outside the default freeze. */
export const WEDNESDAY = new Date('2026-11-25T09:00:00Z')
/** Friday 2026-11-27 15:00 UTC: inside the default freeze (Fri 14:00 -> Mon 00:00). */
export const FRIDAY_AFTERNOON = new Date('2026-11-27T15:00:00Z')

export const SHA = 'c0ffee1234567890c0ffee1234567890c0ffee12'

let nextRunId = 1

export function checkRun(
  name: string,
  conclusion: string | null = 'success',
  o: { status?: string; suite?: number } = {}
): CheckRun {
  return {
    id: nextRunId++,
    name,
    status: o.status ?? (conclusion === null ? 'in_progress' : 'completed'),
    conclusion,
    check_suite: { id: o.suite ?? 5001 }
  }
}

export function status(context: string, state: string): CommitStatus {
  return { context, state }
}

export function observation(
  name: string,
  state: CheckObservation['state'],
  outcome = state === 'pass' ? 'success' : state === 'pending' ? 'in_progress' : 'failure',
  source: CheckObservation['source'] = 'check-run'
): CheckObservation {
  return { name, source, state, outcome }
}

export function ciFacts(observed: CheckObservation[], extra: Partial<CiFacts> = {}): CiFacts {
  return { observed, missing: [], waitedMs: 0, ownSkipped: 0, ...extra }
}

export function deployment(
  id: number,
  state: string | undefined,
  o: Partial<DeploymentView> & { ageMs?: number; now?: Date } = {}
): DeploymentView {
  const { ageMs = 2 * 3_600_000, now = WEDNESDAY, ...rest } = o
  return {
    id,
    sha: SHA,
    ref: `v1.${id}.0`,
    environment: 'production',
    createdAt: new Date(now.getTime() - ageMs),
    creator: 'octocat',
    version: `v1.${id}.0`,
    state,
    read: true,
    byRedButton: false,
    ...rest
  }
}

export const redButtonPayload = { tool: TOOL_NAME }

export function windowFacts(extra: Partial<WindowFacts> = {}): WindowFacts {
  return {
    now: WEDNESDAY,
    timeZone: 'UTC',
    windows: DEFAULT_FREEZE,
    urgency: 'P3',
    reason: '',
    actor: 'alice',
    ...extra
  }
}
