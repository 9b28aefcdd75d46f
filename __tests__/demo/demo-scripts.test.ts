/**
 * The demo's own commands (examples/demo/*.mjs), run as Red Button runs them: separate
 * `node` processes that read everything from the environment, against a real PGlite
 * database served by examples/demo/db.mjs in a temporary folder.
 *
 * The tests of this file share one database and run in order: each starts from the state
 * the previous one left, as successive deployments do.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import type { Readable } from 'node:stream'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const DEMO = join(ROOT, 'examples', 'demo')

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

let demoDir: string
let envDir: string
let port: number
let db: ChildProcessByStdio<null, Readable, Readable> | undefined

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const p = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolvePort(p))
    })
  })
}

/** Runs `node examples/demo/<script>` with the demo's variables and `env`. */
function run(script: string, env: Record<string, string> = {}, args: string[] = []): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [join(DEMO, script), ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? tmpdir(),
        // the test run's own temp folder (scripts/jest-temp-setup.mjs)
        TMPDIR: tmpdir(),
        DEMO_DIR: demoDir,
        DEPLOY_ENVIRONMENT: 'production',
        DEMO_PORT_PRODUCTION: String(port),
        ...env
      },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.once('error', reject)
    child.once('close', (code) => resolveRun({ code, stdout, stderr }))
  })
}

/** Runs `script` and expects exit code 0. */
async function ok(script: string, env: Record<string, string> = {}): Promise<string> {
  const r = await run(script, env)
  if (r.code !== 0) throw new Error(`${script} exited ${r.code}:\n${r.stdout}\n${r.stderr}`)
  return r.stdout
}

type Row = Record<string, unknown>

async function sql(query: string, params: unknown[] = []): Promise<Row[]> {
  const r = await run('sql.mjs', {}, [query, JSON.stringify(params)])
  if (r.code !== 0) throw new Error(`sql.mjs exited ${r.code}: ${r.stderr}`)
  return JSON.parse(r.stdout) as Row[]
}

async function columns(table: string): Promise<string[]> {
  const rows = await sql(
    `SELECT column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table]
  )
  return rows.map((r) => String(r.column_name))
}

async function appliedMigrations(): Promise<string[]> {
  return (await sql('SELECT id FROM schema_migrations ORDER BY id')).map((r) => String(r.id))
}

async function orders(): Promise<Row[]> {
  return sql('SELECT id, customer, item, total_cents FROM orders ORDER BY id')
}

async function get(path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5000) })
  return { status: res.status, text: await res.text() }
}

function servicePid(): number | undefined {
  const file = join(envDir, 'service.pid')
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true
  }
}

/** A copy of the demo's migrations plus `extra` files (path under migrations/ -> SQL). */
function migrationsWith(extra: Record<string, string>): string {
  const dir = join(demoDir, `migrations-${Object.keys(extra).join('-').replace(/\W+/g, '_')}`)
  // the demo's v1 and v2 (v3's lands in this test's own v3 folder instead)
  cpSync(join(DEMO, 'migrations'), dir, {
    recursive: true,
    filter: (src) => !/\/v3(\/|$)/.test(src)
  })
  for (const [file, text] of Object.entries(extra)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true })
    writeFileSync(join(dir, file), text)
  }
  return dir
}

beforeAll(async () => {
  demoDir = mkdtempSync(join(tmpdir(), 'red-button-demo-test-'))
  envDir = join(demoDir, 'production')
  port = await freePort()
  const server = spawn(process.execPath, [join(DEMO, 'db.mjs'), envDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  db = server
  let log = ''
  // awaited: the server says "ready" or exits; no bound of its own on how long a busy machine
  // takes to start PGlite (the hook's timeout only catches a server that hangs)
  await new Promise<void>((resolveReady, reject) => {
    const onData = (d: Buffer): void => {
      log += d.toString()
      if (/^ready /m.test(log)) resolveReady()
    }
    server.stdout.on('data', onData)
    server.stderr.on('data', onData)
    server.once('exit', (code) => reject(new Error(`db.mjs exited ${code}:\n${log}`)))
  })
}, 300_000)

afterAll(async () => {
  const pid = servicePid()
  if (pid && alive(pid)) process.kill(pid, 'SIGKILL')
  if (db && db.exitCode === null) {
    const server = db
    const exited = new Promise((r) => server.once('exit', r))
    server.kill('SIGTERM')
    let timer: NodeJS.Timeout | undefined
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))])
    clearTimeout(timer)
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL')
  }
  rmSync(demoDir, { recursive: true, force: true })
})

describe('the demo commands on a real PGlite database', () => {
  it('migrate-check proves the pending v1 migration and leaves the database untouched', async () => {
    const out = await ok('migrate-check.mjs', { DEPLOY_VERSION: 'v1' })
    expect(out).toContain('v1/001_create_orders')
    expect(out).toContain('rolled back')
    const [state] = await sql(
      "SELECT to_regclass('orders') IS NULL AS no_orders, to_regclass('schema_migrations') IS NULL AS no_table"
    )
    expect(state).toEqual({ no_orders: true, no_table: true })
  })

  it('migrate-check fails on a broken migration, names its file, and changes nothing', async () => {
    const dir = migrationsWith({ 'v3/001_broken.up.sql': 'ALTER TABLE orderz ADD COLUMN x int;' })
    const r = await run('migrate-check.mjs', { DEPLOY_VERSION: 'v3', DEMO_MIGRATIONS_DIR: dir })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('v3/001_broken.up.sql')
    expect(r.stderr).toContain('orderz')
    const [state] = await sql("SELECT to_regclass('orders') IS NULL AS no_orders")
    expect(state?.no_orders).toBe(true)
  })

  it('migrate applies v1 with its seed rows and records it; a second run has nothing to do', async () => {
    const out = await ok('migrate.mjs', { DEPLOY_VERSION: 'v1' })
    expect(out).toContain('applied v1/001_create_orders')
    expect(await appliedMigrations()).toEqual(['v1/001_create_orders'])
    expect(await orders()).toHaveLength(3)
    expect(await ok('migrate.mjs', { DEPLOY_VERSION: 'v1' })).toContain('nothing to apply')
  })

  it('backup writes a full copy of the database, described in latest.json', async () => {
    await sql('INSERT INTO orders (customer, item, total_cents) VALUES ($1, $2, $3)', [
      'Chloé Martin',
      'Espresso machine',
      24900
    ])
    const out = await ok('backup.mjs', { DEPLOY_VERSION: 'v2', DEPLOY_PREVIOUS_VERSION: 'v1' })
    expect(out).toContain('backup of production written to')
    const latest = JSON.parse(readFileSync(join(envDir, 'backups', 'latest.json'), 'utf8')) as {
      file: string
      takenFor: string
      orders: number
      migrations: string[]
    }
    expect(latest).toMatchObject({
      takenFor: 'v2',
      orders: 4,
      migrations: ['v1/001_create_orders']
    })
    const tarball = readFileSync(join(envDir, 'backups', latest.file))
    expect(tarball.length).toBeGreaterThan(100_000)
    expect([tarball[0], tarball[1]]).toEqual([0x1f, 0x8b])
  })

  it('migrate v2 adds orders.coupon; migrate-rollback drops it and every row survives', async () => {
    await ok('migrate.mjs', { DEPLOY_VERSION: 'v2', DEPLOY_PREVIOUS_VERSION: 'v1' })
    expect(await columns('orders')).toContain('coupon')
    expect(await appliedMigrations()).toEqual(['v1/001_create_orders', 'v2/001_add_coupon'])
    // an order placed while v2 was out, with a coupon
    await sql('INSERT INTO orders (customer, item, total_cents, coupon) VALUES ($1, $2, $3, $4)', [
      'Dan Brown',
      'Notebook',
      900,
      'WELCOME10'
    ])
    const before = await orders()
    expect(before).toHaveLength(5)

    const out = await ok('migrate-rollback.mjs', {
      DEPLOY_VERSION: 'v2',
      DEPLOY_PREVIOUS_VERSION: 'v1'
    })
    expect(out).toContain('reverted v2/001_add_coupon')
    expect(await columns('orders')).not.toContain('coupon')
    expect(await appliedMigrations()).toEqual(['v1/001_create_orders'])
    expect(await orders()).toEqual(before)
    expect(
      await ok('migrate-rollback.mjs', { DEPLOY_VERSION: 'v2', DEPLOY_PREVIOUS_VERSION: 'v1' })
    ).toContain('nothing to revert')
  })

  it('deploy starts the shop; broken v2 leaks a connection per page view, then fails its health check; rollback brings v1 back', async () => {
    await ok('deploy.mjs', { DEPLOY_VERSION: 'v1' })
    const v1Pid = servicePid()
    expect((await get('/')).text).toContain('Welcome to the Acme shop')
    expect(await get('/health')).toMatchObject({ status: 200 })
    expect(await ok('smoke-orders.mjs', { DEPLOY_VERSION: 'v1' })).toContain('lists 5 order(s)')

    await ok('migrate.mjs', { DEPLOY_VERSION: 'v2', DEPLOY_PREVIOUS_VERSION: 'v1' })
    await ok('deploy.mjs', { DEPLOY_VERSION: 'v2', DEPLOY_PREVIOUS_VERSION: 'v1' })
    expect(v1Pid !== undefined && alive(v1Pid)).toBe(false)
    // healthy at first: the smoke tests pass
    expect((await get('/')).status).toBe(200)
    expect(await get('/health')).toMatchObject({ status: 200 })
    // the second page view takes the pool's last connection for good
    expect((await get('/')).status).toBe(200)
    const health = await get('/health')
    expect(health.status).toBe(500)
    expect(health.text).toContain('connection pool exhausted (2 of 2 in use)')
    expect((await get('/')).status).toBe(500)
    const smoke = await run('smoke-orders.mjs', { DEPLOY_VERSION: 'v2' })
    expect(smoke.code).toBe(1)

    const v2Pid = servicePid()
    const out = await ok('rollback.mjs', { DEPLOY_VERSION: 'v2', DEPLOY_PREVIOUS_VERSION: 'v1' })
    expect(out).toContain('rolled production back to v1')
    expect(v2Pid !== undefined && alive(v2Pid)).toBe(false)
    expect(JSON.parse((await get('/version')).text)).toEqual({ version: 'v1' })
    await ok('migrate-rollback.mjs', { DEPLOY_VERSION: 'v2', DEPLOY_PREVIOUS_VERSION: 'v1' })
    expect(await get('/health')).toMatchObject({ status: 200 })
    expect(readFileSync(join(envDir, 'current-version'), 'utf8').trim()).toBe('v1')
  })

  it('deploy refuses an unknown release and leaves the running shop alone', async () => {
    const pid = servicePid()
    const r = await run('deploy.mjs', { DEPLOY_VERSION: 'v7' })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('unknown release "v7"')
    expect(servicePid()).toBe(pid)
    expect(await get('/health')).toMatchObject({ status: 200 })
  })

  it('rollback with no previous version takes the shop down', async () => {
    const pid = servicePid()
    const out = await ok('rollback.mjs', { DEPLOY_VERSION: 'v1', DEPLOY_PREVIOUS_VERSION: '' })
    expect(out).toContain('stays down')
    expect(pid !== undefined && alive(pid)).toBe(false)
    expect(servicePid()).toBeUndefined()
  })

  it('migrate-rollback restores the backup when a migration has no down file', async () => {
    const dir = migrationsWith({
      'v3/001_coupons_table.up.sql': 'CREATE TABLE coupons (code text PRIMARY KEY);'
    })
    const env = { DEPLOY_VERSION: 'v3', DEPLOY_PREVIOUS_VERSION: 'v1', DEMO_MIGRATIONS_DIR: dir }
    expect(await ok('migrate-check.mjs', env)).toContain('would restore the backup instead')
    const beforeBackup = await orders()
    await ok('backup.mjs', env)
    await ok('migrate.mjs', env)
    expect(await appliedMigrations()).toEqual([
      'v1/001_create_orders',
      'v2/001_add_coupon',
      'v3/001_coupons_table'
    ])
    await sql("INSERT INTO orders (customer, item, total_cents) VALUES ('Eve', 'Lamp', 3000)")

    // a backup taken for another release is not restored behind one's back
    const refused = await run('migrate-rollback.mjs', { ...env, DEPLOY_VERSION: 'v4' })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('was taken for v3')

    const out = await ok('migrate-rollback.mjs', env)
    expect(out).toContain('restoring the backup')
    expect(await appliedMigrations()).toEqual(['v1/001_create_orders'])
    const [state] = await sql("SELECT to_regclass('coupons') IS NULL AS no_coupons")
    expect(state?.no_coupons).toBe(true)
    expect(await columns('orders')).not.toContain('coupon')
    // the backup's state: what was written after it is gone, as the message says
    expect(await orders()).toEqual(beforeBackup)
  })
})
