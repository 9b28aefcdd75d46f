import { describe, expect, it } from '@jest/globals'
import { checkListSchema, parseCheckList, type Check } from '../../src/settings/checks.js'

function messages(value: unknown): string[] {
  const parsed = checkListSchema.safeParse(value)
  if (parsed.success) throw new Error('expected a failure')
  return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
}

describe('checkListSchema', () => {
  it('reads the three kinds of check into camelCase', () => {
    const checks: Check[] = checkListSchema.parse([
      {
        name: 'Homepage loads < 3s',
        url: 'https://shop.example/',
        status: 200,
        'max-ms': 3000,
        contains: 'Welcome',
        timeout: '5s'
      },
      { name: 'Health', url: 'http://127.0.0.1:8080/health' },
      { name: 'Login works', run: './scripts/smoke-login.sh' },
      {
        name: 'Error rate below 1%',
        prometheus: 'https://prometheus.example',
        query: 'sum(rate(x[2m]))',
        max: 0.01
      },
      { name: 'Traffic', prometheus: 'http://p.example/prom', query: 'up', min: 1, max: 5 }
    ])
    expect(checks).toEqual([
      {
        kind: 'http',
        name: 'Homepage loads < 3s',
        url: 'https://shop.example/',
        status: 200,
        maxMs: 3000,
        contains: 'Welcome',
        timeoutMs: 5000
      },
      { kind: 'http', name: 'Health', url: 'http://127.0.0.1:8080/health', timeoutMs: 10_000 },
      { kind: 'command', name: 'Login works', run: './scripts/smoke-login.sh' },
      {
        kind: 'prometheus',
        name: 'Error rate below 1%',
        prometheus: 'https://prometheus.example',
        query: 'sum(rate(x[2m]))',
        max: 0.01,
        timeoutMs: 10_000
      },
      {
        kind: 'prometheus',
        name: 'Traffic',
        prometheus: 'http://p.example/prom',
        query: 'up',
        min: 1,
        max: 5,
        timeoutMs: 10_000
      }
    ])
  })

  it('reads an absent list as no checks', () => {
    expect(checkListSchema.parse(null)).toEqual([])
    expect(checkListSchema.parse(undefined)).toEqual([])
    expect(checkListSchema.parse([])).toEqual([])
  })

  it.each([
    [{ url: 'https://x.example' }, '0.name: name is required'],
    [{ name: '  ', run: 'true' }, '0.name: name must not be empty'],
    [{ name: 'A' }, '0: check "A": a check needs one of url (HTTP), run (command) or prometheus'],
    [
      { name: 'A', url: 'https://x.example', run: 'true' },
      '0: check "A": a check takes only one of url, run or prometheus (found url, run)'
    ],
    [
      { name: 'A', url: 'ftp://x.example' },
      '0.url: check "A": url must be an http:// or https:// address'
    ],
    [{ name: 'A', url: 'not a url' }, 'url must be an http:// or https:// address'],
    [{ name: 'A', url: 'https://x.example', status: 700 }, 'status must be between 100 and 599'],
    [{ name: 'A', url: 'https://x.example', status: '200' }, 'status must be a number such as 200'],
    [{ name: 'A', url: 'https://x.example', status: 200.5 }, 'status must be a whole number'],
    [{ name: 'A', url: 'https://x.example', 'max-ms': 0 }, 'max-ms must be positive'],
    [{ name: 'A', url: 'https://x.example', contains: 42 }, 'contains must be a text'],
    [{ name: 'A', url: 'https://x.example', timeout: 'soon' }, 'timeout must be a duration'],
    [{ name: 'A', url: 'https://x.example', timeout: 5 }, 'timeout must be a duration'],
    [
      { name: 'A', url: 'https://x.example', maxMs: 5 },
      'unknown key "maxMs" (an HTTP check takes name, url, status, max-ms, contains, headers, timeout)'
    ],
    [{ name: 'A', run: 'true', status: 0 }, 'unknown key "status" (a command check takes'],
    [{ name: 'A', run: '' }, 'run must not be empty'],
    [{ name: 'A', prometheus: 'https://p.example', query: 'up' }, 'needs min, max or both'],
    [{ name: 'A', prometheus: 'p.example', query: 'up', max: 1 }, 'prometheus must be an http://'],
    [{ name: 'A', prometheus: 'https://p.example', max: 1 }, 'query must be a text'],
    [
      { name: 'A', prometheus: 'https://p.example', query: 'up', max: '1%' },
      'max must be a number'
    ],
    [
      { name: 'A', prometheus: 'https://p.example', query: 'up', min: 2, max: 1 },
      'min must not be greater than max'
    ],
    ['just a string', 'each check must be a mapping']
  ])('rejects %j', (entry, message) => {
    expect(messages([entry]).join('\n')).toContain(message)
  })

  it('rejects something that is not a list', () => {
    expect(messages({ name: 'A', run: 'true' })).toEqual([
      ': must be a list of checks (YAML entries starting with "- ")'
    ])
  })

  it('rejects two checks with the same name', () => {
    expect(
      messages([
        { name: 'Health', url: 'https://x.example' },
        { name: 'Health', run: 'true' }
      ])
    ).toEqual(['1.name: two checks are named "Health"; names must be distinct'])
  })

  it('names every problem of every entry', () => {
    expect(
      messages([
        { name: 'ok', run: 'true' },
        { name: 'A', url: 'ftp://x', status: 99 },
        { name: 'B' }
      ])
    ).toHaveLength(3)
  })
})

describe('parseCheckList', () => {
  it('returns the checks', () => {
    expect(parseCheckList([{ name: 'A', run: 'true' }], 'smoke-tests')).toEqual([
      { kind: 'command', name: 'A', run: 'true' }
    ])
  })

  it('throws one line per problem, with the input name and position', () => {
    expect(() =>
      parseCheckList(
        [
          { name: 'ok', run: 'true' },
          { name: 'A', url: 'x', extra: 1 }
        ],
        'smoke-tests'
      )
    ).toThrow(
      [
        'invalid smoke-tests:',
        'smoke-tests[1].url: check "A": url must be an http:// or https:// address',
        'smoke-tests[1]: check "A": unknown key "extra" (an HTTP check takes name, url, status, max-ms, contains, headers, timeout)'
      ].join('\n')
    )
  })
})
