import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readdirSync, readFileSync, readSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Log } from '../core.js'
import { formatDuration } from '../duration.js'

export interface CommandOptions {
  /** the user's script, exactly as written in a workflow `run:`; never interpolated */
  command: string
  cwd: string
  /** added to (and overriding) process.env; the only way values reach the script */
  env: Record<string, string>
  /** 0 or Infinity: no time limit */
  timeoutMs: number
  /** aborting stops the command (SIGTERM to its process group, SIGKILL after the grace) */
  signal?: AbortSignal
  log: Log
  /** title of the collapsible log group */
  label: string
  /** time between SIGTERM and SIGKILL; default 3000 ms */
  killGraceMs?: number
  /** told the process group id once the command runs (the post step may have to stop it) */
  onStart?: (pgid: number) => void
  /** how many trailing output lines to keep; default 20 */
  tailLines?: number
  /** where the output file lives while the command runs; default the system's temp folder */
  outputDir?: string
}

export interface CommandResult {
  ok: boolean
  /** bash's exit code; null when it was ended by a signal or could not start */
  exitCode: number | null
  /** the signal that ended bash, if any */
  signal: NodeJS.Signals | null
  timedOut: boolean
  aborted: boolean
  durationMs: number
  /** the last output lines (stdout and stderr, in arrival order) */
  tail: string[]
  /** `exit code 0`, `exit code 3`, `timed out after 2s`, `cancelled`, `killed by SIGKILL`, ... */
  reason: string
}

const DEFAULT_GRACE_MS = 3000
const DEFAULT_TAIL = 20
/** longest line kept in the tail, and longest partial line buffered before it is logged anyway */
const MAX_LINE = 4000
const POLL_MS = 25
/** how long to wait for the process group to disappear after SIGKILL */
const AFTER_KILL_MS = 2000
let outputFiles = 0

/**
 * Runs `command` with `bash --noprofile --norc -eo pipefail -c`, in its own process group,
 * streaming its output line by line into `log` inside a group named `label`.
 *
 * As in a workflow's `run:` step, processes the script starts in the background
 * (`./server &`) keep running after bash exits. Their output must not kill them either: the
 * command writes into a file that is read as it grows (a pipe closed by us, or by our own
 * exit, would end a background server with SIGPIPE at its next log line), and reading stops
 * when bash ends.
 *
 * Never rejects. Only on timeout or abort does the whole process group get SIGTERM, then
 * SIGKILL after `killGraceMs`; the promise then settles once the group is gone (processes
 * that left the group with `setsid` are out of reach).
 */
export async function runCommand(opts: CommandOptions): Promise<CommandResult> {
  const grace = opts.killGraceMs ?? DEFAULT_GRACE_MS
  const tailSize = opts.tailLines ?? DEFAULT_TAIL
  const started = performance.now()
  const tail: string[] = []
  const { log } = opts

  const pushLine = (line: string): void => {
    log.info(line)
    tail.push(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line)
    if (tail.length > tailSize) tail.shift()
  }

  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v
  Object.assign(env, opts.env)

  if (opts.signal?.aborted) {
    log.info(`${opts.label}: not started (cancelled)`)
    return {
      ok: false,
      exitCode: null,
      signal: null,
      timedOut: false,
      aborted: true,
      durationMs: 0,
      tail: [],
      reason: 'cancelled'
    }
  }

  log.startGroup(opts.label)
  try {
    let child: ChildProcess
    const output = openOutput(opts.outputDir ?? tmpdir())
    try {
      child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', opts.command], {
        cwd: opts.cwd,
        env,
        detached: true,
        stdio: ['ignore', output.fd, output.fd]
      })
    } catch (e) {
      output.close()
      // spawn throws (rather than emitting `error`) on arguments it refuses, e.g. a NUL byte;
      // its message quotes the script, which may hold secrets: give only the code
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).name
      const reason = `could not start bash (${code})`
      log.info(`✗ ${reason}`)
      return {
        ok: false,
        exitCode: null,
        signal: null,
        timedOut: false,
        aborted: false,
        durationMs: Math.round(performance.now() - started),
        tail: [],
        reason
      }
    }

    let spawnError: Error | undefined
    let exitCode: number | null = null
    let exitSignal: NodeJS.Signals | null = null
    let timedOut = false
    let aborted = false
    let termSentAt: number | undefined
    let killTimer: NodeJS.Timeout | undefined
    let timeoutTimer: NodeJS.Timeout | undefined
    let wake: (() => void) | undefined

    let bashExited = false
    const exited = new Promise<void>((resolve) => {
      child.once('exit', (code, sig) => {
        bashExited = true
        exitCode = code
        exitSignal = sig
        resolve()
      })
      child.once('error', (err) => {
        spawnError = err
        resolve()
      })
    })
    // the child has its own copy of the descriptor; the reader has its own too
    output.closeWriter()
    const reader = new LineReader(pushLine)
    const readAll = (): void => output.read((chunk) => reader.push(chunk))
    const readTimer = setInterval(readAll, POLL_MS)

    const pgid = child.pid
    if (pgid !== undefined) opts.onStart?.(pgid)
    const signalGroup = (sig: NodeJS.Signals): void => {
      if (pgid !== undefined) signalProcessGroup(pgid, sig)
    }
    const terminate = (): void => {
      if (termSentAt !== undefined) return
      termSentAt = performance.now()
      signalGroup('SIGTERM')
      killTimer = setTimeout(() => {
        killTimer = undefined
        signalGroup('SIGKILL')
        wake?.()
      }, grace)
    }
    const onAbort = (): void => {
      if (spawnError || termSentAt !== undefined) return
      // once bash has ended on its own its result stands; only its leftovers remain to end
      if (!bashExited) aborted = true
      terminate()
    }

    if (pgid !== undefined) {
      if (opts.timeoutMs > 0 && Number.isFinite(opts.timeoutMs)) {
        timeoutTimer = setTimeout(() => {
          timeoutTimer = undefined
          if (termSentAt !== undefined) return
          timedOut = true
          terminate()
        }, opts.timeoutMs)
      }
      opts.signal?.addEventListener('abort', onAbort, { once: true })
    }

    try {
      await exited
      if (timeoutTimer) clearTimeout(timeoutTimer)
      timeoutTimer = undefined

      if (!spawnError && pgid !== undefined && termSentAt !== undefined) {
        // stopped (timeout or cancel): the whole group goes, background jobs included
        while (groupAlive(pgid)) {
          terminate()
          if (
            killTimer === undefined &&
            performance.now() - (termSentAt ?? 0) > grace + AFTER_KILL_MS
          ) {
            log.warning(`${opts.label}: processes of group ${pgid} survived SIGKILL`)
            break
          }
          await new Promise<void>((resolve) => {
            const t = setTimeout(done, POLL_MS)
            wake = done
            function done(): void {
              clearTimeout(t)
              wake = undefined
              resolve()
            }
          })
        }
      }

      // what bash wrote is all in the file now; later lines of background jobs are theirs
      readAll()
      reader.end()
    } finally {
      clearInterval(readTimer)
      output.close()
      if (timeoutTimer) clearTimeout(timeoutTimer)
      if (killTimer) clearTimeout(killTimer)
      opts.signal?.removeEventListener('abort', onAbort)
    }

    const durationMs = Math.round(performance.now() - started)
    let reason: string
    if (spawnError) reason = `could not start bash: ${spawnError.message}`
    else if (timedOut) reason = `timed out after ${formatDuration(opts.timeoutMs)}`
    else if (aborted) reason = 'cancelled'
    else if (exitSignal) reason = `killed by ${exitSignal}`
    else reason = `exit code ${exitCode}`
    const ok = !spawnError && !timedOut && !aborted && exitCode === 0
    log.info(`${ok ? '✓' : '✗'} ${reason} after ${formatDuration(durationMs)}`)
    return { ok, exitCode, signal: exitSignal, timedOut, aborted, durationMs, tail, reason }
  } finally {
    log.endGroup()
  }
}

/** Splits text into lines as it arrives; a last line without newline is given at `end`. */
class LineReader {
  private buffer = ''
  private readonly decoder = new TextDecoder('utf-8')

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Uint8Array): void {
    this.buffer += this.decoder.decode(chunk, { stream: true })
    let nl: number
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      this.onLine(this.buffer.slice(0, nl).replace(/\r$/, ''))
      this.buffer = this.buffer.slice(nl + 1)
    }
    if (this.buffer.length > MAX_LINE) {
      this.onLine(this.buffer)
      this.buffer = ''
    }
  }

  end(): void {
    this.buffer += this.decoder.decode()
    if (this.buffer) this.onLine(this.buffer.replace(/\r$/, ''))
    this.buffer = ''
  }
}

/**
 * The command's output file: written by the command (stdout and stderr share it, so lines
 * keep their order), read from our own descriptor as it grows. It is unlinked at once, so
 * nothing is left behind; background jobs may go on writing into it unseen.
 */
function openOutput(dir: string): {
  fd: number
  closeWriter(): void
  read(onChunk: (chunk: Uint8Array) => void): void
  close(): void
} {
  const path = join(dir, `red-button-${process.pid}-${++outputFiles}.log`)
  let writer: number | undefined = openSync(path, 'w', 0o600)
  const reader = openSync(path, 'r')
  unlinkSync(path)
  let offset = 0
  let open = true
  const buffer = Buffer.alloc(64 * 1024)
  return {
    fd: writer,
    closeWriter() {
      if (writer !== undefined) closeSync(writer)
      writer = undefined
    },
    read(onChunk) {
      if (!open) return
      for (;;) {
        const n = readSync(reader, buffer, 0, buffer.length, offset)
        if (n <= 0) return
        offset += n
        onChunk(buffer.subarray(0, n))
      }
    },
    close() {
      this.closeWriter()
      if (open) closeSync(reader)
      open = false
    }
  }
}

/**
 * Whether any process of group `pgid` still runs. Zombies do not count: where PID 1 does not
 * reap orphans (some containers), a dead grandchild stays a zombie forever.
 */
/** Sends `sig` to every process of group `pgid`; a group already gone is no error. */
export function signalProcessGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig)
  } catch {
    // group already gone
  }
}

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
  if (process.platform !== 'linux') return true
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return true
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    const stat = procStat(Number(entry))
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') return true
  }
  return false
}

/** Whether process `pid` runs (a zombie does not). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
  if (process.platform !== 'linux') return true
  const stat = procStat(pid)
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X'
}

function procStat(pid: number): { state: string; pgrp: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // "pid (comm) state ppid pgrp ..."; comm may contain spaces and parentheses
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { state: fields[0] ?? '', pgrp: Number(fields[2]) }
  } catch {
    return undefined
  }
}
