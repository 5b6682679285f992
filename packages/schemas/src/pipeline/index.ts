/** @module Pipeline contracts shared by the Workers and the CLI. */
export * from './accounts.ts'
export * from './ids.ts'
export * from './layout.ts'
export * from './manifest.ts'
export * from './messages.ts'
export * from './raw-envelope.ts'
