/** @module A lint for SQL that must run on both DuckDB (locally) and Trino (Athena): flags DuckDB-only constructs. */
// Trino cannot run here, so this list plus DuckDB's own parser are the portability check.

export interface PortabilityRule {
  /** What to write instead, or why it is out. */
  message: string
  pattern: RegExp
}

export const PORTABILITY_RULES: readonly PortabilityRule[] = [
  { message: 'QUALIFY is DuckDB-only: filter a window result in an outer query', pattern: /\bQUALIFY\b/i },
  { message: ':: casts are DuckDB-only: use CAST(x AS type)', pattern: /::/ },
  { message: '// is DuckDB integer division: use CAST and /', pattern: /\/\// },
  { message: '== is DuckDB-only: use =', pattern: /==/ },
  { message: 'GROUP BY ALL / ORDER BY ALL are DuckDB-only', pattern: /\b(GROUP|ORDER)\s+BY\s+ALL\b/i },
  {
    message: 'star modifiers (EXCLUDE, REPLACE, COLUMNS) are DuckDB-only',
    pattern: /\*\s*(EXCLUDE|REPLACE|RENAME)\b|\bCOLUMNS\s*\(/i,
  },
  { message: 'ILIKE is DuckDB-only: use lower(x) LIKE', pattern: /\bILIKE\b/i },
  {
    message: 'list literals [..] are DuckDB-only: use ARRAY[..] (subscripts as try(a[i]))',
    pattern: /(?<![\w\])])\[/,
  },
  { message: 'struct literals {..} are DuckDB-only', pattern: /\{/ },
  { message: 'lambdas and JSON arrows differ between engines', pattern: /->/ },
  {
    message: 'DuckDB table functions do not exist in Athena: query the lake tables',
    pattern: /\bread_(parquet|csv|csv_auto|json|json_auto|text)\b/i,
  },
  {
    message: 'DuckDB-only function: use one both engines have (Trino docs)',
    pattern:
      /\b(strftime|strptime|date_part|datediff|datesub|string_agg|list|list_\w+|len|array_length|regexp_matches|struct_pack|epoch_ms|today|first|last|any_value|contains|group_concat|string_split|str_split|array_join)\s*\(/i,
  },
  { message: 'SELECT DISTINCT ON is DuckDB/Postgres-only', pattern: /\bDISTINCT\s+ON\b/i },
  {
    message: 'USING SAMPLE, PIVOT, ASOF and POSITIONAL joins are DuckDB-only',
    pattern: /\bUSING\s+SAMPLE\b|\b(UN)?PIVOT\b|\bASOF\b|\bPOSITIONAL\s+JOIN\b|\b(ANTI|SEMI)\s+JOIN\b/i,
  },
  { message: "INTERVAL needs a quoted amount in Trino: INTERVAL '1' DAY", pattern: /\bINTERVAL\s+\d/i },
  {
    message: 'STRING, TEXT and HUGEINT are not Trino types: use VARCHAR / BIGINT',
    pattern: /\bAS\s+(STRING|TEXT|HUGEINT|UBIGINT|UINTEGER)\b/i,
  },
  { message: 'one statement per insight: no semicolons', pattern: /;/ },
]

/** The SQL with comments removed and string literals / quoted identifiers emptied, so rules see only code. */
export function stripSqlLiterals(sql: string): string {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|"(?:[^"]|"")*"/g, (match) => {
    if (match.startsWith("'")) return "''"
    if (match.startsWith('"')) return '""'
    return ' '
  })
}

/** Every portability problem of `sql` (empty when it keeps to the shared subset as far as this list knows). */
export function checkPortableSql(sql: string): string[] {
  const code = stripSqlLiterals(sql)
  const problems = PORTABILITY_RULES.filter((rule) => rule.pattern.test(code)).map((rule) => rule.message)
  if (!/^\s*(SELECT|WITH)\b/i.test(code))
    problems.push('an insight is one read-only SELECT (or WITH ... SELECT)')
  // Trino throws on an array subscript past the end (DuckDB gives NULL); try() gives NULL in both engines.
  const subscripts = code.replace(/\bARRAY\s*\[/gi, '(').match(/[\w"\])]\s*\[/g)?.length ?? 0
  const guarded = code.match(/\btry\s*\(\s*[\w."]+\s*\[[^\]]*\]\s*\)/gi)?.length ?? 0
  if (subscripts !== guarded) problems.push('array subscripts only as try(a[i]): Trino throws past the end')
  // UNNEST belongs in FROM as `CROSS JOIN UNNEST(x) AS t(c)`: DuckDB's unnest() in the select list is not Trino.
  const unnests = code.match(/\bUNNEST\s*\(/gi)?.length ?? 0
  const joined = code.match(/\bCROSS\s+JOIN\s+UNNEST\s*\(/gi)?.length ?? 0
  if (unnests !== joined) problems.push('UNNEST only as CROSS JOIN UNNEST(x) AS t(c)')
  return problems
}
