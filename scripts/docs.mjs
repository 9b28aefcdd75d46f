#!/usr/bin/env node
/**
 * Generates the Inputs and Outputs reference tables of README.md from action.yml, between
 * the markers `<!-- inputs:start -->` / `<!-- inputs:end -->` and
 * `<!-- outputs:start -->` / `<!-- outputs:end -->`.
 *
 *   node scripts/docs.mjs           writes README.md            (npm run docs)
 *   node scripts/docs.mjs --check   exits 1 when it is not current (npm run docs:check)
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import yaml from 'js-yaml'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const ACTION_FILE = join(ROOT, 'action.yml')
export const README_FILE = join(ROOT, 'README.md')

/** The sentence that states an input's default at the end of its description. */
const DEFAULT_SENTENCE = /\s*Default - (.+?)\.?\s*$/s

/** Reads and parses action.yml; a YAML error names the file and the place. */
export function readAction(file = ACTION_FILE) {
  const text = readFileSync(file, 'utf8')
  let action
  try {
    action = yaml.load(text)
  } catch (e) {
    throw new Error(`${file} is not valid YAML: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e
    })
  }
  if (!action || typeof action !== 'object' || typeof action.inputs !== 'object') {
    throw new Error(`${file} declares no inputs`)
  }
  return action
}

/** One line of text safe inside a Markdown table cell. */
export function cell(text) {
  return String(text ?? '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim()
}

/** Literal values (15m, P3, true, .github/red-button.yml) are shown as code. */
function formatDefault(text) {
  const t = text.trim()
  if (t === '' || /^(none|empty)$/i.test(t)) return '—'
  if (/^[\w.:/@-]+$/.test(t) || /^\$\{\{.*\}\}$/.test(t)) return `\`${t}\``
  // a literal followed by a remark: `.github/red-button.yml` (ignored when absent)
  const m = /^([\w.:/@-]+)(\s+\(.+\))$/.exec(t)
  if (m && /[./]/.test(m[1])) return `\`${m[1]}\`${m[2]}`
  return t
}

/** Splits an input's description into its text and the default it states. */
export function describeInput(input) {
  const description = String(input?.description ?? '').trim()
  const m = DEFAULT_SENTENCE.exec(description)
  const text = m ? description.slice(0, m.index).trim() : description
  let fallback = '—'
  if (input?.default !== undefined && input.default !== null && String(input.default) !== '') {
    fallback = formatDefault(String(input.default))
  } else if (m) {
    fallback = formatDefault(m[1])
  }
  return { text, default: fallback }
}

const isRequired = (input) => input?.required === true || input?.required === 'true'

export function inputsTable(action) {
  const rows = Object.entries(action.inputs).map(([name, input]) => {
    const { text, default: fallback } = describeInput(input)
    return `| \`${name}\` | ${cell(text)} | ${cell(fallback)} | ${isRequired(input) ? 'yes' : 'no'} |`
  })
  return ['| Input | Description | Default | Required |', '|---|---|---|---|', ...rows].join('\n')
}

export function outputsTable(action) {
  const rows = Object.entries(action.outputs ?? {}).map(
    ([name, output]) => `| \`${name}\` | ${cell(output?.description)} |`
  )
  return ['| Output | Description |', '|---|---|', ...rows].join('\n')
}

/** Replaces what lies between `<!-- name:start -->` and `<!-- name:end -->`. */
export function replaceBetween(text, name, content) {
  const start = `<!-- ${name}:start -->`
  const end = `<!-- ${name}:end -->`
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from === -1 || to === -1 || to < from) {
    throw new Error(`README.md has no "${start}" ... "${end}" markers`)
  }
  return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`
}

/** README text with both tables generated from action.yml. */
export function renderReadme(readme, action) {
  const withInputs = replaceBetween(readme, 'inputs', inputsTable(action))
  return replaceBetween(withInputs, 'outputs', outputsTable(action))
}

/** Whether README.md is current, and its expected text. */
export function checkReadme({ readmeFile = README_FILE, actionFile = ACTION_FILE } = {}) {
  const readme = readFileSync(readmeFile, 'utf8')
  const expected = renderReadme(readme, readAction(actionFile))
  return { current: readme === expected, readme, expected }
}

function main(argv) {
  const check = argv.includes('--check')
  let result
  try {
    result = checkReadme()
  } catch (e) {
    console.error(`docs: ${e instanceof Error ? e.message : String(e)}`)
    return 1
  }
  if (result.current) {
    console.log('README.md inputs and outputs tables are up to date with action.yml')
    return 0
  }
  if (check) {
    console.error(
      'README.md is out of date: its Inputs/Outputs tables differ from action.yml.\n' +
        "Run 'npm run docs' and commit README.md."
    )
    return 1
  }
  writeFileSync(README_FILE, result.expected)
  console.log('README.md inputs and outputs tables regenerated from action.yml')
  return 0
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2))
}
