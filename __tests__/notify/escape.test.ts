import { describe, expect, it } from '@jest/globals'
import {
  escapeAdaptiveCard,
  escapeHtml,
  escapeMarkdown,
  escapeSlack,
  slackCode,
  escapeTableCell
} from '../../src/report/escape.js'

describe('escapeMarkdown', () => {
  it('neutralises formatting, links, HTML and math', () => {
    expect(escapeMarkdown('*bold* _it_ `code` ~x~ [a](http://e) $x$ #1 !')).toBe(
      '\\*bold\\* \\_it\\_ \\`code\\` \\~x\\~ \\[a\\](http://e) \\$x\\$ \\#1 \\!'
    )
    expect(escapeMarkdown('<img src=x onerror=alert(1)> & co')).toBe(
      '&lt;img src=x onerror=alert(1)&gt; &amp; co'
    )
    expect(escapeMarkdown('a\\b')).toBe('a\\\\b')
  })

  it('neutralises @ mentions', () => {
    const out = escapeMarkdown('ping @acme/team and @octocat')
    expect(out).not.toMatch(/@[a-z]/)
    expect(out).toBe('ping @&#8203;acme/team and @&#8203;octocat')
  })

  it('neutralises line-start markers but keeps lines', () => {
    expect(escapeMarkdown('- item\n1. first\n===\nplain - text')).toBe(
      '\\- item\n1\\. first\n\\===\nplain - text'
    )
  })

  it('keeps ordinary text readable', () => {
    expect(escapeMarkdown('v1.2.0 to production')).toBe('v1.2.0 to production')
  })
})

describe('escapeTableCell', () => {
  it('escapes pipes and collapses newlines', () => {
    expect(escapeTableCell('a | b\n\n  c\r\nd')).toBe('a \\| b c d')
  })

  it('keeps the rest of escapeMarkdown', () => {
    expect(escapeTableCell('<b>@x</b>')).toBe('&lt;b&gt;@&#8203;x&lt;/b&gt;')
  })
})

describe('escapeSlack', () => {
  it('turns control characters into entities', () => {
    const out = escapeSlack('<!channel> <@U123> <http://evil|click> & more')
    expect(out).toBe('&lt;!channel&gt; &lt;@U123&gt; &lt;http://evil|click&gt; &amp; more')
    expect(out).not.toMatch(/[<>]/)
  })

  it('leaves formatting characters as they are: no look-alikes', () => {
    expect(escapeSlack('*bold* _it_ ~strike~ `code`')).toBe('*bold* _it_ ~strike~ `code`')
    expect(escapeSlack('feature_new-login v1.2.0~rc1')).toBe('feature_new-login v1.2.0~rc1')
  })
})

describe('slackCode', () => {
  it('puts a value in a code span, where mrkdwn does not format, entities escaped', () => {
    expect(slackCode('feature_new-login v1.2.0~rc1')).toBe('`feature_new-login v1.2.0~rc1`')
    expect(slackCode('*a* <!here> & b')).toBe('`*a* &lt;!here&gt; &amp; b`')
  })

  it('refuses what cannot be a code span (a backtick, a line break, nothing)', () => {
    expect(slackCode('a`b')).toBeUndefined()
    expect(slackCode('two\nlines')).toBeUndefined()
    expect(slackCode('')).toBeUndefined()
  })
})

describe('escapeAdaptiveCard', () => {
  it('escapes Markdown link and format characters', () => {
    expect(escapeAdaptiveCard('[click](http://evil) **b** _i_')).toBe(
      '\\[click\\](http://evil) \\*\\*b\\*\\* \\_i\\_'
    )
  })

  it('leaves what Teams does not format as written: no backslash a client could show', () => {
    expect(escapeAdaptiveCard('v1.2.0~rc1 #42 `x` (beta)')).toBe('v1.2.0~rc1 #42 `x` (beta)')
  })

  it('neutralises <at> mention tags', () => {
    const out = escapeAdaptiveCard('<at>Everyone</at> hi')
    expect(out).not.toContain('<at>')
    expect(out).not.toContain('</at>')
    expect(out.replace(/\u200B/g, '')).toBe('<at>Everyone</at> hi')
  })

  it('neutralises list markers at line starts', () => {
    expect(escapeAdaptiveCard('- a\n2. b')).toBe('\\- a\n2\\. b')
  })
})

describe('escapeHtml', () => {
  it('escapes the five characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;'
    )
  })
})
