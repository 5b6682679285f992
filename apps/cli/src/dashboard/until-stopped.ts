/** @module Serving until the user stops it: Ctrl-C, `kill` or the terminal closing end a server normally. */
import { STOP_SIGNALS } from '../local/processes.ts'

/** Resolves with the first stop signal; the CLI then closes what it serves and exits 0. */
export function untilStopped(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals) => {
      for (const s of Object.keys(STOP_SIGNALS)) process.off(s, handler)
      resolve(signal)
    }
    for (const s of Object.keys(STOP_SIGNALS)) process.on(s, handler)
  })
}
