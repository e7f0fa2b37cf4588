// The printed report of a benchmark run: the results table, the precise timings and the goals of
// the issues ("Token endpoint", "Core API … Must show" and "Middleware … Must show").
import type { LoadResult } from './autocannon.ts'
import { describeTimings, type Percentiles, type Timings, type UsageCountTiming } from './timings.ts'

export interface Row extends Partial<LoadResult>, Timings {
  target: string
  /** CPU use of the whole machine (%) in the second before the target started. */
  busyBefore: number
  error?: string
  /** Why the target did not run (e.g. no PostgreSQL), when it was skipped. */
  skipped?: string
  /** Size of the response body the target answered (targets with a same-bytes reference). */
  bytes?: number
  /** The load of a bare node:http server answering the very response the target answered. */
  sameBytes?: LoadResult
  /** The same with a Fastify app answering it: what the framework alone reaches. */
  sameBytesFastify?: LoadResult
  /** This target and the one its goal compares it with, loaded in turns (targets' `inTurnsWith`). */
  inTurns?: InTurns
  /**
   * The rounds after the first (bench --rounds), each on freshly started processes: the comparisons
   * a goal reads (`sameBytes`, `inTurns`) made again. Goals read the median over all rounds.
   */
  moreRounds?: Row[]
}

export interface InTurns {
  partner: string
  own: LoadResult
  other: LoadResult
  /** Servers loaded in the same turns for comparison (targets' `referencesInTurns`), by name. */
  references?: Record<string, LoadResult>
}

export interface Goal {
  goal: string
  op: '≥' | '≤' | '<'
  limit: number
  /** Of the limit and the value, e.g. 'ns'; none for ratios and counts. */
  unit?: string
  value?: number
  /** How the value came about, e.g. the two p50s of a latency ratio. */
  detail?: string
}

const API_PREFIX = 'api-'

/** The targets whose goal is their req/s as a share of node:http sending the same bytes, and the share. */
export const SAME_BYTES_GOALS: ReadonlyMap<string, number> = new Map([
  ['api-get-bearer', 0.7],
  ['api-get-bearer-xml', 0.7],
  ['api-list', 0.5],
  ['api-list-xml', 0.5],
])

export function measured(rows: Row[], name: string): Row | undefined {
  return rows.find((r) => r.target === name && !r.error && !r.skipped)
}

export function ratio(a?: number, b?: number): number | undefined {
  return a !== undefined && b ? a / b : undefined
}

function failures(r: Row): number {
  const of = (load?: Partial<LoadResult>) =>
    load ? (load.errors ?? 0) + (load.timeouts ?? 0) + (load.non2xx ?? 0) : 0
  const references = Object.values(r.inTurns?.references ?? {}).reduce((sum, load) => sum + of(load), 0)
  const own =
    of(r) + of(r.sameBytes) + of(r.sameBytesFastify) + of(r.inTurns?.own) + of(r.inTurns?.other) + references
  return own + (r.moreRounds ?? []).reduce((sum, round) => sum + failures(round), 0)
}

/** A row's first round and the rounds after it. */
function roundsOf(r: Row): Row[] {
  return [r, ...(r.moreRounds ?? [])]
}

/** The middle value (the mean of the middle two of an even count); undefined for none. */
export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

/** How a goal's value came from its rounds: the median and each round's ratio, in order. */
function roundsDetail(ratios: number[]): string {
  return ratios.length > 1
    ? `median of ${ratios.length} rounds on fresh processes: ${ratios.map((r) => r.toFixed(3)).join(', ')}; `
    : ''
}

/** A target's req/s as a share of the bare server answering its very bytes. */
export function sameBytesRatio(r?: Row): number | undefined {
  return ratio(r?.reqPerSec, r?.sameBytes?.reqPerSec)
}

/** Rows that failed to start or answered anything but 2xx in time. */
export function brokenRows(rows: Row[]): Row[] {
  return rows.filter((r) => r.error || failures(r) > 0)
}

export function computeGoals(rows: Row[]): Goal[] {
  return [...coreGoals(rows), ...middlewareGoals(rows)]
}

/**
 * The goals of "Token endpoint", "Core API … Must show" and "Performance: the read path … Must show":
 * throughput ratios (the API's against a bare server answering its very bytes), errors, list p50s.
 */
function coreGoals(rows: Row[]): Goal[] {
  const rate = (name: string) => measured(rows, name)?.reqPerSec
  const bare = rate('bare')
  const api = rows.filter((r) => r.target.startsWith(API_PREFIX) && !r.error && !r.skipped)
  const broken = api.filter((r) => failures(r) > 0).map((r) => r.target)
  const p50Small = measured(rows, 'api-list-10k')?.p50
  const p50Large = measured(rows, 'api-list-1m')?.p50
  const listScale = measured(rows, 'api-list-1m')?.listScale
  const underLoad =
    p50Small !== undefined || p50Large !== undefined
      ? `under load p50 1M ${p50Large ?? '—'} ms, 10k ${p50Small ?? '—'} ms`
      : undefined
  const sameBytes = (name: string, limit: number): Goal => {
    const row = measured(rows, name)
    const ratios = row ? definedOnly(roundsOf(row).map(sameBytesRatio)) : []
    return {
      goal: `${name}/bare-same-bytes`,
      op: '≥',
      limit,
      value: median(ratios),
      detail:
        row?.sameBytes &&
        roundsDetail(ratios) +
          `${ratios.length > 1 ? 'round 1: ' : ''}${Math.round(row.reqPerSec ?? 0)} against ` +
          `${Math.round(row.sameBytes.reqPerSec)} req/s, ${row.bytes} bytes` +
          (row.sameBytesFastify
            ? `; Fastify alone answering them ${Math.round(row.sameBytesFastify.reqPerSec)} req/s, ` +
              `${ratio(row.sameBytesFastify.reqPerSec, row.sameBytes.reqPerSec)?.toFixed(3)} of bare`
            : ''),
    }
  }
  // Two targets compared: from the loads in turns of `name` with `base` when it ran them
  // (targets' `inTurnsWith`), else from their two loads run one after the other, which differ by
  // the machine's drift (±10–20 % on a shared host).
  const relative = (goal: string, limit: number, name: string, base: string): Goal => {
    const raw = ratio(rate(name), rate(base))
    const apart = raw === undefined ? '' : `loaded one after the other ${raw.toFixed(3)}`
    const turns = inTurns(rows, name, base)
    if (turns.length === 0) return { goal, op: '≥', limit, value: raw, detail: apart || undefined }
    const ratios = definedOnly(turns.map((t) => ratio(t.name.reqPerSec, t.base.reqPerSec)))
    const [first] = turns
    return {
      goal,
      op: '≥',
      limit,
      value: median(ratios),
      detail:
        roundsDetail(ratios) +
        `in turns${ratios.length > 1 ? ', round 1' : ''}: ` +
        `${Math.round(first?.name.reqPerSec ?? 0)} against ${Math.round(first?.base.reqPerSec ?? 0)} req/s` +
        (apart && `; ${apart}`) +
        referencesDetail(name, base, turns),
    }
  }
  return [
    { goal: 'Keyshift/bare', op: '≥', limit: 0.25, value: ratio(rate('keyshift'), bare) },
    relative('Keyshift/bare-es256', 0.95, 'keyshift', 'bare-es256'),
    {
      goal: 'Keyshift/oidc-provider',
      op: '≥',
      limit: 4,
      value: ratio(rate('keyshift'), rate('oidc-provider')),
      detail: ceilingDetail(rate('keyshift'), rate('bare-es256'), rate('oidc-provider')),
    },
    ...[...SAME_BYTES_GOALS].map(([name, limit]) => sameBytes(name, limit)),
    relative('api-get-key/api-get-bearer', 0.9, 'api-get-key', 'api-get-bearer'),
    relative('api-get-key ledger on/off', 0.95, 'api-get-key', 'api-get-key-no-ledger'),
    {
      goal: 'API errors (non-2xx, errors, timeouts)',
      op: '≤',
      limit: 0,
      value: api.length > 0 ? api.reduce((sum, r) => sum + failures(r), 0) : undefined,
      detail: broken.length > 0 ? `in ${broken.join(', ')}` : undefined,
    },
    {
      // Read from the sequential GETs in turns (µs) of api-list-1m's timings; two loads one after
      // the other differ by the machine's drift (±20 % here), and autocannon's p50 is in whole ms.
      goal: 'p50 api-list-1m/api-list-10k',
      op: '≤',
      limit: 1.2,
      value: listScale && ratio(listScale.large.p50, listScale.small.p50),
      detail: [
        listScale &&
          `sequential GETs in turns: p50 1M ${listScale.large.p50} µs, 10k ${listScale.small.p50} µs`,
        underLoad,
      ]
        .filter(Boolean)
        .join('; '),
    },
  ]
}

interface LoadsInTurns {
  name: LoadResult
  base: LoadResult
  references?: Record<string, LoadResult>
}

/**
 * The loads of `name` and `base` in turns with each other, one per round, whichever of the two ran
 * them.
 */
function inTurns(rows: Row[], name: string, base: string): LoadsInTurns[] {
  const ranByName = measured(rows, name)
  if (ranByName?.inTurns?.partner === base)
    return definedOnly(
      roundsOf(ranByName).map(
        (r) => r.inTurns && { name: r.inTurns.own, base: r.inTurns.other, references: r.inTurns.references },
      ),
    )
  const ranByBase = measured(rows, base)
  if (ranByBase?.inTurns?.partner === name)
    return definedOnly(
      roundsOf(ranByBase).map((r) => r.inTurns && { name: r.inTurns.other, base: r.inTurns.own }),
    )
  return []
}

/**
 * The servers loaded in the same turns for comparison (e.g. fastify-es256 beside Keyshift and
 * bare-es256): each one's median share of `base`, and `name`'s median share of it.
 */
function referencesDetail(name: string, base: string, turns: LoadsInTurns[]): string {
  const names = Object.keys(turns[0]?.references ?? {})
  return names
    .map((reference) => {
      const loads = definedOnly(
        turns.map((t) => t.references?.[reference] && { ...t, reference: t.references[reference] }),
      )
      const ofBase = median(definedOnly(loads.map((t) => ratio(t.reference.reqPerSec, t.base.reqPerSec))))
      const nameOf = median(definedOnly(loads.map((t) => ratio(t.name.reqPerSec, t.reference.reqPerSec))))
      return (
        `; in the same turns ${reference} made ${ofBase?.toFixed(3)} × ${base}, ` +
        `and ${name} ${nameOf?.toFixed(3)} × ${reference}${loads.length > 1 ? ' (medians)' : ''}`
      )
    })
    .join('')
}

function definedOnly<T>(values: (T | undefined)[]): T[] {
  return values.filter((v): v is T => v !== undefined)
}

/**
 * How the token endpoint's goal against oidc-provider relates to bare-es256, a bare node:http server
 * that only signs one ES256 token per request: no endpoint signing with node:crypto goes faster here.
 */
function ceilingDetail(keyshift?: number, ceiling?: number, oidcProvider?: number): string | undefined {
  const parts = [
    ceiling && oidcProvider && `bare-es256 is ${(ceiling / oidcProvider).toFixed(2)} × oidc-provider`,
    keyshift && ceiling && `Keyshift is ${(keyshift / ceiling).toFixed(2)} × bare-es256`,
  ].filter(Boolean)
  return parts.length > 0 ? parts.join('; ') : undefined
}

/** The goals of "Middleware … Must show": getToken() on a cached token and the agent's p50. */
function middlewareGoals(rows: Row[]): Goal[] {
  const getToken = measured(rows, 'get-token')?.getToken
  const latency = measured(rows, 'agent-proxy')?.proxyLatency
  const usageCount = measured(rows, 'agent-proxy')?.usageCount
  const cold = measured(rows, 'cold-start')?.coldStart
  return [
    {
      goal: 'getToken() on a cached token',
      op: '<',
      limit: 1000,
      unit: 'ns',
      value: getToken?.nsPerOp,
      detail: getToken && `median of ${getToken.runs.length} × ${getToken.iterations} calls`,
    },
    {
      goal: 'agent proxy added p50',
      op: '≤',
      limit: 200,
      unit: 'µs',
      value: latency?.added.p50,
      detail:
        latency &&
        `p50/p99 direct ${latency.direct.p50}/${latency.direct.p99} µs, ` +
          `via agent ${latency.agent.p50}/${latency.agent.p99} µs`,
    },
    { goal: 'agent proxy added p99', op: '≤', limit: 1000, unit: 'µs', value: latency?.added.p99 },
    {
      // The ceiling: what a bare node:http proxy (bench/targets/bare-proxy.ts) adds, timed in the
      // same interleaved run. The agent does more (local authentication, its token, counting).
      goal: 'agent proxy added p50 / bare node:http proxy added p50',
      op: '≤',
      limit: 1.25,
      value: latency?.bareProxy && ratio(latency.added.p50, latency.bareProxy.added.p50),
      detail:
        latency?.bareProxy &&
        `bare proxy added p50/p99 ${latency.bareProxy.added.p50}/${latency.bareProxy.added.p99} µs, ` +
          `agent ${latency.added.p50}/${latency.added.p99} µs`,
    },
    {
      // The cost of usage counting: the latency an integration sees through the agent, with
      // counting on against off, timed in the same interleaved run (the goal of issue 14: ≤ 5 %).
      goal: 'agent proxy p50 usage on/off',
      op: '≤',
      limit: 1.05,
      value: latency?.usageOff && ratio(latency.agent.p50, latency.usageOff.agent.p50),
      detail: latency?.usageOff && usageCostDetail(latency.added, latency.usageOff.added, usageCount),
    },
    {
      goal: 'cold start compiled/tsx',
      op: '≤',
      limit: 0.5,
      value: cold?.ratio,
      detail:
        cold &&
        `to the first token: compiled ${Math.round(cold.compiledMs)} ms, tsx ${Math.round(cold.tsxMs)} ms (medians of ${cold.compiledRuns.length})`,
    },
  ]
}

/** The added latency with usage counting on and off, and their difference, in µs. */
function usageCostDetail(on: Percentiles, off: Percentiles, alone?: UsageCountTiming): string {
  const diff = (a: number, b: number) => Math.round((a - b) * 10) / 10
  const recordAlone = alone ? `; record() alone ${alone.nsPerCall.toFixed(0)} ns/call` : ''
  return (
    `added p50/p99 on ${on.p50}/${on.p99} µs, off ${off.p50}/${off.p99} µs; ` +
    `on − off p50 ${diff(on.p50, off.p50)} µs, p99 ${diff(on.p99, off.p99)} µs${recordAlone}`
  )
}

export function passes(g: Goal): boolean | undefined {
  if (g.value === undefined) return undefined
  if (g.op === '<') return g.value < g.limit
  return g.op === '≥' ? g.value >= g.limit : g.value <= g.limit
}

export function printGoals(goals: Goal[]): void {
  for (const g of goals) {
    const pass = passes(g)
    const verdict = pass === undefined ? 'not measured' : pass ? 'PASS' : 'MISS'
    const unit = g.unit ? ` ${g.unit}` : ''
    const digits = g.unit ? 1 : 3
    const value =
      g.value === undefined ? '—' : Number.isInteger(g.value) ? String(g.value) : g.value.toFixed(digits)
    const detail = g.detail ? ` (${g.detail})` : ''
    console.log(
      `Goal ${g.goal} ${g.op} ${g.limit}${unit}: ${value}${g.value === undefined ? '' : unit}${detail}  ${verdict}`,
    )
  }
}

/** The loads (autocannon) and the targets that failed; timings are printed by `printTimings`. */
export function printTable(rows: Row[]): void {
  const bare = measured(rows, 'bare')?.reqPerSec
  const header = [
    'target',
    'req/s',
    'p50 ms',
    'p99 ms',
    'non-2xx',
    'errors',
    'timeouts',
    'vs bare',
    'bytes',
    'same bytes req/s',
    'vs same bytes',
    'busy %',
  ]
  const loaded = rows.filter((r) => r.error || r.skipped || r.reqPerSec !== undefined)
  const lines = loaded.map((r) =>
    r.error || r.skipped
      ? [
          r.target,
          r.error ? 'FAILED' : 'skipped',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          r.skipped ? '' : String(r.busyBefore),
        ]
      : [
          r.target,
          (r.reqPerSec ?? 0).toFixed(0),
          String(r.p50),
          String(r.p99),
          String(r.non2xx),
          String(r.errors),
          String(r.timeouts),
          ratio(r.reqPerSec, bare)?.toFixed(3) ?? '—',
          r.bytes === undefined ? '' : String(r.bytes),
          r.sameBytes ? r.sameBytes.reqPerSec.toFixed(0) : '',
          sameBytesRatio(r)?.toFixed(3) ?? '',
          String(r.busyBefore),
        ],
  )
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)))
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')
  console.log(fmt(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const line of lines) console.log(fmt(line))
  const repeated = rows.filter((r) => r.moreRounds?.length)
  if (repeated.length > 0) {
    console.log(
      `note: the table shows the first round; the goals read the median of ${1 + (repeated[0]?.moreRounds?.length ?? 0)} ` +
        `rounds on fresh processes of ${repeated.map((r) => r.target).join(', ')}`,
    )
  }
  const busy = rows.filter((r) => r.busyBefore > 15)
  if (busy.length > 0) {
    console.log(
      `note: the machine was busy with other work before ${busy.map((r) => r.target).join(', ')}; numbers are skewed`,
    )
  }
}

/** The precise timings (hrtime, in child processes), one line each, below the table. */
export function printTimings(rows: Row[]): void {
  const timed = rows.filter((r) => !r.error && describeTimings(r).length > 0)
  if (timed.length === 0) return
  const width = Math.max(...timed.map((r) => r.target.length))
  console.log()
  for (const r of timed) {
    for (const line of describeTimings(r))
      console.log(`${r.target.padEnd(width)}  ${line}  (busy ${r.busyBefore} %)`)
  }
}

/** The PostgreSQL targets next to the embedded single node: req/s of both and their ratio. */
const COMPARED = [
  ['keyshift-pg-2-nodes', 'keyshift', 'token endpoint'],
  ['api-get-bearer-pg-2-nodes', 'api-get-bearer', 'bearer GET'],
] as const

export function printComparisons(rows: Row[]): void {
  const lines: string[] = []
  for (const [pg, embedded, what] of COMPARED) {
    const skipped = rows.find((r) => r.target === pg && r.skipped)
    if (skipped) {
      lines.push(`${what} on PostgreSQL, 2 nodes: skipped (${skipped.skipped?.split(':')[0]}; see above)`)
      continue
    }
    const a = measured(rows, pg)?.reqPerSec
    const b = measured(rows, embedded)?.reqPerSec
    if (a === undefined) continue
    const vs =
      b === undefined ? '' : `, ${ratio(a, b)?.toFixed(2)} × the embedded single node (${b.toFixed(0)} req/s)`
    lines.push(`${what} on PostgreSQL, 2 nodes: ${a.toFixed(0)} req/s together${vs}`)
  }
  if (lines.length === 0) return
  console.log()
  for (const line of lines) console.log(line)
}
