// Precise timings next to autocannon's loads (whose latencies are whole milliseconds): the cost of
// getToken() on a cached token and the latency the agent proxy adds, each measured by a probe of
// bench/probes in a process of its own.
import { join } from 'node:path'
import { runJsonChild } from './child-json.ts'

export interface GetTokenTiming {
  /** Median over the repetitions, ns per call. */
  nsPerOp: number
  /** ns per call of each repetition. */
  runs: number[]
  iterations: number
}

export interface Percentiles {
  p50: number
  p99: number
}

/** Sequential GET latencies in µs: direct to the instance, through the agent, and the difference. */
export interface ProxyLatency {
  requests: number
  direct: Percentiles
  /** Through the agent as configured by default (usage counting on). */
  agent: Percentiles
  added: Percentiles
  /** Through a second agent with `usage: enabled: false`, timed in the same interleaved run. */
  usageOff?: { agent: Percentiles; added: Percentiles }
  /** Through a bare node:http proxy (bench/targets/bare-proxy.ts): the ceiling on this machine. */
  bareProxy?: { proxy: Percentiles; added: Percentiles }
}

/**
 * The list's page of 50 on a small and a large store, timed by sequential GETs taking turns: how
 * much the store's size adds to a page (the index's part), free of the drift between two loads.
 */
export interface ListScale {
  requests: number
  /** Invoices in each store. */
  invoices: { small: number; large: number }
  small: Percentiles
  large: Percentiles
}

/** The agent's usage counting alone: `record()` of one proxied call, and a flush to the file. */
export interface UsageCountTiming {
  /** Median over the repetitions, ns per call. */
  nsPerCall: number
  runs: number[]
  iterations: number
  /** Median ms of the flush after each repetition (one hour's counts of one call). */
  flushMs: number
}

/** From process start to the first token: the compiled bin against the sources through tsx. */
export interface ColdStart {
  /** Medians, ms. */
  compiledMs: number
  tsxMs: number
  /** compiledMs / tsxMs (goal ≤ 0.5). */
  ratio: number
  compiledRuns: number[]
  tsxRuns: number[]
}

/** What a row may hold besides a load. */
export interface Timings {
  getToken?: GetTokenTiming
  proxyLatency?: ProxyLatency
  usageCount?: UsageCountTiming
  coldStart?: ColdStart
  listScale?: ListScale
}

export interface Endpoint {
  url: string
  headers: Record<string, string>
}

const PROBES = join('bench', 'probes')

/** Runs getToken() `repetitions` × `iterations` times in a child process; the median ns/op. */
export async function timeGetToken(iterations = 1e6, repetitions = 5): Promise<GetTokenTiming> {
  const { runs } = (await runJsonChild('probe-get-token', {
    args: ['--import', 'tsx', join(PROBES, 'get-token.ts')],
    env: { ITERATIONS: String(iterations), REPETITIONS: String(repetitions) },
    timeoutMs: 120_000,
  })) as { runs: number[] }
  return { nsPerOp: median(runs), runs, iterations }
}

/** Two timings of the same endpoints as one: each percentile the mean of the two. */
export function combineHalves(a: ProxyLatency, b: ProxyLatency): ProxyLatency {
  const mean = (x: Percentiles, y: Percentiles) => ({
    p50: round1((x.p50 + y.p50) / 2),
    p99: round1((x.p99 + y.p99) / 2),
  })
  const direct = mean(a.direct, b.direct)
  const agent = mean(a.agent, b.agent)
  const addedTo = (p: Percentiles) => ({ p50: round1(p.p50 - direct.p50), p99: round1(p.p99 - direct.p99) })
  const combined: ProxyLatency = { requests: a.requests + b.requests, direct, agent, added: addedTo(agent) }
  if (a.usageOff && b.usageOff) {
    const off = mean(a.usageOff.agent, b.usageOff.agent)
    combined.usageOff = { agent: off, added: addedTo(off) }
  }
  if (a.bareProxy && b.bareProxy) {
    const proxy = mean(a.bareProxy.proxy, b.bareProxy.proxy)
    combined.bareProxy = { proxy, added: addedTo(proxy) }
  }
  return combined
}

/** Runs the usage tracker's `record()` `repetitions` × `iterations` times in a child process. */
export async function timeUsageCount(iterations = 1e6, repetitions = 5): Promise<UsageCountTiming> {
  const { runs, flushMs } = (await runJsonChild('probe-usage-count', {
    args: ['--import', 'tsx', join(PROBES, 'usage-count.ts')],
    env: { ITERATIONS: String(iterations), REPETITIONS: String(repetitions) },
    timeoutMs: 120_000,
  })) as { runs: number[]; flushMs: number[] }
  return { nsPerCall: median(runs), runs, iterations, flushMs: median(flushMs) }
}

/**
 * Times `requests` sequential GETs each to `direct`, `viaAgent` and, if given, `viaAgentUsageOff`
 * (the same agent with usage counting off) and `viaBareProxy` (bench/targets/bare-proxy.ts),
 * interleaved in blocks of 10.
 */
export async function timeProxyLatency(
  direct: Endpoint,
  viaAgent: Endpoint,
  more: { viaAgentUsageOff?: Endpoint; viaBareProxy?: Endpoint } = {},
  requests = 2_000,
  warmup = 200,
): Promise<ProxyLatency> {
  const endpoints = [direct, viaAgent, more.viaAgentUsageOff, more.viaBareProxy].filter(
    (e): e is Endpoint => e !== undefined,
  )
  const [a, b, ...rest] = (await timeSequentialGets(endpoints, requests, warmup)) as [
    Percentiles,
    Percentiles,
    ...Percentiles[],
  ]
  const off = more.viaAgentUsageOff ? rest.shift() : undefined
  const bare = more.viaBareProxy ? rest.shift() : undefined
  const addedTo = (p: Percentiles) => ({ p50: round1(p.p50 - a.p50), p99: round1(p.p99 - a.p99) })
  const latency: ProxyLatency = { requests, direct: a, agent: b, added: addedTo(b) }
  if (off) latency.usageOff = { agent: off, added: addedTo(off) }
  if (bare) latency.bareProxy = { proxy: bare, added: addedTo(bare) }
  return latency
}

/** Times `requests` sequential GETs of the same page on a small and a large store, taking turns. */
export async function timeListScale(
  small: Endpoint & { invoices: number },
  large: Endpoint & { invoices: number },
  requests = 1_000,
  warmup = 100,
): Promise<ListScale> {
  const [smallTimes, largeTimes] = (await timeSequentialGets([small, large], requests, warmup)) as [
    Percentiles,
    Percentiles,
  ]
  return {
    requests,
    invoices: { small: small.invoices, large: large.invoices },
    small: smallTimes,
    large: largeTimes,
  }
}

/**
 * `requests` sequential GETs to each endpoint, one keep-alive connection each, interleaved in blocks
 * of 10 (bench/probes/latency.ts, in a child process): the p50 and p99 of each, in µs.
 */
async function timeSequentialGets(endpoints: Endpoint[], requests: number, warmup: number) {
  const settings = {
    endpoints: endpoints.map(({ url, headers }) => ({ url, headers })),
    requests,
    warmup,
    block: 10,
  }
  const result = (await runJsonChild('probe-latency', {
    args: ['--import', 'tsx', join(PROBES, 'latency.ts')],
    env: { PROBE: JSON.stringify(settings) },
    timeoutMs: 300_000,
  })) as { requests: number; results: Percentiles[] }
  return result.results
}

/** One line per timing, e.g. for the progress line and the summary after the table. */
export function describeTimings(t: Timings): string[] {
  const lines: string[] = []
  if (t.getToken) {
    const { nsPerOp, runs, iterations } = t.getToken
    const all = runs.map((ns) => ns.toFixed(1)).join(', ')
    lines.push(`getToken() cached ${nsPerOp.toFixed(1)} ns/op (median of ${all}; ${iterations} calls each)`)
  }
  if (t.proxyLatency) {
    const { requests, direct, agent, added, usageOff, bareProxy } = t.proxyLatency
    const pair = (p: Percentiles) => `p50 ${p.p50} µs, p99 ${p.p99} µs`
    lines.push(
      `${requests} sequential GETs each: direct ${pair(direct)}; via agent ${pair(agent)}; ` +
        `added ${pair(added)}`,
    )
    if (bareProxy) {
      lines.push(`via a bare node:http proxy ${pair(bareProxy.proxy)}; added ${pair(bareProxy.added)}`)
    }
    if (usageOff) {
      const cost = {
        p50: round1(added.p50 - usageOff.added.p50),
        p99: round1(added.p99 - usageOff.added.p99),
      }
      lines.push(
        `usage counting: added with it on ${pair(added)}; off ${pair(usageOff.added)}; ` +
          `on − off ${pair(cost)}`,
      )
    }
  }
  if (t.usageCount) {
    const { nsPerCall, runs, iterations, flushMs } = t.usageCount
    const all = runs.map((ns) => ns.toFixed(1)).join(', ')
    lines.push(
      `usage record() ${nsPerCall.toFixed(1)} ns/call (median of ${all}; ${iterations} calls each); ` +
        `flush ${flushMs.toFixed(2)} ms`,
    )
  }
  if (t.coldStart) {
    const { compiledMs, tsxMs, ratio, compiledRuns, tsxRuns } = t.coldStart
    const runs = (values: number[]) => values.map((ms) => Math.round(ms)).join(', ')
    lines.push(
      `cold start to the first token: compiled ${Math.round(compiledMs)} ms (${runs(compiledRuns)}), ` +
        `tsx ${Math.round(tsxMs)} ms (${runs(tsxRuns)}): ${ratio.toFixed(2)} × tsx`,
    )
  }
  if (t.listScale) {
    const { requests, invoices, small, large } = t.listScale
    const count = (n: number) => n.toLocaleString('en-US')
    lines.push(
      `${requests} sequential GETs of the page each, taking turns: ${count(invoices.large)} invoices ` +
        `p50 ${large.p50} µs, p99 ${large.p99} µs; ${count(invoices.small)} invoices p50 ${small.p50} µs, ` +
        `p99 ${small.p99} µs`,
    )
  }
  return lines
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

function round1(value: number): number {
  return Math.round(value * 10) / 10
}
