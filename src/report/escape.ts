/**
 * Escaping for text that comes from outside (PR titles, branch names, reasons, command
 * output, versions) before it is placed in a rendered format (DESIGN.md section 10).
 * Each function is pure and total. None is idempotent: escape raw text exactly once.
 */

/** Zero-width space: invisible, but breaks tokens such as `<at>` or `@user`. */
const ZWSP = '\u200B'

/** Replaces every character that has an entry in `map`, in a single pass. */
function mapChars(s: string, map: Readonly<{ [ch: string]: string }>): string {
  let out = ''
  for (const ch of s) out += map[ch] ?? ch
  return out
}

/** Escapes characters that only mean something at the start of a line (lists, setext underlines). */
function escapeLineStarts(s: string): string {
  return s
    .replace(/^([ \t]{0,3})([-+=])/gm, '$1\\$2')
    .replace(/^([ \t]{0,3}\d{1,9})([.)])/gm, '$1\\$2')
}

const MARKDOWN_CHARS: Readonly<{ [ch: string]: string }> = {
  '\\': '\\\\',
  '`': '\\`',
  '*': '\\*',
  _: '\\_',
  '~': '\\~',
  '[': '\\[',
  ']': '\\]',
  '|': '\\|',
  '#': '\\#',
  $: '\\$',
  '!': '\\!',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  // "@&#8203;user" renders as "@user" but GitHub does not treat it as a mention
  '@': '@&#8203;'
}

/**
 * GitHub-flavoured Markdown (job summary, PR comment): formatting, links, HTML, math,
 * `@` mentions and line-start markers are neutralised. Newlines are kept (see
 * {@link escapeTableCell} for table cells).
 */
export function escapeMarkdown(s: string): string {
  return escapeLineStarts(mapChars(s, MARKDOWN_CHARS))
}

/** A GitHub Markdown table cell: whitespace runs with line breaks collapse to one space. */
export function escapeTableCell(s: string): string {
  return escapeMarkdown(s.replace(/\s*[\r\n]+\s*/g, ' ').trim())
}

const SLACK_CHARS: Readonly<{ [ch: string]: string }> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  // mrkdwn has no escape for formatting characters: use look-alikes that Slack ignores
  '*': '\u2217', // ∗ asterisk operator
  _: '\u02CD', // ˍ modifier letter low macron
  '~': '\u223C', // ∼ tilde operator
  '`': '\u02CB' // ˋ modifier letter grave accent
}

/**
 * Slack mrkdwn: `&`, `<`, `>` become entities so `<!channel>`, `<@U123>` and
 * `<http://x|y>` cannot be injected; `*`, `_`, `~` and backticks are replaced by
 * look-alike characters because mrkdwn offers no way to escape them.
 */
export function escapeSlack(s: string): string {
  return mapChars(s, SLACK_CHARS)
}

const ADAPTIVE_CARD_CHARS: Readonly<{ [ch: string]: string }> = {
  '\\': '\\\\',
  '*': '\\*',
  _: '\\_',
  '~': '\\~',
  '`': '\\`',
  '[': '\\[',
  ']': '\\]',
  '(': '\\(',
  ')': '\\)',
  '#': '\\#',
  // breaks `<at>…</at>` mention tags, autolinks and any tag-like text
  '<': `<${ZWSP}`
}

/**
 * Microsoft Teams Adaptive Card TextBlock / FactSet text (a Markdown subset): format and
 * link characters are backslash-escaped, `<at>` mention tags and line-start list markers
 * are neutralised.
 */
export function escapeAdaptiveCard(s: string): string {
  return escapeLineStarts(mapChars(s, ADAPTIVE_CARD_CHARS))
}

const HTML_CHARS: Readonly<{ [ch: string]: string }> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
}

/** HTML text or attribute values (e.g. Grafana annotation text). */
export function escapeHtml(s: string): string {
  return mapChars(s, HTML_CHARS)
}
