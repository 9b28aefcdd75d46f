import type { Core } from '../core.js'

/**
 * What the main step saves as it goes (core.saveState), so that the post step can finish a
 * deployment whose main step was killed: roll back what had started, set the final status.
 */
export const STATE = {
  deploymentId: 'deployment-id',
  started: 'started-steps',
  record: 'record',
  pgid: 'command-pgid',
  lastStatus: 'last-status',
  finished: 'finished'
} as const

export function saveProgress(
  core: Pick<Core, 'saveState'>,
  values: Partial<Record<(typeof STATE)[keyof typeof STATE], string>>
): void {
  for (const [k, v] of Object.entries(values)) core.saveState(k, v)
}
