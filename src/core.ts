import type * as actionsCore from '@actions/core'

/**
 * The part of @actions/core that Red Button uses. Injected so that tests can
 * capture outputs and logs without module mocks; the entry points pass the real module.
 */
export interface Core {
  getInput(name: string, options?: actionsCore.InputOptions): string
  setOutput(name: string, value: unknown): void
  setFailed(message: string | Error): void
  setSecret(secret: string): void
  info(message: string): void
  debug(message: string): void
  warning(message: string | Error, properties?: actionsCore.AnnotationProperties): void
  error(message: string | Error, properties?: actionsCore.AnnotationProperties): void
  notice(message: string | Error, properties?: actionsCore.AnnotationProperties): void
  startGroup(name: string): void
  endGroup(): void
  saveState(name: string, value: unknown): void
  getState(name: string): string
}

/** Where log lines go; a subset of Core that the run and notify areas need. */
export type Log = Pick<Core, 'info' | 'debug' | 'warning' | 'error' | 'startGroup' | 'endGroup'>
