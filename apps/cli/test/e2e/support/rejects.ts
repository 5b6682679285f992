/** @module The rejected zone of a run: every line of `rejected/<table>/dt=.../<run_id>.jsonl.gz`. */
import { gunzip, type LakeStore } from '@spotify-lake/lake-store'
import { LAKE_TABLE_NAMES, lakeKeys } from '@spotify-lake/schemas'

export interface RejectLine {
  table: string
  reason: string
  detail: string
  source: string
  path: string
  runId: string
  record?: unknown
}

export async function readRejects(
  store: LakeStore,
  { dt, runId }: { dt: string; runId: string },
): Promise<RejectLine[]> {
  const lines: RejectLine[] = []
  for (const table of LAKE_TABLE_NAMES) {
    const bytes = await store.get(lakeKeys.rejected({ table, dt, runId }))
    if (!bytes) continue
    const text = new TextDecoder().decode(await gunzip(bytes))
    for (const line of text.split('\n')) if (line.trim()) lines.push(JSON.parse(line) as RejectLine)
  }
  return lines
}
