/** @module Sources: what a run extracts, declared once per source (see `registry.ts`). */
export * from './catalog/index.ts'
export * from './define-source.ts'
export * from './followed-artists/index.ts'
export * from './playlists/index.ts'
export * from './recently-played/index.ts'
export * from './registry.ts'
export * from './saved-library/index.ts'
export * from './top-items/index.ts'
