/** @module Child process of the import bench: one `lake import <path> --account bench --json` into a local lake, with its own time and peak RSS. */
import { createImportCommand } from '../src/commands/import.ts'

const [path, localLakeDir] = process.argv.slice(2) as [string, string]
let out = ''
let err = ''
const started = performance.now()
const code = await createImportCommand({ env: {}, localLakeDir }).run({
  args: [path, '--account', 'bench', '--json'],
  io: {
    stdout: (t) => {
      out += t
    },
    stderr: (t) => {
      err += t
    },
  },
})
const seconds = (performance.now() - started) / 1000
if (code !== 0) throw new Error(`lake import exited ${code}: ${err}`)
process.stdout.write(
  JSON.stringify({ seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, summary: JSON.parse(out) }),
)
