import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** `npm run lint:workflows`: a current actionlint over examples/ and the README's workflows. */

const lint = (...extra: string[]) =>
  spawnSync(process.execPath, [join('scripts', 'lint-workflows.mjs'), ...extra], {
    encoding: 'utf8'
  })

describe('npm run lint:workflows', () => {
  it('passes on the examples and the README', () => {
    const r = lint()
    expect(r.stdout).toContain('examples/workflows/release.yml')
    expect(r.stdout).toContain('examples/workflows/waves.yml')
    expect(r.stdout).toContain('README.md, workflow 1')
    expect(r.stdout).toContain('All workflow files passed')
    expect(r.status).toBe(0)
  })

  it('fails on a deliberately broken example, naming the problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'red-button-broken-workflow-'))
    try {
      const broken = join(dir, 'release.yml')
      // an expression that reads a context property GitHub does not have
      writeFileSync(
        broken,
        readFileSync(join('examples', 'workflows', 'release.yml'), 'utf8').replace(
          '${{ secrets.SLACK_WEBHOOK_URL }}',
          '${{ github.slack_webhook }}'
        )
      )
      const r = lint(broken)
      expect(r.status).toBe(1)
      expect(r.stdout).toMatch(/property "slack_webhook" is not defined/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
