import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { lintMigration } from '../../src/sql/lint.js'
import { RULE_IDS, RULES, type RuleId } from '../../src/sql/rules.js'

/**
 * Every rule of docs/design.md section 5 with SQL that breaks it and a safe counterpart that does
 * not: the lint reads PostgreSQL's own parse tree, so words in strings, comments and function
 * bodies never count. Each snippet runs after `SET lock_timeout` (but that rule's own), so
 * that it shows its rule alone.
 */
const CASES: Array<{ rule: RuleId; bad: string; safe: string }> = [
  {
    rule: 'drop-table',
    bad: 'DROP TABLE legacy_orders;',
    safe: 'DROP INDEX CONCURRENTLY legacy_orders_idx;'
  },
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
  },
  {
    rule: 'drop-database',
    bad: 'DROP DATABASE shop;',
    safe: "ALTER DATABASE shop SET lock_timeout = '5s';"
  },
  {
    rule: 'concurrent-index-in-transaction',
    bad: 'BEGIN;\nCREATE INDEX CONCURRENTLY users_email ON users (email);\nCOMMIT;',
    safe: 'CREATE INDEX CONCURRENTLY users_email ON users (email);'
  },
  {
    rule: 'rewrite-table',
    bad: 'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();',
    safe: 'ALTER TABLE users ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();'
  },
  {
    rule: 'add-unique-constraint',
    bad: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
    safe: [
      'CREATE UNIQUE INDEX CONCURRENTLY users_email_idx ON users (email);',
      'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;'
    ].join('\n')
  },
  {
    rule: 'require-concurrent-index-drop',
    bad: 'DROP INDEX users_email;',
    safe: 'DROP INDEX CONCURRENTLY users_email;'
  },
  {
    rule: 'validate-in-same-transaction',
    bad: [
      'BEGIN;',
      'ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
      'ALTER TABLE orders VALIDATE CONSTRAINT orders_user;',
      'COMMIT;'
    ].join('\n'),
    safe: [
      'BEGIN;',
      'ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
      'COMMIT;',
      'BEGIN;',
      'ALTER TABLE orders VALIDATE CONSTRAINT orders_user;',
      'COMMIT;'
    ].join('\n')
  },
  {
    rule: 'missing-lock-timeout',
    bad: 'ALTER TABLE users ADD COLUMN note text;',
    safe: "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN note text;"
  }
]

const TIMEOUT = "SET lock_timeout = '5s';"
/** `sql` after a lock_timeout, unless it is the case of the rule that wants one. */
const timed = (rule: RuleId, sql: string) =>
  rule === 'missing-lock-timeout' ? sql : `${TIMEOUT}\n${sql}`

const rulesOf = async (sql: string) =>
  (await lintMigration('m.sql', sql, 'en')).findings.map((f) => f.rule)
/** the rules found after a lock_timeout is set */
const timedRulesOf = (sql: string) => rulesOf(`${TIMEOUT}\n${sql}`)

describe('lintMigration: one case per rule', () => {
  it('covers every rule', () => {
    expect(CASES.map((c) => c.rule).sort()).toEqual([...RULE_IDS].sort())
    expect(RULE_IDS).toHaveLength(19)
  })

  it.each(CASES)('$rule: the bad statement is found, the safe one passes', async (c) => {
    expect(await rulesOf(timed(c.rule, c.bad))).toEqual([c.rule])
    expect(await rulesOf(timed(c.rule, c.safe))).toEqual([])
  })

  it.each(CASES.filter((c) => !c.bad.startsWith('BEGIN')))(
    '$rule: found inside BEGIN ... COMMIT, on its own line',
    async (c) => {
      const before = c.rule === 'missing-lock-timeout' ? '' : `${TIMEOUT} `
      const sql = `${before}BEGIN;\n-- a comment\n${c.bad}\nCOMMIT;\n`
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
    }
  )

  it.each(CASES)('$rule: allowed in place by the comment on the line before', async (c) => {
    const sql = timed(c.rule, c.bad)
    const at = ((await lintMigration('m.sql', sql, 'fr')).findings[0]?.line ?? 0) - 1
    const lines = sql.split('\n')
    lines.splice(at, 0, `-- red-button: allow ${c.rule}`)
    const { findings } = await lintMigration('m.sql', lines.join('\n'), 'fr')
    expect(findings).toEqual([
      expect.objectContaining({ rule: c.rule, line: at + 2, allowed: true })
    ])
    expect(findings[0]?.safer).toBe(RULES[c.rule].fr.safer)
  })

  it('the five that lose data, DROP DATABASE and an index that cannot run are errors, the others warnings', () => {
    const errors = RULE_IDS.filter((r) => RULES[r].severity === 'error')
    expect(errors.sort()).toEqual(
      [
        'change-column-type',
        'concurrent-index-in-transaction',
        'delete-without-where',
        'drop-column',
        'drop-database',
        'drop-table',
        'truncate',
        'update-without-where'
      ].sort()
    )
  })

  it("each peer's recipe passes as a whole file", async () => {
    const sql = [
      "SET lock_timeout = '5s';",
      // squawk's and strong_migrations' unique constraint: the index first, concurrently
      'CREATE UNIQUE INDEX CONCURRENTLY users_email_idx ON users (email);',
      'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;',
      'CREATE UNIQUE INDEX CONCURRENTLY accounts_pkey_idx ON accounts (id);',
      'ALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_pkey_idx;',
      // a foreign key and a check NOT VALID, validated in a transaction of their own
      'BEGIN;',
      'ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
      'ALTER TABLE orders ADD CONSTRAINT orders_total CHECK (total >= 0) NOT VALID;',
      'COMMIT;',
      'BEGIN;',
      'ALTER TABLE orders VALIDATE CONSTRAINT orders_user;',
      'ALTER TABLE orders VALIDATE CONSTRAINT orders_total;',
      'COMMIT;',
      // a column that needs a new value per row: added empty, its default for new rows only
      'ALTER TABLE users ADD COLUMN token uuid;',
      'ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();',
      'UPDATE users SET token = gen_random_uuid() WHERE id BETWEEN 1 AND 1000;',
      'DROP INDEX CONCURRENTLY users_old_idx;'
    ].join('\n')
    expect(await rulesOf(sql)).toEqual([])
  })
})

describe('drop-database and concurrent-index-in-transaction', () => {
  it('names the database', async () => {
    const { findings } = await lintMigration('m.sql', 'DROP DATABASE IF EXISTS "Shop";', 'en')
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'drop-database',
        severity: 'error',
        detail: 'DROP DATABASE "Shop" deletes the whole database'
      })
    ])
  })

  it('CREATE and DROP INDEX CONCURRENTLY between BEGIN (or START TRANSACTION) and COMMIT fail', async () => {
    const sql = [
      'START TRANSACTION;',
      'CREATE INDEX CONCURRENTLY ON users (email);',
      'DROP INDEX CONCURRENTLY app.users_mail;',
      'COMMIT;'
    ].join('\n')
    const { findings } = await lintMigration('m.sql', sql, 'en')
    expect(findings.map((f) => [f.line, f.rule, f.detail])).toEqual([
      [
        2,
        'concurrent-index-in-transaction',
        'CREATE INDEX CONCURRENTLY ON users inside BEGIN ... COMMIT fails when it runs: PostgreSQL refuses it in a transaction block'
      ],
      [
        3,
        'concurrent-index-in-transaction',
        'DROP INDEX CONCURRENTLY app.users_mail inside BEGIN ... COMMIT fails when it runs: PostgreSQL refuses it in a transaction block'
      ]
    ])
  })

  it('the transaction ends at COMMIT, END, ROLLBACK or PREPARE TRANSACTION; not at a savepoint; AND CHAIN goes on', async () => {
    const index = 'CREATE INDEX CONCURRENTLY i ON t (c);'
    const inside = async (...lines: string[]) =>
      (await rulesOf([...lines, index].join('\n'))).includes('concurrent-index-in-transaction')
    expect(await inside('BEGIN;', 'COMMIT;')).toBe(false)
    expect(await inside('BEGIN;', 'END;')).toBe(false)
    expect(await inside('BEGIN;', 'ROLLBACK;')).toBe(false)
    expect(await inside('BEGIN;', "PREPARE TRANSACTION 'm1';")).toBe(false)
    expect(await inside('BEGIN;', 'SAVEPOINT a;', 'ROLLBACK TO SAVEPOINT a;')).toBe(true)
    expect(await inside('BEGIN;', 'SAVEPOINT a;', 'RELEASE SAVEPOINT a;')).toBe(true)
    expect(await inside('BEGIN;', 'COMMIT AND CHAIN;')).toBe(true)
    expect(await inside('BEGIN ISOLATION LEVEL SERIALIZABLE;')).toBe(true)
    expect(await inside()).toBe(false)
  })

  it('fails on a table created in the same transaction too: PostgreSQL refuses it all the same', async () => {
    const sql = 'BEGIN;\nCREATE TABLE t (c int);\nCREATE INDEX CONCURRENTLY i ON t (c);\nCOMMIT;'
    expect(await rulesOf(sql)).toEqual(['concurrent-index-in-transaction'])
  })

  it('a word in a function body is no transaction', async () => {
    const sql = [
      'CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM 1; END $$;',
      'CREATE INDEX CONCURRENTLY i ON t (c);'
    ].join('\n')
    expect(await rulesOf(sql)).toEqual([])
  })
})

describe('rewrite-table', () => {
  const rewrites = async (column: string) => {
    const { findings } = await lintMigration(
      'm.sql',
      `${TIMEOUT}\nALTER TABLE users ADD COLUMN ${column};`,
      'en'
    )
    return findings.map((f) => (f.rule === 'rewrite-table' ? f.detail : f.rule))
  }
  const says = (cause: string) =>
    `ADD COLUMN users.c with ${cause} rewrites the whole table under an exclusive lock (reads and writes wait)`

  it('a volatile DEFAULT, at any depth of the expression, names its function', async () => {
    expect(await rewrites('c double precision DEFAULT random()')).toEqual([
      says('DEFAULT random()')
    ])
    expect(await rewrites('c int NOT NULL DEFAULT (random() * 100)::int')).toEqual([
      says('DEFAULT random()')
    ])
    expect(await rewrites('c timestamptz DEFAULT clock_timestamp()')).toEqual([
      says('DEFAULT clock_timestamp()')
    ])
    expect(await rewrites("c bigint DEFAULT nextval('users_c_seq')")).toEqual([
      says('DEFAULT nextval()')
    ])
    expect(await rewrites('c text DEFAULT timeofday()')).toEqual([says('DEFAULT timeofday()')])
    expect(await rewrites('c uuid DEFAULT pg_catalog.gen_random_uuid()')).toEqual([
      says('DEFAULT pg_catalog.gen_random_uuid()')
    ])
    expect(await rewrites("c text DEFAULT md5(random()::text) || 'x'")).toEqual([
      says('DEFAULT random()')
    ])
  })

  it("a function PostgreSQL does not define is volatile: a user's, an extension's", async () => {
    expect(await rewrites('c uuid DEFAULT uuid_generate_v4()')).toEqual([
      says('DEFAULT uuid_generate_v4()')
    ])
    expect(await rewrites('c text DEFAULT app.next_code()')).toEqual([
      says('DEFAULT app.next_code()')
    ])
  })

  it('stable and immutable defaults are stored once: now(), CURRENT_TIMESTAMP, constants', async () => {
    for (const column of [
      'c timestamptz NOT NULL DEFAULT now()',
      'c timestamptz DEFAULT statement_timestamp()',
      'c timestamptz DEFAULT CURRENT_TIMESTAMP',
      "c timestamptz DEFAULT now() + interval '1 day'",
      "c text NOT NULL DEFAULT lower('FREE')",
      "c jsonb DEFAULT jsonb_build_object('a', 1)",
      "c text DEFAULT 'free'",
      'c int DEFAULT 0',
      'c int GENERATED ALWAYS AS (1) VIRTUAL'
    ])
      expect(await rewrites(column)).toEqual([])
  })

  it('serial, bigserial, identity and stored generated columns are filled by a rewrite', async () => {
    expect(await rewrites('c serial')).toEqual([says('serial')])
    expect(await rewrites('c bigserial NOT NULL')).toEqual([says('bigserial')])
    expect(await rewrites('c smallserial')).toEqual([says('smallserial')])
    expect(await rewrites('c bigint GENERATED ALWAYS AS IDENTITY')).toEqual([
      says('GENERATED AS IDENTITY')
    ])
    expect(await rewrites('c int GENERATED ALWAYS AS (a + 1) STORED')).toEqual([
      says('GENERATED ... STORED')
    ])
  })

  it('is reported instead of add-required-column, which is not what is wrong with a serial', async () => {
    expect(await rewrites('c serial NOT NULL')).toEqual([says('serial')])
    expect(await rewrites('c uuid NOT NULL DEFAULT gen_random_uuid()')).toEqual([
      says('DEFAULT gen_random_uuid()')
    ])
    expect(await rewrites('c int NOT NULL')).toEqual(['add-required-column'])
  })

  it('a table created earlier in the file has no rows to rewrite', async () => {
    const sql = 'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN c serial;'
    expect(await rulesOf(sql)).toEqual([])
  })
})

describe('add-unique-constraint', () => {
  it('UNIQUE and PRIMARY KEY added, by constraint or inline on a new column, not USING INDEX', async () => {
    const sql = [
      TIMEOUT,
      'ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY (id);',
      'ALTER TABLE users ADD UNIQUE (email);',
      'ALTER TABLE users ADD COLUMN handle text UNIQUE;',
      'ALTER TABLE users ADD CONSTRAINT users_mail_key UNIQUE USING INDEX users_mail_idx;',
      'ALTER TABLE users ADD CONSTRAINT users_pk PRIMARY KEY USING INDEX users_pk_idx;'
    ].join('\n')
    const { findings } = await lintMigration('m.sql', sql, 'en')
    expect(findings.map((f) => [f.line, f.rule, f.detail])).toEqual([
      [
        2,
        'add-unique-constraint',
        'PRIMARY KEY users_pkey added to users builds its index while reads and writes wait'
      ],
      [
        3,
        'add-unique-constraint',
        'UNIQUE added to users builds its index while reads and writes wait'
      ],
      [
        4,
        'add-unique-constraint',
        'UNIQUE handle added to users builds its index while reads and writes wait'
      ]
    ])
  })

  it('a serial primary key added to a table is a rewrite and an index built under lock', async () => {
    expect(await timedRulesOf('ALTER TABLE users ADD COLUMN id serial PRIMARY KEY;')).toEqual([
      'rewrite-table',
      'add-unique-constraint'
    ])
  })

  it('on a table created in the file, nothing waits', async () => {
    const sql = 'CREATE TABLE t (a int);\nALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY (a);'
    expect(await rulesOf(sql)).toEqual([])
  })
})

describe('require-concurrent-index-drop', () => {
  it('each index of DROP INDEX without CONCURRENTLY, as written', async () => {
    const { findings } = await lintMigration(
      'm.sql',
      `${TIMEOUT}\nDROP INDEX IF EXISTS app.users_mail, users_name;`,
      'en'
    )
    expect(findings.map((f) => f.detail)).toEqual([
      'DROP INDEX app.users_mail without CONCURRENTLY blocks reads and writes on its table until it is done',
      'DROP INDEX users_name without CONCURRENTLY blocks reads and writes on its table until it is done'
    ])
  })

  it('an index made in the file on a table made in the file is no risk', async () => {
    const sql = [
      'CREATE TABLE app.t (a int);',
      'CREATE INDEX t_a ON app.t (a);',
      'DROP INDEX app.t_a;',
      'DROP INDEX app.other;'
    ].join('\n')
    const { findings } = await lintMigration('m.sql', sql, 'en')
    expect(findings.map((f) => [f.line, f.rule])).toEqual([
      [4, 'require-concurrent-index-drop'],
      [4, 'missing-lock-timeout']
    ])
  })
})

describe('validate-in-same-transaction', () => {
  const ADD = 'ALTER TABLE orders ADD CONSTRAINT c CHECK (total >= 0) NOT VALID;'
  const VALIDATE = 'ALTER TABLE orders VALIDATE CONSTRAINT c;'

  it('VALIDATE of a NOT VALID added in the same transaction, named', async () => {
    const { findings } = await lintMigration(
      'm.sql',
      `${TIMEOUT}\nBEGIN;\n${ADD}\nSELECT 1;\n${VALIDATE}\nCOMMIT;`,
      'en'
    )
    expect(findings).toEqual([
      expect.objectContaining({
        line: 5,
        rule: 'validate-in-same-transaction',
        detail:
          "VALIDATE CONSTRAINT c on orders runs in the transaction of its ADD ... NOT VALID: the ADD's lock is held while every row is checked"
      })
    ])
  })

  it('one ALTER TABLE is one transaction, even outside BEGIN', async () => {
    const sql =
      'ALTER TABLE orders ADD CONSTRAINT c CHECK (total >= 0) NOT VALID, VALIDATE CONSTRAINT c;'
    expect(await timedRulesOf(sql)).toEqual(['validate-in-same-transaction'])
  })

  it('outside a transaction, after COMMIT, or for another constraint or table, it passes', async () => {
    expect(await timedRulesOf(`${ADD}\n${VALIDATE}`)).toEqual([])
    expect(await timedRulesOf(`BEGIN;\n${ADD}\nCOMMIT;\n${VALIDATE}`)).toEqual([])
    expect(await timedRulesOf(`BEGIN;\n${ADD}\nROLLBACK;\nBEGIN;\n${VALIDATE}\nCOMMIT;`)).toEqual(
      []
    )
    expect(
      await timedRulesOf(`BEGIN;\n${ADD}\nALTER TABLE orders VALIDATE CONSTRAINT d;\nCOMMIT;`)
    ).toEqual([])
    expect(
      await timedRulesOf(`BEGIN;\n${ADD}\nALTER TABLE invoices VALIDATE CONSTRAINT c;\nCOMMIT;`)
    ).toEqual([])
  })
})

describe('missing-lock-timeout', () => {
  const ALTER = 'ALTER TABLE users ADD COLUMN note text;'
  const found = async (...lines: string[]) =>
    (await rulesOf(lines.join('\n'))).includes('missing-lock-timeout')

  it('once per file, at the first statement that locks an existing table, naming it', async () => {
    const sql = [
      'CREATE TABLE exports (id int);',
      'ALTER TABLE exports ADD COLUMN kind text;',
      'INSERT INTO users (id) VALUES (1);',
      ALTER,
      'ALTER TABLE orders ADD COLUMN note text;'
    ].join('\n')
    const { findings } = await lintMigration('m.sql', sql, 'en')
    expect(findings).toEqual([
      expect.objectContaining({
        line: 4,
        rule: 'missing-lock-timeout',
        severity: 'warning',
        detail:
          'no lock_timeout before this statement locks users: it would wait behind any long transaction, and all traffic to users would wait behind it'
      })
    ])
  })

  it.each([
    'ALTER TABLE users ADD COLUMN note text;',
    'ALTER TABLE users RENAME COLUMN a TO b;',
    'ALTER TABLE users RENAME CONSTRAINT a TO b;',
    'ALTER TABLE users SET SCHEMA archive;',
    'CREATE INDEX users_a ON users (a);',
    'CREATE UNIQUE INDEX users_a ON users (a);',
    'DROP INDEX users_a;',
    'DROP TABLE users;',
    'TRUNCATE users;',
    'REINDEX TABLE users;',
    'REINDEX INDEX users_a;',
    'CLUSTER users USING users_a;',
    'VACUUM FULL users;',
    'VACUUM (FULL, ANALYZE) users;',
    'LOCK TABLE users;',
    'LOCK TABLE users IN SHARE MODE;',
    'LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE;',
    'CREATE TRIGGER t BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();',
    'DROP TRIGGER t ON users;'
  ])('%s locks: found without a lock_timeout', async (sql) => {
    expect(await found(sql)).toBe(true)
    expect(await found(TIMEOUT, sql)).toBe(false)
  })

  it.each([
    'CREATE INDEX CONCURRENTLY users_a ON users (a);',
    'DROP INDEX CONCURRENTLY users_a;',
    'REINDEX TABLE CONCURRENTLY users;',
    'VACUUM users;',
    'ANALYZE users;',
    'LOCK TABLE users IN ROW EXCLUSIVE MODE;',
    'LOCK TABLE users IN SHARE UPDATE EXCLUSIVE MODE;',
    'INSERT INTO users (id) VALUES (1);',
    'UPDATE users SET a = 1 WHERE id = 1;',
    'CREATE TABLE t (a int);',
    'CREATE VIEW v AS SELECT 1;',
    'ALTER INDEX users_a RENAME TO users_b;'
  ])('%s does not lock writes for long: no finding', async (sql) => {
    expect(await found(sql)).toBe(false)
  })

  it('SET, SET SESSION and SET LOCAL in the transaction count; only before the statement', async () => {
    expect(await found("SET lock_timeout = '5s';", ALTER)).toBe(false)
    expect(await found("SET SESSION lock_timeout TO '2s';", ALTER)).toBe(false)
    expect(await found('SET lock_timeout = 5000;', ALTER)).toBe(false)
    expect(await found('BEGIN;', "SET LOCAL lock_timeout = '5s';", ALTER, 'COMMIT;')).toBe(false)
    expect(await found(ALTER, "SET lock_timeout = '5s';")).toBe(true)
  })

  it('SET LOCAL ends with its transaction and does nothing outside one', async () => {
    expect(await found('BEGIN;', "SET LOCAL lock_timeout = '5s';", 'COMMIT;', ALTER)).toBe(true)
    expect(await found("SET LOCAL lock_timeout = '5s';", ALTER)).toBe(true)
    // a session SET in a transaction rolled back is undone; committed, it stays
    expect(await found('BEGIN;', "SET lock_timeout = '5s';", 'ROLLBACK;', ALTER)).toBe(true)
    expect(await found('BEGIN;', "SET lock_timeout = '5s';", 'COMMIT;', ALTER)).toBe(false)
  })

  it('a lock_timeout of 0 waits for ever; RESET and DEFAULT take it away', async () => {
    expect(await found('SET lock_timeout = 0;', ALTER)).toBe(true)
    expect(await found("SET lock_timeout = '0';", ALTER)).toBe(true)
    expect(await found("SET lock_timeout = '0s';", ALTER)).toBe(true)
    expect(await found(TIMEOUT, 'RESET lock_timeout;', ALTER)).toBe(true)
    expect(await found(TIMEOUT, 'RESET ALL;', ALTER)).toBe(true)
    expect(await found(TIMEOUT, 'SET lock_timeout TO DEFAULT;', ALTER)).toBe(true)
    expect(await found(TIMEOUT, 'SET statement_timeout = 0;', ALTER)).toBe(false)
    expect(
      await found('BEGIN;', TIMEOUT, 'SET LOCAL lock_timeout TO DEFAULT;', ALTER, 'COMMIT;')
    ).toBe(true)
  })

  it("a SET in a comment, a string or a function body is not the file's", async () => {
    const sql = [
      "-- SET lock_timeout = '5s';",
      "SELECT 'SET lock_timeout = 5s';",
      "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN SET lock_timeout = '5s'; END $$;",
      ALTER
    ].join('\n')
    expect(await rulesOf(sql)).toEqual(['missing-lock-timeout'])
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
    const { findings } = await lintMigration(
      'm.sql',
      `${TIMEOUT}\nDROP TABLE app.users, logs;`,
      'en'
    )
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
    expect(findings.map((f) => [f.rule, f.line])).toEqual([
      ['require-concurrent-index', 4],
      ['missing-lock-timeout', 4]
    ])
  })

  it('a REFERENCES or CHECK written inline in ADD COLUMN is a constraint added validated', async () => {
    expect(
      await timedRulesOf('ALTER TABLE orders ADD COLUMN user_id int REFERENCES users (id);')
    ).toEqual(['require-not-valid'])
    expect(await timedRulesOf('ALTER TABLE orders ADD COLUMN n int CHECK (n > 0);')).toEqual([
      'require-not-valid'
    ])
    expect(await timedRulesOf('ALTER TABLE orders ADD COLUMN user_id int;')).toEqual([])
  })

  it('CREATE TABLE IF NOT EXISTS may meet an old table: it is not taken as new', async () => {
    const sql = 'CREATE TABLE IF NOT EXISTS users (id int);\nALTER TABLE users DROP COLUMN mail;'
    expect(await timedRulesOf(sql)).toEqual(['drop-column'])
  })

  it('one statement can break several rules, each a finding on its line', async () => {
    const sql = 'SELECT 1;\n\nALTER TABLE users\n  DROP COLUMN a,\n  ALTER COLUMN b SET NOT NULL;'
    const { findings } = await lintMigration('m.sql', sql, 'en')
    expect(findings.map((f) => [f.rule, f.line])).toEqual([
      ['drop-column', 3],
      ['set-not-null', 3],
      ['missing-lock-timeout', 3]
    ])
  })

  it('counts lines right after text that is not ASCII', async () => {
    const sql = "-- é, ü, 日本\nINSERT INTO t VALUES ('café');\nTRUNCATE t;"
    const { findings } = await lintMigration('m.sql', sql, 'en')
    expect(findings.map((f) => f.line)).toEqual([3, 3])
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
      expect.objectContaining({ rule: 'drop-column', line: 3, allowed: true }),
      expect.objectContaining({ rule: 'missing-lock-timeout', line: 3 })
    ])
    expect(findings[1]?.allowed).toBeUndefined()
  })

  it('allows only the rules it names, and only for the next line', async () => {
    const sql = [
      '-- red-button: allow drop-table, missing-lock-timeout',
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
      [2, 'missing-lock-timeout', true],
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
    expect(findings.map((f) => Boolean(f.allowed))).toEqual([false, false, false])
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
      [join(dir, 'v3', '001_customers.up.sql')]: ['7 require-not-valid', '9 drop-column']
    })
  })
})
