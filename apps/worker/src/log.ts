/** @module Structured log lines (one JSON object each). Callers pass ids, counts and scrubbed messages only. */

type Fields = Record<string, string | number | boolean | null | undefined>

function line(level: 'info' | 'warn' | 'error', event: string, fields: Fields): string {
  return JSON.stringify({ level, event, ...fields })
}

export const log = {
  info: (event: string, fields: Fields = {}) => console.log(line('info', event, fields)),
  warn: (event: string, fields: Fields = {}) => console.warn(line('warn', event, fields)),
  error: (event: string, fields: Fields = {}) => console.error(line('error', event, fields)),
}
