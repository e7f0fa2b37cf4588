#!/usr/bin/env node
// Builds the `keyshift` command into dist/: one ES module bundle of the CLI with the server, the
// client and the pure-JavaScript packages from npm in it (esbuild, split so that `serve` and
// `agent` load only what they use), the licences of what it bundles in dist/THIRD-PARTY-NOTICES.md,
// and the built Setup pages in dist/setup-pages. Only the database drivers stay outside (a native
// addon, and pg's optional native binding): they are this package's dependencies, installed beside
// it. Bundling the rest is what makes a cold start fast: Node resolves and reads a few files instead
// of some three hundred (bench: cold start).
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const dist = join(here, 'dist')
const pages = join(here, '..', 'web', 'dist')
const started = performance.now()
const packageOf = (folder) => JSON.parse(readFileSync(join(here, folder, 'package.json'), 'utf8'))
const { dependencies } = packageOf('.')
// The drivers left outside the bundle are installed with this package, in the server's versions.
for (const [name, range] of Object.entries(dependencies)) {
  if (packageOf('../server').dependencies[name] !== range) {
    throw new Error(`packages/cli/package.json must depend on ${name} as @keyshift/server does`)
  }
}

rmSync(dist, { recursive: true, force: true })
const { metafile } = await build({
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
  // The CommonJS packages in the bundle call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as __keyshiftCreateRequire } from 'node:module'; const require = __keyshiftCreateRequire(import.meta.url);",
  },
  sourcemap: true,
  sourcesContent: true,
  metafile: true,
  logLevel: 'warning',
})
writeFileSync(join(dist, 'THIRD-PARTY-NOTICES.md'), thirdPartyNotices(Object.keys(metafile.inputs)))
if (!existsSync(join(pages, 'index.html'))) {
  throw new Error('the Setup pages are not built: run npm run build -w @keyshift/web first')
}
cpSync(pages, join(dist, 'setup-pages'), { recursive: true })
console.log(`keyshift: built dist/ (bundle and Setup pages) in ${Math.round(performance.now() - started)} ms`)

/** Name, version, licence and licence text of every npm package whose code is in the bundle. */
function thirdPartyNotices(inputs) {
  const folders = new Set()
  for (const input of inputs) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)
    if (match) folders.add(match[1])
  }
  const sections = [...folders].sort().map((folder) => {
    const { name, version, license } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'))
    const file = readdirSync(folder).find((entry) => /^(licen[cs]e|copying)/i.test(entry))
    const text = file ? readFileSync(join(folder, file), 'utf8').trim() : `Licensed under ${license}.`
    return `## ${name} ${version} (${license})\n\n\`\`\`\n${text}\n\`\`\`\n`
  })
  return `# Third-party notices\n\nThe keyshift bundle (dist/) contains these packages from npm.\n\n${sections.join('\n')}`
}
