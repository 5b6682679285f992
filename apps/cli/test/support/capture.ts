/** @module Test helper: a CommandIo that records what a command printed. */
import type { CommandIo } from '../../src/command.ts'

export function captureIo(): CommandIo & { out: () => string; err: () => string } {
  let out = ''
  let err = ''
  return {
    stdout: (text) => {
      out += text
    },
    stderr: (text) => {
      err += text
    },
    out: () => out,
    err: () => err,
  }
}
