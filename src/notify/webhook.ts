/** Generic webhook: the record as JSON, signed with HMAC-SHA256 when a secret is given. */
import { createHmac } from 'node:crypto'
import { toRecord } from '../record/yaml.js'
import type { DeploymentRecord } from '../record/types.js'
import type { NotifyEvent } from './messages.js'

export const SIGNATURE_HEADER = 'X-Red-Button-Signature-256'
export const EVENT_HEADER = 'X-Red-Button-Event'

/** The record of docs/design.md section 8 (`deployment: ...`) with the event that sent it. */
export interface WebhookBody {
  event: NotifyEvent
  deployment: DeploymentRecord
}

export interface WebhookRequest {
  /** the exact bytes sent, and signed */
  body: string
  headers: { [name: string]: string }
}

/** `sha256=<hex HMAC-SHA256 of body with secret>`, as in the signature header. */
export function signature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`
}

/** The body is serialised once here; the signature covers exactly that string. */
export function webhookRequest(
  event: NotifyEvent,
  record: DeploymentRecord,
  secret?: string
): WebhookRequest {
  const payload: WebhookBody = { event, ...toRecord(record) }
  const body = JSON.stringify(payload)
  const headers: { [name: string]: string } = {
    'content-type': 'application/json; charset=utf-8',
    [EVENT_HEADER]: event
  }
  if (secret) headers[SIGNATURE_HEADER] = signature(body, secret)
  return { body, headers }
}
