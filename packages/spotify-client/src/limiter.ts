/** @module A small semaphore shared by every request of one client, plus a shared 429 pause. */
import type { Runtime } from './types.ts'

export interface Limiter {
  /** Run `task` once fewer than `concurrency` tasks are running. */
  run<T>(task: () => Promise<T>): Promise<T>
  /** After a 429 every request of the client holds off, not just the one that was told to. */
  pauseUntil(epochMs: number): void
  /** Milliseconds until the shared pause ends (0 when not paused). */
  pausedFor(): number
  /** Tasks currently running (for tests and benchmarks). */
  active(): number
}

export interface LimiterOptions {
  concurrency?: number
  runtime: Pick<Runtime, 'now'>
}

export function createLimiter({ concurrency = 4, runtime }: LimiterOptions): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`)
  }
  let running = 0
  let pausedUntil = 0
  const waiting: (() => void)[] = []

  const release = (): void => {
    const next = waiting.shift()
    // Hand the slot straight to the next waiter so a newcomer cannot overtake it.
    if (next) next()
    else running--
  }

  return {
    async run(task) {
      if (running < concurrency) running++
      else await new Promise<void>((resolve) => waiting.push(resolve))
      try {
        return await task()
      } finally {
        release()
      }
    },
    pauseUntil(epochMs) {
      pausedUntil = Math.max(pausedUntil, epochMs)
    },
    pausedFor() {
      return Math.max(0, pausedUntil - runtime.now())
    },
    active() {
      return running
    },
  }
}
