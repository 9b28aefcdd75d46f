import type { Language } from '../settings/schema.js'
import type { ChecklistItem, ItemId } from '../record/types.js'
import { ITEM_LABELS } from '../report/wording.js'

/** Builds checklist items of one id in one language (the label may be overridden). */
export function itemMaker(id: ItemId, language: Language, label = ITEM_LABELS[language][id]) {
  return (status: ChecklistItem['status'], detail: string): ChecklistItem => ({
    id,
    item: label,
    status,
    detail
  })
}
