import { describe, expect, it } from '@jest/globals'
import { formatDuration, parseDuration } from '../src/duration.js'

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['0', 0],
    [' 2m ', 120_000]
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })

  it.each(['thirty minutes', '-5m', '15', '', 'm', '5 m', '1h-30m', '10x'])(
    'rejects %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined()
    }
  )

  it('formats', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m')
    expect(formatDuration(250)).toBe('250ms')
    expect(formatDuration(61_000)).toBe('1m1s')
  })
})
