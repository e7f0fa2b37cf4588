#!/usr/bin/env node
// Builds the `keyshift` command into dist/: one ES module bundle of the CLI with the server and
// the client in it (esbuild, split so that `serve` and `agent` load only what they use), and the
// built Setup pages in dist/setup-pages. The packages from npm stay outside the bundle: they are
// this package's dependencies, installed beside it.
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const dist = join(here, 'dist')
const pages = join(here, '..', 'web', 'dist')
const started = performance.now()
const packageOf = (folder) => JSON.parse(readFileSync(join(here, folder, 'package.json'), 'utf8'))
const { dependencies } = packageOf('.')
// What the bundled server needs from npm must be installed with this package, in the same versions.
for (const [name, range] of Object.entries(packageOf('../server').dependencies)) {
  if (dependencies[name] !== range) {
    throw new Error(`packages/cli/package.json must depend on ${name}@${range}, as @keyshift/server does`)
  }
}

rmSync(dist, { recursive: true, force: true })
await build({
  entryPoints: { main: join(here, 'src', 'main.ts') },
  outdir: dist,
  bundle: true,
  splitting: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Flat: the server finds its Setup pages beside its own file (dist/setup-pages).
  chunkNames: '[name]-[hash]',
  conditions: ['keyshift-source'],
  external: Object.keys(dependencies),
  sourcemap: true,
  sourcesContent: true,
  logLevel: 'warning',
})
if (!existsSync(join(pages, 'index.html'))) {
  throw new Error('the Setup pages are not built: run npm run build -w @keyshift/web first')
}
cpSync(pages, join(dist, 'setup-pages'), { recursive: true })
console.log(`keyshift: built dist/ (bundle and Setup pages) in ${Math.round(performance.now() - started)} ms`)
