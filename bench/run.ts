// Benchmark of the token endpoint and the core API against a bare node:http server (and the token
// endpoint against oidc-provider), and of the middleware (getToken() on a cached token, the agent
// proxy), in one run, one target at a time.
// Usage: npm run bench -- [--duration 10] [--connections 32] [--warmup 3] [--rounds 3] [--only bare,api-list]
//        [--scale] [--profile]
//
// Targets: bare, bare-es256 (bare node:http plus one ES256 signature per request: the ceiling of a
// token endpoint that signs with node:crypto), keyshift (loaded in turns with bare-es256 and with
// fastify-es256, the same signing in a minimal Fastify app: what the framework alone costs),
// oidc-provider, api-get-bearer, api-get-key, api-get-key-no-ledger (the same with the usage ledger
// off: goal within 5%), api-list (100 000 invoices),
// api-list-10k (10 000) and api-list-1m (1 000 000). The invoice data sets are generated once per
// run into a temp dir (~3 s for 100 000). api-list-1m is opt-in, not in the default run: its data
// set takes ~30 s to generate and ~1.3 GB of disk. Run it with --scale (adds it to the selection)
// or name it in --only, e.g. --only api-list-10k,api-list-1m to compare the two p50s.
// PostgreSQL: keyshift-pg-2-nodes and api-get-bearer-pg-2-nodes run the token endpoint and the
// bearer GET on two `keyshift serve --database-url` nodes of a fresh database, each node loaded by
// its own autocannon with half the connections (req/s is the sum). They need
// KEYSHIFT_TEST_DATABASE_URL or DATABASE_URL (a role that may CREATE DATABASE) and are skipped,
// saying so, without.
// Middleware: get-token times getToken() on a cached token (5 × 1 000 000 calls in a child process,
// median ns/op); agent-proxy loads `keyshift agent` in front of a server on 10 000 invoices and,
// after the warm-up, times 2 000 sequential GETs each directly, through the agent and through a
// second agent with usage counting off (child process, µs): the p50 and p99 the proxy adds, and
// what counting adds (goal: p50 on/off ≤ 1.05), with the usage tracker's record() timed alone
// (child process, ns/call). E.g. --only get-token,agent-proxy.
// --profile: every Keyshift process (server, agent) runs with --cpu-prof; bench/results/profiles/
// then holds per process its CPU profile, a flame graph (SVG) and its costliest functions (text).
// Pairs a goal compares (keyshift and bare-es256, api-get-key and api-get-bearer, api-get-key and
// api-get-key-no-ledger) are, after the first one's own load, loaded in turns with each other.
// --rounds K (default 3): every comparison a goal reads (a pair in turns, a GET or list against the
// same bytes) is made K times, each on freshly started processes of both sides, and the goal reads
// the median of the K ratios; one pair of processes differs from the next by 15–30 % on a shared host.
// Cold start: cold-start times `keyshift serve` from process start to its first token, the compiled
// bin against the sources through tsx (5 each, alternately; goal: compiled ≤ 0.5 × tsx).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { type LoadResult, runLoad, runSpreadLoad } from './autocannon.ts'
import {
  cleanup,
  installCleanupHandlers,
  machineBusy,
  profileInto,
  ROOT,
  type RunningTarget,
  recordResponse,
  request,
} from './helpers.ts'
import { writeProfileReports } from './profiles.ts'
import {
  brokenRows,
  computeGoals,
  type InTurns,
  measured,
  passes,
  printComparisons,
  printGoals,
  printTable,
  printTimings,
  type Row,
  ratio,
  SAME_BYTES_GOALS,
} from './report.ts'
import { type ServerTarget, startSameBytes, TARGETS, type Target, type TargetName } from './targets/index.ts'
import { describeTimings, type Timings } from './timings.ts'

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '3' },
    only: { type: 'string' },
    scale: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
  },
})
const duration = positiveInt('duration', flags.duration)
/** Slices each of a target and its same-bytes reference is loaded in, taking turns. */
const SLICES = 5
const connections = positiveInt('connections', flags.connections)
const warmup = positiveInt('warmup', flags.warmup, true)
/** Rounds on fresh processes of each target whose goal compares it with another server. */
const rounds = positiveInt('rounds', flags.rounds)
const names = Object.keys(TARGETS) as TargetName[]
const optIn = names.filter((n) => (TARGETS[n] as Target).optIn)
const selected: string[] = flags.only
  ? flags.only.split(',').map((s) => s.trim())
  : names.filter((n) => !optIn.includes(n))
if (flags.scale) selected.push(...optIn)
for (const name of selected) {
  if (!names.includes(name as TargetName)) fail(`unknown target "${name}"; targets: ${names.join(', ')}`)
}

installCleanupHandlers()
const resultsDir = join(ROOT, 'bench', 'results')
const profilesDir = join(resultsDir, 'profiles')
if (flags.profile) {
  rmSync(profilesDir, { recursive: true, force: true })
  mkdirSync(profilesDir, { recursive: true })
  profileInto(profilesDir)
}
console.log(
  `autocannon -c ${connections} -d ${duration} (warm-up ${warmup} s), ${rounds} rounds of the compared pairs, ` +
    `${cpus().length} CPUs, Node ${process.version}`,
)
const rows: Row[] = []
for (const name of names.filter((n) => selected.includes(n))) rows.push(await measure(name))

console.log()
printTable(rows)
printTimings(rows)
printComparisons(rows)
console.log()
const goals = computeGoals(rows)
printGoals(goals)

const bare = measured(rows, 'bare')?.reqPerSec
mkdirSync(resultsDir, { recursive: true })
const report = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  settings: { connections, duration, warmup, rounds },
  results: rows.map((r) => ({ ...r, ratioToBare: ratio(r.reqPerSec, bare) ?? null })),
  goals: goals.map((g) => ({ ...g, value: g.value ?? null, pass: passes(g) ?? null })),
}
writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`)
console.log(`\nwrote bench/results/latest.json`)
if (flags.profile) {
  const written = writeProfileReports(profilesDir, ROOT)
  console.log(`wrote ${written.length} profile files (CPU profile, flame graph, top functions per process):`)
  for (const file of written) console.log(`  ${file}`)
}

cleanup()
const broken = brokenRows(rows)
if (broken.length > 0) {
  console.error(`failed: ${broken.map((r) => r.target).join(', ')}`)
  process.exitCode = 1
}

/**
 * Prepares data, reads how busy the machine is, starts the target, checks one request, warms it up,
 * takes its timings and loads it; or, for a probe target, runs the probe.
 */
async function measure(name: TargetName): Promise<Row> {
  const definition: Target = TARGETS[name]
  let busyBefore = 0
  process.stdout.write(`${name}: `)
  const skipped = 'skip' in definition ? definition.skip?.() : undefined
  if (skipped) {
    console.log(`skipped: ${skipped}`)
    return { target: name, busyBefore, skipped }
  }
  try {
    if (definition.prepare) {
      const started = performance.now()
      process.stdout.write(`preparing ${definition.preparing}… `)
      await definition.prepare()
      process.stdout.write(`${((performance.now() - started) / 1000).toFixed(1)} s; `)
    }
    busyBefore = await machineBusy()
    process.stdout.write(`machine ${busyBefore}% busy before; `)
    if ('probe' in definition) {
      process.stdout.write('probing… ')
      const timings = await definition.probe()
      console.log(describeTimings(timings).join('; '))
      return { target: name, busyBefore, ...timings }
    }
    const row = await measureServer(name, definition, busyBefore, 1)
    const repeated = SAME_BYTES_GOALS.has(name) || definition.inTurnsWith !== undefined
    if (repeated && rounds > 1) {
      row.moreRounds = []
      for (let round = 2; round <= rounds; round++) {
        process.stdout.write(`  ${name}, round ${round} of ${rounds} on fresh processes: `)
        row.moreRounds.push(await measureServer(name, definition, busyBefore, round))
      }
    }
    return row
  } catch (err) {
    console.log('FAILED')
    console.error(`${name}: ${(err as Error).message}`)
    return { target: name, busyBefore, error: (err as Error).message.split('\n')[0] }
  }
}

/**
 * One round of a server target on fresh processes: starts it, checks one request, warms it up and
 * loads it. The first round also takes its timings and its own load alone; every round loads it in
 * turns with its same-bytes references and with its partner (`inTurnsWith`), each started fresh, so
 * that the goals can read the median of the rounds (report.ts) rather than one pair of processes.
 */
async function measureServer(
  name: TargetName,
  definition: ServerTarget,
  busyBefore: number,
  round: number,
): Promise<Row> {
  process.stdout.write('starting… ')
  const target = await definition.start()
  const load = { method: target.method, headers: target.headers, body: target.body }
  return await stoppedAfter(name, target, async () => {
    // Several nodes (the PostgreSQL targets): each is checked, and the load is spread over them.
    const urls = target.urls ?? [target.url]
    for (const url of urls) {
      const probe = await request(url, load)
      target.check(probe.status, probe.body)
    }
    if (warmup > 0) {
      process.stdout.write('warm-up… ')
      await runSpreadLoad(`${name}-warmup`, { ...load, connections, duration: warmup }, urls)
    }
    const first = round === 1
    let row: Row = { target: name, busyBefore, ...(first ? await takeTimings(target.timings) : {}) }
    if (target.sameBytes && (first || SAME_BYTES_GOALS.has(name))) {
      row = { ...row, ...(await measureWithSameBytes(name, target.url, load)) }
    } else if (first) {
      process.stdout.write(urls.length > 1 ? `measuring on ${urls.length} nodes… ` : 'measuring… ')
      const result = await runSpreadLoad(name, { ...load, connections, duration }, urls)
      console.log(`${Math.round(result.reqPerSec)} req/s, p50 ${result.p50} ms`)
      row = { ...row, ...result }
    }
    if (definition.inTurnsWith)
      row.inTurns = await measureInTurns(name, target, definition.inTurnsWith, definition.referencesInTurns)
    return row
  })
}

/**
 * Loads the target, a bare node:http server answering the very response it answered
 * (bench/targets/bare-same-bytes.ts) and a Fastify app answering it (fastify-same-bytes.ts) in
 * turns, `SLICES` slices of the duration each, so that a change in what else the machine does falls
 * on all alike: the target's ratio to the bare server is what the goals read, the Fastify app shows
 * what the framework alone reaches.
 */
async function measureWithSameBytes(
  name: string,
  url: string,
  load: Load,
): Promise<Pick<Row, keyof LoadResult | 'bytes' | 'sameBytes' | 'sameBytesFastify'>> {
  const recorded = await recordResponse(name, url, load)
  process.stdout.write(`${recorded.bytes} bytes; servers answering them… `)
  const bare = await startSameBytes(recorded.file, 'bare-same-bytes')
  const fastify = await startSameBytes(recorded.file, 'fastify-same-bytes').catch(async (err) => {
    await bare.child.stop()
    throw err
  })
  try {
    if (warmup > 0) {
      for (const [label, reference] of [
        ['same-bytes', bare],
        ['fastify-same-bytes', fastify],
      ] as const)
        await runLoad(`${name}-${label}-warmup`, {
          ...load,
          url: reference.url,
          connections,
          duration: warmup,
        })
    }
    process.stdout.write(`measuring the three in ${SLICES} turns… `)
    const [result, sameBytes, sameBytesFastify] = await loadInTurns([
      { label: name, url, load },
      { label: `${name}-same-bytes`, url: bare.url, load },
      { label: `${name}-fastify-same-bytes`, url: fastify.url, load },
    ])
    console.log(
      `${Math.round(result.reqPerSec)} req/s, p50 ${result.p50} ms; the same bytes from node:http ` +
        `${Math.round(sameBytes.reqPerSec)} req/s, from Fastify ${Math.round(sameBytesFastify.reqPerSec)} req/s`,
    )
    return { ...result, bytes: recorded.bytes, sameBytes, sameBytesFastify }
  } finally {
    await Promise.all([bare.child.stop(), fastify.child.stop()])
  }
}

/**
 * Starts `partnerName` (and any `references`) beside the running target and loads them all in turns,
 * `SLICES` slices of the duration each, so that their ratio is not the machine's drift between two
 * loads run minutes apart. The goal reads the partner; the references are there to compare with.
 */
async function measureInTurns(
  name: string,
  target: RunningTarget,
  partnerName: string,
  references: readonly string[] = [],
): Promise<InTurns> {
  const others = [partnerName, ...references]
  process.stdout.write(`  ${name} in turns with ${others.join(', ')}: starting… `)
  const started: { name: string; server: RunningTarget }[] = []
  try {
    for (const other of others) started.push({ name: other, server: await startChecked(name, other) })
    const loadOf = (t: RunningTarget) => ({ method: t.method, headers: t.headers, body: t.body })
    if (warmup > 0) {
      process.stdout.write('warm-up… ')
      for (const { name: other, server } of started)
        await runLoad(`${name}-with-${other}-warmup`, {
          ...loadOf(server),
          url: server.url,
          connections,
          duration: warmup,
        })
    }
    process.stdout.write(`measuring the ${started.length + 1} in ${SLICES} turns… `)
    const [own, other, ...referenceLoads] = await loadInTurns([
      { label: `${name}-turn`, url: target.url, load: loadOf(target) },
      ...started.map(({ name: o, server }) => ({
        label: `${name}-${o}-turn`,
        url: server.url,
        load: loadOf(server),
      })),
    ])
    if (!own || !other) throw new Error(`${name}: the loads in turns gave no result`)
    const inTurns: InTurns = { partner: partnerName, own, other }
    if (references.length > 0)
      inTurns.references = Object.fromEntries(references.map((r, i) => [r, referenceLoads[i] as LoadResult]))
    console.log(
      [own, other, ...referenceLoads].map((l) => Math.round(l.reqPerSec)).join(' against ') +
        ` req/s, ${(own.reqPerSec / other.reqPerSec).toFixed(3)} of ${partnerName}`,
    )
    return inTurns
  } catch (err) {
    const logs = started.map(({ name: o, server }) => `\n--- ${o} log ---\n${server.logTail()}`).join('')
    throw new Error(`${(err as Error).message}${logs}`)
  } finally {
    await Promise.all(started.map(({ server }) => server.stop()))
  }
}

/** Starts the server target `other` beside `name`'s and checks one request. */
async function startChecked(name: string, other: string): Promise<RunningTarget> {
  const definition = TARGETS[other as TargetName] as Target | undefined
  if (!definition || !('start' in definition))
    throw new Error(`${name}: ${other} is to be loaded in turns with it, but is not a server target`)
  await definition.prepare?.()
  const server = await definition.start()
  try {
    const probe = await request(server.url, {
      method: server.method,
      headers: server.headers,
      body: server.body,
    })
    server.check(probe.status, probe.body)
    return server
  } catch (err) {
    const tail = server.logTail()
    await server.stop()
    throw new Error(`${(err as Error).message}${tail ? `\n--- ${other} log ---\n${tail}` : ''}`)
  }
}

/** Runs `work` on a started target and stops it after; a failure carries the tail of its log. */
async function stoppedAfter<T>(name: string, target: RunningTarget, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    const tail = target.logTail()
    throw new Error(`${(err as Error).message}${tail ? `\n--- ${name} log ---\n${tail}` : ''}`)
  } finally {
    await target.stop()
  }
}

type Load = { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }

/**
 * Loads each server for one slice of the duration, one after the other, `SLICES` times over, so
 * that what else the machine does meanwhile falls on all alike; one result per server.
 */
async function loadInTurns<const Servers extends readonly { label: string; url: string; load: Load }[]>(
  servers: Servers,
): Promise<{ [N in keyof Servers]: LoadResult }> {
  const slice = Math.max(1, Math.round(duration / SLICES))
  const slices = servers.map((): LoadResult[] => [])
  for (let i = 0; i < SLICES; i++) {
    for (const [n, { label, url, load }] of servers.entries()) {
      slices[n]?.push(await runLoad(`${label}-${i + 1}`, { ...load, url, connections, duration: slice }))
    }
  }
  return slices.map(combineSlices) as { [N in keyof Servers]: LoadResult }
}

/** Loads of equal length as one: mean req/s, counts summed, the median p50 and the worst p99. */
function combineSlices(slices: LoadResult[]): LoadResult {
  const sum = (key: 'reqPerSec' | 'non2xx' | 'errors' | 'timeouts' | 'total') =>
    slices.reduce((total, r) => total + r[key], 0)
  const p50s = slices.map((r) => r.p50).sort((a, b) => a - b)
  return {
    reqPerSec: sum('reqPerSec') / slices.length,
    p50: p50s[Math.floor(p50s.length / 2)] ?? 0,
    p99: Math.max(...slices.map((r) => r.p99)),
    non2xx: sum('non2xx'),
    errors: sum('errors'),
    timeouts: sum('timeouts'),
    total: sum('total'),
  }
}

/** Runs a target's timings, if it has any, and prints them on the progress line. */
async function takeTimings(timings?: () => Promise<Timings>): Promise<Timings> {
  if (!timings) return {}
  process.stdout.write('timing… ')
  const taken = await timings()
  process.stdout.write(`${describeTimings(taken).join('; ')}; `)
  return taken
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
