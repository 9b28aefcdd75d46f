import type { Clock } from '../clock.js'
import { rollbackPlanText } from './yaml.js'
import { formatInZone } from '../schedule/windows.js'
import type { RunSubject } from './state.js'
import type { DeploymentRecord } from './types.js'

/** The record made from what the run knows: its subject and, once decided, the gate. */
export function makeRecord(state: RunSubject, clock: Clock): DeploymentRecord {
  const { settings, ctx } = state
  const zone = settings.timeZone
  const previous = state.gate?.previous
  return {
    version: state.version,
    environment: settings.environment,
    checklist: state.gate?.checklist ?? [],
    // the workflow's list when given, else the files the release brings (migrations-path)
    migrations:
      settings.migrations.length > 0
        ? settings.migrations
        : (state.gate?.facts.migrationFiles?.files ?? []),
    rollback_plan: rollbackPlanText(settings, previous?.version ?? ''),
    notify: { before: 'none', after: 'none' },
    smoke_tests: settings.smokeTests.map((c) => c.name),
    status: 'aborted',
    decision: state.gate?.decision ?? 'abort',
    urgency: settings.urgency,
    reason: settings.reason || undefined,
    dry_run: settings.dryRun,
    commit: ctx.sha,
    ref: ctx.ref || undefined,
    actor: ctx.actor,
    repository: `${ctx.owner}/${ctx.repo}`,
    run_url: ctx.runUrl,
    environment_url: settings.environmentUrl,
    previous_version: previous?.version ?? '',
    previous_sha: previous?.sha,
    // when to try again: only where it means something (a postponed run, or a dry run's plan)
    next_window:
      state.gate?.nextWindow && (state.gate.decision === 'postpone' || settings.dryRun)
        ? formatInZone(state.gate.nextWindow, zone)
        : undefined,
    timezone: zone,
    changes: state.gate?.changes,
    migration_findings: state.gate?.facts.migrationFiles?.findings,
    resumed: state.resumedFrom && {
      from_run: state.resumedFrom.fromRun,
      postponed_at: formatInZone(state.resumedFrom.postponedAt, zone),
      attempt: state.resumedFrom.attempt
    },
    staging: state.gate?.staging,
    // a freeze starting within 24 h, even when the release may go
    warnings: state.gate?.warnings,
    started_at: formatInZone(state.startedAt, zone),
    finished_at: formatInZone(clock.now(), zone),
    steps: []
  }
}
