/** Starting and stopping the shop of one environment: a detached process and a pid file. */
import { spawn } from 'node:child_process'
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import net from 'node:net'
import { SERVICE_FILE } from './config.mjs'

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** Is `pid` running? A zombie (exited, not yet reaped by whoever adopted it) is not. */
export function isAlive(pid) {
  try {
    process.kill(pid, 0)
  } catch (e) {
    return e.code === 'EPERM'
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state ..."; comm may hold spaces and parentheses
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true
  }
}

/** Is `pid` one of our shops? Guards against a stale pid file naming a reused pid. */
export function isShop(pid) {
  const cmdline = `/proc/${pid}/cmdline`
  if (!existsSync('/proc')) return true
  try {
    return readFileSync(cmdline, 'utf8').includes('service.mjs')
  } catch {
    return false
  }
}

export function readPid(pidFile) {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

function portAnswers(port) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' })
    s.once('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
  })
}

/** Stops the running shop, if any (SIGTERM, SIGKILL after 5 s). Returns its pid. */
export async function stopService(cfg) {
  const pid = readPid(cfg.servicePidFile)
  rmSync(cfg.servicePidFile, { force: true })
  if (pid === undefined || !isAlive(pid) || !isShop(pid)) return undefined
  process.kill(pid, 'SIGTERM')
  const deadline = Date.now() + 5000
  while (isAlive(pid) && Date.now() < deadline) await sleep(50)
  if (isAlive(pid)) process.kill(pid, 'SIGKILL')
  while (isAlive(pid)) await sleep(20)
  return pid
}

/** Lines at the end of a log file, for error messages. */
function tail(file, lines = 10) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return ''
  }
}

/**
 * Starts the shop at `version`, detached (its own session, so that it outlives the command
 * that started it), output appended to the service log. Resolves once it accepts
 * connections; whether it is healthy is for the smoke tests to say.
 */
export async function startService(cfg, version) {
  mkdirSync(cfg.dir, { recursive: true })
  const freeBy = Date.now() + 5000
  while ((await portAnswers(cfg.port)) && Date.now() < freeBy) await sleep(100)
  if (await portAnswers(cfg.port)) throw new Error(`port ${cfg.port} is taken by another process`)

  const log = openSync(cfg.serviceLog, 'a')
  const child = spawn(process.execPath, [SERVICE_FILE], {
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      DEMO_VERSION: version,
      DEMO_PORT: String(cfg.port),
      DEMO_DB_SOCKET: cfg.dbSocket,
      DEMO_PID_FILE: cfg.servicePidFile
    }
  })
  closeSync(log)
  let exited
  child.once('exit', (code, signal) => (exited = signal ?? `exit code ${code}`))
  writeFileSync(cfg.servicePidFile, `${child.pid}\n`)
  child.unref()

  const deadline = Date.now() + 10_000
  while (!(await portAnswers(cfg.port))) {
    if (exited)
      throw new Error(`the shop ${version} stopped at once (${exited}):\n${tail(cfg.serviceLog)}`)
    if (Date.now() > deadline)
      throw new Error(`the shop ${version} did not listen on ${cfg.port} within 10 s`)
    await sleep(50)
  }
  writeFileSync(cfg.currentVersionFile, `${version}\n`)
  return child.pid
}
