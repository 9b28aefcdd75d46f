/**
 * The release's one Slack message (bot-token mode, docs/design.md section 10): posted before the
 * release (or taken over from the run that postponed it), edited at each change of state, the
 * result of each step a reply in its thread. Calls go out one after another in the order they
 * were asked for; progress (`news`) never makes the release wait. Every failure becomes a
 * warning and a line in the record; nothing here throws.
 */
import type { Clock } from '../clock.js'
import type { Log } from '../core.js'
import type { RunState } from '../record/state.js'
import type { SlackMessageRecord } from '../record/types.js'
import { escapeSlack } from '../report/escape.js'
import { windowInWords } from '../report/when.js'
import type { SlackBot } from '../settings/schema.js'
import type { MessageExtra, NotifyEvent } from './messages.js'
import { phaseHeadline, resumedLine, stepLine, type ReleaseNews } from './progress.js'
import { SlackWebApi, type SlackAnswer, type SlackApiDeps, type SlackMethod } from './slack-api.js'
import { slackPayload } from './slack.js'

/** Progress edits of the same phase (the watch's minutes) at most this often. */
export const PROGRESS_EDIT_MS = 60_000

/** An edit that cannot reach the message: it was deleted, or is too old; post a new one. */
const GONE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed'])

export interface SlackThreadDeps extends Omit<SlackApiDeps, 'clock'> {
  clock: Clock
  log: Log
  /** a message to edit instead of posting one: the postponed run's, or the killed main step's */
  existing?: SlackMessageRecord
  /** this run resumes a postponed release: it says so once in the message's thread */
  resumed?: boolean
}

export class SlackThread {
  private readonly api: SlackWebApi
  private ref?: SlackMessageRecord
  private resumed: boolean
  private queue: Promise<unknown> = Promise.resolve()
  private lastPhase?: string
  private lastProgressAt?: number
  private warnedStop = false

  constructor(
    private readonly bot: SlackBot,
    private readonly deps: SlackThreadDeps
  ) {
    this.api = new SlackWebApi(bot, deps)
    this.resumed = deps.resumed === true && deps.existing !== undefined
    this.ref = deps.existing
  }

  /** The message, once posted or taken over. */
  get message(): SlackMessageRecord | undefined {
    return this.ref
  }

  /**
   * Shows the release's state for `event` in its message (posting it when there is none),
   * after every call asked for before. True when the message shows it.
   */
  show(state: RunState, event: NotifyEvent, extra: MessageExtra = {}): Promise<boolean> {
    return this.enqueue(() => this.render(state, event, extra))
  }

  /** Tells the message what happened, without waiting: an edit, or a reply in its thread. */
  news(state: RunState, news: ReleaseNews): void {
    if (news.kind === 'step') {
      if (news.step.status === 'skipped') return // one reply per step that ran
      const line = stepLine(news.step, state.settings.language)
      void this.enqueue(() => this.reply(state, line))
      return
    }
    const now = this.deps.clock.now().getTime()
    if (
      news.phase === this.lastPhase &&
      this.lastProgressAt !== undefined &&
      now - this.lastProgressAt < PROGRESS_EDIT_MS
    )
      return
    this.lastPhase = news.phase
    this.lastProgressAt = now
    const extra = phaseHeadline(news, state.record, state.settings.language)
    void this.enqueue(() => this.render(state, 'before', extra))
  }

  /** Resolves when every call asked for so far has ended. */
  async settled(): Promise<void> {
    await this.queue
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work)
    this.queue = next.catch(() => undefined)
    return next
  }

  private async render(state: RunState, event: NotifyEvent, extra: MessageExtra): Promise<boolean> {
    try {
      const payload = slackPayload(event, state.record, state.settings.language, extra)
      const args = {
        channel: this.ref?.channel ?? this.bot.channel,
        text: payload.text,
        blocks: JSON.stringify(payload.blocks)
      }
      if (this.ref) {
        const edited = await this.call(state, 'chat.update', { ...args, ts: this.ref.ts }, true)
        if (edited.ok) {
          await this.tellResumed(state)
          return true
        }
        if (!GONE.has(edited.error)) return false
        // the earlier message is gone or too old to edit: this run posts its own
        this.deps.log.info(
          `Slack: the release's message cannot be edited (${edited.error}); posting a new one`
        )
        this.ref = undefined
      }
      const posted = await this.call(state, 'chat.postMessage', args)
      if (!posted.ok || !posted.ts) return false
      this.ref = { channel: posted.channel ?? args.channel, ts: posted.ts }
      state.run.slackMessage(this.ref)
      await this.tellResumed(state)
      return true
    } catch (e) {
      this.warn(state, `slack: internal error (${(e as Error).name})`)
      return false
    }
  }

  /** A resumed release says so once in the thread of the message it took over. */
  private async tellResumed(state: RunState): Promise<void> {
    if (!this.resumed || !this.ref) return
    this.resumed = false
    if (state.record.slack?.ts !== this.ref.ts) state.run.slackMessage(this.ref)
    const { language } = state.settings
    const now = this.deps.clock.now()
    const when = windowInWords(now.toISOString(), language, state.record.timezone ?? 'UTC')
    await this.reply(state, resumedLine(when, language))
  }

  private async reply(state: RunState, line: string): Promise<void> {
    if (!this.ref) return // no message to reply to (its post failed: warned then)
    await this.call(state, 'chat.postMessage', {
      channel: this.ref.channel,
      thread_ts: this.ref.ts,
      text: escapeSlack(line),
      blocks: JSON.stringify([
        { type: 'section', text: { type: 'plain_text', text: line.slice(0, 2900), emoji: false } }
      ])
    })
  }

  private async call(
    state: RunState,
    method: SlackMethod,
    args: { [name: string]: string | undefined },
    quietWhenGone = false
  ): Promise<SlackAnswer> {
    const answer = await this.api.call(method, args)
    if (answer.ok) return answer
    if (answer.skipped) return answer // stopped earlier: warned then
    if (quietWhenGone && GONE.has(answer.error)) return answer
    if (answer.stopped) {
      if (this.warnedStop) return answer
      this.warnedStop = true
      this.warn(
        state,
        `slack: ${answer.error}${answer.advice ? ` — ${answer.advice}` : ''}; no more Slack messages this run`
      )
      return answer
    }
    this.warn(state, `slack: ${method} failed: ${answer.error}`)
    return answer
  }

  private warn(state: RunState, line: string): void {
    try {
      this.deps.log.warning(`Notification not delivered: ${line}`)
    } catch {
      // a broken logger must not break the deployment
    }
    state.run.warned(`notification ${line}`)
  }
}
