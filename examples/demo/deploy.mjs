/** deploy-command: (re)starts the environment's shop at DEPLOY_VERSION. */
import { loadConfig, main, requirePort } from './lib/config.mjs'
import { releaseOf } from './lib/releases.mjs'
import { startService, stopService } from './lib/service-control.mjs'

await main('deploy', async () => {
  const cfg = requirePort(loadConfig())
  if (!cfg.version) throw new Error('DEPLOY_VERSION is not set')
  releaseOf(cfg.version)
  const old = await stopService(cfg)
  if (old) console.log(`stopped the running shop (pid ${old})`)
  const pid = await startService(cfg, cfg.version)
  console.log(`deployed ${cfg.version} to ${cfg.environment}: ${cfg.baseUrl} (pid ${pid})`)
})
