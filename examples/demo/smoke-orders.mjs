/**
 * A smoke test run as a command (`run:`): the orders API answers, and lists at least as many
 * orders as the backup taken for this deployment counted: no order was lost on the way.
 */
import { latestBackup } from './lib/backups.mjs'
import { loadConfig, main, requirePort } from './lib/config.mjs'

await main('smoke-orders', async () => {
  const cfg = requirePort(loadConfig())
  const res = await fetch(`${cfg.baseUrl}/api/orders`, { signal: AbortSignal.timeout(5000) })
  const body = await res.text()
  if (res.status !== 200) {
    throw new Error(`GET /api/orders answered ${res.status}: ${body.slice(0, 200)}`)
  }
  const orders = JSON.parse(body)
  if (!Array.isArray(orders) || orders.length === 0) throw new Error('no orders listed')
  const backup = latestBackup(cfg.backupsDir)
  if (backup && backup.takenFor === cfg.version && orders.length < backup.orders) {
    throw new Error(
      `${orders.length} orders listed, but the backup before the deploy had ${backup.orders}`
    )
  }
  console.log(`orders API lists ${orders.length} order(s)`)
})
