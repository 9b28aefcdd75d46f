/**
 * backup-command: a full copy of the environment's database (the PostgreSQL data
 * directory, taken by the server at a consistent point) into the backups folder, before the
 * migrations of DEPLOY_VERSION run.
 */
import { connect, tableExists } from './lib/db-client.mjs'
import { formatBytes, isGzip, saveBackup } from './lib/backups.mjs'
import { loadConfig, main } from './lib/config.mjs'
import { appliedMigrations } from './lib/migrations.mjs'

await main('backup', async () => {
  const cfg = loadConfig()
  const db = connect(cfg.dbSocket)
  const applied = (await appliedMigrations(db)).map((r) => r.id)
  const orders = (await tableExists(db, 'orders'))
    ? Number((await db.query('SELECT count(*)::int AS n FROM orders'))[0].n)
    : 0
  const tarball = await db.dump()
  if (!isGzip(tarball)) throw new Error('the database dump is not a gzip file')
  const saved = saveBackup(cfg.backupsDir, tarball, {
    environment: cfg.environment,
    takenFor: cfg.version,
    previousVersion: cfg.previousVersion,
    migrations: applied,
    orders
  })
  console.log(`backup of ${cfg.environment} written to ${saved.path} (${formatBytes(saved.bytes)})`)
  console.log(`  schema: ${applied.length ? applied.join(', ') : 'empty'}; orders: ${orders}`)
})
