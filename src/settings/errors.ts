/** One bad input; `message` already names the input and what was expected. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '))
    this.name = 'SettingsError'
  }
}

const show = (s: string): string => JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s)

/** The one-line message of a bad input: it names the input and what was expected. */
export function problem(name: string, expected: string, got?: string): string {
  return `input "${name}": expected ${expected}${got === undefined ? '' : `, got ${show(got)}`}`
}

export { show }
