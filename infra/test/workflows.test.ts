import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { lintWorkflowSource, lintWorkflows, WORKFLOWS_DIR } from '../src/workflow-lint.ts'

const REPO = join(WORKFLOWS_DIR, '../..')

interface Step {
  name?: string
  uses?: string
  run?: string
  with?: Record<string, string | number | boolean>
  env?: Record<string, string>
  'working-directory'?: string
}
interface Job {
  'runs-on'?: string
  uses?: string
  needs?: string | string[]
  if?: string
  with?: Record<string, string>
  secrets?: string
  environment?: { name: string; url?: string }
  concurrency?: { group: string; 'cancel-in-progress': boolean }
  permissions?: Record<string, string>
  env?: Record<string, string>
  steps?: Step[]
}
interface Workflow {
  on: Record<string, unknown>
  permissions?: Record<string, string>
  jobs: Record<string, Job>
}

const workflow = (file: string): Workflow =>
  parse(readFileSync(join(WORKFLOWS_DIR, file), 'utf8')) as Workflow
const runs = (job: Job): string => (job.steps ?? []).map((s) => s.run ?? '').join('\n')

describe('actionlint', () => {
  it('finds nothing wrong in .github/workflows', async () => {
    expect(await lintWorkflows()).toEqual([])
  })

  it('does report a broken workflow (so a clean result means something)', async () => {
    const broken = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-24.04',
      '    steps:',
      '      - run: echo ${{ github.evnt_name }}',
      '      - uses: actions/checkout@v5',
      '        whith: { fetch-depth: 0 }',
    ].join('\n')
    const problems = await lintWorkflowSource({ source: broken, path: 'broken.yml' })
    expect(problems.map((p) => p.line).sort()).toEqual([6, 8])
    expect(problems.every((p) => p.file === 'broken.yml')).toBe(true)
  })
})

describe('ci.yml', () => {
  const ci = workflow('ci.yml')
  const check = ci.jobs.check!
  const steps = check.steps ?? []

  it('runs on every push to main and every pull request, read-only', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push'])
    expect(ci.permissions).toEqual({ contents: 'read' })
  })

  it('sets up Node 24 and caches the pnpm store; ./lake installs pnpm itself', () => {
    const node = steps.find((s) => s.uses?.startsWith('actions/setup-node@'))
    expect(node?.with).toMatchObject({ 'node-version': 24 })
    const cache = steps.find((s) => s.uses?.startsWith('actions/cache@'))
    expect(cache?.with?.path).toBe('~/.local/share/pnpm/store')
    expect(cache?.with?.key).toContain("hashFiles('pnpm-lock.yaml')")
  })

  it('runs .ci/run’s check, synth, actionlint, then the staleness check', () => {
    const script = runs(check)
    const order = [
      './lake test',
      'pnpm --filter @spotify-lake/infra synth',
      'run lint:workflows',
      'git status --porcelain',
    ].map((needle) => script.indexOf(needle))
    expect(order.every((index) => index >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(readFileSync(join(REPO, '.ci/run'), 'utf8')).toMatch(/^\.\/lake test$/m)
  })

  it('`./lake test` bundles both Workers with `wrangler deploy --dry-run` and fails on stale Env types', () => {
    const pkg = (path: string) =>
      JSON.parse(readFileSync(join(REPO, path), 'utf8')) as { scripts: Record<string, string> }
    expect(pkg('package.json').scripts.check).toMatch(/turbo run [^&]*\bbuild\b/)
    for (const app of ['worker', 'transformer']) {
      const { scripts } = pkg(`apps/${app}/package.json`)
      expect(scripts.build, app).toMatch(/^wrangler deploy --dry-run /)
      expect(scripts.typecheck, app).toMatch(/^pnpm run check:types && /)
      expect(scripts['check:types'], app).toMatch(/^wrangler types [^&]*--check$/)
    }
    // One way to generate the Env types: both Workers use the same flags.
    const flags = (app: string) => pkg(`apps/${app}/package.json`).scripts.types
    expect(flags('worker')).toBe(flags('transformer'))
    expect(pkg('apps/worker/package.json').scripts['check:types']).toBe(`${flags('worker')} --check`)
  })
})

describe('deploy.yml', () => {
  const deploy = workflow('deploy.yml')
  const dev = deploy.jobs.dev!
  const prod = deploy.jobs.prod!

  it('deploys only commits whose CI passed on a push to main in this repository', () => {
    expect(deploy.on.workflow_run).toEqual({ workflows: ['ci'], types: ['completed'], branches: ['main'] })
    expect(deploy.on.push).toBeUndefined()
    for (const condition of [
      "github.event.workflow_run.conclusion == 'success'",
      "github.event.workflow_run.event == 'push'",
      'github.event.workflow_run.head_repository.full_name == github.repository',
    ]) {
      expect(dev.if).toContain(condition)
    }
    expect(dev.with).toEqual({
      environment: 'dev',
      ref: '${{ github.event.workflow_run.head_sha || github.sha }}',
    })
  })

  it('deploys prod after dev, through the same per-environment workflow', () => {
    for (const job of [dev, prod]) {
      expect(job.uses).toBe('./.github/workflows/deploy-environment.yml')
      expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' })
    }
    expect(prod.with?.environment).toBe('prod')
    expect(prod.needs).toBe('dev')
    expect(prod.if).toContain("needs.dev.result == 'success'")
  })

  it('can be dispatched for one environment (what `pnpm run deploy` does)', () => {
    expect(deploy.on.workflow_dispatch).toMatchObject({
      inputs: { environment: { type: 'choice', options: ['dev', 'prod'] } },
    })
  })
})

describe('deploy-environment.yml', () => {
  const job = workflow('deploy-environment.yml').jobs.deploy!
  const steps = job.steps ?? []
  const script = runs(job)

  it('checks out exactly the commit it was asked to deploy', () => {
    expect(steps[0]).toMatchObject({ uses: 'actions/checkout@v7', with: { ref: '${{ inputs.ref }}' } })
  })

  it('runs in the GitHub environment (approval for prod), one deploy at a time per environment', () => {
    expect(job.environment?.name).toBe('${{ inputs.environment }}')
    expect(job.concurrency).toEqual({
      group: 'deploy-${{ inputs.environment }}',
      'cancel-in-progress': false,
    })
  })

  it('gets AWS credentials only through OIDC', () => {
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' })
    const aws = steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))
    expect(aws?.with?.['role-to-assume']).toBe('${{ secrets.AWS_DEPLOY_ROLE_ARN }}')
    expect(JSON.stringify(steps)).not.toMatch(/aws-access-key-id|aws-secret-access-key/)
  })

  it('synthesizes, then terraform init/plan/apply in the synthesized stack', () => {
    const order = [
      'infra synth',
      'terraform init',
      'terraform plan -out=tfplan',
      'terraform apply tfplan',
    ].map((needle) => script.indexOf(needle))
    expect(order.every((index) => index >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(script).toContain('-backend-config="bucket=$TF_VAR_state_bucket"')
  })

  it('deploys both Workers with their secrets from a file', () => {
    expect(script).toContain('for app in worker transformer')
    expect(script).toContain('wrangler deploy --secrets-file "$file"')
    expect(script).toContain('S3_ACCESS_KEY_ID: $id, S3_SECRET_ACCESS_KEY: $secret')
    expect(script).toContain('--var "S3_BUCKET:$lake_bucket"')
    // Queues exist before the Workers that bind them are deployed.
    expect(script.indexOf('wrangler queues create')).toBeGreaterThanOrEqual(0)
    expect(script.indexOf('wrangler queues create')).toBeLessThan(script.indexOf('wrangler deploy'))
  })

  it('checks SOURCES (a GitHub environment variable) before anything deploys, and deploys the checked value', () => {
    const check = steps.find((s) => s.name === 'Check configuration')!
    expect(check.env?.SOURCES).toBe('${{ vars.SOURCES }}')
    expect(check.run).toContain('run check-sources')
    const deployStep = steps.find((s) => s.name === 'Deploy Workers')!
    expect(deployStep.env?.SOURCES).toBe('${{ steps.config.outputs.sources }}')
    expect(deployStep.run).toContain('--var "SOURCES:$SOURCES"')
    expect(steps.indexOf(check)).toBeLessThan(steps.findIndex((s) => s.uses?.startsWith('aws-actions/')))
    expect(job.env?.TF_VAR_lake_first_date).toBe('${{ vars.LAKE_FIRST_DATE }}')
  })

  it('smoke-tests without starting a run: /health, a refused refresh, an authenticated read', () => {
    const smoke = steps.find((s) => s.name === 'Smoke test')!.run!
    expect(smoke).toMatch(/\$base\/health/)
    expect(smoke).toContain('jq -r .config')
    expect(smoke).toMatch(/-X POST "\$base\/refresh"/)
    // The only authenticated call is a read; a refresh with the token would start a Spotify run on every deploy.
    expect(smoke).toMatch(/-H "Authorization: Bearer \$REFRESH_API_TOKEN" "\$base\/runs\?limit=1"/)
    expect(smoke.match(/Authorization: Bearer/g)).toHaveLength(1)
    expect(smoke).not.toMatch(/Bearer[^\n]*\/refresh/)
  })

  it('never expands a secret or an input inside a script (they reach scripts as environment variables)', () => {
    for (const step of steps) expect(step.run ?? '', step.name).not.toMatch(/\$\{\{\s*(secrets|inputs)\./)
  })
})

/**
 * Every action the workflows use, by `owner/repo@major`, with the runtime its action.yml declares at that tag
 * (`runs.using`). GitHub runs Node 20 actions on Node 24 from 2026 and then removes Node 20: every action here
 * must already declare node24. Adding or bumping an action means adding its line, checked against its tag.
 */
const ACTION_RUNTIMES: Record<string, { using: string; source: string }> = {
  'actions/checkout@v7': { using: 'node24', source: 'actions/checkout v7.0.1 action.yml' },
  'actions/setup-node@v7': { using: 'node24', source: 'actions/setup-node v7.0.0 action.yml' },
  'actions/cache@v5': { using: 'node24', source: 'actions/cache v5.0.5 action.yml' },
  'aws-actions/configure-aws-credentials@v6': {
    using: 'node24',
    source: 'aws-actions/configure-aws-credentials v6.2.3 action.yml',
  },
  'hashicorp/setup-terraform@v4': { using: 'node24', source: 'hashicorp/setup-terraform v4.0.1 action.yml' },
}

describe('actions', () => {
  it('uses only actions whose pinned major runs on Node 24', () => {
    const used = new Set<string>()
    for (const file of ['ci.yml', 'deploy.yml', 'deploy-environment.yml']) {
      for (const job of Object.values(workflow(file).jobs)) {
        for (const step of job.steps ?? []) if (step.uses) used.add(step.uses)
      }
    }
    expect(used.size).toBeGreaterThan(0)
    for (const action of used) {
      expect(ACTION_RUNTIMES[action], `${action}: add its runs.using to ACTION_RUNTIMES`).toBeDefined()
      expect(ACTION_RUNTIMES[action]!.using, action).toBe('node24')
    }
  })
})
