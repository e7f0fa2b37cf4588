// What `npm run bench -- --profile` leaves in bench/results/profiles/: for each Keyshift process of
// the run (one per target: server, agent), the V8 CPU profile it wrote on exit (`--cpu-prof`; opens
// in Chrome DevTools' Performance panel or speedscope), a flame graph of it as a self-contained SVG,
// and the functions that took the most time themselves, as text.
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}

interface ProfileNode {
  id: number
  callFrame: CallFrame
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** A node of the call tree with the time (µs) spent in it and under it. */
interface Frame {
  name: string
  self: number
  total: number
  children: Frame[]
}

/**
 * Turns the profile each process wrote into `dir`/<process>/ into `dir`/<process>.cpuprofile,
 * .flame.svg and .top.txt; returns the files written, relative to `root`.
 */
export function writeProfileReports(dir: string, root: string): string[] {
  const written: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue
    const folder = join(dir, entry.name)
    const file = readdirSync(folder).find((f) => f.endsWith('.cpuprofile'))
    if (!file) continue
    const profile = join(dir, `${entry.name}.cpuprofile`)
    renameSync(join(folder, file), profile)
    rmSync(folder, { recursive: true, force: true })
    const root_ = callTree(JSON.parse(readFileSync(profile, 'utf8')) as CpuProfile)
    writeFileSync(join(dir, `${entry.name}.flame.svg`), flameGraph(root_, entry.name))
    writeFileSync(join(dir, `${entry.name}.top.txt`), topFunctions(root_, entry.name))
    written.push(
      ...['cpuprofile', 'flame.svg', 'top.txt'].map((ext) =>
        relative(root, join(dir, `${entry.name}.${ext}`)),
      ),
    )
  }
  return written
}

function frameName({ functionName, url, lineNumber }: CallFrame): string {
  const where = url ? ` ${shortUrl(url)}:${lineNumber + 1}` : ''
  return `${functionName || '(anonymous)'}${where}`
}

/** A file's path from the repository or node_modules on, or the node: module. */
function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '')
  const at = Math.max(path.lastIndexOf('/node_modules/'), path.indexOf('/packages/'))
  return at >= 0 ? path.slice(at + 1) : path
}

/** The call tree with self and total times; the idle time left out (it is no work). */
function callTree(profile: CpuProfile): Frame {
  const selfTime = new Map<number, number>()
  profile.samples.forEach((id, i) => {
    selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
  })
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const build = (node: ProfileNode): Frame => {
    const children = (node.children ?? [])
      .map((id) => byId.get(id))
      .filter(
        (child): child is ProfileNode => child !== undefined && child.callFrame.functionName !== '(idle)',
      )
      .map(build)
    const self = Math.max(0, selfTime.get(node.id) ?? 0)
    const total = self + children.reduce((sum, c) => sum + c.total, 0)
    return { name: frameName(node.callFrame), self, total, children }
  }
  const first = profile.nodes[0]
  if (!first) return { name: 'all', self: 0, total: 0, children: [] }
  return { ...build(first), name: 'all (busy time)' }
}

const WIDTH = 1600
const ROW = 16

/** A flame graph as SVG: each frame a box as wide as its total time, its callees on top of it. */
function flameGraph(root: Frame, title: string): string {
  const boxes: string[] = []
  let depth = 0
  const scale = root.total > 0 ? WIDTH / root.total : 0
  const place = (frame: Frame, x: number, level: number) => {
    const width = frame.total * scale
    if (width < 0.5) return
    depth = Math.max(depth, level)
    const share = ((100 * frame.total) / root.total).toFixed(1)
    const label = frame.name.length * 6.5 < width - 4 ? frame.name : ''
    boxes.push(
      `<g><title>${escapeXml(`${frame.name}: ${share} % (${(frame.total / 1000).toFixed(0)} ms)`)}</title>` +
        `<rect x="${x.toFixed(1)}" y="${level}" width="${width.toFixed(1)}" height="${ROW - 1}" fill="${colour(frame.name)}"/>` +
        (label ? `<text x="${(x + 3).toFixed(1)}" y="${level}" dy="11">${escapeXml(label)}</text>` : '') +
        '</g>',
    )
    let childX = x
    for (const child of frame.children) {
      place(child, childX, level + 1)
      childX += child.total * scale
    }
  }
  place(root, 0, 0)
  const height = (depth + 2) * ROW + 20
  // Levels were counted from the root; the root goes at the bottom.
  const svgBoxes = boxes.map((box) =>
    box.replace(/ y="(\d+)"/g, (_, level: string) => ` y="${height - (Number(level) + 1) * ROW}"`),
  )
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="monospace" font-size="11">
<text x="4" y="14">${escapeXml(`${title}: ${(root.total / 1000).toFixed(0)} ms busy; hover a box for its share`)}</text>
${svgBoxes.join('\n')}
</svg>
`
}

/** Node's own code warm, dependencies green, Keyshift's code blue, V8's entries grey. */
function colour(name: string): string {
  if (name.includes('packages/')) return '#8fb8e8'
  if (name.includes('node_modules/')) return '#9fd89f'
  if (name.includes('node:')) return '#f2b872'
  return '#cccccc'
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** The 40 functions that took the most time themselves, each with its share of the busy time. */
function topFunctions(root: Frame, title: string): string {
  const self = new Map<string, number>()
  const visit = (frame: Frame) => {
    self.set(frame.name, (self.get(frame.name) ?? 0) + frame.self)
    for (const child of frame.children) visit(child)
  }
  visit(root)
  const lines = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 40)
    .map(
      ([name, us]) =>
        `${((100 * us) / root.total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`,
    )
  return `${title}: self time of the 40 costliest functions, of ${(root.total / 1000).toFixed(0)} ms busy\n${lines.join('\n')}\n`
}
