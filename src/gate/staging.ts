import type { Language } from '../settings/schema.js'
import type { ChecklistItem } from '../record/types.js'
import { phrases } from '../report/wording.js'
import { itemMaker } from './item.js'
import type { DeploymentFacts } from './deployments.js'

/** Item `staging`: a production release went to staging first, with this very commit. */
export function evaluateStaging(
  f: DeploymentFacts,
  o: { isProduction: boolean; environment: string; stagingEnvironment: string; sha: string },
  language: Language
): ChecklistItem {
  const p = phrases(language)
  const item = itemMaker('staging', language)
  if (!o.isProduction) return item('na', p.notProduction(o.environment))
  if (f.error) return item('fail', p.lockUnreadable(f.error))
  const d = f.stagingOfCommit
  if (!d) return item('fail', p.stagingNone(o.stagingEnvironment, o.sha.slice(0, 7)))
  if (d.replaced)
    return item('pass', p.stagingReplaced(o.stagingEnvironment, d.id, d.createdAt.toISOString()))
  if (d.state !== 'success')
    return item('fail', p.stagingNotOk(o.stagingEnvironment, d.id, d.state ?? 'without status'))
  return item('pass', p.stagingOk(o.stagingEnvironment, d.id, d.createdAt.toISOString()))
}
