import type { Language } from '../settings/schema.js'
import type { ItemId, Loss, RunStatus } from '../record/types.js'

/** What a destructive rollback command destroys (the `rollback` item). */
const LOSSES: Record<Language, Record<Loss, string>> = {
  en: {
    'drops-database': 'drops the database and every row in it',
    'empties-database': 'empties the database',
    'recreates-tables': 'recreates every table empty',
    'drops-objects': 'drops every table and object of the schema',
    'deletes-rows': 'deletes every row of every table',
    'drops-tables': 'drops every table',
    'drops-schema': 'drops the schema and every table in it'
  },
  fr: {
    'drops-database': 'supprime la base et toutes ses lignes',
    'empties-database': 'vide la base',
    'recreates-tables': 'recrée toutes les tables vides',
    'drops-objects': 'supprime toutes les tables et objets du schéma',
    'deletes-rows': 'efface toutes les lignes de toutes les tables',
    'drops-tables': 'supprime toutes les tables',
    'drops-schema': 'supprime le schéma et toutes ses tables'
  }
}

/** Checklist wording of docs/design.md section 5, per language. */
export const ITEM_LABELS: Record<Language, Record<ItemId, string>> = {
  en: {
    ci: 'CI checks pass',
    staging: 'Staging validated',
    migrations: 'Migrations verified',
    window: 'Not Friday after 14:00',
    monitoring: 'Monitoring active',
    rollback: 'Rollback plan ready',
    backup: 'Backup ready',
    lock: 'No other deployment in progress',
    review: 'Code review approved',
    incidents: 'No alert firing'
  },
  fr: {
    ci: 'Tests CI passent',
    staging: 'Staging validé',
    migrations: 'Migrations testées',
    window: 'Pas vendredi après 14h',
    monitoring: 'Monitoring actif',
    rollback: 'Plan de rollback prêt',
    backup: 'Backup prêt',
    lock: 'Aucun autre déploiement en cours',
    review: 'Revue de code approuvée',
    incidents: 'Aucune alerte en cours'
  }
}

/** The window item names a custom freeze window instead of the Friday default. */
export function windowLabel(language: Language, windowName: string | undefined): string {
  if (!windowName) return language === 'fr' ? 'Hors périodes de gel' : 'Outside freeze windows'
  return language === 'fr'
    ? `Hors période de gel : ${windowName}`
    : `Outside freeze window: ${windowName}`
}

/** The record's status in words: the job summary's headline and the notifications' status. */
export const STATUS_LABELS: Record<Language, Record<RunStatus | 'in-progress', string>> = {
  en: {
    'in-progress': 'in progress',
    deployed: 'deployed',
    planned: 'planned (dry run)',
    aborted: 'aborted',
    postponed: 'postponed',
    'rolled-back': 'rolled back',
    'rollback-failed': 'rollback failed',
    cancelled: 'cancelled'
  },
  fr: {
    'in-progress': 'en cours',
    deployed: 'déployé',
    planned: 'planifié (simulation)',
    aborted: 'abandonné',
    postponed: 'reporté',
    'rolled-back': 'rollback effectué',
    'rollback-failed': 'échec du rollback',
    cancelled: 'annulé'
  }
}

/** Short phrases used in checklist details and summaries. */
const PHRASES = {
  en: {
    checksSucceeded: (ok: number, total: number) => `${ok} of ${total} checks succeeded`,
    checksFailed: (names: string) => `failed: ${names}`,
    checksPending: (names: string, waited: string) => `still pending after ${waited}: ${names}`,
    checksMissing: (names: string) => `required but not found: ${names}`,
    noChecks: 'no checks or statuses found on the commit',
    checksUnreadable: (why: string) => `could not read the checks: ${why}`,
    notProduction: (env: string) => `${env} is not a production environment`,
    stagingLive: (env: string, version: string, live: string, id: number) =>
      `${env}: ${version} live ${live} (deployment #${id})`,
    stagingReplaced: (env: string, version: string, live: string, id: number) =>
      `${env}: ${version} was live ${live}, then replaced by a newer one (deployment #${id})`,
    stagingBaked: (env: string, baked: string, needs: string) =>
      `baked ${baked} on ${env}, needs ${needs}`,
    stagingBakedAt: (when: string) => `baked at ${when}`,
    /** between the staging environments, and before what follows from them */
    stagingAnd: '; ',
    stagingSo: ': ',
    stagingReplacedEarly: 'replaced before it baked enough: it can no longer bake',
    stagingBakeLifted: (actor: string, role: string) =>
      `bake time lifted by P1 (${actor}, ${role})`,
    stagingBakeNotLifted: (actor: string, role: string) =>
      `P1 not honoured: ${actor || 'unknown actor'} has role ${role}, maintain or admin required`,
    stagingRolledBack: (env: string, version: string, id: number, state: string, when: string) =>
      `deployment #${id} (${version}) to ${env} was rolled back: ${state} at ${when}, after its success`,
    stagingNone: (env: string, sha: string) => `no deployment of ${sha} to ${env}`,
    stagingNotOk: (env: string, id: number, state: string) =>
      `newest deployment #${id} of this commit to ${env} is ${state}, not success`,
    noMigrateCommand: 'no migrate-command: no migrations to verify',
    noMigrateCheck: 'migrate-command is set but no migrate-check-command verifies it',
    migrateCheckPassed: (ms: string) => `migrate-check-command exited 0 in ${ms}`,
    migrateCheckFailed: (why: string) => `migrate-check-command failed: ${why}`,
    noMigrationFiles: 'no migration file in this release (migrations-path)',
    migrationFilesPartial:
      'GitHub lists only the first 300 files of the compare: migrations past them were not checked',
    migrationFilesUnknown: (why: string) =>
      `this release's migration files are unknown, so not linted (the compare failed: ${why})`,
    migrationFilesUnread: (why: string) => `could not read this release's migrations: ${why}`,
    migrationFilesChecked: (n: number) =>
      `${n} migration file${n === 1 ? '' : 's'} of this release checked`,
    migrationFilesListed: (n: number) =>
      `${n} migration file${n === 1 ? '' : 's'} in this release (migration-lint: off)`,
    migrationUnparsed: (at: string, message: string) => `${at} does not parse: ${message}`,
    migrationLosesData: (at: string, rule: string, detail: string, more: number) =>
      `${at} ${rule}: ${detail}${more > 0 ? ` (and ${more} more)` : ''}; allow it with "-- red-button: allow ${rule}" on the line before`,
    migrationWarnings: (list: string) => `warnings: ${list}`,
    migrationAllowed: (list: string) => `allowed: ${list}`,
    noWindow: 'no freeze window applies to this environment',
    outsideWindows: (n: number) =>
      `outside ${n === 1 ? 'the freeze window' : `all ${n} freeze windows`}`,
    insideWindow: (name: string, next: string) => `inside "${name}"; next window opens ${next}`,
    p1Used: (name: string, actor: string, role: string) =>
      `inside "${name}", but urgency P1 lifts the time rules (${actor} has role ${role})`,
    p1Refused: (name: string, next: string, why: string) =>
      `inside "${name}"; P1 override refused: ${why}; next window opens ${next}`,
    runsInto: (name: string, from: string) => `the watch would run into ${name}, from ${from}`,
    nextOpens: (next: string) => `next window opens ${next}`,
    neverOpens: 'never (the freeze windows never end)',
    runwayNeverFits: (runway: string) =>
      `never (no gap between the freeze windows is as long as the runway, ${runway})`,
    p1RunsInto: (name: string, from: string, actor: string, role: string) =>
      `the watch will run into ${name}, from ${from}, but urgency P1 lifts the time rules (${actor} has role ${role})`,
    overrideRefused: (why: string) => `P1 override refused: ${why}`,
    sourceUnreadable: (list: string) =>
      `freeze calendar unreadable: ${list}; no next window can be known`,
    sourceUnreadableP1: (list: string, actor: string, role: string) =>
      `freeze calendar unreadable: ${list}, but urgency P1 lifts the time rules (${actor} has role ${role})`,
    deployHoursName: 'outside deploy hours',
    freezeAhead: (name: string, when: string) => `freeze ahead: ${name} starts ${when}`,
    monitoringNone: 'no monitoring-url configured: deploying blind is not allowed',
    monitoringOk: (n: number) => `${n} of ${n} monitoring URLs answered 2xx`,
    monitoringFailed: (details: string) => `not answering: ${details}`,
    rollbackCommand: 'rollback-command given',
    rollbackPlan: 'rollback-plan given (manual rollback)',
    rollbackNone: 'neither rollback-command nor rollback-plan given',
    rollbackNoSchemaWay:
      'migrate-command is set but the schema has no way back: give migrate-rollback-command, or forward-only-migrations: true when the previous code runs on the new schema (expand/contract)',
    rollbackForwardOnly:
      'the schema is kept (forward-only migrations): a rollback redeploys the code only',
    rollbackDestroys: (input: string, command: string, loss: Loss) =>
      `${input} runs \`${command}\`, which ${LOSSES.en[loss]}: a rollback that loses data is no plan`,
    backupNoMigrations: 'not needed: no migrate-command, so no data is changed',
    backupOk: 'backup-command given',
    backupNone: 'backup-command is required before migrating production',
    lockFree: 'no other deployment in progress',
    lockHeld: (id: number, by: string, age: string, state: string) =>
      `deployment #${id} by ${by} is ${state} (started ${age} ago)`,
    stale: (ids: string) => `stale, ignored (over 1 h): ${ids}`,
    reviewOff: 'required-approvals is 0',
    reviewApproved: (pr: number, by: string) => `#${pr} approved by ${by}`,
    reviewMissing: (pr: number, got: number, needed: number, changes: string) =>
      `#${pr} has ${got} of ${needed} approval${needed === 1 ? '' : 's'}${changes ? `; ${changes} requested changes` : ''}`,
    reviewNoPull: (sha: string, open: boolean) =>
      open
        ? `no pull request found for ${sha}`
        : `no approved pull request: ${sha} is not the commit of a merged pull request (a direct push?)`,
    reviewUnreadable: (why: string) => `could not read the pull request's reviews: ${why}`,
    noAlertmanager: 'no alertmanager-url',
    incidentsNone: (url: string) => `no alert firing at ${url}`,
    incidentsFiring: (n: number, list: string) => `${n} alert${n === 1 ? '' : 's'} firing: ${list}`,
    incidentsP1: (n: number, list: string) =>
      `P1 hotfix while ${n} alert${n === 1 ? '' : 's'} fire${n === 1 ? 's' : ''}: ${list}`,
    incidentsUnreadable: (why: string) =>
      `Alertmanager did not answer (${why}): monitoring that cannot be read is not active`,
    alertSince: 'since',
    alertsMore: (n: number) => `and ${n} more`,
    lockUnreadable: (why: string) => `could not read the deployments: ${why}`,
    postponedUntil: (when: string, why: string) => `until ${when}${why ? `: ${why}` : ''}`,
    startsAgain: (when: string) =>
      `It starts again by itself at ${when}, when a step with resume-postponed: true runs (the resume workflow, examples/workflows/resume.yml); without it, nothing restarts it.`,
    dropIt: (command: string) => `To drop it: ${command}`,
    expiresFirst: (expiry: string, dropAt: string, needed: string) =>
      `postponed for longer than postpone-expiry (${expiry}): a resume step with that postpone-expiry drops it as expired at ${dropAt}, before its window opens; give the resume step postpone-expiry: ${needed} or more`,
    resumedLine: (postponedAt: string, resumedAt: string) =>
      `postponed ${postponedAt}, resumed ${resumedAt}`,
    supersededByPostponed: (version: string, id: number) =>
      `superseded by ${version} (#${id}), postponed since`,
    supersededByDeployed: (version: string, id: number) =>
      `superseded: ${version} (#${id}) went out since; not resumed, which would roll it back`,
    expired: (age: string, expiry: string) =>
      `expired: postponed ${age} ago, over postpone-expiry (${expiry})`,
    resumeRequested: (what: string) => `resume requested: ${what} re-run`,
    resumeUnderWay: 'its run is already running again: left as it is',
    resumeRefused: (answer: string) => `GitHub refused to re-run it: ${answer}`,
    resumeNotTaken: (url: string) =>
      `its re-run ended without taking it (${url}); resume it by hand or drop it`,
    waiting: (when: string) => `waiting until ${when}`,
    theJob: (name: string) => `job ${name}`,
    failedJobs: "the run's failed jobs"
  },
  fr: {
    checksSucceeded: (ok: number, total: number) => `${ok} sur ${total} vérifications réussies`,
    checksFailed: (names: string) => `en échec : ${names}`,
    checksPending: (names: string, waited: string) =>
      `toujours en attente après ${waited} : ${names}`,
    checksMissing: (names: string) => `requises mais absentes : ${names}`,
    noChecks: 'aucune vérification ni statut sur le commit',
    checksUnreadable: (why: string) => `lecture des vérifications impossible : ${why}`,
    notProduction: (env: string) => `${env} n'est pas un environnement de production`,
    stagingLive: (env: string, version: string, live: string, id: number) =>
      `${env} : ${version} en ligne depuis ${live} (déploiement #${id})`,
    stagingReplaced: (env: string, version: string, live: string, id: number) =>
      `${env} : ${version} est resté en ligne ${live}, puis a été remplacé par un plus récent (déploiement #${id})`,
    stagingBaked: (env: string, baked: string, needs: string) =>
      `rodé ${baked} en ${env}, ${needs} requises`,
    stagingBakedAt: (when: string) => `rodé le ${when}`,
    stagingAnd: ' ; ',
    stagingSo: ' : ',
    stagingReplacedEarly: 'remplacé avant la fin du rodage : il ne peut plus roder',
    stagingBakeLifted: (actor: string, role: string) => `rodage levé par P1 (${actor}, ${role})`,
    stagingBakeNotLifted: (actor: string, role: string) =>
      `P1 non honoré : ${actor || 'acteur inconnu'} a le rôle ${role}, maintain ou admin requis`,
    stagingRolledBack: (env: string, version: string, id: number, state: string, when: string) =>
      `le déploiement #${id} (${version}) en ${env} a été annulé : ${state} le ${when}, après son succès`,
    stagingNone: (env: string, sha: string) => `aucun déploiement de ${sha} en ${env}`,
    stagingNotOk: (env: string, id: number, state: string) =>
      `le dernier déploiement #${id} de ce commit en ${env} est ${state}, pas success`,
    noMigrateCommand: 'pas de migrate-command : aucune migration à vérifier',
    noMigrateCheck: 'migrate-command est défini mais aucun migrate-check-command ne le vérifie',
    migrateCheckPassed: (ms: string) => `migrate-check-command a réussi en ${ms}`,
    migrateCheckFailed: (why: string) => `migrate-check-command a échoué : ${why}`,
    noMigrationFiles: 'aucun fichier de migration dans cette version (migrations-path)',
    migrationFilesPartial:
      "GitHub ne liste que les 300 premiers fichiers de la comparaison : les migrations au-delà n'ont pas été vérifiées",
    migrationFilesUnknown: (why: string) =>
      `les fichiers de migration de cette version sont inconnus, donc non vérifiés (la comparaison a échoué : ${why})`,
    migrationFilesUnread: (why: string) =>
      `impossible de lire les migrations de cette version : ${why}`,
    migrationFilesChecked: (n: number) =>
      `${n} fichier${n === 1 ? '' : 's'} de migration de cette version vérifié${n === 1 ? '' : 's'}`,
    migrationFilesListed: (n: number) =>
      `${n} fichier${n === 1 ? '' : 's'} de migration dans cette version (migration-lint : off)`,
    migrationUnparsed: (at: string, message: string) => `${at} ne se lit pas : ${message}`,
    migrationLosesData: (at: string, rule: string, detail: string, more: number) =>
      `${at} ${rule} : ${detail}${more > 0 ? ` (et ${more} de plus)` : ''} ; l'autoriser avec « -- red-button: allow ${rule} » sur la ligne précédente`,
    migrationWarnings: (list: string) => `avertissements : ${list}`,
    migrationAllowed: (list: string) => `autorisés : ${list}`,
    noWindow: "aucune période de gel ne s'applique à cet environnement",
    outsideWindows: (n: number) =>
      `hors ${n === 1 ? 'de la période de gel' : `des ${n} périodes de gel`}`,
    insideWindow: (name: string, next: string) => `dans « ${name} » ; prochaine fenêtre ${next}`,
    p1Used: (name: string, actor: string, role: string) =>
      `dans « ${name} », mais l'urgence P1 lève les règles horaires (${actor} a le rôle ${role})`,
    p1Refused: (name: string, next: string, why: string) =>
      `dans « ${name} » ; dérogation P1 refusée : ${why} ; prochaine fenêtre ${next}`,
    runsInto: (name: string, from: string) =>
      `la surveillance déborderait sur ${name}, à partir de ${from}`,
    nextOpens: (next: string) => `prochaine fenêtre ${next}`,
    neverOpens: 'jamais (les fenêtres de gel ne finissent jamais)',
    runwayNeverFits: (runway: string) =>
      `jamais (aucun intervalle entre les fenêtres de gel n’est aussi long que le runway, ${runway})`,
    p1RunsInto: (name: string, from: string, actor: string, role: string) =>
      `la surveillance débordera sur ${name}, à partir de ${from}, mais l'urgence P1 lève les règles horaires (${actor} a le rôle ${role})`,
    overrideRefused: (why: string) => `dérogation P1 refusée : ${why}`,
    sourceUnreadable: (list: string) =>
      `calendrier de gel illisible : ${list} ; aucune prochaine fenêtre ne peut être connue`,
    sourceUnreadableP1: (list: string, actor: string, role: string) =>
      `calendrier de gel illisible : ${list}, mais l'urgence P1 lève les règles horaires (${actor} a le rôle ${role})`,
    deployHoursName: 'hors heures de déploiement',
    freezeAhead: (name: string, when: string) => `gel à venir : ${name} commence ${when}`,
    monitoringNone: "aucun monitoring-url : déployer à l'aveugle est interdit",
    monitoringOk: (n: number) => `${n} sur ${n} URL de monitoring répondent 2xx`,
    monitoringFailed: (details: string) => `ne répondent pas : ${details}`,
    rollbackCommand: 'rollback-command fourni',
    rollbackPlan: 'rollback-plan fourni (rollback manuel)',
    rollbackNone: 'ni rollback-command ni rollback-plan',
    rollbackNoSchemaWay:
      "migrate-command est défini mais le schéma n'a pas de retour : donnez migrate-rollback-command, ou forward-only-migrations: true si l'ancien code tourne sur le nouveau schéma (expand/contract)",
    rollbackForwardOnly:
      'le schéma est conservé (migrations forward-only) : un rollback redéploie le code seul',
    rollbackDestroys: (input: string, command: string, loss: Loss) =>
      `${input} lance \`${command}\`, qui ${LOSSES.fr[loss]} : un rollback qui perd des données n'est pas un plan`,
    backupNoMigrations: 'inutile : pas de migrate-command, aucune donnée ne change',
    backupOk: 'backup-command fourni',
    backupNone: 'backup-command est obligatoire avant de migrer la production',
    lockFree: 'aucun autre déploiement en cours',
    lockHeld: (id: number, by: string, age: string, state: string) =>
      `le déploiement #${id} de ${by} est ${state} (démarré il y a ${age})`,
    stale: (ids: string) => `obsolètes, ignorés (plus d'1 h) : ${ids}`,
    reviewOff: 'required-approvals vaut 0',
    reviewApproved: (pr: number, by: string) => `#${pr} approuvée par ${by}`,
    reviewMissing: (pr: number, got: number, needed: number, changes: string) =>
      `#${pr} a ${got} approbation${got > 1 ? 's' : ''} sur ${needed}${changes ? ` ; ${changes} demande des modifications` : ''}`,
    reviewNoPull: (sha: string, open: boolean) =>
      open
        ? `aucune pull request trouvée pour ${sha}`
        : `aucune pull request approuvée : ${sha} n'est le commit d'aucune pull request fusionnée (un push direct ?)`,
    reviewUnreadable: (why: string) => `lecture des revues de la pull request impossible : ${why}`,
    noAlertmanager: "pas d'alertmanager-url",
    incidentsNone: (url: string) => `aucune alerte en cours sur ${url}`,
    incidentsFiring: (n: number, list: string) =>
      `${n} alerte${n > 1 ? 's' : ''} en cours : ${list}`,
    incidentsP1: (n: number, list: string) =>
      `correctif P1 malgré ${n} alerte${n > 1 ? 's' : ''} en cours : ${list}`,
    incidentsUnreadable: (why: string) =>
      `Alertmanager ne répond pas (${why}) : un monitoring illisible n'est pas actif`,
    alertSince: 'depuis',
    alertsMore: (n: number) => `et ${n} de plus`,
    lockUnreadable: (why: string) => `lecture des déploiements impossible : ${why}`,
    postponedUntil: (when: string, why: string) => `jusqu'au ${when}${why ? ` : ${why}` : ''}`,
    startsAgain: (when: string) =>
      `Il repartira de lui-même le ${when}, quand une étape avec resume-postponed: true s'exécutera (le workflow de reprise, examples/workflows/resume.yml) ; sans elle, rien ne le relance.`,
    dropIt: (command: string) => `Pour l'abandonner : ${command}`,
    expiresFirst: (expiry: string, dropAt: string, needed: string) =>
      `reporté plus longtemps que postpone-expiry (${expiry}) : une étape de reprise avec ce postpone-expiry l'abandonnera comme expiré le ${dropAt}, avant l'ouverture de sa fenêtre ; donnez à l'étape de reprise postpone-expiry: ${needed} ou plus`,
    resumedLine: (postponedAt: string, resumedAt: string) =>
      `reporté ${postponedAt}, repris ${resumedAt}`,
    supersededByPostponed: (version: string, id: number) =>
      `remplacé par ${version} (#${id}), reporté depuis`,
    supersededByDeployed: (version: string, id: number) =>
      `remplacé : ${version} (#${id}) est parti depuis ; pas de reprise, qui le reviendrait en arrière`,
    expired: (age: string, expiry: string) =>
      `expiré : reporté il y a ${age}, au-delà de postpone-expiry (${expiry})`,
    resumeRequested: (what: string) => `reprise demandée : relance de ${what}`,
    resumeUnderWay: 'son exécution est déjà relancée : laissé tel quel',
    resumeRefused: (answer: string) => `GitHub refuse de le relancer : ${answer}`,
    resumeNotTaken: (url: string) =>
      `sa relance s'est terminée sans le reprendre (${url}) ; le relancer à la main ou l'abandonner`,
    waiting: (when: string) => `en attente jusqu'au ${when}`,
    theJob: (name: string) => `job ${name}`,
    failedJobs: "jobs en échec de l'exécution"
  }
} satisfies Record<Language, unknown>

export type Phrases = (typeof PHRASES)['en']

export function phrases(language: Language): Phrases {
  return PHRASES[language]
}
