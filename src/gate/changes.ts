import type { ComparedCommit, Comparison, GitHubApi } from '../github/api.js'
import type { ChangesRecord, PullRecord } from '../record/types.js'
import type { DeploymentView } from './deployments.js'

/** the most files GitHub lists in one compare (and 250 commits) */
export const COMPARE_FILES_MAX = 300

/**
 * What goes out: the commits between the running version (the previous deployment) and this
 * commit, read from `GET compare/{previous_sha}...{sha}`. Never a reason to stop: a compare
 * that fails, or a history that went backwards, is said in the record.
 */

export interface ChangeFacts {
  /** the running version and its commit */
  base: string
  baseSha: string
  comparison?: Comparison
  error?: string
}

/**
 * One compare per base commit, shared: the gate asks for the newest deployment's as soon as
 * the deployments are listed (usually the running version), so that the change list costs no
 * round trip of its own; the base confirmed later reuses it.
 */
export function comparer(api: GitHubApi, sha: string): (base: string) => Promise<Comparison> {
  const asked = new Map<string, Promise<Comparison>>()
  return (base) => {
    let p = asked.get(base)
    if (!p) {
      p = api.compare(base, sha)
      p.catch(() => undefined) // read (and its failure told) by whoever uses it
      asked.set(base, p)
    }
    return p
  }
}

export async function collectChangeFacts(
  compare: (base: string) => Promise<Comparison>,
  previous: DeploymentView | undefined
): Promise<ChangeFacts | undefined> {
  if (!previous) return undefined
  const facts: ChangeFacts = { base: previous.version, baseSha: previous.sha }
  try {
    facts.comparison = await compare(previous.sha)
  } catch (e) {
    facts.error = (e as Error).message
  }
  return facts
}

// "Add user exports (#123)" (a squash merge), possibly with more text after it
const SQUASH = /^(.*\S)\s+\(#(\d+)\)\s*$/
// "Merge pull request #123 from alice/exports", the title on the first line of the body
const MERGE = /^Merge pull request #(\d+) from (\S+)/

/** The pull requests named in the commits' messages, each once, in the order they went in. */
export function pullsOf(commits: ComparedCommit[]): PullRecord[] {
  const found = new Map<number, PullRecord>()
  for (const c of commits) {
    const [subject = '', ...body] = c.commit.message.split('\n')
    const author = c.author?.login ?? c.commit.author?.name ?? ''
    const merge = MERGE.exec(subject.trim())
    if (merge) {
      const number = Number(merge[1])
      const title = body.map((l) => l.trim()).find(Boolean) ?? merge[2] ?? ''
      if (!found.has(number)) found.set(number, { number, title, author })
      continue
    }
    const squash = SQUASH.exec(subject.trim())
    if (squash) {
      const number = Number(squash[2])
      if (!found.has(number)) found.set(number, { number, title: squash[1] ?? '', author })
    }
  }
  return [...found.values()]
}

/** The record's `changes` (docs/design.md section 8). */
export function changesRecord(facts: ChangeFacts | undefined): ChangesRecord | undefined {
  if (!facts) return undefined
  const c = facts.comparison
  if (!c) return { base: facts.base, commits: 0, pulls: [], error: facts.error ?? 'no compare' }
  return {
    base: facts.base,
    commits: c.total_commits,
    url: c.html_url || undefined,
    pulls: pullsOf(c.commits),
    ...(c.status !== 'ahead' && { history: c.status }),
    ...(c.behind_by > 0 && { behind_by: c.behind_by }),
    ...((c.commits.length < c.total_commits || (c.files?.length ?? 0) >= COMPARE_FILES_MAX) && {
      truncated: true
    })
  }
}
