/**
 * @module Regenerates `test/fixtures/hyparquet-writer-upstream.json`: the SHA-256 of each file the
 * unpatched hyparquet-writer writes for the cases of `test/support/writer-cases.ts` (strings handed
 * over as UTF-8 bytes, so that its size estimates are byte counts, as the patch's are). The test holds
 * the patched writer to these bytes. Run after an upgrade of hyparquet-writer, from apps/transformer:
 *
 *   mkdir -p .upstream && npm pack hyparquet-writer@<version> --pack-destination .upstream
 *   tar xzf .upstream/hyparquet-writer-<version>.tgz -C .upstream --strip-components=1
 *   pnpm exec tsx scripts/upstream-writer-hashes.ts .upstream
 *
 * (`.upstream` sits inside the package so that the unpatched writer finds the same `hyparquet`.)
 */
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { asBytes, caseOptions, WRITER_CASES, writerInput } from '../test/support/writer-cases.ts'

const dir = resolve(process.argv[2] ?? '.upstream')
const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }
const upstream = (await import(pathToFileURL(join(dir, 'src/index.js')).href)) as {
  parquetWriteBuffer: (options: object) => ArrayBuffer
}
const hashes: Record<string, string> = {}
for (const c of WRITER_CASES) {
  const buffer = upstream.parquetWriteBuffer(caseOptions(c, asBytes(writerInput(c.rows))))
  hashes[c.name] = createHash('sha256').update(new Uint8Array(buffer)).digest('hex')
}
const out = resolve(import.meta.dirname, '../test/fixtures/hyparquet-writer-upstream.json')
writeFileSync(out, `${JSON.stringify({ version, hashes }, null, 2)}\n`)
console.log(`wrote ${out} (hyparquet-writer ${version}, ${WRITER_CASES.length} cases)`)
