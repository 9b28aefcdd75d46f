/**
 * migrate-rollback-command: brings the schema back to DEPLOY_PREVIOUS_VERSION (to empty when
 * there is none) with the down migrations, newest first, in one transaction; rows written
 * in the meantime are kept. If a migration to revert has no down file, it restores instead
 * the backup taken for this deployment (losing what was written since).
 */
import { readFileSync } from 'node:fs'
import { connect } from './lib/db-client.mjs'
import { latestBackup } from './lib/backups.mjs'
import { loadConfig, main } from './lib/config.mjs'
import {
  appliedMigrations,
  compareVersions,
  listMigrations,
  MIGRATIONS_TABLE,
  readSql
} from './lib/migrations.mjs'

await main('migrate-rollback', async () => {
  const cfg = loadConfig()
  const target = cfg.previousVersion
  const db = connect(cfg.dbSocket)
  const known = new Map(listMigrations(cfg.migrationsDir).map((m) => [m.id, m]))
  const applied = await appliedMigrations(db)
  const toRevert = applied
    .filter((r) => !target || compareVersions(r.version, target) > 0)
    .reverse()
  const goal = target ? `the schema of ${target}` : 'an empty schema (no previous version)'
  if (toRevert.length === 0) {
    console.log(`${cfg.environment} is already at ${goal}: nothing to revert`)
    return
  }
  const withoutDown = toRevert.filter((r) => !known.get(r.id)?.downFile)
  if (withoutDown.length === 0) {
    const statements = []
    for (const r of toRevert) {
      const m = known.get(r.id)
      statements.push({ label: `${m.id}.down.sql`, sql: readSql(m.downFile) })
      statements.push({
        label: `unrecord ${m.id}`,
        sql: `DELETE FROM ${MIGRATIONS_TABLE} WHERE id = $1`,
        params: [m.id]
      })
    }
    try {
      await db.transaction(statements)
    } catch (e) {
      const at = e.label ? ` in ${e.label}` : ''
      throw new Error(`revert failed${at}: ${e.message} (nothing reverted)`, { cause: e })
    }
    for (const r of toRevert) console.log(`reverted ${r.id}`)
    console.log(`${cfg.environment} is back at ${goal}`)
    return
  }

  console.log(
    `no down migration for ${withoutDown.map((r) => r.id).join(', ')}: restoring the backup`
  )
  const backup = latestBackup(cfg.backupsDir)
  if (!backup) throw new Error(`no backup in ${cfg.backupsDir} to restore`)
  if (cfg.version && backup.takenFor !== cfg.version) {
    throw new Error(
      `the latest backup (${backup.file}) was taken for ${backup.takenFor}, not for ${cfg.version}: ` +
        'restore it by hand if that is what you want'
    )
  }
  await db.restore(readFileSync(backup.path))
  console.log(`restored ${backup.file} (taken ${backup.createdAt}); rows written since are lost`)
  console.log(`${cfg.environment} is back at ${goal}`)
})
