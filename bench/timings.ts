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
  agent: Percentiles
  added: Percentiles
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
  coldStart?: ColdStart
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

/** Times `requests` sequential GETs each to `direct` and `viaAgent`, interleaved in blocks of 10. */
export async function timeProxyLatency(
  direct: Endpoint,
  viaAgent: Endpoint,
  requests = 2_000,
  warmup = 200,
): Promise<ProxyLatency> {
  const settings = { a: direct, b: viaAgent, requests, warmup, block: 10 }
  const result = (await runJsonChild('probe-latency', {
    args: ['--import', 'tsx', join(PROBES, 'latency.ts')],
    env: { PROBE: JSON.stringify(settings) },
    timeoutMs: 300_000,
  })) as { requests: number; a: Percentiles; b: Percentiles }
  const { a, b } = result
  const added = { p50: round1(b.p50 - a.p50), p99: round1(b.p99 - a.p99) }
  return { requests: result.requests, direct: a, agent: b, added }
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
    const { requests, direct, agent, added } = t.proxyLatency
    const pair = (p: Percentiles) => `p50 ${p.p50} µs, p99 ${p.p99} µs`
    lines.push(
      `${requests} sequential GETs each: direct ${pair(direct)}; via agent ${pair(agent)}; ` +
        `added ${pair(added)}`,
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
