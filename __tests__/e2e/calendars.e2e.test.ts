import { describe, expect, it } from '@jest/globals'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import yaml from 'js-yaml'
import { gateStandIns } from './gate-steps.js'

// A repository calendar: a weekly Wednesday 15:00-16:00 Paris event since January 2024.
const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//shop//freeze//EN',
  'BEGIN:VEVENT',
  'UID:demo@shop.example',
  'DTSTAMP:20240101T000000Z',
  'DTSTART;TZID=Europe/Paris:20240103T150000',
  'DTEND;TZID=Europe/Paris:20240103T160000',
  'RRULE:FREQ=WEEKLY;BYDAY=WE',
  'SUMMARY:Weekly sales demo',
  'END:VEVENT',
  'END:VCALENDAR',
  ''
].join('\r\n')

const { main } = gateStandIns({
  inputs: {
    holidays: 'FR',
    'deploy-hours': 'Mon-Thu 09:00-17:00, Fri 09:00-12:00',
    'freeze-calendar': 'ops/freeze.ics'
  },
  prepare: (job) => {
    mkdirSync(join(job.workspace, 'ops'), { recursive: true })
    writeFileSync(join(job.workspace, 'ops', 'freeze.ics'), ICS)
  }
})

function windowItem(outputs: Record<string, string>) {
  const d = (yaml.load(outputs.record ?? '') as { deployment: Record<string, unknown> }).deployment
  return (d.checklist as Array<{ id: string; status: string; detail: string }>).find(
    (i) => i.id === 'window'
  )
}

describe('dist/index.js with holidays, deploy hours and a repository calendar', () => {
  it('the evening before Easter Monday 2027 waits for Tuesday 30 March 09:00', async () => {
    const r = await main('2027-03-28T18:00:00Z')
    expect(r.code).toBe(0)
    expect(r.outputs.decision).toBe('postpone')
    expect(r.outputs['next-window']).toBe('2027-03-30T09:00:00+02:00')
    expect(windowItem(r.outputs)?.status).toBe('fail')
  })

  it('the weekly event of the .ics freezes 15:00-16:00 local time, after the DST change too', async () => {
    // Wednesday 31 March 2027 15:30 CEST
    const r = await main('2027-03-31T13:30:00Z', { language: 'fr' })
    expect(r.outputs.decision).toBe('postpone')
    expect(r.outputs['next-window']).toBe('2027-03-31T16:00:00+02:00')
    expect(windowItem(r.outputs)?.detail).toContain('Weekly sales demo')
    // and before it (Wednesday 17 March 2027 15:30 CET): the same local hour
    const before = await main('2027-03-17T14:30:00Z')
    expect(before.outputs['next-window']).toBe('2027-03-17T16:00:00+01:00')
  })

  it('warns of a freeze within 24 h in the summary even when the release may go', async () => {
    // Tuesday 30 March 2027 10:00 CEST: free; the demo starts tomorrow 15:00
    const r = await main('2027-03-30T08:00:00Z')
    expect(r.outputs.decision).toBe('go')
    expect(r.summary).toContain('freeze ahead: outside deploy hours starts Tuesday 30 March 17:00')
  })

  it('an unreadable calendar aborts, naming the source', async () => {
    const r = await main('2027-03-30T08:00:00Z', { 'freeze-calendar': 'ops/missing.ics' })
    expect(r.outputs.decision).toBe('abort')
    expect(windowItem(r.outputs)?.detail).toContain(
      'freeze calendar unreadable: ops/missing.ics (no such file in the repository)'
    )
  })

  it('an unknown holiday code is refused before anything runs', async () => {
    const r = await main('2027-03-30T08:00:00Z', { holidays: 'FR, XX' })
    expect(r.outputs.status).toBe('aborted')
    expect(r.stdout).toContain('input "holidays"')
  })
})
