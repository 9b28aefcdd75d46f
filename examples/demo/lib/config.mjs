/**
 * Where the demo keeps things, read from the environment only (Red Button gives commands
 * DEPLOY_* variables; the workflow, here scripts/demo.mjs, gives DEMO_DIR and the ports).
 *
 *   DEMO_DIR                  root of the demo's state, e.g. /tmp/red-button-demo-XXXX
 *   DEPLOY_ENVIRONMENT        staging, production, ...: one folder, database and port each
 *   DEMO_PORT_<ENVIRONMENT>   loopback port of that environment's service (DEMO_PORT_PRODUCTION)
 *   DEMO_MIGRATIONS_DIR       optional, default examples/demo/migrations
 */
import { join, dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const DEMO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const SERVICE_FILE = join(DEMO_ROOT, 'service.mjs')
export const DB_SERVER_FILE = join(DEMO_ROOT, 'db.mjs')

/** Default ports; scripts/demo.mjs picks others when these are taken. */
export const DEFAULT_PORTS = { staging: 4610, production: 4620 }

export class ConfigError extends Error {}

function required(env, name) {
  const value = (env[name] ?? '').trim()
  if (!value) throw new ConfigError(`${name} is not set`)
  return value
}

/** `production` -> `DEMO_PORT_PRODUCTION` */
export function portVariable(environment) {
  return `DEMO_PORT_${environment.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`
}

/** The files of one environment under `demoDir`. */
export function environmentPaths(demoDir, environment) {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(environment)) {
    throw new ConfigError(`environment name ${JSON.stringify(environment)} is not a plain name`)
  }
  const dir = join(demoDir, environment)
  return {
    dir,
    dataDir: join(dir, 'pgdata'),
    dbSocket: join(dir, 'db.sock'),
    dbPidFile: join(dir, 'db.pid'),
    dbLog: join(dir, 'db.log'),
    servicePidFile: join(dir, 'service.pid'),
    serviceLog: join(dir, 'service.log'),
    currentVersionFile: join(dir, 'current-version'),
    backupsDir: join(dir, 'backups')
  }
}

/** Everything a command needs, from its environment variables. */
export function loadConfig(env = process.env) {
  const demoDir = required(env, 'DEMO_DIR')
  const environment = required(env, 'DEPLOY_ENVIRONMENT')
  const paths = environmentPaths(demoDir, environment)
  const portName = portVariable(environment)
  const portText = (env[portName] ?? '').trim() || String(DEFAULT_PORTS[environment] ?? '')
  const port = Number(portText)
  const portOk = Number.isInteger(port) && port >= 1 && port <= 65535
  return {
    demoDir,
    environment,
    /** the service's port; only commands that talk to the service ask (requirePort) */
    port: portOk ? port : undefined,
    portProblem: portOk
      ? undefined
      : `${portName} is not set to a port number (got ${JSON.stringify(portText)})`,
    baseUrl: portOk ? `http://127.0.0.1:${port}` : undefined,
    migrationsDir: (env.DEMO_MIGRATIONS_DIR ?? '').trim() || join(DEMO_ROOT, 'migrations'),
    version: (env.DEPLOY_VERSION ?? '').trim(),
    previousVersion: (env.DEPLOY_PREVIOUS_VERSION ?? '').trim(),
    sha: (env.DEPLOY_SHA ?? '').trim(),
    phase: (env.DEPLOY_PHASE ?? '').trim(),
    ...paths
  }
}

/** The config of a command that talks to the service: its port must be known. */
export function requirePort(cfg) {
  if (cfg.port === undefined) throw new ConfigError(cfg.portProblem)
  return cfg
}

/**
 * Runs a command's main function: prints `name: message` and exits 1 on any error, so that
 * Red Button sees a failed step with a readable last line.
 */
export async function main(name, fn) {
  try {
    await fn()
  } catch (e) {
    console.error(`${name}: ${e instanceof Error ? e.message : String(e)}`)
    process.exitCode = 1
  }
}
