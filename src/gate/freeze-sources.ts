import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { httpFetch, isHttpUrl, timeoutSignal } from '../http.js'
import type { FreezeWindow } from '../schedule/freeze.js'
import { deployHoursFreeze } from '../schedule/hours.js'
import { DAY_MS, toWall } from '../schedule/zone.js'
import { phrases } from '../report/wording.js'
import type { Settings } from '../settings/schema.js'

/**
 * The frozen time of `holidays`, `freeze-calendar` and `deploy-hours`, read at gate time:
 * the holiday data is loaded, each calendar file or feed is read (feeds through the proxy
 * rules, 10 s each) and parsed by schedule/ into windows. They apply to production targets.
 */

/** The time limit of one calendar feed. */
export const FEED_TIMEOUT_MS = 10_000
/** Calendar events are read this far ahead of now (the search for a next window looks 366 days). */
export const CALENDAR_AHEAD_MS = 400 * DAY_MS

export interface SourceProblem {
  /** a path as written, a URL by its host only */
  source: string
  why: string
}

export interface FreezeSourceFacts {
  windows: FreezeWindow[]
  /** sources that could not be read or parsed: no next window can be known */
  problems: SourceProblem[]
}

/** How a source is named in messages: a URL (masked as a secret) by its host only. */
export function sourceLabel(source: string): string {
  return isHttpUrl(source) ? new URL(source).host : source
}

async function readSource(
  source: string,
  workspace: string,
  signal?: AbortSignal
): Promise<string> {
  if (isHttpUrl(source)) {
    const limit = timeoutSignal(FEED_TIMEOUT_MS, signal)
    try {
      const res = await httpFetch(source, {
        headers: { accept: 'text/calendar, */*', 'user-agent': 'red-button' },
        signal: limit.signal,
        maxBytes: 8 * 1024 * 1024
      })
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      return await res.text()
    } catch (e) {
      if (limit.timedOut())
        throw new Error(`no answer within ${FEED_TIMEOUT_MS / 1000} s`, { cause: e })
      const code = (e as { cause?: { code?: string } }).cause?.code
      throw new Error(code && code !== 'ABORT_ERR' ? code : (e as Error).message, { cause: e })
    } finally {
      limit.dispose()
    }
  }
  const root = path.resolve(workspace)
  const file = path.resolve(root, source)
  if (file !== root && !file.startsWith(root + path.sep)) throw new Error('outside the repository')
  try {
    return await readFile(file, 'utf8')
  } catch (e) {
    const code = (e as { code?: string }).code
    throw new Error(code === 'ENOENT' ? 'no such file in the repository' : (code ?? String(e)), {
      cause: e
    })
  }
}

export async function collectFreezeSources(
  settings: Pick<
    Settings,
    'holidays' | 'freezeCalendars' | 'deployHours' | 'timeZone' | 'language'
  >,
  o: { workspace: string; now: Date; signal?: AbortSignal }
): Promise<FreezeSourceFacts> {
  const windows: FreezeWindow[] = []
  const problems: SourceProblem[] = []
  if (settings.deployHours)
    windows.push(
      ...deployHoursFreeze(settings.deployHours, phrases(settings.language).deployHoursName)
    )
  const year = new Date(toWall(o.now.getTime(), settings.timeZone)).getUTCFullYear()
  const [holidays, calendars] = await Promise.all([
    settings.holidays.length > 0
      ? import('../schedule/holidays.js').then(({ holidayWindows }) =>
          holidayWindows(settings.holidays, [year - 1, year, year + 1, year + 2], settings.language)
        )
      : [],
    Promise.all(
      settings.freezeCalendars.map(async (source) => {
        try {
          const text = await readSource(source, o.workspace, o.signal)
          const { calendarWindows } = await import('../schedule/calendar.js')
          return calendarWindows(
            text,
            {
              from: o.now.getTime() - DAY_MS,
              to: o.now.getTime() + CALENDAR_AHEAD_MS,
              timeZone: settings.timeZone
            },
            sourceLabel(source)
          )
        } catch (e) {
          problems.push({ source: sourceLabel(source), why: (e as Error).message })
          return []
        }
      })
    )
  ])
  windows.push(...holidays, ...calendars.flat())
  return { windows, problems }
}
