/**
 * Escaping for text that comes from outside (PR titles, branch names, reasons, command
 * output, versions) before it is placed in a rendered format (docs/design.md section 10).
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
  '>': '&gt;'
}

/**
 * Slack mrkdwn: `&`, `<`, `>` become the entities Slack shows as those characters, so
 * `<!channel>`, `<@U123>` and `<http://x|y>` cannot be injected. Formatting characters have no
 * escape in mrkdwn; text where they must not apply goes into a code span ({@link slackCode}) or
 * a `plain_text` object instead, so the reader sees the characters that were given.
 */
export function escapeSlack(s: string): string {
  return mapChars(s, SLACK_CHARS)
}

/**
 * A value shown verbatim inside mrkdwn: a code span, where `*`, `_` and `~` do not format.
 * Undefined when the value cannot be one (a backtick or a line break in it): use plain_text.
 */
export function slackCode(s: string): string | undefined {
  if (s === '' || /[`\r\n]/.test(s)) return undefined
  return `\`${escapeSlack(s)}\``
}

const ADAPTIVE_CARD_CHARS: Readonly<{ [ch: string]: string }> = {
  '\\': '\\\\',
  '*': '\\*',
  _: '\\_',
  '[': '\\[',
  ']': '\\]',
  // breaks `<at>…</at>` mention tags, autolinks and any tag-like text (invisibly)
  '<': `<${ZWSP}`
}

/**
 * Microsoft Teams Adaptive Card TextBlock / FactSet text. Its Markdown knows bold, italic,
 * lists and links only (a `#`, a backtick or a `~` shows as it is), and some Teams clients
 * show a backslash escape as a backslash: only what would format (`*`, `_`), link (`[`, `]`)
 * or mention (`<at>`) is escaped, and line-start list markers, so the rest reads as written.
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
