import { parse, type ParseEntry } from 'shell-quote'
import type { Loss } from '../record/types.js'

/**
 * Commands known to drop or empty a database (docs/design.md section 5, `rollback`): a rollback
 * that loses data is no plan. Scripts are split as a shell splits them (words, quotes,
 * `&&`, `;`, `|`, `bash -c`), so a word that merely contains such a name is not one.
 */

export interface Destructive {
  /** the command as found, e.g. `prisma migrate reset` */
  command: string
  destroys: Loss
}

interface Rule {
  /** the program (its file name), then words that must follow it in order */
  program: string[]
  words: string[]
  destroys: Loss
}

const DROPS: Loss = 'drops-database'
const RAILS = ['rails', 'rake']

const RULES: Rule[] = [
  { program: ['prisma'], words: ['migrate', 'reset'], destroys: DROPS },
  { program: ['prisma'], words: ['db', 'push', '--force-reset'], destroys: 'empties-database' },
  ...['db:drop', 'db:reset', 'db:schema:load', 'db:setup', 'db:migrate:reset'].map(
    (task): Rule => ({
      program: RAILS,
      words: [task],
      destroys: task === 'db:schema:load' ? 'recreates-tables' : DROPS
    })
  ),
  { program: ['flyway'], words: ['clean'], destroys: 'drops-objects' },
  { program: ['dropdb'], words: [], destroys: DROPS },
  { program: ['manage.py', 'django-admin'], words: ['flush'], destroys: 'deletes-rows' },
  { program: ['sequelize', 'sequelize-cli'], words: ['db:drop'], destroys: DROPS },
  {
    program: ['typeorm', 'typeorm-ts-node-commonjs', 'typeorm-ts-node-esm'],
    words: ['schema:drop'],
    destroys: 'drops-tables'
  },
  { program: ['liquibase'], words: ['dropAll'], destroys: 'drops-objects' }
]

/** Programs that run the next word as the command (`npx prisma …`, `bundle exec rake …`). */
const WRAPPERS = new Set([
  'sudo',
  'env',
  'time',
  'nice',
  'nohup',
  'exec',
  'command',
  'npx',
  'bunx',
  'pnpx',
  'python',
  'python3',
  'node',
  'ruby'
])
/** Wrapper options followed by a value (`sudo -u postgres …`). */
const OPTION_VALUES: Record<string, string[]> = {
  sudo: ['-u', '-g', '-p', '-C', '-D', '-h', '-U'],
  env: ['-u', '-C', '-S'],
  nice: ['-n']
}

/** Programs whose first word (`exec`, `run`) starts the command. */
const RUNNERS: Record<string, string[]> = {
  bundle: ['exec'],
  pnpm: ['exec', 'dlx'],
  yarn: ['run', 'exec', 'dlx'],
  npm: ['exec'],
  poetry: ['run'],
  pipenv: ['run'],
  uv: ['run'],
  docker: [],
  bun: ['x', 'run']
}

const OPERATORS = new Set(['&&', '||', ';', '|', '&', '(', ')', ';;', '|&'])
const SQL_DROPS: Array<{ pattern: RegExp; destroys: Loss }> = [
  { pattern: /\bdrop\s+database\b/i, destroys: DROPS },
  {
    pattern: /\bdrop\s+schema\b[^;]*\bcascade\b/i,
    destroys: 'drops-schema'
  }
]

const baseName = (word: string): string => word.slice(word.lastIndexOf('/') + 1)

/** The script's simple commands, each a list of words (`bash -c '…'` opened up). */
function simpleCommands(script: string, depth = 0): string[][] {
  let entries: ParseEntry[]
  try {
    // variables stay as written: `$DB` is a word, not an empty string
    entries = parse(script, (key) => `$${key}`)
  } catch {
    return []
  }
  const commands: string[][] = [[]]
  for (const e of entries) {
    if (typeof e === 'string') (commands[commands.length - 1] as string[]).push(e)
    else if ('op' in e && OPERATORS.has(e.op)) commands.push([])
    else if ('comment' in e) commands.push([])
  }
  const out: string[][] = []
  for (const words of commands.filter((c) => c.length > 0)) {
    const argv = unwrap(words)
    const shell = argv[0] ? baseName(argv[0]) : ''
    const c = argv.indexOf('-c')
    if (['bash', 'sh', 'zsh', 'dash'].includes(shell) && c > 0 && argv[c + 1] && depth < 3)
      out.push(...simpleCommands(argv[c + 1] as string, depth + 1))
    else out.push(argv)
  }
  return out
}

/** Drops `VAR=value` assignments and wrappers, down to the program that runs. */
function unwrap(words: string[]): string[] {
  let argv = [...words]
  for (let guard = 0; guard < 8 && argv.length > 0; guard++) {
    while (argv[0] !== undefined && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0])) argv = argv.slice(1)
    const first = baseName(argv[0] ?? '')
    if (WRAPPERS.has(first)) {
      argv = argv.slice(1)
      // the wrapper's own options (`npx --yes`, `env -i`, `sudo -u postgres`)
      while (argv[0]?.startsWith('-')) {
        const takesValue = OPTION_VALUES[first]?.includes(argv[0])
        argv = argv.slice(takesValue ? 2 : 1)
      }
      continue
    }
    const runner = RUNNERS[first]
    if (runner && argv[1] && runner.includes(argv[1])) {
      argv = argv.slice(2)
      while (argv[0]?.startsWith('-')) argv = argv.slice(1)
      continue
    }
    break
  }
  return argv
}

/** `words` appear in `argv` in this order (options may stand between them). */
function inOrder(argv: string[], words: string[]): boolean {
  let at = 0
  for (const w of words) {
    const found = argv.indexOf(w, at)
    if (found < 0) return false
    at = found + 1
  }
  return true
}

/** The first command of `script` that drops or empties a database, if any. */
export function destructiveCommand(script: string): Destructive | undefined {
  for (const argv of simpleCommands(script)) {
    const program = baseName(argv[0] ?? '')
    const args = argv.slice(1)
    for (const rule of RULES) {
      if (rule.program.includes(program) && inOrder(args, rule.words))
        return { command: [program, ...rule.words].join(' '), destroys: rule.destroys }
    }
    if (program === 'psql') {
      for (const [i, a] of args.entries()) {
        const sql =
          a === '-c' || a === '--command'
            ? args[i + 1]
            : a.startsWith('--command=')
              ? a.slice(10)
              : undefined
        const hit = sql ? SQL_DROPS.find((d) => d.pattern.test(sql)) : undefined
        if (hit && sql) return { command: `psql -c "${sql.trim()}"`, destroys: hit.destroys }
      }
    }
  }
  return undefined
}
