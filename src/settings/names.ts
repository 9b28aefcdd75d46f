/**
 * Names compared as GitHub compares them, and the closest known name for a typo: environment
 * names ignore case, `production-environments` patterns may use `*`, and a name that is two
 * edits from a known one is taken for a typo of it.
 */

/** Edits (insert, delete, substitute, swap two neighbours) between two texts, ignoring case. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase()
  const t = b.toLowerCase()
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0))
  )
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1
      const row = d[i] as number[]
      const prev = d[i - 1] as number[]
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost
      )
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1)
    }
  }
  return (d[s.length] as number[])[t.length] as number
}

/** The known name closest to `name` (fewest edits, then the first listed), with its distance. */
export function closest(
  name: string,
  known: readonly string[]
): { name: string; distance: number } | undefined {
  let best: { name: string; distance: number } | undefined
  for (const k of known) {
    const distance = editDistance(name, k)
    if (!best || distance < best.distance) best = { name: k, distance }
  }
  return best
}

/** Environment names are one when they differ only in case, as GitHub's are. */
export const sameEnvironment = (a: string, b: string): boolean =>
  a.toLowerCase() === b.toLowerCase()

/** A `production-environments` pattern: whole names, ignoring case, `*` any characters. */
export function matchesPattern(name: string, pattern: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${source}$`, 'i').test(name)
}

export const isProductionName = (name: string, patterns: readonly string[]): boolean =>
  patterns.some((p) => matchesPattern(name, p))

/**
 * A target that is not production but within two edits of a production name (`prodution`):
 * the production rules would silently not apply. Only names without `*` are compared.
 */
export function productionLookAlike(name: string, patterns: readonly string[]): string | undefined {
  if (name === '' || isProductionName(name, patterns)) return undefined
  const literal = patterns.filter((p) => !p.includes('*'))
  const near = closest(name, literal)
  return near && near.distance <= 2 && near.distance > 0 ? near.name : undefined
}
