import type { Clock } from '../clock.js'
import type { Core } from '../core.js'
import type { RunState } from '../record/state.js'
import type { Settings } from '../settings/schema.js'
import { notifyAll, sendMarkers } from './index.js'
import type { NotifyEvent } from './messages.js'

/** Told before the first change and after the last one; never throws, never fails the run. */
export interface Announcer {
  before(state: RunState): Promise<void>
  after(state: RunState): Promise<void>
  /** the run was refused after all (another run holds the lock) */
  refused(state: RunState): Promise<void>
}

/**
 * Tells the people: chat channels before and after, markers in Grafana/Datadog at the end.
 * Every failure becomes a warning and a line in the record; nothing here throws.
 */
export class ChatAnnouncer implements Announcer {
  constructor(private readonly deps: { clock: Clock; core: Core; signal?: AbortSignal }) {}

  private channels(settings: Settings) {
    return { slack: settings.slackWebhook, teams: settings.teamsWebhook, webhook: settings.webhook }
  }

  private async send(event: NotifyEvent, state: RunState): Promise<string> {
    const { settings, record } = state
    const result = await notifyAll(event, record, this.channels(settings), {
      language: settings.language,
      clock: this.deps.clock,
      log: this.deps.core,
      leadTimeMs: event === 'before' ? settings.notifyLeadTimeMs : undefined
    })
    state.run.warned(...result.failures.map((f) => `notification ${f}`))
    return result.summary
  }

  async before(state: RunState): Promise<void> {
    state.run.announced('before', await this.send('before', state))
  }

  async after(state: RunState): Promise<void> {
    state.run.announced('after', await this.send('after', state))
    await this.mark(state)
  }

  /** A refused run (aborted or postponed) is announced too, naming what failed or when. */
  async refused(state: RunState): Promise<void> {
    state.run.announced('after', await this.send('refused', state))
  }

  private async mark(state: RunState): Promise<void> {
    const { settings, record } = state
    if (!settings.grafana && !settings.datadog) return
    const result = await sendMarkers(
      record,
      { grafana: settings.grafana, datadog: settings.datadog },
      { language: settings.language, clock: this.deps.clock, log: this.deps.core }
    )
    state.run.noted(`markers: ${result.summary}`)
    state.run.warned(...result.failures.map((f) => `marker ${f}`))
  }
}
