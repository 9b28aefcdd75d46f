import type { ChecklistItem, Decision, ItemId } from '../record/types.js'

/**
 * Any failure but the time rules aborts; the time rules alone postpone. `window` is one;
 * `waiting` names the items that fail for nothing but time (staging still baking).
 */
export function decide(checklist: ChecklistItem[], waiting: readonly ItemId[] = []): Decision {
  const failed = checklist.filter((i) => i.status === 'fail')
  if (failed.length === 0) return 'go'
  return failed.every((i) => i.id === 'window' || waiting.includes(i.id)) ? 'postpone' : 'abort'
}
