/**
 * @module `pnpm --filter @spotify-lake/worker run check-sources`: the deploy workflow's check of SOURCES.
 * Reads SOURCES from the environment (the GitHub environment variable), else the default in wrangler.jsonc,
 * checks it with `checkSources`, prints GitHub annotations for errors and warnings, and on success the
 * SOURCES JSON to deploy on stdout. Exit 1 when the Worker could not start a run with it.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { checkSources } from '../src/config.ts'

const CONFIG = join(dirname(fileURLToPath(import.meta.url)), '..', 'wrangler.jsonc')

function defaultSources(): unknown {
  const { config, error } = ts.parseConfigFileTextToJson(CONFIG, readFileSync(CONFIG, 'utf8'))
  if (error)
    throw new Error(`apps/worker/wrangler.jsonc: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`)
  return (config as { vars?: { SOURCES?: unknown } }).vars?.SOURCES
}

const fromEnvironment = process.env.SOURCES?.trim()
const origin = fromEnvironment
  ? 'the environment variable SOURCES'
  : 'the default in apps/worker/wrangler.jsonc'
const result = checkSources({
  sources: fromEnvironment || defaultSources(),
  hasRefreshToken: Boolean(process.env.SPOTIFY_REFRESH_TOKEN),
})
for (const warning of result.warnings)
  console.error(`::warning title=SOURCES::${warning} (SOURCES from ${origin})`)
if (!result.ok) {
  for (const error of result.errors) console.error(`::error title=SOURCES::${error} (SOURCES from ${origin})`)
  process.exit(1)
}
console.error(`SOURCES from ${origin}: ${JSON.stringify(result.sources)}`)
console.log(JSON.stringify(result.sources))
