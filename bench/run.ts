// Benchmark of the token endpoint against a bare node:http server and oidc-provider, in one run.
// Usage: npm run bench -- [--duration 10] [--connections 32] [--warmup 3] [--only keyshift,bare]
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { type LoadResult, runLoad } from './autocannon.ts'
import { cleanup, installCleanupHandlers, machineBusy, ROOT, request } from './helpers.ts'
import { TARGETS, type TargetName } from './targets/index.ts'

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '3' },
    only: { type: 'string' },
  },
})
const duration = positiveInt('duration', flags.duration)
const connections = positiveInt('connections', flags.connections)
const warmup = positiveInt('warmup', flags.warmup, true)
const names = Object.keys(TARGETS) as TargetName[]
const selected = flags.only ? flags.only.split(',').map((s) => s.trim()) : names
for (const name of selected) {
  if (!names.includes(name as TargetName)) fail(`unknown target "${name}"; targets: ${names.join(', ')}`)
}

interface Row extends Partial<LoadResult> {
  target: string
  /** CPU use of the whole machine (%) in the second before the target started. */
  busyBefore: number
  error?: string
}

installCleanupHandlers()
console.log(
  `autocannon -c ${connections} -d ${duration} (warm-up ${warmup} s), ${cpus().length} CPUs, Node ${process.version}`,
)
const rows: Row[] = []
for (const name of names.filter((n) => selected.includes(n))) {
  const busyBefore = await machineBusy()
  process.stdout.write(`${name}: machine ${busyBefore}% busy before; starting… `)
  try {
    const target = await TARGETS[name]()
    try {
      const probe = await request(target.url, { method: 'POST', headers: target.headers, body: target.body })
      target.check(probe.status, probe.body)
      const load = { url: target.url, headers: target.headers, body: target.body, connections }
      if (warmup > 0) {
        process.stdout.write('warm-up… ')
        await runLoad(`${name}-warmup`, { ...load, duration: warmup })
      }
      process.stdout.write('measuring… ')
      const result = await runLoad(name, { ...load, duration })
      rows.push({ target: name, busyBefore, ...result })
      console.log(`${Math.round(result.reqPerSec)} req/s`)
    } catch (err) {
      const tail = target.logTail()
      throw new Error(`${(err as Error).message}${tail ? `\n--- ${name} log ---\n${tail}` : ''}`)
    } finally {
      await target.stop()
    }
  } catch (err) {
    console.log('FAILED')
    console.error(`${name}: ${(err as Error).message}`)
    rows.push({ target: name, busyBefore, error: (err as Error).message.split('\n')[0] })
  }
}

const rate = (name: string) => rows.find((r) => r.target === name && !r.error)?.reqPerSec
const bare = rate('bare')
const ratio = (a?: number, b?: number) => (a !== undefined && b ? a / b : undefined)

console.log()
printTable(rows)
const busy = rows.filter((r) => r.busyBefore > 15)
if (busy.length > 0) {
  console.log(
    `note: the machine was busy with other work before ${busy.map((r) => r.target).join(', ')}; numbers are skewed`,
  )
}
console.log()
const goals = [
  { goal: 'Keyshift/bare', min: 0.25, value: ratio(rate('keyshift'), bare) },
  { goal: 'Keyshift/oidc-provider', min: 4, value: ratio(rate('keyshift'), rate('oidc-provider')) },
]
for (const g of goals) {
  const verdict = g.value === undefined ? 'not measured' : g.value >= g.min ? 'PASS' : 'MISS'
  const value = g.value === undefined ? '—' : g.value.toFixed(3)
  console.log(`Goal ${g.goal} ≥ ${g.min}: ${value}  ${verdict}`)
}

const resultsDir = join(ROOT, 'bench', 'results')
mkdirSync(resultsDir, { recursive: true })
const report = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  settings: { connections, duration, warmup },
  results: rows.map((r) => ({ ...r, ratioToBare: ratio(r.reqPerSec, bare) ?? null })),
  goals: goals.map((g) => ({
    ...g,
    value: g.value ?? null,
    pass: g.value === undefined ? null : g.value >= g.min,
  })),
}
writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`)
console.log(`\nwrote bench/results/latest.json`)

cleanup()
const broken = rows.filter((r) => r.error || (r.errors ?? 0) + (r.timeouts ?? 0) + (r.non2xx ?? 0) > 0)
if (broken.length > 0) {
  console.error(`failed: ${broken.map((r) => r.target).join(', ')}`)
  process.exitCode = 1
}

function printTable(rows: Row[]): void {
  const header = ['target', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'timeouts', 'vs bare']
  const lines = rows.map((r) =>
    r.error
      ? [r.target, 'FAILED', '', '', '', '', '', '']
      : [
          r.target,
          (r.reqPerSec ?? 0).toFixed(0),
          String(r.p50),
          String(r.p99),
          String(r.non2xx),
          String(r.errors),
          String(r.timeouts),
          ratio(r.reqPerSec, bare)?.toFixed(3) ?? '—',
        ],
  )
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)))
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')
  console.log(fmt(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const line of lines) console.log(fmt(line))
}

function positiveInt(name: string, value: string, zeroOk = false): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1))
    fail(`--${name} must be a positive integer, got "${value}"`)
  return n
}

function fail(message: string): never {
  console.error(message)
  process.exit(2)
}
