/**
 * rollback-command: restarts the environment's shop at DEPLOY_PREVIOUS_VERSION (the last
 * release that deployed successfully there). With no previous version, takes it down.
 */
import { loadConfig, main, requirePort } from './lib/config.mjs'
import { releaseOf } from './lib/releases.mjs'
import { startService, stopService } from './lib/service-control.mjs'

await main('rollback', async () => {
  const cfg = requirePort(loadConfig())
  const target = cfg.previousVersion
  if (target) releaseOf(target)
  const old = await stopService(cfg)
  if (old) console.log(`stopped the shop ${cfg.version || ''} (pid ${old})`.replace('  ', ' '))
  if (!target) {
    console.log(`no previous version of ${cfg.environment}: the shop stays down`)
    return
  }
  const pid = await startService(cfg, target)
  console.log(`rolled ${cfg.environment} back to ${target}: ${cfg.baseUrl} (pid ${pid})`)
})
