import type { Language } from '../settings/schema.js'

/**
 * What a migration statement does that a careful release manager wants to know before it
 * runs: it loses data (an error under `migration-lint: error`) or it locks a table for long
 * (a warning). Rules in the spirit of squawk and strong_migrations (DESIGN.md section 5),
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

/** An identifier as it would be written back: quoted when it needs quotes. */
function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`
}

function tableName(rv: RangeVar | undefined): string {
  const parts = [rv?.schemaname, rv?.relname].filter((p): p is string => Boolean(p))
  return parts.map(quoteIdent).join('.')
}

/** The tables a statement creates (new tables hold no rows and no running code reads them). */
export function createdTables(stmt: Node): string[] {
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
  constraints?: unknown[]
}
interface Constraint {
  contype?: string
  conname?: string
  skip_validation?: boolean
}

function constraintTypes(def: ColumnDef | undefined): string[] {
  return list(def?.constraints).map((c) => field<Constraint>(c, 'Constraint')?.contype ?? '')
}

/** What one ALTER TABLE subcommand does. */
function alterHits(table: string, cmd: Node): Hit[] {
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
      const types = constraintTypes(def)
      const name = quoteIdent(def?.colname ?? '')
      const required = types.some((t) => t === 'CONSTR_NOTNULL' || t === 'CONSTR_PRIMARY')
      const filled = types.some((t) =>
        ['CONSTR_DEFAULT', 'CONSTR_IDENTITY', 'CONSTR_GENERATED'].includes(t)
      )
      const hits: Hit[] = []
      if (required && !filled) hits.push({ rule: 'add-required-column', table, name })
      // an inline REFERENCES or CHECK is a constraint added validated: it cannot be NOT VALID
      if (types.some((t) => t === 'CONSTR_FOREIGN' || t === 'CONSTR_CHECK'))
        hits.push({ rule: 'require-not-valid', table, name })
      return hits
    }
    case 'AT_AddConstraint': {
      const con = field<Constraint>(c.def, 'Constraint')
      const validates =
        (con?.contype === 'CONSTR_FOREIGN' || con?.contype === 'CONSTR_CHECK') &&
        !con.skip_validation
      return validates
        ? [
            {
              rule: 'require-not-valid',
              table,
              name: con.conname ? quoteIdent(con.conname) : undefined
            }
          ]
        : []
    }
    default:
      return []
  }
}

/** Every rule one top-level statement breaks. */
export function hitsOf(stmt: Node): Hit[] {
  const alter = field<{ relation?: RangeVar; cmds?: unknown[]; objtype?: string }>(
    stmt,
    'AlterTableStmt'
  )
  if (alter && alter.objtype === 'OBJECT_TABLE') {
    const table = tableName(alter.relation)
    return list(alter.cmds).flatMap((cmd) => alterHits(table, cmd as Node))
  }
  const drop = field<{ objects?: unknown[]; removeType?: string }>(stmt, 'DropStmt')
  if (drop?.removeType === 'OBJECT_TABLE') {
    return list(drop.objects).map((o) => ({
      rule: 'drop-table' as const,
      table: list(field<{ items?: unknown[] }>(o, 'List')?.items)
        .map((s) => quoteIdent(field<{ sval?: string }>(s, 'String')?.sval ?? ''))
        .join('.')
    }))
  }
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
  if (index && !index.concurrent)
    return [
      {
        rule: 'require-concurrent-index',
        table: tableName(index.relation),
        name: index.idxname ? quoteIdent(index.idxname) : undefined
      }
    ]
  return []
}
