import type { Language } from '../settings/schema.js'
import { isVolatileFunction } from './functions.js'

/**
 * What a migration statement does that a careful release manager wants to know before it
 * runs: it loses data (an error under `migration-lint: error`) or it locks a table for long
 * (a warning). Rules in the spirit of squawk and strong_migrations (docs/design.md section 5),
 * read from the parse tree of PostgreSQL's own parser: a word in a string, a comment or a
 * function body is never a statement.
 */

export type RuleId =
  | 'drop-table'
  | 'drop-column'
  | 'truncate'
  | 'delete-without-where'
  | 'update-without-where'
  | 'change-column-type'
  | 'rename-table'
  | 'rename-column'
  | 'add-required-column'
  | 'set-not-null'
  | 'require-concurrent-index'
  | 'require-not-valid'
  | 'drop-database'
  | 'concurrent-index-in-transaction'
  | 'rewrite-table'
  | 'add-unique-constraint'
  | 'require-concurrent-index-drop'
  | 'validate-in-same-transaction'
  | 'missing-lock-timeout'

export type Severity = 'error' | 'warning'

/** One hit of a rule in one statement: what it touches, as PostgreSQL names it. */
export interface Hit {
  rule: RuleId
  /** the table, schema-qualified when the statement qualified it */
  table: string
  /** the column, index or constraint concerned, when there is one */
  name?: string
  /** the new name of a rename */
  to?: string
  /** the SQL that makes it a hit, as PostgreSQL reads it (`DEFAULT random()`, `serial`) */
  cause?: string
}

interface Text {
  what: (h: Hit) => string
  safer: string
}

interface Rule {
  severity: Severity
  en: Text
  fr: Text
}

const col = (h: Hit) => `${h.table}.${h.name ?? ''}`

export const RULES: Record<RuleId, Rule> = {
  'drop-table': {
    severity: 'error',
    en: {
      what: (h) => `DROP TABLE ${h.table} deletes the table and every row in it`,
      safer: 'stop using the table in one release, back it up, then drop it in a later one'
    },
    fr: {
      what: (h) => `DROP TABLE ${h.table} supprime la table et toutes ses lignes`,
      safer:
        'ne plus utiliser la table dans une version, la sauvegarder, puis la supprimer dans une suivante'
    }
  },
  'drop-column': {
    severity: 'error',
    en: {
      what: (h) => `DROP COLUMN ${col(h)} deletes the column and its data`,
      safer: 'stop reading and writing the column in one release, then drop it in a later one'
    },
    fr: {
      what: (h) => `DROP COLUMN ${col(h)} supprime la colonne et ses données`,
      safer:
        'ne plus lire ni écrire la colonne dans une version, puis la supprimer dans une suivante'
    }
  },
  truncate: {
    severity: 'error',
    en: {
      what: (h) => `TRUNCATE ${h.table} deletes every row`,
      safer: 'delete only the rows meant to go, with a WHERE, in batches'
    },
    fr: {
      what: (h) => `TRUNCATE ${h.table} supprime toutes les lignes`,
      safer: 'supprimer seulement les lignes visées, avec un WHERE, par lots'
    }
  },
  'delete-without-where': {
    severity: 'error',
    en: {
      what: (h) => `DELETE FROM ${h.table} without WHERE deletes every row`,
      safer: 'add a WHERE that names the rows, and delete in batches'
    },
    fr: {
      what: (h) => `DELETE FROM ${h.table} sans WHERE supprime toutes les lignes`,
      safer: 'ajouter un WHERE qui désigne les lignes, et supprimer par lots'
    }
  },
  'update-without-where': {
    severity: 'error',
    en: {
      what: (h) => `UPDATE ${h.table} without WHERE overwrites every row`,
      safer: 'add a WHERE that names the rows, and update in batches'
    },
    fr: {
      what: (h) => `UPDATE ${h.table} sans WHERE écrase toutes les lignes`,
      safer: 'ajouter un WHERE qui désigne les lignes, et mettre à jour par lots'
    }
  },
  'change-column-type': {
    severity: 'error',
    en: {
      what: (h) =>
        `ALTER COLUMN ${col(h)} TYPE rewrites the table under lock and may truncate or reject values`,
      safer:
        'add a column of the new type, write both, backfill, move the reads, then drop the old one'
    },
    fr: {
      what: (h) =>
        `ALTER COLUMN ${col(h)} TYPE réécrit la table sous verrou et peut tronquer ou refuser des valeurs`,
      safer:
        "ajouter une colonne du nouveau type, écrire les deux, remplir, basculer les lectures, puis supprimer l'ancienne"
    }
  },
  'rename-table': {
    severity: 'warning',
    en: {
      what: (h) => `RENAME of table ${h.table} to ${h.to ?? ''} breaks the code still running`,
      safer:
        'create the new table (or a view) beside the old one, move the code, then drop the old name'
    },
    fr: {
      what: (h) =>
        `le renommage de la table ${h.table} en ${h.to ?? ''} casse le code encore en service`,
      safer:
        "créer la nouvelle table (ou une vue) à côté de l'ancienne, migrer le code, puis supprimer l'ancien nom"
    }
  },
  'rename-column': {
    severity: 'warning',
    en: {
      what: (h) => `RENAME COLUMN ${col(h)} to ${h.to ?? ''} breaks the code still running`,
      safer: 'add the new column, write both, backfill, move the reads, then drop the old one'
    },
    fr: {
      what: (h) =>
        `le renommage de la colonne ${col(h)} en ${h.to ?? ''} casse le code encore en service`,
      safer:
        "ajouter la nouvelle colonne, écrire les deux, remplir, basculer les lectures, puis supprimer l'ancienne"
    }
  },
  'add-required-column': {
    severity: 'warning',
    en: {
      what: (h) => `ADD COLUMN ${col(h)} NOT NULL without a default fails on a table with rows`,
      safer:
        'add the column nullable, backfill, then SET NOT NULL with a CHECK ... NOT VALID validated first'
    },
    fr: {
      what: (h) =>
        `ADD COLUMN ${col(h)} NOT NULL sans valeur par défaut échoue sur une table non vide`,
      safer:
        "ajouter la colonne nullable, la remplir, puis SET NOT NULL avec un CHECK ... NOT VALID validé d'abord"
    }
  },
  'set-not-null': {
    severity: 'warning',
    en: {
      what: (h) => `SET NOT NULL on ${col(h)} scans the whole table under an exclusive lock`,
      safer: 'add CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it, then SET NOT NULL'
    },
    fr: {
      what: (h) => `SET NOT NULL sur ${col(h)} parcourt toute la table sous un verrou exclusif`,
      safer:
        'ajouter CHECK (colonne IS NOT NULL) NOT VALID, le VALIDATE CONSTRAINT, puis SET NOT NULL'
    }
  },
  'require-concurrent-index': {
    severity: 'warning',
    en: {
      what: (h) =>
        `CREATE INDEX ${h.name ? `${h.name} ` : ''}without CONCURRENTLY blocks writes to ${h.table} while it builds`,
      safer: 'CREATE INDEX CONCURRENTLY, outside a transaction'
    },
    fr: {
      what: (h) =>
        `CREATE INDEX ${h.name ? `${h.name} ` : ''}sans CONCURRENTLY bloque les écritures sur ${h.table} pendant sa construction`,
      safer: "CREATE INDEX CONCURRENTLY, hors d'une transaction"
    }
  },
  'require-not-valid': {
    severity: 'warning',
    en: {
      what: (h) =>
        `a foreign key or check${h.name ? ` (${h.name})` : ''} added to ${h.table} without NOT VALID checks every row under lock`,
      safer:
        'add the column first, then ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later statement'
    },
    fr: {
      what: (h) =>
        `une clé étrangère ou un check${h.name ? ` (${h.name})` : ''} ajouté à ${h.table} sans NOT VALID vérifie chaque ligne sous verrou`,
      safer:
        "ajouter d'abord la colonne, puis ADD CONSTRAINT ... NOT VALID, puis VALIDATE CONSTRAINT dans une instruction suivante"
    }
  },
  'drop-database': {
    severity: 'error',
    en: {
      what: (h) => `DROP DATABASE ${h.name ?? ''} deletes the whole database`,
      safer: 'never in a migration: back the database up, and drop it by hand once nothing uses it'
    },
    fr: {
      what: (h) => `DROP DATABASE ${h.name ?? ''} supprime toute la base de données`,
      safer:
        "jamais dans une migration : sauvegarder la base, et la supprimer à la main quand plus rien ne l'utilise"
    }
  },
  'concurrent-index-in-transaction': {
    severity: 'error',
    en: {
      what: (h) =>
        `${h.cause ?? ''} ${h.name ?? ''} inside BEGIN ... COMMIT fails when it runs: PostgreSQL refuses it in a transaction block`,
      safer:
        'put it in a file of its own, outside BEGIN ... COMMIT, and tell the migration tool not to wrap that file in a transaction'
    },
    fr: {
      what: (h) =>
        `${h.cause ?? ''} ${h.name ?? ''} dans BEGIN ... COMMIT échoue à l'exécution : PostgreSQL le refuse dans une transaction`,
      safer:
        "le mettre dans un fichier à part, hors de BEGIN ... COMMIT, et dire à l'outil de migration de ne pas envelopper ce fichier dans une transaction"
    }
  },
  'rewrite-table': {
    severity: 'warning',
    en: {
      what: (h) =>
        `ADD COLUMN ${col(h)} with ${h.cause ?? ''} rewrites the whole table under an exclusive lock (reads and writes wait)`,
      safer:
        'add the column without a default, give it its default for new rows (ALTER COLUMN ... SET DEFAULT), then fill the existing rows in batches'
    },
    fr: {
      what: (h) =>
        `ADD COLUMN ${col(h)} avec ${h.cause ?? ''} réécrit toute la table sous un verrou exclusif (lectures et écritures attendent)`,
      safer:
        'ajouter la colonne sans valeur par défaut, lui donner sa valeur par défaut pour les nouvelles lignes (ALTER COLUMN ... SET DEFAULT), puis remplir les lignes existantes par lots'
    }
  },
  'add-unique-constraint': {
    severity: 'warning',
    en: {
      what: (h) =>
        `${h.cause ?? ''}${h.name ? ` ${h.name}` : ''} added to ${h.table} builds its index while reads and writes wait`,
      safer:
        'CREATE UNIQUE INDEX CONCURRENTLY (outside a transaction), then ADD CONSTRAINT ... UNIQUE (or PRIMARY KEY) USING INDEX'
    },
    fr: {
      what: (h) =>
        `${h.cause ?? ''}${h.name ? ` ${h.name}` : ''} ajouté à ${h.table} construit son index pendant que lectures et écritures attendent`,
      safer:
        "CREATE UNIQUE INDEX CONCURRENTLY (hors d'une transaction), puis ADD CONSTRAINT ... UNIQUE (ou PRIMARY KEY) USING INDEX"
    }
  },
  'require-concurrent-index-drop': {
    severity: 'warning',
    en: {
      what: (h) =>
        `DROP INDEX ${h.table} without CONCURRENTLY blocks reads and writes on its table until it is done`,
      safer: 'DROP INDEX CONCURRENTLY, outside a transaction'
    },
    fr: {
      what: (h) =>
        `DROP INDEX ${h.table} sans CONCURRENTLY bloque lectures et écritures sur sa table jusqu'à la fin`,
      safer: "DROP INDEX CONCURRENTLY, hors d'une transaction"
    }
  },
  'validate-in-same-transaction': {
    severity: 'warning',
    en: {
      what: (h) =>
        `VALIDATE CONSTRAINT ${h.name ?? ''} on ${h.table} runs in the transaction of its ADD ... NOT VALID: the ADD's lock is held while every row is checked`,
      safer:
        'COMMIT after the ADD ... NOT VALID, then VALIDATE CONSTRAINT in a transaction of its own'
    },
    fr: {
      what: (h) =>
        `VALIDATE CONSTRAINT ${h.name ?? ''} sur ${h.table} s'exécute dans la transaction de son ADD ... NOT VALID : le verrou de l'ADD est tenu pendant la vérification de chaque ligne`,
      safer:
        'COMMIT après le ADD ... NOT VALID, puis VALIDATE CONSTRAINT dans une transaction à part'
    }
  },
  'missing-lock-timeout': {
    severity: 'warning',
    en: {
      what: (h) =>
        `no lock_timeout before this statement locks ${h.table || 'every table'}: it would wait behind any long transaction, and all traffic to ${h.table || 'them'} would wait behind it`,
      safer:
        "SET lock_timeout = '5s' at the top of the file (SET LOCAL inside the transaction), and retry the migration if it times out"
    },
    fr: {
      what: (h) =>
        `pas de lock_timeout avant que cette instruction verrouille ${h.table || 'toutes les tables'} : elle attendrait derrière toute longue transaction, et tout le trafic vers ${h.table || 'elles'} attendrait derrière elle`,
      safer:
        "SET lock_timeout = '5s' en tête du fichier (SET LOCAL dans la transaction), et relancer la migration si le délai expire"
    }
  }
}

export const RULE_IDS = Object.keys(RULES) as RuleId[]

export function describeHit(hit: Hit, language: Language): { detail: string; safer: string } {
  const text = RULES[hit.rule][language]
  return { detail: text.what(hit), safer: text.safer }
}

// ---- the parse tree ---------------------------------------------------------------------

/** A node of libpg-query's JSON parse tree: `{ NodeType: { ...fields } }`. */
type Node = Record<string, unknown>
interface RangeVar {
  schemaname?: string
  relname?: string
}

const field = <T>(node: unknown, type: string): T | undefined =>
  node && typeof node === 'object' ? ((node as Node)[type] as T | undefined) : undefined
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
const strings = (v: unknown): string[] =>
  list(v).map((s) => field<{ sval?: string }>(s, 'String')?.sval ?? '')

/** An identifier as it would be written back: quoted when it needs quotes. */
function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`
}

function tableName(rv: RangeVar | undefined): string {
  const parts = [rv?.schemaname, rv?.relname].filter((p): p is string => Boolean(p))
  return parts.map(quoteIdent).join('.')
}

/** A name written as a list of strings (`DROP INDEX app.users_email`). */
const qualified = (names: string[]) => names.map(quoteIdent).join('.')
const objectNames = (objects: unknown[]) =>
  objects.map((o) => strings(field<{ items?: unknown[] }>(o, 'List')?.items))

/**
 * What the file has done before a statement, in order: the transaction it is in, the
 * `lock_timeout` in force, the tables it created. Statements come one by one to `hitsOf`.
 */
export class FileState {
  /** tables created in this file (not IF NOT EXISTS), and the indexes made on them */
  readonly created = new Set<string>()
  /** after an explicit BEGIN / START TRANSACTION and before its COMMIT / ROLLBACK */
  inTransaction = false
  /** `SET [SESSION] lock_timeout`: until RESET, or the ROLLBACK of its transaction */
  private sessionTimeout = false
  private sessionTimeoutAtBegin = false
  /** `SET LOCAL lock_timeout`: until the end of the transaction */
  private localTimeout: boolean | undefined
  /** `table constraint` of each ADD ... NOT VALID of the transaction */
  readonly notValid = new Set<string>()
  lockTimeoutReported = false

  get lockTimeout(): boolean {
    return this.localTimeout ?? this.sessionTimeout
  }

  /** Takes a statement into account, once its hits are known. */
  after(stmt: Node): void {
    const tx = field<{ kind?: string; chain?: boolean }>(stmt, 'TransactionStmt')
    if (tx) return this.transaction(tx.kind ?? '', tx.chain === true)
    const set = field<{ kind?: string; name?: string; args?: unknown[]; is_local?: boolean }>(
      stmt,
      'VariableSetStmt'
    )
    if (set) return this.setting(set)
    for (const t of createdTables(stmt)) this.created.add(t)
    const index = field<{ relation?: RangeVar; idxname?: string }>(stmt, 'IndexStmt')
    if (index?.idxname && this.created.has(tableName(index.relation)))
      this.created.add(qualified([index.relation?.schemaname ?? '', index.idxname].filter(Boolean)))
  }

  private transaction(kind: string, chain: boolean): void {
    if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') {
      if (!this.inTransaction) this.sessionTimeoutAtBegin = this.sessionTimeout
      this.inTransaction = true
      return
    }
    const ends = ['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE']
    if (!ends.includes(kind)) return // SAVEPOINT, RELEASE, ROLLBACK TO: still inside
    // a SET of a transaction rolled back is undone
    if (kind !== 'TRANS_STMT_COMMIT') this.sessionTimeout = this.sessionTimeoutAtBegin
    this.localTimeout = undefined
    this.notValid.clear()
    this.inTransaction = chain // COMMIT AND CHAIN starts the next one at once
    this.sessionTimeoutAtBegin = this.sessionTimeout
  }

  private setting(set: { kind?: string; name?: string; args?: unknown[]; is_local?: boolean }) {
    if (set.kind === 'VAR_RESET_ALL') {
      this.sessionTimeout = false
      this.localTimeout = undefined
      return
    }
    if (set.name !== 'lock_timeout') return
    const on = set.kind === 'VAR_SET_VALUE' && !isZero(list(set.args)[0])
    if (!set.is_local) {
      // a session SET (or RESET, or SET ... TO DEFAULT) also replaces an earlier SET LOCAL
      this.sessionTimeout = on
      this.localTimeout = undefined
    } else if (this.inTransaction) this.localTimeout = on // SET LOCAL outside does nothing
  }
}

/** `0`, `'0'`, `'0s'`: a lock_timeout of zero waits for ever. */
function isZero(arg: unknown): boolean {
  const c = field<{ ival?: { ival?: number }; sval?: { sval?: string } }>(arg, 'A_Const')
  if (!c) return false
  if (c.ival) return !c.ival.ival
  return /^\s*0+(\.0*)?\s*[a-z]*\s*$/i.test(c.sval?.sval ?? '')
}

/** The tables a statement creates (new tables hold no rows and no running code reads them). */
function createdTables(stmt: Node): string[] {
  const create = field<{ relation?: RangeVar; if_not_exists?: boolean }>(stmt, 'CreateStmt')
  if (create && !create.if_not_exists) return [tableName(create.relation)]
  const createAs = field<{ into?: { rel?: RangeVar }; if_not_exists?: boolean }>(
    stmt,
    'CreateTableAsStmt'
  )
  if (createAs && !createAs.if_not_exists) return [tableName(createAs.into?.rel)]
  return []
}

interface ColumnDef {
  colname?: string
  typeName?: { names?: unknown[] }
  constraints?: unknown[]
}
interface Constraint {
  contype?: string
  conname?: string
  skip_validation?: boolean
  indexname?: string
  raw_expr?: unknown
  generated_kind?: string
}

const SERIALS = ['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']

/** The names of the functions an expression calls, at any depth. */
function* calls(node: unknown): Generator<string[]> {
  if (Array.isArray(node)) {
    for (const n of node) yield* calls(n)
    return
  }
  if (!node || typeof node !== 'object') return
  const call = field<{ funcname?: unknown[]; args?: unknown[] }>(node, 'FuncCall')
  if (call) yield strings(call.funcname)
  for (const v of Object.values(node as Node)) yield* calls(v)
}

/** Why adding this column rewrites the table, if it does. */
function rewriteCause(def: ColumnDef | undefined, constraints: Constraint[]): string | undefined {
  const type = strings(def?.typeName?.names).at(-1) ?? ''
  if (SERIALS.includes(type)) return type
  for (const c of constraints) {
    if (c.contype === 'CONSTR_IDENTITY') return 'GENERATED AS IDENTITY'
    if (c.contype === 'CONSTR_GENERATED' && c.generated_kind !== 'v') return 'GENERATED ... STORED'
    if (c.contype === 'CONSTR_DEFAULT')
      for (const name of calls(c.raw_expr))
        if (isVolatileFunction(name)) return `DEFAULT ${qualified(name)}()`
  }
  return undefined
}

const KEYS: Record<string, string> = { CONSTR_UNIQUE: 'UNIQUE', CONSTR_PRIMARY: 'PRIMARY KEY' }

/** What one ALTER TABLE subcommand does; `state` knows the transaction it runs in. */
function alterHits(table: string, cmd: Node, state: FileState, statement: Set<string>): Hit[] {
  const c = field<{ subtype?: string; name?: string; def?: unknown }>(cmd, 'AlterTableCmd')
  if (!c) return []
  switch (c.subtype) {
    case 'AT_DropColumn':
      return [{ rule: 'drop-column', table, name: quoteIdent(c.name ?? '') }]
    case 'AT_AlterColumnType':
      return [{ rule: 'change-column-type', table, name: quoteIdent(c.name ?? '') }]
    case 'AT_SetNotNull':
      return [{ rule: 'set-not-null', table, name: quoteIdent(c.name ?? '') }]
    case 'AT_AddColumn': {
      const def = field<ColumnDef>(c.def, 'ColumnDef')
      const constraints = list(def?.constraints).map(
        (x) => field<Constraint>(x, 'Constraint') ?? {}
      )
      const types = constraints.map((x) => x.contype ?? '')
      const name = quoteIdent(def?.colname ?? '')
      const hits: Hit[] = []
      const cause = rewriteCause(def, constraints)
      if (cause) hits.push({ rule: 'rewrite-table', table, name, cause })
      const required = types.some((t) => t === 'CONSTR_NOTNULL' || t === 'CONSTR_PRIMARY')
      const filled = types.some((t) =>
        ['CONSTR_DEFAULT', 'CONSTR_IDENTITY', 'CONSTR_GENERATED'].includes(t)
      )
      // a serial column is filled too, by a rewrite: that is its risk, said above
      if (required && !filled && !cause) hits.push({ rule: 'add-required-column', table, name })
      // an inline REFERENCES or CHECK is a constraint added validated: it cannot be NOT VALID
      if (types.some((t) => t === 'CONSTR_FOREIGN' || t === 'CONSTR_CHECK'))
        hits.push({ rule: 'require-not-valid', table, name })
      const key = types.find((t) => KEYS[t])
      if (key) hits.push({ rule: 'add-unique-constraint', table, name, cause: KEYS[key] })
      return hits
    }
    case 'AT_AddConstraint': {
      const con = field<Constraint>(c.def, 'Constraint') ?? {}
      const name = con.conname ? quoteIdent(con.conname) : undefined
      if (KEYS[con.contype ?? ''] && !con.indexname)
        return [{ rule: 'add-unique-constraint', table, name, cause: KEYS[con.contype ?? ''] }]
      if (con.contype !== 'CONSTR_FOREIGN' && con.contype !== 'CONSTR_CHECK') return []
      if (!con.skip_validation) return [{ rule: 'require-not-valid', table, name }]
      if (con.conname) statement.add(`${table} ${con.conname}`)
      return []
    }
    case 'AT_ValidateConstraint': {
      const key = `${table} ${c.name ?? ''}`
      // the same ALTER TABLE is one transaction too
      return statement.has(key) || (state.inTransaction && state.notValid.has(key))
        ? [{ rule: 'validate-in-same-transaction', table, name: quoteIdent(c.name ?? '') }]
        : []
    }
    default:
      return []
  }
}

const hasOption = (options: unknown, name: string) =>
  list(options).some((o) => field<{ defname?: string }>(o, 'DefElem')?.defname === name)

/**
 * The tables a statement locks against writes (the list of docs/design.md section 5's
 * `missing-lock-timeout`), or their indexes for DROP INDEX; `''` for every table.
 */
function lockedTables(stmt: Node): string[] | undefined {
  const alter = field<{ relation?: RangeVar; objtype?: string }>(stmt, 'AlterTableStmt')
  if (alter?.objtype === 'OBJECT_TABLE') return [tableName(alter.relation)]
  const rename = field<{ renameType?: string; relationType?: string; relation?: RangeVar }>(
    stmt,
    'RenameStmt'
  )
  if (
    rename?.renameType === 'OBJECT_TABLE' ||
    rename?.renameType === 'OBJECT_TABCONSTRAINT' ||
    (rename?.renameType === 'OBJECT_COLUMN' && rename.relationType === 'OBJECT_TABLE')
  )
    return [tableName(rename.relation)]
  const move = field<{ objectType?: string; relation?: RangeVar }>(stmt, 'AlterObjectSchemaStmt')
  if (move?.objectType === 'OBJECT_TABLE') return [tableName(move.relation)]
  const index = field<{ relation?: RangeVar; concurrent?: boolean }>(stmt, 'IndexStmt')
  if (index) return index.concurrent ? undefined : [tableName(index.relation)]
  const drop = field<{ objects?: unknown[]; removeType?: string; concurrent?: boolean }>(
    stmt,
    'DropStmt'
  )
  if (
    drop?.removeType === 'OBJECT_TABLE' ||
    (drop?.removeType === 'OBJECT_INDEX' && !drop.concurrent)
  )
    return objectNames(list(drop.objects)).map(qualified)
  if (drop?.removeType === 'OBJECT_TRIGGER')
    return objectNames(list(drop.objects)).map((names) => qualified(names.slice(0, -1)))
  const relations = (v: unknown) => list(v).map((r) => tableName(field<RangeVar>(r, 'RangeVar')))
  const truncate = field<{ relations?: unknown[] }>(stmt, 'TruncateStmt')
  if (truncate) return relations(truncate.relations)
  const reindex = field<{ relation?: RangeVar; name?: string; params?: unknown[] }>(
    stmt,
    'ReindexStmt'
  )
  if (reindex && !hasOption(reindex.params, 'concurrently'))
    return [reindex.relation ? tableName(reindex.relation) : quoteIdent(reindex.name ?? '')]
  const cluster = field<{ relation?: RangeVar }>(stmt, 'ClusterStmt')
  if (cluster) return [tableName(cluster.relation)]
  const vacuum = field<{ options?: unknown[]; rels?: unknown[]; is_vacuumcmd?: boolean }>(
    stmt,
    'VacuumStmt'
  )
  if (vacuum?.is_vacuumcmd && hasOption(vacuum.options, 'full')) {
    const rels = list(vacuum.rels).map((r) =>
      tableName(field<{ relation?: RangeVar }>(r, 'VacuumRelation')?.relation)
    )
    return rels.length ? rels : ['']
  }
  const lock = field<{ relations?: unknown[]; mode?: number }>(stmt, 'LockStmt')
  if (lock && (lock.mode ?? 8) >= SHARE_LOCK) return relations(lock.relations)
  const trigger = field<{ relation?: RangeVar }>(stmt, 'CreateTrigStmt')
  if (trigger) return [tableName(trigger.relation)]
  return undefined
}

/** PostgreSQL's lock modes are numbered from AccessShareLock (1) to AccessExclusiveLock (8). */
const SHARE_LOCK = 5

/** The rules one top-level statement breaks, whatever the file did before. */
function statementHits(stmt: Node, state: FileState): Hit[] {
  const alter = field<{ relation?: RangeVar; cmds?: unknown[]; objtype?: string }>(
    stmt,
    'AlterTableStmt'
  )
  if (alter && alter.objtype === 'OBJECT_TABLE') {
    const table = tableName(alter.relation)
    const statement = new Set<string>()
    const hits = list(alter.cmds).flatMap((cmd) => alterHits(table, cmd as Node, state, statement))
    // a NOT VALID constraint added in a transaction is validated in another one, or it is a hit
    if (state.inTransaction) for (const k of statement) state.notValid.add(k)
    return hits
  }
  const drop = field<{ objects?: unknown[]; removeType?: string; concurrent?: boolean }>(
    stmt,
    'DropStmt'
  )
  if (drop?.removeType === 'OBJECT_TABLE') {
    return objectNames(list(drop.objects)).map((names) => ({
      rule: 'drop-table' as const,
      table: qualified(names)
    }))
  }
  if (drop?.removeType === 'OBJECT_INDEX') {
    return objectNames(list(drop.objects))
      .map((names) =>
        drop.concurrent
          ? {
              rule: 'concurrent-index-in-transaction' as const,
              table: qualified(names),
              name: qualified(names),
              cause: 'DROP INDEX CONCURRENTLY'
            }
          : { rule: 'require-concurrent-index-drop' as const, table: qualified(names) }
      )
      .filter((h) => h.rule !== 'concurrent-index-in-transaction' || state.inTransaction)
  }
  const dropdb = field<{ dbname?: string }>(stmt, 'DropdbStmt')
  if (dropdb) return [{ rule: 'drop-database', table: '', name: quoteIdent(dropdb.dbname ?? '') }]
  const truncate = field<{ relations?: unknown[] }>(stmt, 'TruncateStmt')
  if (truncate) {
    return list(truncate.relations).map((r) => ({
      rule: 'truncate' as const,
      table: tableName(field<RangeVar>(r, 'RangeVar'))
    }))
  }
  const del = field<{ relation?: RangeVar; whereClause?: unknown }>(stmt, 'DeleteStmt')
  if (del && !del.whereClause)
    return [{ rule: 'delete-without-where', table: tableName(del.relation) }]
  const update = field<{ relation?: RangeVar; whereClause?: unknown }>(stmt, 'UpdateStmt')
  if (update && !update.whereClause)
    return [{ rule: 'update-without-where', table: tableName(update.relation) }]
  const rename = field<{
    renameType?: string
    relation?: RangeVar
    subname?: string
    newname?: string
  }>(stmt, 'RenameStmt')
  if (rename?.renameType === 'OBJECT_TABLE')
    return [
      {
        rule: 'rename-table',
        table: tableName(rename.relation),
        to: quoteIdent(rename.newname ?? '')
      }
    ]
  if (rename?.renameType === 'OBJECT_COLUMN')
    return [
      {
        rule: 'rename-column',
        table: tableName(rename.relation),
        name: quoteIdent(rename.subname ?? ''),
        to: quoteIdent(rename.newname ?? '')
      }
    ]
  const index = field<{ relation?: RangeVar; idxname?: string; concurrent?: boolean }>(
    stmt,
    'IndexStmt'
  )
  if (index) {
    const table = tableName(index.relation)
    const name = index.idxname ? quoteIdent(index.idxname) : undefined
    if (!index.concurrent) return [{ rule: 'require-concurrent-index', table, name }]
    if (state.inTransaction)
      return [
        {
          rule: 'concurrent-index-in-transaction',
          table,
          name: name ?? `ON ${table}`,
          cause: 'CREATE INDEX CONCURRENTLY'
        }
      ]
  }
  return []
}

/** Rules that hold whatever the table: they fail the migration itself, new table or not. */
const ALWAYS: RuleId[] = ['drop-database', 'concurrent-index-in-transaction']

/**
 * Every rule one top-level statement breaks, given what the file did before it (`state`,
 * which this call then moves past the statement). Statements on a table created earlier in
 * the file are no risk: it has no rows yet, and no running code reads it.
 */
export function hitsOf(stmt: Node, state: FileState): Hit[] {
  const fresh = (table: string) => state.created.has(table)
  const hits = statementHits(stmt, state).filter((h) => ALWAYS.includes(h.rule) || !fresh(h.table))
  if (!state.lockTimeout && !state.lockTimeoutReported) {
    const table = lockedTables(stmt)?.find((t) => !fresh(t))
    if (table !== undefined) {
      state.lockTimeoutReported = true
      hits.push({ rule: 'missing-lock-timeout', table })
    }
  }
  state.after(stmt)
  return hits
}
