/** @module `lint` step: actionlint over .github/workflows; exits non-zero on any finding. */
import { formatProblems, lintWorkflows } from '../src/workflow-lint.ts'

const problems = await lintWorkflows()
if (problems.length > 0) {
  console.error(formatProblems(problems))
  console.error(`actionlint: ${problems.length} problem(s) in .github/workflows`)
  process.exit(1)
}
console.log('actionlint: .github/workflows is clean')
