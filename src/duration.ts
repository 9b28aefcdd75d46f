const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/**
 * The longest duration a setting may have. Node's timers hold at most 2^31 − 1 ms (about
 * 24.8 days) and fire at once when asked for more, so a longer timeout would end a command
 * immediately and a longer wait would not wait at all.
 */
export const MAX_DURATION_MS = 24 * 86_400_000

/**
 * Parses durations written `90s`, `15m`, `1h`, `1h30m`, `500ms` (a bare `0` is zero).
 * Returns milliseconds, or undefined when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const s = text.trim().toLowerCase()
  if (s === '0') return 0
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(s)) return undefined
  let total = 0
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number)
  }
  return Math.round(total)
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`
  const totalSeconds = Math.round(ms / 1000)
  const h = Math.floor(totalSeconds / 3600)
  const m = Math.floor((totalSeconds % 3600) / 60)
  const s = totalSeconds % 60
  return [h ? `${h}h` : '', m ? `${m}m` : '', s ? `${s}s` : ''].join('') || '0s'
}

/** A span as people say it, to the second below an hour: "42 min", "1 h 5 min", "29 min 59 s". */
export function spanText(ms: number): string {
  const totalSeconds = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(totalSeconds / 3600)
  const m = Math.floor((totalSeconds % 3600) / 60)
  const s = totalSeconds % 60
  const parts = [h ? `${h} h` : '', m ? `${m} min` : '', s && !h ? `${s} s` : '']
  return parts.filter(Boolean).join(' ') || '0 min'
}
