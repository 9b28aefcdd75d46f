import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import picomatch from 'picomatch'
import { glob } from 'tinyglobby'
import type { ComparedFile } from '../github/api.js'
import type { MigrationFinding } from '../record/types.js'
import type { Language } from '../settings/schema.js'
import { COMPARE_FILES_MAX, type ChangeFacts } from './changes.js'

/**
 * This release's migrations (`migrations-path`): the files matching the globs that the
 * compare lists as added or changed, or, with no previous deployment to compare with, every
 * matching file of the workspace; then their SQL, read with PostgreSQL's parser.
 */

export interface MigrationFileFacts {
  /** repository paths, in the order they sort (the order migration tools apply them) */
  files: string[]
  /** unset when `migration-lint: off` */
  findings?: MigrationFinding[]
  /** the files could not be listed or read */
  error?: string
  /**
   * why the release's files are unknown: a previous deployment exists but the compare failed.
   * Not a reason to stop (the compare never is), and no reason to lint every old migration
   * either: it is said instead.
   */
  unknown?: string
  /** GitHub lists at most 300 files of a compare: migrations past them were not seen */
  partial?: boolean
}

const opts = { dot: true }

/** The compare's files that are this release's migrations: added or changed, matching. */
export function releaseMigrations(files: ComparedFile[], globs: string[]): string[] {
  const matches = picomatch(globs, opts)
  return files
    .filter((f) => {
      if (!matches(f.filename)) return false
      if (f.status === 'added' || f.status === 'modified' || f.status === 'changed') return true
      // a file renamed into the migrations, or renamed and edited, is new to the database
      if (f.status === 'renamed' || f.status === 'copied')
        return !matches(f.previous_filename ?? '') || (f.changes ?? 0) > 0
      return false
    })
    .map((f) => f.filename)
    .sort()
}

export interface MigrationFileOptions {
  workspace: string
  globs: string[]
  lint: 'error' | 'warn' | 'off'
  language: Language
  changes?: ChangeFacts
}

export async function collectMigrationFiles(o: MigrationFileOptions): Promise<MigrationFileFacts> {
  if (o.changes && !o.changes.comparison)
    return { files: [], unknown: o.changes.error ?? 'no compare' }
  const comparison = o.changes?.comparison
  const compared = comparison ? (comparison.files ?? []) : undefined
  let files: string[]
  try {
    files = compared
      ? releaseMigrations(compared, o.globs)
      : (await glob(o.globs, { cwd: o.workspace, onlyFiles: true, ...opts })).sort()
  } catch (e) {
    return { files: [], error: (e as Error).message }
  }
  const facts: MigrationFileFacts = {
    files,
    ...((compared?.length ?? 0) >= COMPARE_FILES_MAX && { partial: true })
  }
  if (o.lint === 'off' || files.length === 0) return facts
  // the parser (WebAssembly, the heavy part of the bundle) is loaded only here
  const { lintMigration } = await import('../sql/lint.js')
  const findings: MigrationFinding[] = []
  // only SQL is parsed; other files the globs match (a Ruby or JS migration) are listed only
  for (const file of files.filter((f) => /\.sql$/i.test(f))) {
    let sql: string
    try {
      sql = await readFile(join(o.workspace, file), 'utf8')
    } catch (e) {
      const why =
        (e as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'not in the workspace'
          : (e as Error).message
      return { ...facts, error: `${file}: ${why} (is the repository checked out at this commit?)` }
    }
    const lint = await lintMigration(file, sql, o.language)
    if (lint.parseError) {
      const { line, message } = lint.parseError
      findings.push({ file, line, rule: 'syntax-error', severity: 'error', detail: message })
    }
    findings.push(...lint.findings)
  }
  return { ...facts, findings }
}
