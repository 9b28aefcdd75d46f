import type { ChecklistItem, Decision } from '../record/types.js'

/** Any failure but the time rule aborts; the time rule alone postpones. */
export function decide(checklist: ChecklistItem[]): Decision {
  const failed = checklist.filter((i) => i.status === 'fail')
  if (failed.length === 0) return 'go'
  return failed.every((i) => i.id === 'window') ? 'postpone' : 'abort'
}
