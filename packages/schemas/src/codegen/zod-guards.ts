/**
 * @module Compiles zod schemas into plain TypeScript guards (`(value: unknown) => boolean`) at build time.
 *
 * Why: workerd forbids code generation from strings, so zod runs without its JIT there and costs several
 * times what it costs in Node. A guard says only "valid or not", with the same answer as
 * `schema.safeParse(value).success`; callers re-run zod on the rare failure for its issues. Only the
 * zod features the record schemas use are supported; anything else throws, so a schema change cannot
 * silently weaken a guard. Agreement with zod is proved by property tests over real and mutated payloads.
 */
import type { z } from 'zod'

type Schema = z.ZodType
interface Def {
  type: string
  [key: string]: unknown
}

const defOf = (schema: Schema): Def => (schema as unknown as { _zod: { def: Def } })._zod.def

export interface GuardSource {
  /** Exported function name, e.g. `isTrackRecord`. */
  name: string
  schema: Schema
  /** One-line doc comment for the export. */
  doc: string
}

/** TypeScript source of a module exporting one guard per entry (formatting is left to the caller). */
export function compileGuards({
  guards,
  header,
}: {
  guards: readonly GuardSource[]
  header: string
}): string {
  const functions: string[] = []
  const regexes: string[] = []
  const named = new Map<Schema, string>()

  function regex(pattern: RegExp): string {
    const source = `/${pattern.source}/${pattern.flags}`
    let at = regexes.indexOf(source)
    if (at < 0) at = regexes.push(source) - 1
    return `re${at}`
  }

  /** A named function for an object or array node (shared where the same schema object recurs). */
  function fn(schema: Schema, build: (name: string) => string): string {
    const known = named.get(schema)
    if (known) return known
    const name = `g${named.size}`
    named.set(schema, name)
    functions.push(build(name))
    return name
  }

  function stringChecks(def: Def, ref: string): string[] {
    const out = [`typeof ${ref} === 'string'`]
    if (def.format !== undefined) {
      if (def.format !== 'datetime' || !(def.pattern instanceof RegExp))
        throw new Error(`zod-guards: unsupported string format ${String(def.format)}`)
      out.push(`${regex(def.pattern)}.test(${ref})`)
    }
    for (const check of (def.checks as Schema[] | undefined) ?? []) {
      const c = defOf(check) as Def & { check: string; format?: string; pattern?: RegExp }
      if (c.check !== 'string_format' || c.format !== 'regex' || !c.pattern)
        throw new Error(`zod-guards: unsupported string check ${c.check}/${c.format}`)
      out.push(`${regex(c.pattern)}.test(${ref})`)
    }
    return out
  }

  function numberChecks(def: Def, ref: string): string[] {
    const n = `(${ref} as number)`
    const out = [`typeof ${ref} === 'number'`]
    switch (def.format) {
      case undefined:
        out.push(`Number.isFinite(${ref})`)
        break
      case 'safeint':
        out.push(`Number.isSafeInteger(${ref})`)
        break
      case 'int32':
        out.push(`Number.isInteger(${ref})`, `${n} >= -2147483648`, `${n} <= 2147483647`)
        break
      default:
        throw new Error(`zod-guards: unsupported number format ${String(def.format)}`)
    }
    for (const check of (def.checks as Schema[] | undefined) ?? []) {
      const c = defOf(check) as Def & { check: string; value?: number; inclusive?: boolean }
      if (c.check === 'greater_than') out.push(`${n} ${c.inclusive ? '>=' : '>'} ${c.value}`)
      else if (c.check === 'less_than') out.push(`${n} ${c.inclusive ? '<=' : '<'} ${c.value}`)
      else if (c.check !== 'number_format') throw new Error(`zod-guards: unsupported number check ${c.check}`)
    }
    return out
  }

  /** A boolean expression that is true exactly when zod accepts the value held by `ref` (an identifier). */
  function expr(schema: Schema, ref: string): string {
    const def = defOf(schema)
    switch (def.type) {
      case 'optional':
        return `(${ref} === undefined || ${expr(def.innerType as Schema, ref)})`
      case 'nullable':
        return `(${ref} === null || ${expr(def.innerType as Schema, ref)})`
      case 'string':
        return `(${stringChecks(def, ref).join(' && ')})`
      case 'number':
        return `(${numberChecks(def, ref).join(' && ')})`
      case 'boolean':
        return `typeof ${ref} === 'boolean'`
      case 'null':
        return `${ref} === null`
      case 'unknown':
      case 'any':
        return 'true'
      case 'enum':
        return `(${Object.values(def.entries as Record<string, string>)
          .map((v) => `${ref} === ${JSON.stringify(v)}`)
          .join(' || ')})`
      case 'literal':
        return `(${(def.values as unknown[]).map((v) => `${ref} === ${JSON.stringify(v)}`).join(' || ')})`
      case 'array': {
        if ((def.checks as unknown[] | undefined)?.length)
          throw new Error('zod-guards: array checks unsupported')
        const element = expr(def.element as Schema, 'e')
        if (element === 'true') return `Array.isArray(${ref})`
        const name = fn(schema, (self) =>
          [
            `function ${self}(v: unknown[]): boolean {`,
            '  for (let i = 0; i < v.length; i++) {',
            '    const e: unknown = v[i]',
            `    if (!${element}) return false`,
            '  }',
            '  return true',
            '}',
          ].join('\n'),
        )
        return `(Array.isArray(${ref}) && ${name}(${ref}))`
      }
      case 'object': {
        if ((def.checks as unknown[] | undefined)?.length)
          throw new Error('zod-guards: object checks unsupported')
        const catchall = def.catchall ? defOf(def.catchall as Schema).type : undefined
        if (catchall !== undefined && catchall !== 'unknown')
          throw new Error(`zod-guards: object catchall ${catchall} unsupported (use z.looseObject)`)
        const shape = def.shape as Record<string, Schema>
        const name = fn(schema, (self) => {
          const lines = [
            `function ${self}(value: unknown): boolean {`,
            "  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false",
            '  const o = value as Record<string, unknown>',
          ]
          Object.entries(shape).forEach(([key, property], i) => {
            const read = /^[A-Za-z_$][\w$]*$/.test(key) ? `o.${key}` : `o[${JSON.stringify(key)}]`
            lines.push(`  const p${i} = ${read}`, `  if (!${expr(property, `p${i}`)}) return false`)
          })
          lines.push('  return true', '}')
          return lines.join('\n')
        })
        return `${name}(${ref})`
      }
      default:
        throw new Error(`zod-guards: unsupported zod type ${def.type}`)
    }
  }

  const exports = guards.map(({ name, schema, doc }) => {
    const check = expr(schema, 'value')
    return [
      `/** ${doc} */`,
      `export function ${name}(value: unknown): boolean {`,
      `  return ${check}`,
      '}',
    ].join('\n')
  })
  return [
    header,
    '',
    ...regexes.map((source, i) => `const re${i} = ${source}`),
    '',
    ...functions,
    '',
    ...exports,
    '',
  ].join('\n\n')
}
