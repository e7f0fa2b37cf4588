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
