/**
 * migrate-command: applies the pending migrations of DEPLOY_VERSION in one transaction and
 * records each in schema_migrations. All or nothing.
 */
import { connect } from './lib/db-client.mjs'
import { loadConfig, main } from './lib/config.mjs'
import {
  CREATE_MIGRATIONS_TABLE,
  MIGRATIONS_TABLE,
  pendingMigrations,
  readSql,
  requireVersion
} from './lib/migrations.mjs'

await main('migrate', async () => {
  const cfg = loadConfig()
  const version = requireVersion(cfg.version)
  const db = connect(cfg.dbSocket)
  const pending = await pendingMigrations(db, cfg.migrationsDir, version)
  if (pending.length === 0) {
    console.log(`${cfg.environment} is already at the schema of ${version}: nothing to apply`)
    return
  }
  const statements = [{ label: MIGRATIONS_TABLE, sql: CREATE_MIGRATIONS_TABLE }]
  for (const m of pending) {
    statements.push({ label: `${m.id}.up.sql`, sql: readSql(m.upFile) })
    statements.push({
      label: `record ${m.id}`,
      sql: `INSERT INTO ${MIGRATIONS_TABLE} (id, version, applied_for) VALUES ($1, $2, $3)`,
      params: [m.id, m.version, version]
    })
  }
  try {
    await db.transaction(statements)
  } catch (e) {
    const at = e.label ? ` in ${e.label}` : ''
    throw new Error(`migration failed${at}: ${e.message} (nothing applied)`, { cause: e })
  }
  for (const m of pending) console.log(`applied ${m.id}`)
  console.log(`${cfg.environment} is at the schema of ${version}`)
})
