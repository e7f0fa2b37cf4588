// Runs autocannon as its own process (so it does not share an event loop with anything) and
// reads its --json summary.
import { join } from 'node:path'
import { runJsonChild } from './child-json.ts'
import { ROOT } from './helpers.ts'

export interface LoadOptions {
  url: string
  method: 'GET' | 'POST'
  headers: Record<string, string>
  /** Request body; none for GET. */
  body?: string
  connections: number
  duration: number
}

export interface LoadResult {
  reqPerSec: number
  /** Latencies in whole milliseconds (autocannon's resolution). */
  p50: number
  p99: number
  non2xx: number
  errors: number
  timeouts: number
  total: number
}

interface AutocannonJson {
  requests: { average: number; total: number }
  latency: { p50: number; p99: number }
  non2xx: number
  errors: number
  timeouts: number
}

const CLI = join(ROOT, 'node_modules', 'autocannon', 'autocannon.js')

export async function runLoad(name: string, opts: LoadOptions): Promise<LoadResult> {
  const args = [CLI, '--json', '--no-progress', '-m', opts.method]
  args.push('-c', String(opts.connections), '-d', String(opts.duration))
  for (const [key, value] of Object.entries(opts.headers)) args.push('-H', `${key}=${value}`)
  if (opts.body !== undefined) args.push('-b', opts.body)
  args.push(opts.url)
  const json = (await runJsonChild(`autocannon-${name}`, {
    args,
    timeoutMs: (opts.duration + 60) * 1000,
  })) as AutocannonJson
  return {
    reqPerSec: json.requests.average,
    p50: json.latency.p50,
    p99: json.latency.p99,
    non2xx: json.non2xx,
    errors: json.errors,
    timeouts: json.timeouts,
    total: json.requests.total,
  }
}

/**
 * The same load spread over several servers of one instance (nodes behind a load balancer): one
 * autocannon per URL, at the same time, each with its share of the connections. The result is
 * the sum of their requests per second and counts, and the worse of their p50 and p99.
 */
export async function runSpreadLoad(
  name: string,
  opts: Omit<LoadOptions, 'url'>,
  urls: readonly string[],
): Promise<LoadResult> {
  if (urls.length === 1) return runLoad(name, { ...opts, url: urls[0] ?? '' })
  const connections = Math.max(1, Math.ceil(opts.connections / urls.length))
  const results = await Promise.all(
    urls.map((url, i) => runLoad(`${name}-node${i + 1}`, { ...opts, url, connections })),
  )
  const sum = (key: 'reqPerSec' | 'non2xx' | 'errors' | 'timeouts' | 'total') =>
    results.reduce((total, r) => total + r[key], 0)
  return {
    reqPerSec: sum('reqPerSec'),
    p50: Math.max(...results.map((r) => r.p50)),
    p99: Math.max(...results.map((r) => r.p99)),
    non2xx: sum('non2xx'),
    errors: sum('errors'),
    timeouts: sum('timeouts'),
    total: sum('total'),
  }
}
