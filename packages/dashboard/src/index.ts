/** @module The dashboard: panels as data, the HTTP contract, the server routes, its session and headers. */
export * from './contract.ts'
export * from './headers.ts'
export * from './insight-file.ts'
export * from './panels.ts'
export * from './server.ts'
export * from './session.ts'
