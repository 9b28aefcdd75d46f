import type { Log } from '../../src/core.js'

export interface Entry {
  level: 'info' | 'debug' | 'warning' | 'error' | 'group' | 'endgroup'
  text: string
}

/** A Log that keeps every entry and lets a test await a line. */
export class MemoryLog implements Log {
  readonly entries: Entry[] = []
  private waiters: { test: (text: string) => boolean; resolve: (text: string) => void }[] = []

  info = (message: string): void => this.add('info', message)
  debug = (message: string): void => this.add('debug', message)
  warning = (message: string | Error): void => this.add('warning', String(message))
  error = (message: string | Error): void => this.add('error', String(message))
  startGroup = (name: string): void => this.add('group', name)
  endGroup = (): void => this.add('endgroup', '')

  /** texts of the info lines */
  get lines(): string[] {
    return this.entries.filter((e) => e.level === 'info').map((e) => e.text)
  }

  get text(): string {
    return this.entries.map((e) => e.text).join('\n')
  }

  /** Resolves with the first entry (past or future) matching `pattern`. */
  waitFor(pattern: string | RegExp): Promise<string> {
    const test = (text: string): boolean =>
      typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)
    const found = this.entries.find((e) => test(e.text))
    if (found) return Promise.resolve(found.text)
    return new Promise((resolve) => this.waiters.push({ test, resolve }))
  }

  private add(level: Entry['level'], text: string): void {
    this.entries.push({ level, text })
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(text)) return true
      w.resolve(text)
      return false
    })
  }
}
