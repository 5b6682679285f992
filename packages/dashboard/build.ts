/**
 * @module Builds the dashboard into a folder of static files: the page, the login form, their styles,
 * and the scripts bundled by esbuild with ECharts inside (nothing is fetched from a CDN at run time),
 * plus `_headers` for Workers static assets. `pnpm --filter @spotify-lake/dashboard build` writes `dist/`.
 */
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { headersFile } from './src/headers.ts'

/** `dist/` beside this file: what the Worker's static assets and `lake dashboard` serve. */
export const DASHBOARD_DIST = fileURLToPath(new URL('./dist/', import.meta.url))
const SRC = fileURLToPath(new URL('./src/', import.meta.url))

/** The files of a built dashboard, as served (path -> file in the folder). */
export const DASHBOARD_FILES = [
  'index.html',
  'login.html',
  'style.css',
  'app.js',
  'login.js',
  '_headers',
] as const

export async function buildDashboard({ outdir = DASHBOARD_DIST }: { outdir?: string } = {}): Promise<string> {
  await rm(outdir, { recursive: true, force: true })
  await mkdir(outdir, { recursive: true })
  await build({
    entryPoints: { app: join(SRC, 'client/main.ts'), login: join(SRC, 'client/login.ts') },
    outdir,
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    legalComments: 'external',
    logLevel: 'warning',
  })
  for (const file of ['index.html', 'login.html', 'style.css']) {
    await copyFile(join(SRC, 'static', file), join(outdir, file))
  }
  await writeFile(join(outdir, '_headers'), headersFile())
  return outdir
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outdir = await buildDashboard()
  console.log(`dashboard built: ${outdir}`)
}
