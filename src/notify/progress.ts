/**
 * A release as it goes, in words (en, fr): the headline of its one Slack message while it
 * runs ("v1.2.0 on production: watching 12/30 min"), and the thread reply of each step.
 * Plain, unescaped text: the channel escapes it.
 */
import { formatDuration } from '../duration.js'
import type { DeploymentRecord, StepRecord } from '../record/types.js'
import { ITEM_MARK, type Language } from './messages.js'

/** What the run tells the announcer while it goes (docs/design.md section 10). */
export type ReleaseNews =
  | { kind: 'phase'; phase: 'deploying' | 'smoke' | 'rolling-back' }
  | { kind: 'phase'; phase: 'watching'; elapsedMs: number; totalMs: number }
  | { kind: 'step'; step: StepRecord }

export type Phase = Extract<ReleaseNews, { kind: 'phase' }>

interface ProgressWording {
  deploying: (v: string, env: string) => string
  smoke: (v: string, env: string) => string
  watching: (v: string, env: string, minutes: number, total: number) => string
  rollingBack: (v: string, env: string) => string
  step: { pass: string; fail: string; skipped: string }
  stepLine: (mark: string, name: string, result: string, took: string, reason: string) => string
  resumed: (when: string) => string
}

const EN: ProgressWording = {
  deploying: (v, env) => `Deploying ${v} to ${env}`,
  smoke: (v, env) => `${v} on ${env}: smoke tests`,
  watching: (v, env, m, total) => `${v} on ${env}: watching ${m}/${total} min`,
  rollingBack: (v, env) => `Rolling back ${v} on ${env}`,
  step: { pass: 'passed', fail: 'failed', skipped: 'skipped' },
  stepLine: (mark, name, result, took, reason) =>
    `${mark} ${name}: ${result}${took ? ` in ${took}` : ''}${reason ? ` — ${reason}` : ''}`,
  resumed: (when) => `Resumed ${when}`
}

const FR: ProgressWording = {
  deploying: (v, env) => `Déploiement de ${v} en ${env}`,
  smoke: (v, env) => `${v} en ${env} : tests de fumée`,
  watching: (v, env, m, total) => `${v} en ${env} : surveillance ${m}/${total} min`,
  rollingBack: (v, env) => `Rollback de ${v} en ${env} en cours`,
  step: { pass: 'réussie', fail: 'en échec', skipped: 'sautée' },
  stepLine: (mark, name, result, took, reason) =>
    `${mark} ${name} : ${result}${took ? ` en ${took}` : ''}${reason ? ` — ${reason}` : ''}`,
  resumed: (when) => `Reprise ${when}`
}

function words(language: Language): ProgressWording {
  return language === 'fr' ? FR : EN
}

function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/** The headline of a release in progress, and the emoji that leads it. */
export function phaseHeadline(
  news: Phase,
  record: Pick<DeploymentRecord, 'version' | 'environment'>,
  language: Language
): { headline: string; emoji: string } {
  const w = words(language)
  const v = oneLine(record.version, 100)
  const env = oneLine(record.environment, 100)
  switch (news.phase) {
    case 'deploying':
      return { headline: w.deploying(v, env), emoji: '🚀' }
    case 'smoke':
      return { headline: w.smoke(v, env), emoji: '🧪' }
    case 'watching': {
      const total = Math.max(1, Math.ceil(news.totalMs / 60_000))
      const minutes = Math.min(total, Math.floor(Math.max(0, news.elapsedMs) / 60_000))
      return { headline: w.watching(v, env, minutes, total), emoji: '👀' }
    }
    case 'rolling-back':
      return { headline: w.rollingBack(v, env), emoji: '↩️' }
  }
}

/** "✅ deploy: passed in 5 s", "❌ smoke: failed in 2 s — Health: expected 2xx, got 503". */
export function stepLine(step: StepRecord, language: Language): string {
  const w = words(language)
  const mark = step.status === 'skipped' ? ITEM_MARK.na : ITEM_MARK[step.status]
  const took = step.status === 'skipped' ? '' : formatDuration(step.duration_ms)
  return w.stepLine(mark, step.name, w.step[step.status], took, oneLine(step.reason ?? '', 500))
}

/** "Resumed Monday 30 November 09:04" (the thread reply of a resumed release). */
export function resumedLine(when: string, language: Language): string {
  return words(language).resumed(when)
}
