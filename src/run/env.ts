import type { RunSubject } from '../record/state.js'
import type { DeploymentRecord } from '../record/types.js'

/** The environment every command gets (docs/design.md section 9): values never enter command text. */
export function commandEnv(
  state: Pick<RunSubject, 'settings' | 'ctx' | 'version' | 'recordFile'> & {
    record?: Readonly<DeploymentRecord>
  },
  phase: string
): Record<string, string> {
  return {
    DEPLOY_VERSION: state.version,
    DEPLOY_ENVIRONMENT: state.settings.environment,
    DEPLOY_SHA: state.ctx.sha,
    DEPLOY_URGENCY: state.settings.urgency,
    DEPLOY_PREVIOUS_VERSION: state.record?.previous_version ?? '',
    DEPLOY_PREVIOUS_SHA: state.record?.previous_sha ?? '',
    DEPLOY_PHASE: phase,
    DEPLOY_RECORD_FILE: state.recordFile
  }
}
