/** @module Record schemas (what rows are built from), their generated guards, placeholders and reject details. */
export * from './content.ts'
export * from './guards.generated.ts'
export * from './issues.ts'
export * from './placeholders.ts'
export * from './records.ts'
