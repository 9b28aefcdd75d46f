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
