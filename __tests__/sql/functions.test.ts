import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { PGlite } from '@electric-sql/pglite'
import { uuid_ossp } from '@electric-sql/pglite/contrib/uuid_ossp'
import {
  isVolatileFunction,
  NOT_VOLATILE_FUNCTIONS,
  VOLATILE_FUNCTIONS
} from '../../src/sql/functions.js'

/**
 * The lists of src/sql/functions.ts are PostgreSQL's catalogue, not a guess: this asks a real
 * PostgreSQL (PGlite, PostgreSQL 18 in WebAssembly) the query the lists were written from.
 * When PGlite brings a newer PostgreSQL and this fails, write the names it prints.
 */
const CATALOGUE_QUERY = `
select p.proname, bool_or(p.provolatile = 'v') as volatile
from pg_proc p
where p.pronamespace = 'pg_catalog'::regnamespace
  and p.prokind = 'f'
  and not exists (select 1 from pg_type t where t.oid = p.prorettype and t.typname in
    ('internal', 'cstring', 'trigger', 'event_trigger', 'language_handler', 'fdw_handler',
     'index_am_handler', 'table_am_handler', 'tsm_handler'))
  and not exists (select 1 from unnest(p.proargtypes) a join pg_type t on t.oid = a
    where t.typname in ('internal', 'cstring'))
  and not exists (select 1 from pg_operator o where o.oprcode = p.oid)
  and p.proname !~ '^(pg_|binary_upgrade_|_)'
group by p.proname order by p.proname`

let db: PGlite

beforeAll(async () => {
  db = await PGlite.create({ extensions: { uuid_ossp } })
})

afterAll(async () => {
  await db.close()
})

const volatility = async (name: string) =>
  (
    await db.query<{ provolatile: string }>(
      'select distinct provolatile from pg_proc where proname = $1',
      [name]
    )
  ).rows.map((r) => r.provolatile)

describe("the volatile functions: PostgreSQL's catalogue", () => {
  it('the lists are what pg_proc says, name for name', async () => {
    const { rows } = await db.query<{ proname: string; volatile: boolean }>(CATALOGUE_QUERY)
    const volatile = rows.filter((r) => r.volatile).map((r) => r.proname)
    const notVolatile = rows.filter((r) => !r.volatile).map((r) => r.proname)
    expect([...VOLATILE_FUNCTIONS].sort()).toEqual(volatile)
    expect([...NOT_VOLATILE_FUNCTIONS].sort()).toEqual(notVolatile)
  })

  it('random, clock_timestamp, gen_random_uuid, nextval, timeofday, uuidv7 are volatile; now and statement_timestamp stable', async () => {
    for (const name of [
      'random',
      'clock_timestamp',
      'gen_random_uuid',
      'nextval',
      'timeofday',
      'uuidv7'
    ]) {
      expect(await volatility(name)).toEqual(['v'])
      expect(isVolatileFunction([name])).toBe(true)
      expect(isVolatileFunction(['pg_catalog', name])).toBe(true)
    }
    for (const name of ['now', 'statement_timestamp', 'transaction_timestamp']) {
      expect(await volatility(name)).toEqual(['s'])
      expect(isVolatileFunction([name])).toBe(false)
      expect(isVolatileFunction(['pg_catalog', name])).toBe(false)
    }
    expect(await volatility('lower')).toEqual(['i'])
    expect(isVolatileFunction(['lower'])).toBe(false)
  })

  it("a function PostgreSQL does not define is volatile, as CREATE FUNCTION makes it: uuid-ossp's", async () => {
    await db.exec('CREATE EXTENSION "uuid-ossp"')
    expect(await volatility('uuid_generate_v4')).toEqual(['v'])
    expect(isVolatileFunction(['uuid_generate_v4'])).toBe(true)
    await db.exec("CREATE FUNCTION next_code() RETURNS text LANGUAGE sql AS $$ SELECT 'A1' $$")
    expect(await volatility('next_code')).toEqual(['v'])
    expect(isVolatileFunction(['next_code'])).toBe(true)
    // a schema other than pg_catalog is never PostgreSQL's own, even for a known name
    expect(isVolatileFunction(['app', 'now'])).toBe(true)
  })
})
