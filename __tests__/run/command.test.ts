import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { processAlive, runCommand, type CommandOptions } from '../../src/run/command.js'
import { MemoryLog } from './log.js'

let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-command-'))
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

function run(command: string, extra: Partial<CommandOptions> = {}) {
  const log = (extra.log as MemoryLog | undefined) ?? new MemoryLog()
  const result = runCommand({
    command,
    cwd: dir,
    env: {},
    timeoutMs: 10_000,
    label: 'deploy',
    ...extra,
    log
  })
  return { log, result }
}

/** the pid a script printed as `<prefix><pid>` */
async function pidFrom(log: MemoryLog, prefix: string): Promise<number> {
  const line = await log.waitFor(new RegExp(`^${prefix}\\d+$`))
  return Number(line.slice(prefix.length))
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('runCommand', () => {
  it('passes values through the environment', async () => {
    const { log, result } = run('echo "version=$DEPLOY_VERSION env=$DEPLOY_ENVIRONMENT"', {
      env: { DEPLOY_VERSION: 'v1.2.0', DEPLOY_ENVIRONMENT: 'production' }
    })
    const r = await result
    expect(r).toMatchObject({ ok: true, exitCode: 0, signal: null, reason: 'exit code 0' })
    expect(log.lines).toContain('version=v1.2.0 env=production')
  })

  it('keeps process.env underneath the given variables', async () => {
    const { log, result } = run('echo "path-set=${PATH:+yes}"')
    expect((await result).ok).toBe(true)
    expect(log.lines).toContain('path-set=yes')
  })

  it('never executes a hostile value', async () => {
    const witness = join(dir, 'pwned-XYZ')
    mkdirSync(join(dir, 'x'), { recursive: true })
    const hostile = `$(touch ${witness}); rm -rf x \`touch ${witness}\` '"; touch ${witness}`
    const { log, result } = run('echo "$HOSTILE"; echo $HOSTILE; printf "%s\\n" "${HOSTILE}"', {
      env: { HOSTILE: hostile }
    })
    expect((await result).ok).toBe(true)
    expect(existsSync(witness)).toBe(false)
    expect(existsSync(join(dir, 'x'))).toBe(true)
    expect(log.lines.filter((l) => l === hostile)).toHaveLength(3)
  })

  it('runs in the given directory', async () => {
    const { log, result } = run('pwd')
    expect((await result).ok).toBe(true)
    expect(log.lines[0]).toBe(dir)
  })

  it('reports the exit code', async () => {
    const { result } = run('echo about to fail; exit 3')
    const r = await result
    expect(r).toMatchObject({ ok: false, exitCode: 3, timedOut: false, aborted: false })
    expect(r.reason).toBe('exit code 3')
    expect(r.tail).toEqual(['about to fail'])
  })

  it('stops at the first failing command (errexit)', async () => {
    const { log, result } = run('false; echo after')
    expect((await result).exitCode).toBe(1)
    expect(log.lines).not.toContain('after')
  })

  it('fails a pipeline when any part fails (pipefail)', async () => {
    const { result } = run('false | true')
    expect(await result).toMatchObject({ ok: false, exitCode: 1 })
  })

  it('streams output live, line by line, in order, inside a group', async () => {
    const go = join(dir, 'go-live')
    const { log, result } = run(
      'echo first; echo "to stderr" >&2; while [ ! -f "$GO" ]; do sleep 0.02; done; echo second; printf "no newline"',
      { env: { GO: go }, label: 'Deploy v1.2.0' }
    )
    await log.waitFor('to stderr')
    // the command is still waiting for us: the first lines arrived while it ran
    writeFileSync(go, '')
    const r = await result
    expect(r.ok).toBe(true)
    expect(log.entries[0]).toEqual({ level: 'group', text: 'Deploy v1.2.0' })
    expect(log.entries.at(-1)?.level).toBe('endgroup')
    expect(log.lines.slice(0, 4)).toEqual(['first', 'to stderr', 'second', 'no newline'])
    expect(r.tail).toEqual(['first', 'to stderr', 'second', 'no newline'])
  })

  it('keeps the last 20 lines as the tail', async () => {
    const { log, result } = run('for i in $(seq 1 50); do echo "line $i"; done')
    const r = await result
    expect(r.tail).toHaveLength(20)
    expect(r.tail[0]).toBe('line 31')
    expect(r.tail.at(-1)).toBe('line 50')
    expect(log.lines.filter((l) => l.startsWith('line '))).toHaveLength(50)
  })

  it('kills the command and its grandchildren on timeout', async () => {
    const { log, result } = run('sleep 30 & echo "grandchild=$!"; sleep 30', { timeoutMs: 300 })
    const grandchild = await pidFrom(log, 'grandchild=')
    const r = await result
    expect(r).toMatchObject({ ok: false, timedOut: true, aborted: false, exitCode: null })
    expect(r.signal).toBe('SIGTERM')
    expect(r.reason).toBe('timed out after 300ms')
    // the command sleeps 30 s
    expect(r.durationMs).toBeLessThan(10_000)
    expect(processAlive(grandchild)).toBe(false)
  })

  it('SIGKILLs a command that traps SIGTERM after the grace period', async () => {
    const { log, result } = run(
      `trap 'echo got TERM' TERM
       (trap '' TERM; exec sleep 30) & echo "stubborn=$!"
       while true; do sleep 0.05 || true; done`,
      { timeoutMs: 200, killGraceMs: 400 }
    )
    const stubborn = await pidFrom(log, 'stubborn=')
    const r = await result
    expect(r).toMatchObject({ ok: false, timedOut: true, signal: 'SIGKILL' })
    expect(r.durationMs).toBeGreaterThanOrEqual(550)
    expect(r.durationMs).toBeLessThan(10_000)
    expect(log.lines).toContain('got TERM')
    expect(processAlive(stubborn)).toBe(false)
  })

  it('stops when the signal aborts', async () => {
    const controller = new AbortController()
    const { log, result } = run('echo started; sleep 30', { signal: controller.signal })
    await log.waitFor('started')
    const abortedAt = performance.now()
    controller.abort()
    const r = await result
    expect(performance.now() - abortedAt).toBeLessThan(10_000)
    expect(r).toMatchObject({ ok: false, aborted: true, timedOut: false, reason: 'cancelled' })
  })

  it('does not start when the signal has already aborted', async () => {
    const witness = join(dir, 'started-anyway')
    const { result } = run(`touch ${witness}`, { signal: AbortSignal.abort() })
    expect(await result).toMatchObject({ ok: false, aborted: true, reason: 'cancelled' })
    expect(existsSync(witness)).toBe(false)
  })

  it('leaves background processes running after a finished command, as a run: step does', async () => {
    const { log, result } = run(
      // a server that logs every 20 ms: its output must not kill it once bash is gone
      'sh -c "while true; do echo tick; sleep 0.02; done" & echo "server=$!"; (sleep 30) & echo "sub=$!"; echo done'
    )
    const server = await pidFrom(log, 'server=')
    const sub = await pidFrom(log, 'sub=')
    try {
      const r = await result
      expect(r).toMatchObject({ ok: true, exitCode: 0, reason: 'exit code 0' })
      // not waiting for the 30 s background sleep
      expect(r.durationMs).toBeLessThan(10_000)
      // still there well after bash ended and the output stopped being read
      await sleep(300)
      expect(processAlive(server)).toBe(true)
      expect(processAlive(sub)).toBe(true)
      // and its later lines do not reach the step's log
      const lines = log.lines.length
      await sleep(100)
      expect(log.lines.length).toBe(lines)
    } finally {
      for (const pid of [server, sub]) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // gone
        }
      }
    }
  })

  it('stops background jobs too when it is cancelled', async () => {
    const controller = new AbortController()
    const { log, result } = run('sleep 30 & echo "job=$!"; echo started; sleep 30', {
      signal: controller.signal
    })
    const job = await pidFrom(log, 'job=')
    await log.waitFor('started')
    controller.abort()
    expect(await result).toMatchObject({ ok: false, aborted: true })
    expect(processAlive(job)).toBe(false)
  })

  it('resolves with a reason when bash cannot start', async () => {
    const { result } = run('true', { cwd: join(dir, 'does-not-exist') })
    const r = await result
    expect(r.ok).toBe(false)
    expect(r.reason).toMatch(/^could not start bash/)
  })
})
