/** @module A Map-backed stand-in for the Durable Object's synchronous KV storage, with structured-clone semantics. */
import type { SyncKv } from '../../src/run-ledger.ts'

export function memoryKv(): SyncKv & { size(): number } {
  const map = new Map<string, unknown>()
  return {
    get: <T>(key: string) => (map.has(key) ? (structuredClone(map.get(key)) as T) : undefined),
    put: (key, value) => {
      map.set(key, structuredClone(value))
    },
    delete: (key) => map.delete(key),
    *list<T>({ prefix = '' }: { prefix?: string } = {}): Iterable<[string, T]> {
      for (const key of [...map.keys()].sort())
        if (key.startsWith(prefix)) yield [key, structuredClone(map.get(key)) as T]
    },
    size: () => map.size,
  }
}
