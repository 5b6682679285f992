/** @module Serialised, coalescing writes: how the manifest mirror keeps S3 in step with the ledger. */

/**
 * Serialises writes and coalesces bursts: a caller arriving during a write waits for one more
 * write that starts after it, so S3 never ends up holding an older manifest than the ledger.
 */
export function coalesce(write: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null
  let queued: Promise<void> | null = null
  const start = (): Promise<void> => {
    const current = write().finally(() => {
      if (running === current) running = null
    })
    running = current
    return current
  }
  return () => {
    if (queued) return queued
    if (!running) return start()
    const next = running
      .catch(() => {})
      .then(() => {
        queued = null
        return start()
      })
    queued = next
    return next
  }
}
