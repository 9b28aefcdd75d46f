import { parse, scan, type ParseResult } from 'libpg-query'
import type { MigrationFinding } from '../record/types.js'
import type { Language } from '../settings/schema.js'
import { describeHit, FileState, hitsOf, RULE_IDS, RULES, type RuleId } from './rules.js'

/**
 * The SQL lint of one migration file, with PostgreSQL's own parser (libpg-query, the
 * server's grammar compiled to WebAssembly). This module is its own chunk of the bundle,
 * loaded only when a run has `migrations-path`: the parser weighs more than the rest.
 */

export type { MigrationFinding }

export interface FileLint {
  findings: MigrationFinding[]
  /** the file does not parse: where, and PostgreSQL's message */
  parseError?: { file: string; line: number; message: string }
}

const ALLOW = /^--\s*red-button:\s*allow\s+(.+)$/i

/**
 * The 1-based line of a byte offset in the UTF-8 text (libpg-query's locations count bytes),
 * by a binary search over where each line starts: a file of many statements stays linear.
 */
function lineFinder(bytes: Buffer): (offset: number) => number {
  const starts = [0]
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) starts.push(i + 1)
  return (offset) => {
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((starts[mid] ?? 0) <= offset) lo = mid
      else hi = mid - 1
    }
    return lo + 1
  }
}

/** 1-based line of a character position (PostgreSQL's error cursor counts characters). */
function lineAtChar(text: string, position: number): number {
  let line = 1
  let seen = 0
  for (const ch of text) {
    if (seen++ >= position) break
    if (ch === '\n') line++
  }
  return line
}

/** The rules each line allows: `-- red-button: allow drop-column, rename-column`. */
function allowances(
  tokens: { tokenName: string; text: string; start: number }[],
  lineAt: (offset: number) => number
) {
  const byLine = new Map<number, Set<string>>()
  for (const t of tokens) {
    if (t.tokenName !== 'SQL_COMMENT') continue
    const m = ALLOW.exec(t.text.trim())
    if (!m) continue
    const rules = (m[1] ?? '').split(/[\s,]+/).filter((r) => RULE_IDS.includes(r as RuleId))
    byLine.set(lineAt(t.start), new Set(rules))
  }
  return byLine
}

export async function lintMigration(
  file: string,
  sql: string,
  language: Language
): Promise<FileLint> {
  if (sql.trim() === '') return { findings: [] }
  let tree: ParseResult
  try {
    tree = await parse(sql)
  } catch (e) {
    const details = (e as { sqlDetails?: { cursorPosition?: number } }).sqlDetails
    return {
      findings: [],
      parseError: {
        file,
        line: lineAtChar(sql, details?.cursorPosition ?? 0),
        message: (e as Error).message
      }
    }
  }
  const lineAt = lineFinder(Buffer.from(sql, 'utf8'))
  const { tokens } = await scan(sql)
  // a statement's line is that of its first word: comments before it are not the statement
  const words = tokens.filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT')
  const allowed = allowances(tokens, lineAt)
  const state = new FileState()
  const findings: MigrationFinding[] = []
  let word = 0 // statements come in order: their first words too
  for (const s of tree.stmts ?? []) {
    const stmt = (s.stmt ?? {}) as Record<string, unknown>
    const from = s.stmt_location ?? 0
    while (word < words.length && (words[word]?.start ?? 0) < from) word++
    const line = lineAt(words[word]?.start ?? from)
    for (const hit of hitsOf(stmt, state)) {
      findings.push({
        file,
        line,
        rule: hit.rule,
        severity: RULES[hit.rule].severity,
        ...describeHit(hit, language),
        ...(allowed.get(line - 1)?.has(hit.rule) && { allowed: true })
      })
    }
  }
  return { findings }
}
