import type { Language, Urgency } from '../settings/schema.js'
import type { ChecklistItem } from '../record/types.js'
import { ITEM_LABELS, phrases, windowLabel } from '../report/wording.js'
import { itemMaker } from './item.js'
import { DEFAULT_FREEZE, describeWindow, type FreezeWindow } from '../schedule/freeze.js'
import { activeWindow, formatInZone, nextAllowed } from '../schedule/windows.js'

/** Item `window`: the time rules, and the P1 override that may lift them. */

export const OVERRIDE_ROLES = ['maintain', 'admin']

export interface WindowFacts {
  now: Date
  timeZone: string
  /** the windows that apply to this environment */
  windows: FreezeWindow[]
  urgency: Urgency
  reason: string
  actor: string
  /** role_name of the actor, read only when a P1 override is asked for inside a window */
  role?: string
  roleError?: string
}

export interface WindowVerdict {
  item: ChecklistItem
  /** the window `now` is in, if any */
  active?: FreezeWindow
  /** first allowed instant (== now when allowed); undefined when the windows never end */
  nextWindow?: Date
  overridden: boolean
}

/** Whether the P1 override needs the actor's role (so the gate asks GitHub only then). */
export function wantsOverride(f: Pick<WindowFacts, 'urgency' | 'reason'>): boolean {
  return f.urgency === 'P1' && f.reason.trim() !== ''
}

/** A freeze window's name, or its shape in words. */
export function nameOf(w: FreezeWindow): string {
  return w.name ?? describeWindow(w)
}

export function evaluateWindow(f: WindowFacts, language: Language): WindowVerdict {
  const p = phrases(language)
  const active = activeWindow(f.windows, f.now, f.timeZone)
  const labelled = active ?? (f.windows.length === 1 ? f.windows[0] : undefined)
  const onlyDefault = f.windows.every((w) => w === DEFAULT_FREEZE[0])
  const label =
    labelled === DEFAULT_FREEZE[0] || (labelled === undefined && onlyDefault)
      ? ITEM_LABELS[language].window
      : windowLabel(language, labelled && nameOf(labelled))
  const item = itemMaker('window', language, label)
  if (f.windows.length === 0)
    return { item: item('na', p.noWindow), nextWindow: f.now, overridden: false }
  if (!active)
    return {
      item: item('pass', p.outsideWindows(f.windows.length)),
      nextWindow: f.now,
      overridden: false
    }

  let next: Date | undefined
  let nextText: string
  try {
    next = nextAllowed(f.windows, f.now, f.timeZone)
    nextText = formatInZone(next, f.timeZone)
  } catch (e) {
    nextText = (e as Error).message
  }
  if (wantsOverride(f)) {
    if (f.role !== undefined && OVERRIDE_ROLES.includes(f.role)) {
      return {
        item: item('pass', p.p1Used(nameOf(active), f.actor, f.role)),
        active,
        nextWindow: next,
        overridden: true
      }
    }
    const why = f.roleError
      ? language === 'fr'
        ? `rôle de ${f.actor} illisible (${f.roleError})`
        : `could not read the role of ${f.actor} (${f.roleError})`
      : language === 'fr'
        ? `${f.actor || 'acteur inconnu'} a le rôle ${f.role ?? 'aucun'}, maintain ou admin requis`
        : `${f.actor || 'unknown actor'} has role ${f.role ?? 'none'}, maintain or admin required`
    return {
      item: item('fail', p.p1Refused(nameOf(active), nextText, why)),
      active,
      nextWindow: next,
      overridden: false
    }
  }
  return {
    item: item('fail', p.insideWindow(nameOf(active), nextText)),
    active,
    nextWindow: next,
    overridden: false
  }
}
