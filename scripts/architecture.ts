/**
 * The import rules of the server's floors (docs/ARCHITECTURE.md), checked on the source:
 *   - no import cycle between files, in any package;
 *   - no cycle between the server's folders, and every import goes to the same floor or one below;
 *   - Fastify is imported only by the HTTP layer (routes, endpoints, error handlers, http/, the
 *     admin and Setup plugins, the composition root), and nothing else imports the HTTP layer.
 * Run by `npm run lint`; packages/server/test/architecture.test.ts shows that each rule bites.
 *
 * Imports are read from the text (`import … from '…'`, `export … from '…'`, `import('…')`): the
 * project writes only static, relative imports with their `.ts` extension, and TypeScript 7 has no
 * compiler API to ask instead.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

/** One import: from a file to a module (a path relative to the package's src/, or a package name). */
export interface ImportEdge {
  from: string
  to: string
}

export interface Violation {
  rule: 'file-cycle' | 'folder-cycle' | 'floor' | 'fastify-below-routes' | 'imports-http-layer'
  message: string
}

/** The floor of the composition root (the files at the top of src/), which may import anything. */
const ROOT_FLOOR = 4

/** The server's floors, by top-level folder of src/ (`.` for the files at the root). */
export const SERVER_FLOORS: Readonly<Record<string, number>> = {
  catalogue: 0,
  contract: 0,
  crypto: 1,
  store: 1,
  sync: 1,
  clients: 2,
  'api-keys': 2,
  oauth: 2,
  auth: 2,
  api: 2,
  transition: 2,
  http: 2,
  admin: 3,
  'setup-ui': 3,
  '.': ROOT_FLOOR,
}

/** The files of the HTTP layer, the only ones that may import Fastify. */
export const HTTP_LAYER: readonly RegExp[] = [
  /(^|\/)routes\.ts$/,
  /(^|\/)error-handler\.ts$/,
  /^oauth\/endpoints\//,
  /^oauth\/grants\//,
  /^oauth\/(form|client-auth)\.ts$/,
  /^http\//,
  /^admin\/(auth|[a-z-]*routes)\.ts$/,
  /^setup-ui\//,
  /^app\.ts$/,
]

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

/** Every import of the `.ts` files under `src` (tests and suites left out). */
export function readImports(src: string): ImportEdge[] {
  const edges: ImportEdge[] = []
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, 'utf8')
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2] ?? ''
      const to = spec.startsWith('.') ? relative(src, resolve(dirname(file), spec)) : packageName(spec)
      edges.push({ from: relative(src, file), to })
    }
  }
  return edges
}

function sourceFiles(dir: string, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) sourceFiles(path, found)
    else if (/\.tsx?$/.test(name) && !/\.(test|suite)\.ts$/.test(name)) found.push(path)
  }
  return found
}

function packageName(spec: string): string {
  const parts = spec.split('/')
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec)
}

/** The import cycles between files: each as the files in order, the first repeated at the end. */
export function fileCycles(edges: readonly ImportEdge[]): string[][] {
  return cycles(graphOf(edges.filter((e) => e.to.endsWith('.ts') || e.to.endsWith('.tsx'))))
}

/** Cycles, floors, Fastify and the HTTP layer, for the server's src/. */
export function serverViolations(edges: readonly ImportEdge[]): Violation[] {
  const local = edges.filter((e) => /\.tsx?$/.test(e.to))
  const violations: Violation[] = fileCycles(local).map((cycle) => ({
    rule: 'file-cycle',
    message: `import cycle: ${cycle.join(' → ')}`,
  }))
  const folders = local
    .map((e) => ({ from: folderOf(e.from), to: folderOf(e.to) }))
    .filter((e) => e.from !== e.to)
  for (const cycle of cycles(graphOf(folders))) {
    violations.push({ rule: 'folder-cycle', message: `folders import each other: ${cycle.join(' → ')}` })
  }
  for (const edge of local) {
    const from = floorOf(folderOf(edge.from))
    const to = floorOf(folderOf(edge.to))
    if (to > from) {
      violations.push({
        rule: 'floor',
        message: `${edge.from} (floor ${from}) imports ${edge.to} (floor ${to}): imports point down`,
      })
    }
    if (isHttpLayer(edge.to) && !isHttpLayer(edge.from) && from !== ROOT_FLOOR) {
      violations.push({
        rule: 'imports-http-layer',
        message: `${edge.from} imports the HTTP layer (${edge.to}): services never import routes`,
      })
    }
  }
  for (const edge of edges) {
    if (edge.to === 'fastify' && !isHttpLayer(edge.from)) {
      violations.push({
        rule: 'fastify-below-routes',
        message: `${edge.from} imports fastify: only the HTTP layer does; return a value and let the route apply it`,
      })
    }
  }
  return violations
}

function folderOf(file: string): string {
  const slash = file.indexOf('/')
  return slash === -1 ? '.' : file.slice(0, slash)
}

function floorOf(folder: string): number {
  const floor = SERVER_FLOORS[folder]
  if (floor === undefined)
    throw new Error(`src/${folder}/ has no floor: add it to SERVER_FLOORS (scripts/architecture.ts)`)
  return floor
}

function isHttpLayer(file: string): boolean {
  return HTTP_LAYER.some((pattern) => pattern.test(file))
}

function graphOf(edges: ReadonlyArray<{ from: string; to: string }>): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>()
  for (const { from, to } of edges) {
    if (!graph.has(from)) graph.set(from, new Set())
    graph.get(from)?.add(to)
  }
  return graph
}

/** The cycles a depth-first walk meets: at least one in every group of nodes that reach each other. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const found: string[][] = []
  const state = new Map<string, 'active' | 'done'>()
  const path: string[] = []
  const visit = (node: string) => {
    state.set(node, 'active')
    path.push(node)
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'active') found.push([...path.slice(path.indexOf(next)), next])
      else if (!state.has(next)) visit(next)
    }
    path.pop()
    state.set(node, 'done')
  }
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node)
  return found
}

/** `node scripts/architecture.ts` (through tsx): prints every violation and exits 1 if there is one. */
function main(): void {
  const root = resolve(dirname(new URL(import.meta.url).pathname), '..')
  const problems: string[] = []
  const server = join(root, 'packages/server/src')
  problems.push(...serverViolations(readImports(server)).map((v) => `packages/server/src: ${v.message}`))
  for (const pkg of ['client', 'cli', 'web']) {
    const src = join(root, 'packages', pkg, 'src')
    for (const cycle of fileCycles(readImports(src))) {
      problems.push(`packages/${pkg}/src: import cycle: ${cycle.join(' → ')}`)
    }
  }
  const serverFromClient = readImports(join(root, 'packages/client/src')).filter((e) =>
    e.to.startsWith('@keyshift/server'),
  )
  for (const edge of serverFromClient)
    problems.push(`packages/client/src/${edge.from} imports ${edge.to}: the client has no server dependency`)
  if (problems.length === 0) {
    console.log('architecture: no import cycle, every import points down, Fastify only in the HTTP layer')
    return
  }
  for (const problem of problems) console.error(`architecture: ${problem}`)
  process.exitCode = 1
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) main()
