#!/usr/bin/env node
// Builds @keyshift/client into dist/: an ES module per source file with its declarations and
// source maps (tsc: dist/esm), and a CommonJS build for require() (esbuild: dist/cjs/index.js, one
// file) with the same declarations, which its package.json marks as CommonJS.
import { execFileSync } from 'node:child_process'
import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const dist = join(here, 'dist')
const started = performance.now()
rmSync(dist, { recursive: true, force: true })

const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc')
execFileSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.build.json')], { stdio: 'inherit' })

const cjs = join(dist, 'cjs')
await build({
  entryPoints: [join(here, 'src', 'index.ts')],
  outfile: join(cjs, 'index.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  sourcesContent: true,
  logLevel: 'warning',
})
writeFileSync(join(cjs, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`)
// The declarations read the same for both; under dist/cjs they describe CommonJS (its package.json).
for (const name of readdirSync(join(dist, 'esm'))) {
  if (name.endsWith('.d.ts')) cpSync(join(dist, 'esm', name), join(cjs, name))
}
console.log(`@keyshift/client: built dist/esm and dist/cjs in ${Math.round(performance.now() - started)} ms`)
