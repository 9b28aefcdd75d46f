/**
 * Runs one SQL statement on an environment's database and prints the rows as JSON:
 *   DEMO_DIR=... DEPLOY_ENVIRONMENT=production node examples/demo/sql.mjs "SELECT * FROM orders"
 */
import { connect } from './lib/db-client.mjs'
import { loadConfig, main } from './lib/config.mjs'

await main('sql', async () => {
  const sql = process.argv[2]
  if (!sql) throw new Error('usage: node examples/demo/sql.mjs "<SQL>" [JSON params]')
  const params = process.argv[3] ? JSON.parse(process.argv[3]) : []
  const cfg = loadConfig()
  console.log(JSON.stringify(await connect(cfg.dbSocket).query(sql, params)))
})
