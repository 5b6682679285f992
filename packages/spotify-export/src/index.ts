/** @module @spotify-lake/spotify-export: Spotify privacy exports (both packages) read as plays, streaming. */
export * from './files.ts'
export * from './ledger.ts'
export * from './parse.ts'
export * from './personal.ts'
export * from './raw-parts.ts'
export * from './records.ts'
export * from './rows.ts'
