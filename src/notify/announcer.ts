import type { Clock } from '../clock.js'
import type { Core } from '../core.js'
import type { RunState } from '../main.js'
import type { Announcer } from '../run/process.js'
import type { Settings } from '../settings.js'
import { notifyAll, sendMarkers } from './index.js'
import type { NotifyEvent } from './messages.js'

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
    if (result.failures.length > 0)
      (record.warnings ??= []).push(...result.failures.map((f) => `notification ${f}`))
    return result.summary
  }

  async before(state: RunState): Promise<void> {
    state.record.notify.before = await this.send('before', state)
  }

  async after(state: RunState): Promise<void> {
    state.record.notify.after = await this.send('after', state)
    await this.mark(state)
  }

  /** A refused run (aborted or postponed) is announced too, naming what failed or when. */
  async refused(state: RunState): Promise<void> {
    state.record.notify.after = await this.send('refused', state)
  }

  private async mark(state: RunState): Promise<void> {
    const { settings, record } = state
    if (!settings.grafana && !settings.datadog) return
    const result = await sendMarkers(
      record,
      { grafana: settings.grafana, datadog: settings.datadog },
      { language: settings.language, clock: this.deps.clock, log: this.deps.core }
    )
    record.notifications = [...(record.notifications ?? []), `markers: ${result.summary}`]
    if (result.failures.length > 0)
      (record.warnings ??= []).push(...result.failures.map((f) => `marker ${f}`))
  }
}
