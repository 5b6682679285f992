/** @module `lake transform`: one raw object or bare Spotify response -> Parquet files per table plus a rejected file, offline. */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { LAKE_TABLE_NAMES, lakeTable } from '@spotify-lake/schemas'
import { type RejectRecord, stageSummaryOf, transformRaw, writeTableParquet } from '@spotify-lake/transformer'
import { type Command, EXIT_OK, UsageError } from '../command.ts'

const usage = `Usage: lake transform <file.json[.gz]> --out <dir> [--json] [--run-id <id>] [--extracted-at <iso>]

Transforms one raw object (raw/<source>/dt=.../<run>/<unit>.json.gz, gzip or not) or a bare Spotify
Web API response (a playlist, a page of playlist items, tracks, albums, artists) into
<dir>/<table>.parquet for every table that got rows, and <dir>/rejected.jsonl with each rejected
record and its reason. Prints rows per table and rejects per reason (--json: as JSON).

Options:
  --out <dir>            where to write (created if missing)
  --json                 print the summary as JSON
  --run-id <id>          _run_id of rows from a bare response (default: offline)
  --extracted-at <iso>   _extracted_at of rows from a bare response (default: now)`

export interface TransformSummary {
  input: string
  kind: 'envelope' | 'response'
  responses: string[]
  tables: Record<string, { rows: number; rejected: number; file: string | null }>
  rejects: Record<string, number>
  rejectedFile: string | null
}

export async function transformFile({
  file,
  out,
  runId,
  extractedAt,
}: {
  file: string
  out: string
  runId?: string
  extractedAt?: string
}): Promise<TransformSummary> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(file)
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`)
  }
  const result = await transformRaw({
    bytes,
    name: basename(file),
    ...(runId ? { runId } : {}),
    ...(extractedAt ? { extractedAt } : {}),
  })
  await mkdir(out, { recursive: true })
  const summary = stageSummaryOf(result.output)
  const tables: TransformSummary['tables'] = {}
  const rejects: RejectRecord[] = []
  for (const name of LAKE_TABLE_NAMES) {
    const { rows, rejects: tableRejects } = result.output[name]
    rejects.push(...tableRejects)
    let path: string | null = null
    if (rows.length > 0) {
      path = join(out, `${name}.parquet`)
      await writeFile(path, writeTableParquet({ table: lakeTable(name), rows }))
    }
    tables[name] = { ...summary.tables[name], file: path }
  }
  let rejectedFile: string | null = null
  if (rejects.length > 0) {
    rejectedFile = join(out, 'rejected.jsonl')
    await writeFile(rejectedFile, rejects.map((r) => `${JSON.stringify(r)}\n`).join(''))
  }
  return {
    input: file,
    kind: result.input,
    responses: result.kinds,
    tables,
    rejects: summary.rejects,
    rejectedFile,
  }
}

function renderText(s: TransformSummary): string {
  const lines = [`${s.input} (${s.kind}: ${s.responses.join(', ') || 'no usable response'})`, '']
  const width = Math.max(...Object.keys(s.tables).map((t) => t.length))
  lines.push(`${'table'.padEnd(width)}  rows  rejected  file`)
  for (const [name, t] of Object.entries(s.tables)) {
    lines.push(
      `${name.padEnd(width)}  ${String(t.rows).padStart(4)}  ${String(t.rejected).padStart(8)}  ${t.file ?? '-'}`,
    )
  }
  const reasons = Object.entries(s.rejects)
  lines.push(
    '',
    reasons.length
      ? `rejects: ${reasons.map(([r, n]) => `${r}=${n}`).join(', ')} -> ${s.rejectedFile}`
      : 'rejects: none',
  )
  return `${lines.join('\n')}\n`
}

export const transformCommand: Command = {
  name: 'transform',
  summary: 'Transform a raw object or a bare Spotify response into Parquet files (offline debugging)',
  usage,
  async run({ args, io }) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        json: { type: 'boolean', default: false },
        'run-id': { type: 'string' },
        'extracted-at': { type: 'string' },
      },
    })
    if (positionals.length !== 1) throw new UsageError('give exactly one input file')
    if (!values.out) throw new UsageError('--out <dir> is required')
    const extractedAt = values['extracted-at']
    if (extractedAt !== undefined && Number.isNaN(Date.parse(extractedAt))) {
      throw new UsageError(`--extracted-at is not an ISO date-time: ${extractedAt}`)
    }
    const summary = await transformFile({
      file: resolve(positionals[0]!),
      out: resolve(values.out),
      ...(values['run-id'] ? { runId: values['run-id'] } : {}),
      ...(extractedAt ? { extractedAt: new Date(extractedAt).toISOString() } : {}),
    })
    io.stdout(values.json ? `${JSON.stringify(summary, null, 2)}\n` : renderText(summary))
    return EXIT_OK
  },
}
