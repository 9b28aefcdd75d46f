import { fixedClock, type Clock } from '../../src/clock.js'
import type { Log } from '../../src/core.js'
import type { DeploymentRecord } from '../../src/record/types.js'

export interface LogLine {
  level: 'info' | 'debug' | 'warning' | 'error' | 'group'
  text: string
}

/** A Log that keeps every line, to assert on (warnings, and the absence of secrets). */
export function fakeLog(): Log & { lines: LogLine[]; warnings: () => string[] } {
  const lines: LogLine[] = []
  const text = (m: string | Error): string => (m instanceof Error ? m.message : m)
  return {
    lines,
    warnings: () => lines.filter((l) => l.level === 'warning').map((l) => l.text),
    info: (m) => void lines.push({ level: 'info', text: m }),
    debug: (m) => void lines.push({ level: 'debug', text: m }),
    warning: (m) => void lines.push({ level: 'warning', text: text(m) }),
    error: (m) => void lines.push({ level: 'error', text: text(m) }),
    startGroup: (m) => void lines.push({ level: 'group', text: m }),
    endGroup: () => undefined
  }
}

/** A clock whose sleep returns at once and records what was asked. */
export function instantClock(): Clock & { sleeps: number[] } {
  const base = fixedClock(new Date('2026-11-25T09:00:00Z'))
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => base.now(),
    sleep: async (ms, signal) => {
      sleeps.push(ms)
      await base.sleep(ms, signal)
    }
  }
}

export function sampleRecord(overrides: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    version: 'v1.2.0',
    environment: 'production',
    checklist: [
      { id: 'ci', item: 'CI checks pass', status: 'pass', detail: '12 of 12 checks succeeded' },
      { id: 'staging', item: 'Staging validated', status: 'pass', detail: 'deployment 41 success' },
      { id: 'migrations', item: 'Migrations verified', status: 'na', detail: 'no migrate-command' },
      { id: 'monitoring', item: 'Monitoring active', status: 'pass', detail: '200 in 80 ms' }
    ],
    migrations: [],
    rollback_plan: 'Redeploy v1.1.9 with `./deploy.sh rollback`',
    notify: { before: 'none', after: 'none' },
    smoke_tests: ['Homepage loads < 3s'],
    status: 'deployed',
    decision: 'go',
    urgency: 'P3',
    dry_run: false,
    commit: '0123456789abcdef0123456789abcdef01234567',
    actor: 'octocat',
    run_url: 'https://github.com/acme/shop/actions/runs/42',
    previous_version: 'v1.1.9',
    started_at: '2026-11-25T10:00:00+01:00',
    finished_at: '2026-11-25T10:34:12+01:00',
    steps: [{ name: 'deploy', status: 'pass', duration_ms: 5120 }],
    ...overrides
  }
}

/** Every string a test must never find in logs, results or summaries. */
export function assertNoSecrets(haystacks: string[], secrets: string[]): void {
  for (const text of haystacks) {
    for (const secret of secrets) {
      if (text.includes(secret))
        throw new Error(`secret ${JSON.stringify(secret)} leaked in: ${text}`)
    }
  }
}
