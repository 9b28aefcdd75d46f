/** Backups of one environment: full copies of the data directory, as .tar.gz files. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'

const LATEST = 'latest.json'

export function latestBackup(backupsDir) {
  const file = join(backupsDir, LATEST)
  if (!existsSync(file)) return undefined
  const meta = JSON.parse(readFileSync(file, 'utf8'))
  return { ...meta, path: join(backupsDir, meta.file) }
}

/** Writes `tarball` and makes it the latest backup; returns its metadata. */
export function saveBackup(backupsDir, tarball, meta) {
  mkdirSync(backupsDir, { recursive: true })
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')
  const safe = (s) => s.replace(/[^A-Za-z0-9._-]+/g, '_')
  const file = `${safe(meta.environment)}-${safe(meta.takenFor || 'unknown')}-${stamp}.tar.gz`
  const path = join(backupsDir, file)
  writeFileSync(path, tarball)
  const full = {
    file: basename(path),
    bytes: tarball.length,
    createdAt: new Date().toISOString(),
    ...meta
  }
  writeFileSync(join(backupsDir, LATEST), `${JSON.stringify(full, null, 2)}\n`)
  return { ...full, path }
}

export function isGzip(bytes) {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
}

export function formatBytes(n) {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`
}
