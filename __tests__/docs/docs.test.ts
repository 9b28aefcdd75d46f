import { beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import yaml from 'js-yaml'
import { INPUT_NAMES } from '../../src/settings/schema.js'

/**
 * README.md's reference tables are generated from action.yml (scripts/docs.mjs), and
 * action.yml follows the contract of docs/design.md sections 3 and 4.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
/** The design notes and contract, inside the repository. */
const DESIGN_FILE = join(ROOT, 'docs', 'design.md')

interface ActionYml {
  inputs: { [name: string]: { description?: string; required?: boolean; default?: string } }
  outputs: { [name: string]: { description?: string } }
}

interface DocsModule {
  readAction(file?: string): ActionYml
  checkReadme(): { current: boolean; readme: string; expected: string }
  renderReadme(readme: string, action: ActionYml): string
  inputsTable(action: ActionYml): string
  outputsTable(action: ActionYml): string
  describeInput(input: ActionYml['inputs'][string]): { text: string; default: string }
  cell(text: string): string
}

let docs: DocsModule
beforeAll(async () => {
  // a file URL keeps TypeScript from looking for types of the plain JavaScript script
  docs = (await import(pathToFileURL(join(ROOT, 'scripts', 'docs.mjs')).href)) as DocsModule
})

const action = (): ActionYml =>
  yaml.load(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml

describe('README reference tables', () => {
  it('are current with action.yml (run `npm run docs` to regenerate)', () => {
    const { readme, expected } = docs.checkReadme()
    expect(readme).toBe(expected)
  })

  it('list every input and output of action.yml', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    for (const name of [...Object.keys(action().inputs), ...Object.keys(action().outputs)])
      expect(readme).toContain(`| \`${name}\` |`)
  })

  it('escape pipes and line breaks in cells', () => {
    expect(docs.cell('a | b\n  c')).toBe('a \\| b c')
  })

  it('take the default from action.yml, else from the description', () => {
    expect(docs.describeInput({ description: 'Limit. Default - 15m.' })).toEqual({
      text: 'Limit.',
      default: '`15m`'
    })
    expect(docs.describeInput({ description: 'Hook. Default - none.' }).default).toBe('—')
    expect(
      docs.describeInput({
        description: 'Token. Default - the token.',
        default: '${{ github.token }}'
      }).default
    ).toBe('`${{ github.token }}`')
    expect(docs.describeInput({ description: 'Where. Default - every check but ours.' })).toEqual({
      text: 'Where.',
      default: 'every check but ours'
    })
  })

  it('refuse a README without the markers', () => {
    expect(() => docs.renderReadme('# no markers\n', action())).toThrow(/inputs:start/)
  })

  it('regenerate a stale table', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const stale = readme.replace(/(<!-- outputs:start -->)[\s\S]*?(<!-- outputs:end -->)/, '$1\n$2')
    expect(stale).not.toBe(readme)
    expect(docs.renderReadme(stale, action())).toBe(readme)
  })
})

describe('action.yml', () => {
  it('declares the inputs the code reads, in the same order', () => {
    expect(Object.keys(action().inputs)).toEqual([...INPUT_NAMES])
  })

  it('states the default of every optional input (a runner passes every default: as set)', () => {
    for (const [name, input] of Object.entries(action().inputs)) {
      if (input.required === true) continue
      const stated = /Default - .+/.test(input.description ?? '')
      expect({ name, stated }).toEqual({ name, stated: true })
    }
  })

  it('gives a default: only to github-token', () => {
    const withDefault = Object.entries(action().inputs)
      .filter(([, i]) => i.default !== undefined)
      .map(([n]) => n)
    expect(withDefault).toEqual(['github-token'])
  })
})

/** Backticked names in the first column of the first table after `heading`. */
function designTableNames(markdown: string, heading: RegExp): string[] {
  const lines = markdown.split('\n')
  let i = lines.findIndex((l) => heading.test(l))
  if (i === -1) throw new Error(`docs/design.md has no heading matching ${heading}`)
  while (i < lines.length && !lines[i]?.startsWith('|')) i++
  const names: string[] = []
  for (i += 2; i < lines.length && lines[i]?.startsWith('|'); i++) {
    const first = lines[i]?.split('|')[1] ?? ''
    for (const m of first.matchAll(/`([^`]+)`/g)) names.push(m[1] as string)
  }
  return names
}

describe('docs/design.md contract', () => {
  const design = readFileSync(DESIGN_FILE, 'utf8')

  it('numbers its sections 1 to 14, as the code and README cite them', () => {
    const numbers = [...design.matchAll(/^## (\d+)\. /gm)].map((m) => Number(m[1]))
    expect(numbers).toEqual(Array.from({ length: 14 }, (_, i) => i + 1))
  })

  it('every input of section 3 is declared in action.yml, and no other', () => {
    const names = designTableNames(design, /^## 3\. Inputs/)
    expect(names.length).toBeGreaterThan(30)
    expect(names.filter((n) => !(n in action().inputs))).toEqual([])
    expect(Object.keys(action().inputs).filter((n) => !names.includes(n))).toEqual([])
  })

  it('every output of section 4 is declared in action.yml, and no other', () => {
    const names = designTableNames(design, /^## 4\. Outputs/)
    expect(names.length).toBeGreaterThan(5)
    expect(names.filter((n) => !(n in action().outputs))).toEqual([])
    expect(Object.keys(action().outputs).filter((n) => !names.includes(n))).toEqual([])
  })
})
