// Compiles the TypeScript stand-ins in __fixtures__/ to plain ESM JavaScript, so that
// scripts run by plain `node` (the benchmark, the demo) can import them:
//
//   import { loadFixtures } from '../bench/compile-fixtures.mjs'
//   const { startGitHubApi, startReceiver } = await loadFixtures('github-api', 'webhook-receiver')
//
// Every *.ts file of __fixtures__/ is compiled (github-api, sample-service, start-stand-ins,
// webhook-receiver, ...). The result is cached in node_modules/.cache/ (where
// tools keep their caches, so nothing is left in the temp folder), keyed by a hash of the
// fixture sources and the TypeScript version: the first call takes about a second (loading
// TypeScript), later calls are instant. Transpile only: type errors do not stop it.
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const FIXTURES = join(ROOT, '__fixtures__')

/**
 * Compiles `__fixtures__/*.ts` (once per content) and returns the directory holding the
 * `.js` files (with a `package.json` saying `"type": "module"`).
 *
 * @param {{ fresh?: boolean }} [opts] fresh: ignore the cache and compile again
 * @returns {Promise<string>}
 */
export async function compileFixtures(opts = {}) {
  const require = createRequire(join(ROOT, 'package.json'))
  const tsVersion = require('typescript/package.json').version
  const sources = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort()
  const hash = createHash('sha256').update(`transpile-1 ${tsVersion}`)
  for (const f of sources)
    hash
      .update(f)
      .update('\0')
      .update(readFileSync(join(FIXTURES, f)))
  const cache = join(ROOT, 'node_modules', '.cache')
  mkdirSync(cache, { recursive: true })
  const dir = join(cache, `red-button-fixtures-${hash.digest('hex').slice(0, 16)}`)

  if (existsSync(join(dir, 'package.json')) && !opts.fresh) return dir

  // transpile only (each file on its own, as with isolatedModules): fast, and type errors do
  // not stop it; type checking is `npm run typecheck`
  const { default: ts } = await import(pathToFileURL(require.resolve('typescript')).href)
  const work = mkdtempSync(join(cache, 'red-button-fixtures-build-'))
  try {
    for (const f of sources) {
      const fileName = join(FIXTURES, f)
      const out = ts.transpileModule(readFileSync(fileName, 'utf8'), {
        fileName,
        reportDiagnostics: true,
        compilerOptions: {
          module: ts.ModuleKind.ES2022,
          target: ts.ScriptTarget.ES2022,
          isolatedModules: true,
          sourceMap: false
        }
      })
      if (out.diagnostics?.length) {
        const text = ts.formatDiagnostics(out.diagnostics, {
          getCanonicalFileName: (x) => x,
          getCurrentDirectory: () => ROOT,
          getNewLine: () => '\n'
        })
        throw new Error(`cannot transpile ${fileName}:\n${text}`)
      }
      writeFileSync(join(work, f.replace(/\.ts$/, '.js')), out.outputText)
    }
  } catch (e) {
    rmSync(work, { recursive: true, force: true })
    throw e
  }
  writeFileSync(join(work, 'package.json'), '{ "type": "module" }\n')
  // publish atomically; a concurrent compile of the same content may have won the race
  if (opts.fresh) rmSync(dir, { recursive: true, force: true })
  try {
    renameSync(work, dir)
  } catch {
    rmSync(work, { recursive: true, force: true })
    if (!existsSync(join(dir, 'package.json'))) throw new Error(`could not publish ${dir}`)
  }
  // the stand-ins compiled from older sources go: one copy at a time is kept
  for (const old of readdirSync(cache))
    if (
      old.startsWith('red-button-fixtures-') &&
      join(cache, old) !== dir &&
      !old.includes('-build-')
    )
      rmSync(join(cache, old), { recursive: true, force: true })
  return dir
}

/**
 * Compiles the fixtures (see compileFixtures) and imports the named ones (`github-api`,
 * `sample-service`, ...): their exports, merged into one object.
 *
 * @param {...string} names
 * @returns {Promise<Record<string, any>>}
 */
export async function loadFixtures(...names) {
  const dir = await compileFixtures()
  const modules = await Promise.all(
    names.map((name) => import(pathToFileURL(join(dir, `${name}.js`)).href))
  )
  return Object.assign({}, ...modules)
}

// `node bench/compile-fixtures.mjs` prints the directory.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(await compileFixtures({ fresh: process.argv.includes('--fresh') }))
}
