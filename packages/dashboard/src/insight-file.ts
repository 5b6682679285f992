/** @module An insight file (`sql/insights/<name>.sql`) read as infra's named queries read it. */

export interface Insight {
  /** File name without `.sql` (the Athena named query's name). */
  name: string
  /** The leading `--` comment lines, joined (the named query's description). */
  description: string
  /** The statement after the description. */
  sql: string
}

/** Leading `-- ...` lines are the description, the rest is the statement (infra's contract). */
export function parseInsight({ name, text }: { name: string; text: string }): Insight {
  const lines = text.replace(/\r\n/g, '\n').split('\n')
  const comment: string[] = []
  for (const line of lines) {
    const match = /^--\s?(.*)$/.exec(line.trim())
    if (!match) break
    comment.push(match[1]!.trim())
  }
  return {
    name,
    description: comment.filter(Boolean).join(' '),
    sql: lines.slice(comment.length).join('\n').trim(),
  }
}
