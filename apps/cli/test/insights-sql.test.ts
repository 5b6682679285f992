/** @module The insight files: infra's named-query contract, DuckDB binds each one, no DuckDB-only constructs. */
// Trino (Athena) cannot run here, so the shared subset is kept by a lint; the real check against Athena
// happens when the named queries run in a deployed workgroup.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lakeViews, toDuckDbType } from '@spotify-lake/schemas'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LakeDb, openLakeDb } from '../src/query/duckdb.ts'
import { type Insight, listInsights, parseInsight } from '../src/query/insights.ts'
import { checkPortableSql, stripSqlLiterals } from '../src/query/portable-sql.ts'

let insights: Insight[]
let db: LakeDb
let root: string

beforeAll(async () => {
  insights = await listInsights()
  root = await mkdtemp(join(tmpdir(), 'lake-insights-sql-'))
  db = await openLakeDb({ root })
})

afterAll(async () => {
  db.close()
  await rm(root, { recursive: true, force: true })
})

describe('sql/insights/*.sql', () => {
  it('follows the named-query contract infra reads: safe name, a description, one statement', () => {
    expect(insights.length).toBe(14)
    for (const insight of insights) {
      expect(insight.name).toMatch(/^[a-z0-9][a-z0-9_-]{0,127}$/)
      expect(insight.description.length).toBeGreaterThan(20)
      // Athena named query descriptions are at most 1024 characters.
      expect(insight.description.length).toBeLessThanOrEqual(1024)
      expect(insight.sql).toMatch(/^(SELECT|WITH)\b/)
      expect(insight.sql).not.toMatch(/^--/m)
    }
  })

  it('parses and binds in DuckDB against the lake tables (EXPLAIN)', async () => {
    for (const insight of insights) {
      const plan = await db.query(`EXPLAIN ${insight.sql}`)
      expect(plan.rows.length, insight.name).toBeGreaterThan(0)
    }
  })

  it('keeps to the SQL subset DuckDB and Trino share', () => {
    for (const insight of insights)
      expect([insight.name, checkPortableSql(insight.sql)]).toEqual([insight.name, []])
  })
})

describe('the lake views (packages/schemas lakeViews)', () => {
  it('yield exactly their declared columns and types in DuckDB', async () => {
    for (const view of lakeViews) {
      const described = await db.query(`DESCRIBE "${view.name}"`)
      const actual = described.rows.map((r) => [r[0], r[1]])
      // DESCRIBE spells TIMESTAMPTZ out.
      const declared = view.columns.map((c) => [
        c.name,
        toDuckDbType(c.type).replace('TIMESTAMPTZ', 'TIMESTAMP WITH TIME ZONE'),
      ])
      expect([view.name, actual]).toEqual([view.name, declared])
    }
  })

  it('keep to the SQL subset DuckDB and Trino share, so Athena runs the same statement', () => {
    for (const view of lakeViews) expect([view.name, checkPortableSql(view.sql)]).toEqual([view.name, []])
  })
})

describe('parseInsight', () => {
  it('reads the description from the leading comment lines, as infra does', () => {
    expect(parseInsight({ name: 'a', text: '-- One\r\n--two\n--\nSELECT 1\n-- tail\n' })).toEqual({
      name: 'a',
      description: 'One two',
      sql: 'SELECT 1\n-- tail',
    })
  })
})

describe('checkPortableSql', () => {
  it.each([
    ['SELECT a FROM t QUALIFY row_number() OVER () = 1', /QUALIFY/],
    ['SELECT a::int FROM t', /:: casts/],
    ['SELECT a // 2 FROM t', /integer division/],
    ['SELECT a FROM t GROUP BY ALL', /GROUP BY ALL/],
    ['SELECT * EXCLUDE (a) FROM t', /star modifiers/],
    ["SELECT a FROM t WHERE a ILIKE 'x'", /ILIKE/],
    ['SELECT [1, 2] AS l', /list literals/],
    ["SELECT {'a': 1} AS s", /struct literals/],
    ["SELECT * FROM read_parquet('x')", /table functions/],
    ["SELECT strftime(a, '%Y') FROM t", /DuckDB-only function/],
    ["SELECT date_part('year', a) FROM t", /DuckDB-only function/],
    ["SELECT string_agg(a, ',') FROM t", /DuckDB-only function/],
    ['SELECT unnest(l) FROM t', /CROSS JOIN UNNEST/],
    ['SELECT a FROM t WHERE d > now() - INTERVAL 1 DAY', /INTERVAL/],
    ['FROM t SELECT a', /read-only SELECT/],
    ['SELECT 1; SELECT 2', /semicolons/],
    ['SELECT DISTINCT ON (a) a FROM t', /DISTINCT ON/],
    ['SELECT t.l[u.n] FROM t CROSS JOIN UNNEST(t.k) WITH ORDINALITY AS u(v, n)', /try\(a\[i\]\)/],
  ])('flags %s', (sql, message) => {
    expect(checkPortableSql(sql).join('\n')).toMatch(message)
  })

  it('accepts the shared constructs and ignores comments and strings', () => {
    const sql = `-- QUALIFY in a comment; [x]
SELECT try(t.l[u.n]) AS e, CAST(count(*) AS DOUBLE) / 2, ARRAY['a'] AS a, '::{}; [1]' AS s, "x::y"
FROM t CROSS JOIN UNNEST(t.l) WITH ORDINALITY AS u(v, n)
WHERE first_value IS NOT NULL ORDER BY 1 NULLS LAST`
    expect(checkPortableSql(sql)).toEqual([])
    expect(stripSqlLiterals("SELECT 'it''s' -- c\n")).toBe("SELECT ''  \n")
  })
})
