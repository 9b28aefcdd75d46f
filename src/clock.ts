/** Time as a seam: decisions take `now()`, waits go through `sleep()` so tests can control both. */
export interface Clock {
  now(): Date
  /** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted || ms <= 0) return resolve()
      const done = (): void => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      signal?.addEventListener('abort', done, { once: true })
    })
}

/** A clock fixed at an instant (or moved by hand); sleeping advances it instantly. */
export function fixedClock(start: Date): Clock & { set(d: Date): void } {
  let current = new Date(start)
  return {
    now: () => new Date(current),
    set: (d) => {
      current = new Date(d)
    },
    sleep: async (ms) => {
      current = new Date(current.getTime() + Math.max(0, ms))
    }
  }
}

/**
 * A clock that starts at `start` and then runs at the real pace (waits are real).
 * Used for "what if we pressed the button then" previews and for tests of the dist bundle.
 */
export function shiftedClock(start: Date, base: Clock = systemClock): Clock {
  const offset = start.getTime() - base.now().getTime()
  return {
    now: () => new Date(base.now().getTime() + offset),
    sleep: (ms, signal) => base.sleep(ms, signal)
  }
}

/**
 * The clock of a run. `RED_BUTTON_NOW` (an ISO instant) moves it, but only where it cannot
 * be used to slip past a freeze: in dry runs, or outside GitHub Actions (local runs, tests).
 */
export function clockFromEnv(env: Record<string, string | undefined>): {
  clock: Clock
  shifted?: string
} {
  const wanted = env.RED_BUTTON_NOW?.trim()
  if (!wanted) return { clock: systemClock }
  const dryRun = (env['INPUT_DRY-RUN'] ?? '').trim().toLowerCase() === 'true'
  if (env.GITHUB_ACTIONS === 'true' && !dryRun) return { clock: systemClock }
  const start = new Date(wanted)
  if (Number.isNaN(start.getTime())) return { clock: systemClock }
  return { clock: shiftedClock(start), shifted: start.toISOString() }
}
