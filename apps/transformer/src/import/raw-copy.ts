/** @module The CLI import's raw copy of a play file, built as its records stream by. */
import { Gzip } from 'fflate'

/** One play file's raw copy as it streams by: a gzip JSON array of its records, one per line (as `rawPartsOf`). */
export class RawCopy {
  private readonly parts: Uint8Array[] = []
  private readonly gzip = new Gzip({ level: 6 }, (chunk) => this.parts.push(chunk))
  private readonly encoder = new TextEncoder()
  private first = true
  line(record: unknown): void {
    this.gzip.push(this.encoder.encode(`${this.first ? '[\n' : ',\n'}${JSON.stringify(record)}`))
    this.first = false
  }
  finish(): Uint8Array {
    this.gzip.push(this.encoder.encode(this.first ? '[]\n' : '\n]\n'), true)
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.byteLength, 0))
    let at = 0
    for (const p of this.parts) {
      out.set(p, at)
      at += p.byteLength
    }
    return out
  }
}
