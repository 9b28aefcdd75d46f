/** Slack incoming-webhook payload: `text` (fallback) and Block Kit `blocks`. */
import { escapeSlack, slackCode } from '../report/escape.js'
import type { DeploymentRecord } from '../record/types.js'
import {
  buildMessage,
  ITEM_MARK,
  runLink,
  statusEmoji,
  type Language,
  type MessageExtra,
  type NotifyEvent
} from './messages.js'

export interface SlackText {
  type: 'mrkdwn' | 'plain_text'
  text: string
  /** plain_text only: false keeps `:name:` as written instead of turning it into an emoji */
  emoji?: boolean
}

export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text: SlackText }
  | { type: 'section'; fields: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' }

export interface SlackPayload {
  text: string
  blocks: SlackBlock[]
}

/** Slack limits: 150 characters per header, 3000 per section text, 2000 per field, 10 fields. */
const HEADER_MAX = 150
const SECTION_MAX = 3000
const FIELD_MAX = 2000

/** Outside text shown exactly as written: no formatting, no entities, no emoji codes. */
function plain(text: string): SlackText {
  return { type: 'plain_text', text, emoji: false }
}

/** Cuts already-escaped lines at a line boundary so the text stays within `max`. */
function fitLines(lines: string[], max: number): string {
  let out = ''
  for (const line of lines) {
    const next = out ? `${out}\n${line}` : line
    if (next.length > max - 2) return out ? `${out}\n…` : `${line.slice(0, max - 2)}…`
    out = next
  }
  return out
}

/** Raw text cut before escaping (escaping at most multiplies the length by 5). */
function cut(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s
}

/** A run URL as a Slack link target: http(s) only, without the characters of link syntax. */
export function slackLinkTarget(url: string | undefined): string | undefined {
  return runLink(url)
    ?.replace(/&/g, '&amp;')
    .replace(/</g, '%3C')
    .replace(/>/g, '%3E')
    .replace(/\|/g, '%7C')
}

export function slackPayload(
  event: NotifyEvent,
  record: DeploymentRecord,
  language: Language,
  extra: MessageExtra = {}
): SlackPayload {
  const m = buildMessage(event, record, language, extra)
  const l = m.labels
  const emoji = extra.emoji ?? statusEmoji(event, record)
  // outside text (version, environment) in a code span, or (when it cannot be one) the whole
  // field as plain text; our own words (urgency, status) as they are
  const field = (label: string, value: string, outside = true): SlackText => {
    const shown = cut(value, FIELD_MAX / 5 - 20)
    if (!outside) return { type: 'mrkdwn', text: `*${label}*\n${escapeSlack(shown)}` }
    const code = slackCode(shown)
    return code ? { type: 'mrkdwn', text: `*${label}*\n${code}` } : plain(`${label}\n${shown}`)
  }

  const blocks: SlackBlock[] = [
    { type: 'header', text: plain(cut(`${emoji} ${m.headline}`, HEADER_MAX)) },
    {
      type: 'section',
      fields: [
        field(l.version, record.version),
        field(l.environment, record.environment),
        field(l.urgency, m.urgency, false),
        field(l.status, m.status, false)
      ]
    }
  ]

  if (record.checklist?.length) {
    const lines = record.checklist.map((i) => {
      const detail = i.detail ? ` — ${cut(i.detail.replace(/\s+/g, ' '), 150)}` : ''
      return `${ITEM_MARK[i.status] ?? '➖'} ${cut(i.item, 80)}${detail}`
    })
    blocks.push({ type: 'section', text: plain(fitLines([l.checklist, ...lines], SECTION_MAX)) })
  }

  if (m.changes.length) {
    blocks.push({ type: 'section', text: plain(fitLines([l.changes, ...m.changes], SECTION_MAX)) })
  }

  if (m.reason) {
    blocks.push({
      type: 'section',
      text: plain(fitLines([l.reason, m.reason], SECTION_MAX))
    })
  }

  const elements: SlackText[] = []
  if (m.notes.length) elements.push(plain(fitLines(m.notes, SECTION_MAX)))
  const link = slackLinkTarget(record.run_url)
  if (link) elements.push({ type: 'mrkdwn', text: `<${link}|${escapeSlack(l.run)}>` })
  if (elements.length) blocks.push({ type: 'context', elements })

  const text = fitLines(
    [`${emoji} ${escapeSlack(m.headline)}`, ...m.lines.map((line) => escapeSlack(line))],
    SECTION_MAX
  )
  return { text, blocks }
}
