/** @module Insight SQL files -> Athena named queries: one folder of `.sql` files, shared with the local engine. */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface InsightQuery {
  /** File name without `.sql`: the named query's name. */
  name: string
  /** The file's leading `--` comment lines, joined. */
  description: string
  sql: string
}

const QUERY_NAME = /^[a-z0-9][a-z0-9_-]{0,127}$/

/** Parses one file: leading `-- ...` lines are the description, the rest is the statement. */
export function parseInsightQuery({ name, text }: { name: string; text: string }): InsightQuery {
  if (!QUERY_NAME.test(name)) {
    throw new Error(`insight query file name must be lowercase [a-z0-9_-] (max 128): ${JSON.stringify(name)}`)
  }
  const lines = text.replace(/\r\n/g, '\n').split('\n')
  const comment: string[] = []
  let body = 0
  for (const line of lines) {
    const match = /^--\s?(.*)$/.exec(line.trim())
    if (!match) break
    comment.push(match[1]!.trim())
    body++
  }
  const description = comment.filter(Boolean).join(' ')
  const sql = lines.slice(body).join('\n').trim()
  if (!description)
    throw new Error(`insight query ${name}: start the file with a '-- description' comment line`)
  // Athena named query descriptions are at most 1024 characters.
  if (description.length > 1024) throw new Error(`insight query ${name}: description is over 1024 characters`)
  if (!sql) throw new Error(`insight query ${name}: the file has no SQL after its description`)
  return { name, description, sql }
}

/**
 * Every `*.sql` file of `dir`, sorted by name so the synthesized stack is stable. A missing folder is an
 * empty list: the insight queries arrive in a later change and the stack must synthesize without them.
 */
export function readInsightQueries({ dir }: { dir: string }): InsightQuery[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.sql'))
    .map((entry) => entry.name)
    .sort()
    .map((file) =>
      parseInsightQuery({ name: file.slice(0, -4), text: readFileSync(join(dir, file), 'utf8') }),
    )
}
