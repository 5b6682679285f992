/** @module The insight queries: `sql/insights/<name>.sql`, the same files infra deploys as Athena named queries. */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Insight, parseInsight } from '@spotify-lake/dashboard'

/** `sql/insights/` at the repository root. */
export const DEFAULT_INSIGHTS_DIR = fileURLToPath(new URL('../../../../sql/insights/', import.meta.url))

/** The parser is shared with the Worker, which bundles the same files (packages/dashboard). */
export { type Insight, parseInsight }

/** Same rule as infra's named queries (`infra/src/insight-queries.ts`): keep the two in step. */
const INSIGHT_NAME = /^[a-z0-9][a-z0-9_-]{0,127}$/

export async function listInsights({
  dir = DEFAULT_INSIGHTS_DIR,
}: {
  dir?: string
} = {}): Promise<Insight[]> {
  let files: string[]
  try {
    files = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.endsWith('.sql'))
      .map((e) => e.name)
      .sort()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return Promise.all(
    files.map(async (file) =>
      parseInsight({ name: file.slice(0, -4), text: await readFile(join(dir, file), 'utf8') }),
    ),
  )
}

/** One insight by name, or `undefined` (also for names that are not a plain file name). */
export async function findInsight({
  name,
  dir = DEFAULT_INSIGHTS_DIR,
}: {
  name: string
  dir?: string
}): Promise<Insight | undefined> {
  if (!INSIGHT_NAME.test(name)) return undefined
  return (await listInsights({ dir })).find((insight) => insight.name === name)
}
