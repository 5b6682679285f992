/** @module Typed S3 errors: callers decide retry vs. fail from `transient`, never from message text. */

export class S3Error extends Error {
  override readonly name = 'S3Error'
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
    /** 5xx, 429, timeouts and network failures: worth retrying later. */
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408
}
