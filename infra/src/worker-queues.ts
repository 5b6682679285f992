/** @module The Cloudflare Queues the Workers' wrangler.jsonc files name, so deploys can create them first. */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

/** The wrangler.jsonc of each Worker app, in deploy order (the worker hosts the transformer's Durable Object). */
export const WORKER_CONFIG_PATHS = ['apps/worker/wrangler.jsonc', 'apps/transformer/wrangler.jsonc'] as const

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

interface WranglerQueues {
  queues?: {
    producers?: { queue: string }[]
    consumers?: { queue: string; dead_letter_queue?: string }[]
  }
}

/** JSONC (comments, trailing commas) as wrangler reads it; TypeScript's tsconfig parser reads the same dialect. */
export function parseJsonc({ text, path }: { text: string; path: string }): unknown {
  const { config, error } = ts.parseConfigFileTextToJson(path, text)
  if (error) throw new Error(`${path}: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`)
  return config
}

/** Every queue a config produces to, consumes from or dead-letters into, in first-seen order. */
export function queuesOfWranglerConfig({ text, path }: { text: string; path: string }): string[] {
  const { queues } = parseJsonc({ text, path }) as WranglerQueues
  const names = [
    ...(queues?.producers ?? []).map((p) => p.queue),
    ...(queues?.consumers ?? []).flatMap((c) => [c.queue, c.dead_letter_queue]),
  ]
  return [...new Set(names.filter((name): name is string => typeof name === 'string' && name.length > 0))]
}

/** Queues of every Worker config that exists (an app not written yet has none). */
export function workerQueues({ root = REPO_ROOT }: { root?: string } = {}): string[] {
  const all = WORKER_CONFIG_PATHS.map((relative) => new URL(relative, `file://${root}`))
    .filter((url) => existsSync(url))
    .flatMap((url) => queuesOfWranglerConfig({ text: readFileSync(url, 'utf8'), path: fileURLToPath(url) }))
  return [...new Set(all)]
}
