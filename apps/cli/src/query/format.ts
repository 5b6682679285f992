/** @module Output formats of `lake query`: an aligned text table, RFC 4180 CSV, or a JSON array of objects. */
import type { QueryResult, QueryValue } from './result.ts'

export const QUERY_FORMATS = ['table', 'csv', 'json'] as const
export type QueryFormat = (typeof QUERY_FORMATS)[number]

export function isQueryFormat(value: string): value is QueryFormat {
  return (QUERY_FORMATS as readonly string[]).includes(value)
}

/** A cell as text: lists and structs as JSON, so `["a","b"]` stays unambiguous. */
function cellText(value: QueryValue, nullText: string): string {
  if (value === null) return nullText
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** Display width: one column per code point (good enough for a terminal table of names). */
function width(text: string): number {
  return [...text].length
}

function pad(text: string, size: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)))
  return right ? fill + text : text + fill
}

/** Columns are left-aligned, numbers right-aligned; NULL is spelled out; a row count closes the table. */
export function formatTable({ columns, rows }: QueryResult): string {
  // Tabs and newlines inside a value would break the grid.
  const flat = (text: string) => text.replace(/\r\n|\r|\n/g, '\\n').replace(/\t/g, ' ')
  const cells = rows.map((row) => row.map((value) => flat(cellText(value, 'NULL'))))
  const numeric = columns.map(
    (_, c) => rows.length > 0 && rows.every((row) => row[c] === null || typeof row[c] === 'number'),
  )
  const widths = columns.map((name, c) => Math.max(width(name), ...cells.map((row) => width(row[c]!))))
  const line = (values: string[]) =>
    values
      .map((v, c) => pad(v, widths[c]!, numeric[c]!))
      .join(' | ')
      .trimEnd()
  const footer = `(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`
  if (columns.length === 0) return `${footer}\n`
  return [
    line(columns.map(flat)),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...cells.map(line),
    footer,
    '',
  ].join('\n')
}

/** RFC 4180: CRLF line ends; a field with a comma, quote, CR or LF is quoted, quotes doubled. NULL is empty. */
export function formatCsv({ columns, rows }: QueryResult): string {
  const field = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text)
  const record = (values: string[]) => `${values.map(field).join(',')}\r\n`
  return record(columns) + rows.map((row) => record(row.map((v) => cellText(v, '')))).join('')
}

/**
 * One object per row keyed by column name. A repeated column name gets a `_2`, `_3`... suffix rather
 * than silently overwriting the earlier value.
 */
export function resultObjects({ columns, rows }: QueryResult): Record<string, QueryValue>[] {
  const used = new Set<string>()
  const keys = columns.map((name) => {
    let key = name
    for (let n = 2; used.has(key); n++) key = `${name}_${n}`
    used.add(key)
    return key
  })
  return rows.map((row) => Object.fromEntries(keys.map((key, c) => [key, row[c] ?? null])))
}

/** A JSON array of objects keyed by column name (`resultObjects`). */
export function formatJson(result: QueryResult): string {
  return `${JSON.stringify(resultObjects(result), null, 2)}\n`
}

export function formatResult({ result, format }: { result: QueryResult; format: QueryFormat }): string {
  switch (format) {
    case 'table':
      return formatTable(result)
    case 'csv':
      return formatCsv(result)
    case 'json':
      return formatJson(result)
  }
}
