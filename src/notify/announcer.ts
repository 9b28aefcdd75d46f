import type { Clock } from '../clock.js'
import type { Core } from '../core.js'
import type { RunState } from '../record/state.js'
import type { SlackMessageRecord } from '../record/types.js'
import type { Settings } from '../settings/schema.js'
import { headline, notifyAll, notifySummary, sendMarkers } from './index.js'
import type { NotifyEvent } from './messages.js'
import type { ReleaseNews } from './progress.js'
import { SlackThread } from './slack-thread.js'

export type { ReleaseNews } from './progress.js'

/** Told before the first change and after the last one; never throws, never fails the run. */
export interface Announcer {
  before(state: RunState): Promise<void>
  after(state: RunState): Promise<void>
  /** the run was refused after all (another run holds the lock) */
  refused(state: RunState): Promise<void>
  /** what happened meanwhile (a phase began, a step ended); never makes the run wait */
  news?(state: RunState, news: ReleaseNews): void
}

export interface AnnouncerDeps {
  clock: Clock
  core: Core
  signal?: AbortSignal
  /**
   * The Slack message of the run that postponed this release (its deployment's
   * `payload.red_button.slack`): edited, with "resumed …" in its thread, instead of posting one.
   */
  existing?: SlackMessageRecord
}

/**
 * Tells the people: chat channels before and after, markers in Grafana/Datadog at the end;
 * with a Slack bot token, one message per release, edited as it goes, each step in its thread.
 * Every failure becomes a warning and a line in the record; nothing here throws.
 */
export class ChatAnnouncer implements Announcer {
  private thread?: SlackThread

  constructor(private readonly deps: AnnouncerDeps) {}

  private channels(settings: Settings) {
    return { slack: settings.slackWebhook, teams: settings.teamsWebhook, webhook: settings.webhook }
  }

  /** The release's Slack message (bot-token mode), or undefined without slack-token. */
  private slack(state: RunState): SlackThread | undefined {
    const bot = state.settings.slackBot
    if (!bot) return undefined
    // the post step finishes what the killed main step began: its message is in the record
    this.thread ??= new SlackThread(bot, {
      clock: this.deps.clock,
      log: this.deps.core,
      existing: this.deps.existing ?? state.record.slack,
      resumed: this.deps.existing !== undefined
    })
    return this.thread
  }

  private async send(event: NotifyEvent, state: RunState): Promise<string> {
    const { settings, record } = state
    const leadTimeMs = event === 'before' ? settings.notifyLeadTimeMs : undefined
    const [result, shown] = await Promise.all([
      notifyAll(event, record, this.channels(settings), {
        language: settings.language,
        clock: this.deps.clock,
        log: this.deps.core,
        leadTimeMs
      }),
      this.slack(state)?.show(state, event, { leadTimeMs }) ?? Promise.resolve(false)
    ])
    state.run.warned(...result.failures.map((f) => `notification ${f}`))
    if (!shown) return result.summary
    const text = headline(event, state.record, settings.language, { leadTimeMs })
    return notifySummary([...result.delivered, 'slack'], text)
  }

  async before(state: RunState): Promise<void> {
    state.run.announced('before', await this.send('before', state))
  }

  news(state: RunState, news: ReleaseNews): void {
    try {
      this.slack(state)?.news(state, news)
    } catch {
      // never a reason to stop a release
    }
  }

  /** Resolves when the Slack calls asked for so far have ended. */
  async settled(): Promise<void> {
    await this.thread?.settled()
  }

  async after(state: RunState): Promise<void> {
    state.run.announced('after', await this.send('after', state))
    await this.mark(state)
  }

  /**
   * Posts the release's Slack message (bot-token mode) before a postponement is recorded on
   * GitHub, so that its queued deployment carries the message for the resumed run to edit;
   * `refused` then edits it to its final words. Nothing without slack-token.
   */
  async postFirst(state: RunState): Promise<void> {
    await this.slack(state)?.show(state, 'refused')
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
