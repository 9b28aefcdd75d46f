/**
 * migrate-check-command: proves that the pending migrations of DEPLOY_VERSION (and their down
 * migrations) parse and apply on the real database, inside one transaction that is rolled
 * back. Read-only: nothing is left changed, whatever the outcome.
 */
import { connect } from './lib/db-client.mjs'
import { loadConfig, main } from './lib/config.mjs'
import { pendingMigrations, readSql, requireVersion } from './lib/migrations.mjs'

await main('migrate-check', async () => {
  const cfg = loadConfig()
  const version = requireVersion(cfg.version)
  const db = connect(cfg.dbSocket)
  const pending = await pendingMigrations(db, cfg.migrationsDir, version)
  if (pending.length === 0) {
    console.log(`${cfg.environment} is already at the schema of ${version}: nothing to check`)
    return
  }
  console.log(`${pending.length} pending migration(s) for ${version} on ${cfg.environment}:`)
  for (const m of pending) console.log(`  ${m.id}${m.downFile ? '' : '  (no down migration)'}`)

  const statements = pending.map((m) => ({ label: `${m.id}.up.sql`, sql: readSql(m.upFile) }))
  // then every down migration, newest first, on top of the ups: proves the way back too
  for (const m of [...pending].reverse()) {
    if (m.downFile) statements.push({ label: `${m.id}.down.sql`, sql: readSql(m.downFile) })
  }
  try {
    await db.transaction(statements, { rollback: true })
  } catch (e) {
    const at = e.label ? ` in ${e.label}` : ''
    const pos = e.position ? ` at character ${e.position}` : ''
    throw new Error(`migration check failed${at}${pos}: ${e.message} (rolled back)`, { cause: e })
  }
  const missingDown = pending.filter((m) => !m.downFile)
  console.log(
    `ok: ${pending.length} up and ${pending.length - missingDown.length} down migration(s) ` +
      'applied cleanly inside a transaction, then rolled back'
  )
  if (missingDown.length > 0) {
    console.log(
      `note: ${missingDown.map((m) => m.id).join(', ')} cannot be reverted by SQL; ` +
        'migrate-rollback would restore the backup instead'
    )
  }
})
