import type { Language, Urgency } from '../settings/schema.js'
import type { ChecklistItem } from '../record/types.js'
import { ITEM_LABELS, phrases, windowLabel } from '../report/wording.js'
import { formatDuration } from '../duration.js'
import { itemMaker } from './item.js'
import { DEFAULT_FREEZE, describeWindow, type FreezeWindow } from '../schedule/freeze.js'
import { activeWindow, formatInZone, nextAllowed, upcomingWindow } from '../schedule/windows.js'
import { toWall, wallDay } from '../schedule/zone.js'
import { windowInWords } from '../report/when.js'
import type { SourceProblem } from './freeze-sources.js'

/** Whether the windows do end, but no gap between them is as long as the runway. */
function runwayNeverFits(f: WindowFacts): boolean {
  if (!f.runwayMs) return false
  try {
    nextAllowed(f.windows, f.now, f.timeZone, 0)
    return true
  } catch {
    return false
  }
}

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
  /** a release begins only when no window starts within this long (0: none) */
  runwayMs?: number
  /** calendar sources that could not be read or parsed */
  sourceProblems?: SourceProblem[]
}

export interface WindowVerdict {
  item: ChecklistItem
  /** the window `now` is in, if any */
  active?: FreezeWindow
  /** first allowed instant (== now when allowed); undefined when the windows never end */
  nextWindow?: Date
  overridden: boolean
  /** a source could not be read: no next window can be known (the decision is abort) */
  unknowable?: boolean
  /** a freeze starting within 24 h, worded (a warning even when the release may go) */
  ahead?: string
}

/** A freeze starting within this long is a warning in the summary and the PR comment. */
export const AHEAD_MS = 24 * 3_600_000

/** Whether the P1 override needs the actor's role (so the gate asks GitHub only then). */
export function wantsOverride(f: Pick<WindowFacts, 'urgency' | 'reason'>): boolean {
  return f.urgency === 'P1' && f.reason.trim() !== ''
}

/** A freeze window's name, or its shape in words. */
export function nameOf(w: FreezeWindow): string {
  return w.name ?? describeWindow(w)
}

/** When a window starts, as a reader of the detail wants it: "14:00" today, else the date too. */
function startText(start: Date, now: Date, timeZone: string): string {
  const wall = toWall(start.getTime(), timeZone)
  const hhmm = formatInZone(start, timeZone).slice(11, 16)
  return wallDay(wall) === wallDay(toWall(now.getTime(), timeZone))
    ? hhmm
    : `${formatInZone(start, timeZone).slice(0, 10)} ${hhmm}`
}

/** The window that blocks a release begun at `now`: the one it is in, or one starting within the runway. */
export function blockingWindow(
  f: Pick<WindowFacts, 'windows' | 'now' | 'timeZone' | 'runwayMs'>
): { window: FreezeWindow; start?: Date } | undefined {
  const active = activeWindow(f.windows, f.now, f.timeZone)
  if (active) return { window: active }
  const runway = f.runwayMs ?? 0
  const upcoming = runway > 0 ? upcomingWindow(f.windows, f.now, f.timeZone, runway) : undefined
  return upcoming && { window: upcoming.window, start: upcoming.start }
}

export function evaluateWindow(f: WindowFacts, language: Language): WindowVerdict {
  const p = phrases(language)
  const blocking = blockingWindow(f)
  const active = blocking?.window
  const labelled = active ?? (f.windows.length === 1 ? f.windows[0] : undefined)
  const onlyDefault = f.windows.every((w) => w === DEFAULT_FREEZE[0])
  const label =
    labelled === DEFAULT_FREEZE[0] || (labelled === undefined && onlyDefault)
      ? ITEM_LABELS[language].window
      : windowLabel(language, labelled && nameOf(labelled))
  const item = itemMaker('window', language, label)
  const soon = blocking ? undefined : upcomingWindow(f.windows, f.now, f.timeZone, AHEAD_MS)
  const ahead =
    soon &&
    p.freezeAhead(
      nameOf(soon.window),
      windowInWords(
        formatInZone(soon.start, f.timeZone),
        language,
        f.timeZone,
        formatInZone(f.now, f.timeZone)
      )
    )
  const granted = wantsOverride(f) && f.role !== undefined && OVERRIDE_ROLES.includes(f.role)
  const why = f.roleError
    ? language === 'fr'
      ? `rôle de ${f.actor} illisible (${f.roleError})`
      : `could not read the role of ${f.actor} (${f.roleError})`
    : language === 'fr'
      ? `${f.actor || 'acteur inconnu'} a le rôle ${f.role ?? 'aucun'}, maintain ou admin requis`
      : `${f.actor || 'unknown actor'} has role ${f.role ?? 'none'}, maintain or admin required`

  const sep = language === 'fr' ? ' ; ' : '; '
  const problems = f.sourceProblems ?? []
  if (problems.length > 0) {
    const list = problems.map((s) => `${s.source} (${s.why})`).join('; ')
    if (granted)
      return {
        item: item('pass', p.sourceUnreadableP1(list, f.actor, f.role as string)),
        overridden: true,
        ahead
      }
    const refused = wantsOverride(f) ? `${sep}${p.overrideRefused(why)}` : ''
    return {
      item: item('fail', `${p.sourceUnreadable(list)}${refused}`),
      overridden: false,
      unknowable: true
    }
  }
  if (f.windows.length === 0)
    return { item: item('na', p.noWindow), nextWindow: f.now, overridden: false }
  if (!blocking || !active)
    return {
      item: item('pass', p.outsideWindows(f.windows.length)),
      nextWindow: f.now,
      overridden: false,
      ahead
    }

  let next: Date | undefined
  let nextText: string
  try {
    next = nextAllowed(f.windows, f.now, f.timeZone, f.runwayMs ?? 0)
    nextText = formatInZone(next, f.timeZone)
  } catch {
    // no instant to start from: the windows cover every instant, or no gap between them is as
    // long as the runway; said as such, and the gate then aborts (nothing to wait for)
    nextText = runwayNeverFits(f)
      ? p.runwayNeverFits(formatDuration(f.runwayMs ?? 0))
      : p.neverOpens
  }
  const from = blocking.start && startText(blocking.start, f.now, f.timeZone)
  if (granted) {
    return {
      item: item(
        'pass',
        from
          ? p.p1RunsInto(nameOf(active), from, f.actor, f.role as string)
          : p.p1Used(nameOf(active), f.actor, f.role as string)
      ),
      active,
      nextWindow: next,
      overridden: true
    }
  }
  if (wantsOverride(f)) {
    return {
      item: item(
        'fail',
        from
          ? `${p.runsInto(nameOf(active), from)}${sep}${p.overrideRefused(why)}${sep}${p.nextOpens(nextText)}`
          : p.p1Refused(nameOf(active), nextText, why)
      ),
      active,
      nextWindow: next,
      overridden: false
    }
  }
  return {
    item: item(
      'fail',
      from
        ? `${p.runsInto(nameOf(active), from)}${sep}${p.nextOpens(nextText)}`
        : p.insideWindow(nameOf(active), nextText)
    ),
    active,
    nextWindow: next,
    overridden: false
  }
}
