/** Microsoft Teams (Workflows webhook) message carrying an Adaptive Card. */
import { escapeAdaptiveCard } from '../report/escape.js'
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

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive'
export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json'

export interface Fact {
  title: string
  value: string
}

export type CardElement =
  | {
      type: 'TextBlock'
      text: string
      wrap: true
      size?: 'Small' | 'Default' | 'Medium' | 'Large'
      weight?: 'Default' | 'Bolder'
      color?: 'Default' | 'Good' | 'Warning' | 'Attention'
      isSubtle?: boolean
      spacing?: 'None' | 'Small' | 'Medium'
    }
  | { type: 'FactSet'; facts: Fact[] }

export interface TeamsPayload {
  type: 'message'
  attachments: Array<{
    contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE
    contentUrl: null
    content: {
      $schema: string
      type: 'AdaptiveCard'
      version: '1.4'
      body: CardElement[]
      actions: Array<{ type: 'Action.OpenUrl'; title: string; url: string }>
      msteams?: { width: 'Full' }
    }
  }>
}

function cut(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

function color(
  event: NotifyEvent,
  record: DeploymentRecord
): 'Default' | 'Good' | 'Warning' | 'Attention' {
  if (event === 'before') return 'Default'
  if (record.status === 'deployed') return 'Good'
  if (record.status === 'rollback-failed' || record.status === 'aborted') return 'Attention'
  return 'Warning'
}

export function teamsPayload(
  event: NotifyEvent,
  record: DeploymentRecord,
  language: Language,
  extra: MessageExtra = {}
): TeamsPayload {
  const m = buildMessage(event, record, language, extra)
  const l = m.labels
  const esc = (s: string, max = 500): string => escapeAdaptiveCard(cut(s, max))

  const facts: Fact[] = [
    { title: l.version, value: esc(record.version, 100) },
    { title: l.environment, value: esc(record.environment, 100) },
    { title: l.urgency, value: esc(m.urgency, 20) },
    { title: l.status, value: esc(m.status, 100) }
  ]
  if (m.reason) facts.push({ title: l.reason, value: esc(m.reason) })

  const body: CardElement[] = [
    {
      type: 'TextBlock',
      text: `${statusEmoji(event, record)} ${esc(m.headline, 300)}`,
      wrap: true,
      size: 'Medium',
      weight: 'Bolder',
      color: color(event, record)
    },
    { type: 'FactSet', facts }
  ]

  if (record.checklist?.length) {
    body.push({
      type: 'TextBlock',
      text: l.checklist,
      wrap: true,
      weight: 'Bolder',
      spacing: 'Medium'
    })
    body.push({
      type: 'FactSet',
      facts: record.checklist.map((i) => ({
        title: `${ITEM_MARK[i.status] ?? '➖'} ${esc(i.item, 80)}`,
        value: esc(i.detail ?? '', 200) || ' '
      }))
    })
  }

  if (m.changes.length) {
    body.push({
      type: 'TextBlock',
      text: esc(l.changes),
      wrap: true,
      weight: 'Bolder',
      spacing: 'Medium'
    })
    for (const line of m.changes)
      body.push({ type: 'TextBlock', text: esc(line, 300), wrap: true, spacing: 'None' })
  }

  for (const note of m.notes) {
    body.push({ type: 'TextBlock', text: esc(note), wrap: true, isSubtle: true, spacing: 'Small' })
  }

  const url = runLink(record.run_url)
  return {
    type: 'message',
    attachments: [
      {
        contentType: ADAPTIVE_CARD_CONTENT_TYPE,
        contentUrl: null,
        content: {
          $schema: ADAPTIVE_CARD_SCHEMA,
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          actions: url ? [{ type: 'Action.OpenUrl', title: l.run, url }] : [],
          msteams: { width: 'Full' }
        }
      }
    ]
  }
}
