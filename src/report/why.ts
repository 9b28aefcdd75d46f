import type { Language } from '../settings/schema.js'
import type { DeploymentRecord, StepRecord } from '../record/types.js'

/**
 * Why a run ended as it did, in one line, for the first lines of the summary and the PR comment:
 * the answer is the headline, this is its reason (which check or step failed, when, and what was
 * rolled back). Plain text: the caller escapes it for its channel.
 */

type Why = Pick<
  DeploymentRecord,
  'status' | 'checklist' | 'steps' | 'error' | 'previous_version' | 'urgency' | 'reason' | 'dry_run'
>

const WORDS = {
  en: {
    failedItems: (items: string) => `failed: ${items}`,
    heldBy: (items: string) => `postponed by: ${items}`,
    nothingRan: 'nothing was run or changed',
    stepFailed: (step: string, at: string, reason: string) =>
      `the ${step} step failed${at ? ` at ${at}` : ''}${reason ? `: ${reason}` : ''}`,
    rolledBack: (what: string, to: string) => `rolled back: ${what}${to ? `, to ${to}` : ''}`,
    rollbackFailed: (what: string) =>
      `then the rollback failed (${what}): what production runs is unknown, check it now`,
    cancelled: 'the run was cancelled',
    during: (step: string) => `during the ${step} step`,
    allPass: (n: number) => `all ${n} checklist items pass`,
    stepsPassed: (steps: string) => `steps passed: ${steps}`,
    p1: (reason: string) => `urgency P1: ${reason}`,
    planned: 'a dry run: nothing was changed'
  },
  fr: {
    failedItems: (items: string) => `en échec : ${items}`,
    heldBy: (items: string) => `reporté par : ${items}`,
    nothingRan: 'rien n’a été lancé ni modifié',
    stepFailed: (step: string, at: string, reason: string) =>
      `l’étape ${step} a échoué${at ? ` à ${at}` : ''}${reason ? ` : ${reason}` : ''}`,
    rolledBack: (what: string, to: string) =>
      `rollback effectué : ${what}${to ? `, vers ${to}` : ''}`,
    rollbackFailed: (what: string) =>
      `puis le rollback a échoué (${what}) : ce que la production exécute est inconnu, vérifiez-la maintenant`,
    cancelled: 'le lancement a été annulé',
    during: (step: string) => `pendant l’étape ${step}`,
    allPass: (n: number) => `les ${n} points de la checklist passent`,
    stepsPassed: (steps: string) => `étapes réussies : ${steps}`,
    p1: (reason: string) => `urgence P1 : ${reason}`,
    planned: 'une simulation : rien n’a été modifié'
  }
}

const ROLLBACK_STEPS = new Set<StepRecord['name']>(['rollback', 'migrate-rollback'])
const ROLLBACK_WHAT = {
  en: { rollback: 'the code', 'migrate-rollback': 'the schema' },
  fr: { rollback: 'le code', 'migrate-rollback': 'le schéma' }
} as const

const failedItems = (d: Why): string => failedItemsLine(d.checklist, 'in-brackets')

/** The step that broke the release: the first failed one that is not a rollback. */
function breakingStep(d: Why, language: Language): string | undefined {
  const step = d.steps.find((s) => s.status === 'fail' && !ROLLBACK_STEPS.has(s.name))
  if (!step) return undefined
  return WORDS[language].stepFailed(step.name, step.started_at ?? '', step.reason ?? '')
}

/** The rollback steps of `status`, said as what they put back ("the code, the schema"). */
function rollbackSteps(d: Why, status: StepRecord['status'], language: Language): string {
  return d.steps
    .filter((s) => s.status === status && ROLLBACK_STEPS.has(s.name))
    .map((s) =>
      status === 'pass'
        ? ROLLBACK_WHAT[language][s.name as 'rollback' | 'migrate-rollback']
        : `${s.name}${s.reason ? `: ${s.reason}` : ''}`
    )
    .join(', ')
}

/**
 * The failed items as `id: detail; …` (the step's error line, a deployment status's
 * description) or `id (detail); …` (the why-line under a summary's headline). A detail that
 * already starts with its id (staging named "staging") does not say it twice.
 */
export function failedItemsLine(
  checklist: DeploymentRecord['checklist'],
  form: 'after-colon' | 'in-brackets' = 'after-colon'
): string {
  return checklist
    .filter((i) => i.status === 'fail')
    .map((i) => {
      const detail = i.detail?.startsWith(`${i.id}: `)
        ? i.detail.slice(i.id.length + 2)
        : (i.detail ?? '')
      if (!detail) return i.id
      return form === 'in-brackets' ? `${i.id} (${detail})` : `${i.id}: ${detail}`
    })
    .join('; ')
}

/** One line: why the run ended with its status. */
export function outcomeWhy(d: Why, language: Language): string | undefined {
  const w = WORDS[language]
  const parts: string[] = []
  const rolledBack = () => {
    const what = rollbackSteps(d, 'pass', language)
    if (what) parts.push(w.rolledBack(what, d.previous_version))
  }
  switch (d.status) {
    case 'aborted': {
      const items = failedItems(d)
      parts.push(items ? w.failedItems(items) : (d.error ?? ''), w.nothingRan)
      break
    }
    case 'postponed': {
      // held, not failed: the headline says until when, this says by what
      const items = failedItems(d)
      if (items) parts.push(w.heldBy(items))
      break
    }
    case 'rolled-back':
      parts.push(breakingStep(d, language) ?? d.error ?? '')
      rolledBack()
      break
    case 'rollback-failed':
      parts.push(breakingStep(d, language) ?? d.error ?? '')
      parts.push(w.rollbackFailed(rollbackSteps(d, 'fail', language) || (d.error ?? '')))
      break
    case 'cancelled': {
      const last = [...d.steps].reverse().find((s) => s.status !== 'skipped')
      parts.push(`${w.cancelled}${last ? ` ${w.during(last.name)}` : ''}`)
      rolledBack()
      break
    }
    case 'deployed': {
      parts.push(w.allPass(d.checklist.filter((i) => i.status !== 'fail').length))
      const passed = d.steps.filter((s) => s.status === 'pass').map((s) => s.name)
      if (passed.length) parts.push(w.stepsPassed(passed.join(', ')))
      if (d.urgency === 'P1' && d.reason) parts.push(w.p1(d.reason))
      break
    }
    case 'planned': {
      const items = failedItems(d)
      parts.push(items ? w.failedItems(items) : w.allPass(d.checklist.length), w.planned)
      break
    }
    default:
      return undefined
  }
  const line = parts.filter(Boolean).join('; ')
  return line ? line.charAt(0).toUpperCase() + line.slice(1) : undefined
}
