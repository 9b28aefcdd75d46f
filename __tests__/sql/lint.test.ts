import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { lintMigration } from '../../src/sql/lint.js'
import { RULE_IDS, RULES, type RuleId } from '../../src/sql/rules.js'

/**
 * Every rule of DESIGN.md section 5 with SQL that breaks it and a safe counterpart that does
 * not: the lint reads PostgreSQL's own parse tree, so words in strings, comments and function
 * bodies never count.
 */
const CASES: Array<{ rule: RuleId; bad: string; safe: string }> = [
  { rule: 'drop-table', bad: 'DROP TABLE legacy_orders;', safe: 'DROP INDEX legacy_orders_idx;' },
  {
    rule: 'drop-column',
    bad: 'ALTER TABLE users DROP COLUMN email;',
    safe: 'ALTER TABLE users ADD COLUMN email2 text;'
  },
  {
    rule: 'truncate',
    bad: 'TRUNCATE sessions;',
    safe: "DELETE FROM sessions WHERE ended_at < now() - interval '30 days';"
  },
  {
    rule: 'delete-without-where',
    bad: 'DELETE FROM sessions;',
    safe: 'DELETE FROM sessions WHERE id = 1;'
  },
  {
    rule: 'update-without-where',
    bad: "UPDATE users SET plan = 'free';",
    safe: "UPDATE users SET plan = 'free' WHERE plan IS NULL;"
  },
  {
    rule: 'change-column-type',
    bad: 'ALTER TABLE users ALTER COLUMN name TYPE varchar(20);',
    safe: 'ALTER TABLE users ADD COLUMN name_short varchar(20);'
  },
  {
    rule: 'rename-table',
    bad: 'ALTER TABLE users RENAME TO customers;',
    safe: 'CREATE VIEW customers AS SELECT * FROM users;'
  },
  {
    rule: 'rename-column',
    bad: 'ALTER TABLE users RENAME COLUMN mail TO email;',
    safe: 'ALTER TABLE users ADD COLUMN email text;'
  },
  {
    rule: 'add-required-column',
    bad: 'ALTER TABLE users ADD COLUMN plan text NOT NULL;',
    safe: "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';"
  },
  {
    rule: 'set-not-null',
    bad: 'ALTER TABLE users ALTER COLUMN plan SET NOT NULL;',
    safe: 'ALTER TABLE users ADD CONSTRAINT plan_nn CHECK (plan IS NOT NULL) NOT VALID;'
  },
  {
    rule: 'require-concurrent-index',
    bad: 'CREATE INDEX users_email ON users (email);',
    safe: 'CREATE INDEX CONCURRENTLY users_email ON users (email);'
  },
  {
    rule: 'require-not-valid',
    bad: 'ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id);',
    safe: 'ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;'
  }
]

const rulesOf = async (sql: string) =>
  (await lintMigration('m.sql', sql, 'en')).findings.map((f) => f.rule)

describe('lintMigration: one case per rule', () => {
  it('covers every rule', () => {
    expect(CASES.map((c) => c.rule).sort()).toEqual([...RULE_IDS].sort())
  })

  it.each(CASES)('$rule: the bad statement is found, the safe one passes', async (c) => {
    expect(await rulesOf(c.bad)).toEqual([c.rule])
    expect(await rulesOf(c.safe)).toEqual([])
  })

  it.each(CASES)('$rule: found inside BEGIN ... COMMIT, on its own line', async (c) => {
    const sql = `BEGIN;\n-- a comment\n${c.bad}\nCOMMIT;\n`
    const { findings } = await lintMigration('m.sql', sql, 'en')
    expect(findings).toEqual([
      expect.objectContaining({
        file: 'm.sql',
        line: 3,
        rule: c.rule,
        severity: RULES[c.rule].severity
      })
    ])
    expect(findings[0]?.safer).toBe(RULES[c.rule].en.safer)
  })

  it('the five that lose data are errors, the others warnings', () => {
    const errors = RULE_IDS.filter((r) => RULES[r].severity === 'error')
    expect(errors.sort()).toEqual(
      [
        'change-column-type',
        'delete-without-where',
        'drop-column',
        'drop-table',
        'truncate',
        'update-without-where'
      ].sort()
    )
  })
})

describe('lintMigration: what is not a statement', () => {
  it('words in comments, strings and dollar-quoted function bodies are not statements', async () => {
    const sql = [
      '-- DROP TABLE users;',
      '/* TRUNCATE orders; DELETE FROM users; */',
      "INSERT INTO notes (body) VALUES ('DROP TABLE users; ALTER TABLE x DROP COLUMN y');",
      'CREATE FUNCTION purge() RETURNS void LANGUAGE plpgsql AS $body$',
      'BEGIN',
      '  DROP TABLE scratch;',
      '  DELETE FROM sessions;',
      'END',
      '$body$;',
      "DO $$ BEGIN EXECUTE 'DROP TABLE users'; END $$;"
    ].join('\n')
    expect(await rulesOf(sql)).toEqual([])
  })

  it('quoted identifiers are named as written, quotes and all', async () => {
    const { findings } = await lintMigration(
      'm.sql',
      'ALTER TABLE "Users" DROP COLUMN "E-mail";',
      'en'
    )
    expect(findings[0]?.detail).toBe('DROP COLUMN "Users"."E-mail" deletes the column and its data')
  })

  it('names schema-qualified tables with their schema', async () => {
    const { findings } = await lintMigration('m.sql', 'DROP TABLE app.users, logs;', 'en')
    expect(findings.map((f) => f.detail)).toEqual([
      'DROP TABLE app.users deletes the table and every row in it',
      'DROP TABLE logs deletes the table and every row in it'
    ])
  })

  it('a table created earlier in the same file is new: its index and columns are no risk', async () => {
    const sql = [
      'CREATE TABLE exports (id bigint PRIMARY KEY, user_id bigint);',
      'CREATE INDEX exports_user ON exports (user_id);',
      'ALTER TABLE exports ADD COLUMN kind text NOT NULL;',
      'CREATE INDEX users_mail ON users (mail);'
    ].join('\n')
    const { findings } = await lintMigration('m.sql', sql, 'en')
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['require-concurrent-index', 4]])
  })

  it('a REFERENCES or CHECK written inline in ADD COLUMN is a constraint added validated', async () => {
    expect(
      await rulesOf('ALTER TABLE orders ADD COLUMN user_id int REFERENCES users (id);')
    ).toEqual(['require-not-valid'])
    expect(await rulesOf('ALTER TABLE orders ADD COLUMN n int CHECK (n > 0);')).toEqual([
      'require-not-valid'
    ])
    expect(await rulesOf('ALTER TABLE orders ADD COLUMN user_id int;')).toEqual([])
  })

  it('CREATE TABLE IF NOT EXISTS may meet an old table: it is not taken as new', async () => {
    const sql = 'CREATE TABLE IF NOT EXISTS users (id int);\nALTER TABLE users DROP COLUMN mail;'
    expect(await rulesOf(sql)).toEqual(['drop-column'])
  })

  it('one statement can break several rules, each a finding on its line', async () => {
    const sql = 'SELECT 1;\n\nALTER TABLE users\n  DROP COLUMN a,\n  ALTER COLUMN b SET NOT NULL;'
    const { findings } = await lintMigration('m.sql', sql, 'en')
    expect(findings.map((f) => [f.rule, f.line])).toEqual([
      ['drop-column', 3],
      ['set-not-null', 3]
    ])
  })

  it('counts lines right after text that is not ASCII', async () => {
    const sql = "-- é, ü, 日本\nINSERT INTO t VALUES ('café');\nTRUNCATE t;"
    const { findings } = await lintMigration('m.sql', sql, 'en')
    expect(findings.map((f) => f.line)).toEqual([3])
  })

  it('an empty file or one of comments only has nothing to find', async () => {
    expect(await rulesOf('')).toEqual([])
    expect(await rulesOf('-- nothing yet\n')).toEqual([])
  })
})

describe('lintMigration: allow comments', () => {
  it('allows the named rule on the statement of the next line, and says so', async () => {
    const sql =
      'BEGIN;\n-- red-button: allow drop-column\nALTER TABLE users DROP COLUMN email;\nCOMMIT;'
    const { findings } = await lintMigration('m.sql', sql, 'en')
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'drop-column', line: 3, allowed: true })
    ])
  })

  it('allows only the rules it names, and only for the next line', async () => {
    const sql = [
      '-- red-button: allow drop-table',
      'ALTER TABLE users DROP COLUMN email;',
      '-- red-button: allow drop-column',
      '',
      'ALTER TABLE users DROP COLUMN phone;',
      '-- red-button: allow drop-column, truncate',
      'TRUNCATE audit;'
    ].join('\n')
    const { findings } = await lintMigration('m.sql', sql, 'en')
    expect(findings.map((f) => [f.line, f.rule, Boolean(f.allowed)])).toEqual([
      [2, 'drop-column', false],
      [5, 'drop-column', false],
      [7, 'truncate', true]
    ])
  })

  it('a block comment or a comment inside a string allows nothing', async () => {
    const sql = [
      '/* red-button: allow drop-column */',
      'ALTER TABLE users DROP COLUMN email;',
      "SELECT '-- red-button: allow truncate';",
      'TRUNCATE t;'
    ].join('\n')
    const { findings } = await lintMigration('m.sql', sql, 'en')
    expect(findings.map((f) => Boolean(f.allowed))).toEqual([false, false])
  })
})

describe('lintMigration: files that do not parse', () => {
  it('names the file and the line of the error', async () => {
    const r = await lintMigration(
      'db/042.sql',
      'SELECT 1;\n\nALTER TABLE users DROPP COLUMN x;',
      'en'
    )
    expect(r.parseError).toEqual({
      file: 'db/042.sql',
      line: 3,
      message: expect.stringContaining('syntax error')
    })
    expect(r.findings).toEqual([])
  })
})

describe('lintMigration: wording', () => {
  it('speaks French when asked', async () => {
    const { findings } = await lintMigration('m.sql', 'TRUNCATE t;', 'fr')
    expect(findings[0]).toMatchObject({
      detail: 'TRUNCATE t supprime toutes les lignes',
      safer: RULES.truncate.fr.safer
    })
  })
})

describe("the demo's migrations", () => {
  const dir = join('examples', 'demo', 'migrations')
  const ups = readdirSync(dir).flatMap((v) =>
    readdirSync(join(dir, v))
      .filter((f) => f.endsWith('.up.sql'))
      .map((f) => join(dir, v, f))
  )

  it('v1 and v2 pass; v3 adds a foreign key inline (a warning) and drops orders.customer', async () => {
    const found: Record<string, string[]> = {}
    for (const file of ups) {
      const r = await lintMigration(file, readFileSync(file, 'utf8'), 'en')
      expect(r.parseError).toBeUndefined()
      found[file] = r.findings.map((f) => `${f.line} ${f.rule}`)
    }
    expect(found).toEqual({
      [join(dir, 'v1', '001_create_orders.up.sql')]: [],
      [join(dir, 'v2', '001_add_coupon.up.sql')]: [],
      [join(dir, 'v3', '001_customers.up.sql')]: ['6 require-not-valid', '8 drop-column']
    })
  })
})
