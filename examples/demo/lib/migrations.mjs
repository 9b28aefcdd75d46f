/**
 * Migrations live in `migrations/<version>/<name>.up.sql` with an optional
 * `<name>.down.sql`; their id is `<version>/<name>`. Release `v2` brings the migrations of
 * folder `v2`, and a database at release `v2` has those of every folder up to `v2`.
 * Applied ones are recorded in the table `schema_migrations`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { tableExists } from './db-client.mjs'

export const MIGRATIONS_TABLE = 'schema_migrations'

export const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
  id          text PRIMARY KEY,
  version     text NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now(),
  applied_for text NOT NULL
)`

/** `v1.10.0` > `v1.9.2` > `v1`; numbers compare as numbers, other parts as text. */
export function compareVersions(a, b) {
  const parts = (v) =>
    v
      .replace(/^v/i, '')
      .split(/[.\-+]/)
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p))
  const pa = parts(a)
  const pb = parts(b)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0
    const y = pb[i] ?? 0
    if (x === y) continue
    if (typeof x === 'number' && typeof y === 'number') return x - y
    return String(x).localeCompare(String(y))
  }
  return 0
}

/** Every migration on disk, oldest first. */
export function listMigrations(migrationsDir) {
  if (!existsSync(migrationsDir)) throw new Error(`no migrations folder at ${migrationsDir}`)
  const versions = readdirSync(migrationsDir)
    .filter((v) => statSync(join(migrationsDir, v)).isDirectory())
    .sort(compareVersions)
  const all = []
  for (const version of versions) {
    const dir = join(migrationsDir, version)
    const names = readdirSync(dir)
      .filter((f) => f.endsWith('.up.sql'))
      .map((f) => f.slice(0, -'.up.sql'.length))
      .sort()
    for (const name of names) {
      const down = join(dir, `${name}.down.sql`)
      all.push({
        id: `${version}/${name}`,
        version,
        name,
        upFile: join(dir, `${name}.up.sql`),
        downFile: existsSync(down) ? down : undefined
      })
    }
  }
  return all
}

export function readSql(file) {
  return readFileSync(file, 'utf8')
}

/** The migrations a database at release `version` has. */
export function migrationsUpTo(all, version) {
  return all.filter((m) => compareVersions(m.version, version) <= 0)
}

/** The migrations release `version` itself brings (for the `migrations` input). */
export function migrationsOf(all, version) {
  return all.filter((m) => compareVersions(m.version, version) === 0)
}

/** Applied migration rows, oldest first; [] when the table does not exist yet. */
export async function appliedMigrations(client) {
  if (!(await tableExists(client, MIGRATIONS_TABLE))) return []
  return client.query(
    `SELECT id, version, applied_at, applied_for FROM ${MIGRATIONS_TABLE} ORDER BY applied_at, id`
  )
}

/** Migrations up to `version` that are not applied yet, oldest first. */
export async function pendingMigrations(client, migrationsDir, version) {
  const applied = new Set((await appliedMigrations(client)).map((r) => r.id))
  return migrationsUpTo(listMigrations(migrationsDir), version).filter((m) => !applied.has(m.id))
}

/** A release must name a migrations folder or come after one: refuse typos early. */
export function requireVersion(version, what = 'DEPLOY_VERSION') {
  if (!version) throw new Error(`${what} is not set`)
  if (!/^v?\d/.test(version)) {
    throw new Error(`${what} ${JSON.stringify(version)} is not a release version such as v2`)
  }
  return version
}
