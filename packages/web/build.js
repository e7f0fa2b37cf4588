// Builds the Setup pages into dist/: index.html and assets/ with content-hashed names, which
// `keyshift serve` serves (packages/server/src/setup-ui). `npm start` and `npm test` run it first.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const dist = join(here, 'dist')
const started = performance.now()

rmSync(dist, { recursive: true, force: true })
mkdirSync(join(dist, 'assets'), { recursive: true })
const result = await build({
  entryPoints: { app: join(here, 'src/main.tsx') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome120', 'firefox120', 'safari17'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  entryNames: '[name]-[hash]',
  outdir: join(dist, 'assets'),
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
})

const outputs = Object.keys(result.metafile.outputs).map((path) => basename(path))
const script = outputs.find((name) => name.endsWith('.js'))
const style = outputs.find((name) => name.endsWith('.css'))
if (!script || !style) throw new Error(`esbuild wrote ${outputs.join(', ')}: expected a .js and a .css`)

writeFileSync(
  join(dist, 'index.html'),
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Keyshift Setup</title>
<link rel="stylesheet" href="/setup/assets/${style}">
<script type="module" src="/setup/assets/${script}"></script>
</head>
<body>
<div id="app"><noscript>The Setup pages need JavaScript.</noscript></div>
</body>
</html>
`,
)
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0)
console.log(
  `@keyshift/web: built ${script} and ${style} (${(bytes / 1024).toFixed(1)} KiB) in ${Math.round(performance.now() - started)} ms`,
)
