// Probe: precise latency of sequential GETs to a few URLs, e.g. the instance directly, the same call
// through the agent, and through an agent with usage counting off. One request at a time on a
// keep-alive connection per URL, timed with process.hrtime.bigint(); the URLs take turns in small
// blocks, the one that starts a round rotating, so that drift of the machine or the JIT falls on
// all alike. Prints the p50 and p99 of each, in µs and in the order given, as one JSON line:
// {"requests":2000,"results":[{"p50":…,"p99":…},…]}.
// Run: PROBE='{"endpoints":[{"url":…,"headers":{…}},…],"requests":2000,"warmup":200,"block":10}'
//      node --import tsx bench/probes/latency.ts
import { Agent, get } from 'node:http'

interface Endpoint {
  url: string
  headers: Record<string, string>
}

interface ProbeSettings {
  endpoints: Endpoint[]
  /** Measured requests to each URL. */
  requests: number
  /** Requests to each URL before measuring. */
  warmup: number
  /** Requests in a row to one URL before switching to the other. */
  block: number
}

const settings = JSON.parse(process.env.PROBE ?? '') as ProbeSettings
const { endpoints } = settings
/** One keep-alive connection per URL, kept from the warm-up to the end. */
const agents = endpoints.map(() => new Agent({ keepAlive: true, maxSockets: 1 }))

/** A GET whose answer must be 200; resolves with its latency in µs, until the last byte. */
function timedGet(endpoint: Endpoint, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const req = get(endpoint.url, { agent, headers: endpoint.headers }, function onResponse(res) {
      res.resume()
      res.on('end', () => {
        const micros = Number(process.hrtime.bigint() - start) / 1000
        if (res.statusCode === 200) resolve(micros)
        else reject(new Error(`GET ${endpoint.url} answered ${res.statusCode}`))
      })
      res.on('error', reject)
    })
    req.on('error', reject)
  })
}

/** `count` requests to each endpoint, interleaved in blocks; the latencies of each, in order. */
async function interleaved(count: number): Promise<number[][]> {
  const out = endpoints.map((): number[] => [])
  for (let done = 0, round = 0; done < count; round++) {
    const size = Math.min(settings.block, count - done)
    for (let turn = 0; turn < endpoints.length; turn++) {
      const at = (round + turn) % endpoints.length
      const endpoint = endpoints[at] as Endpoint
      const agent = agents[at] as Agent
      for (let i = 0; i < size; i++) out[at]?.push(await timedGet(endpoint, agent))
    }
    done += size
  }
  return out
}

/** p50 and p99 (nearest rank) of latencies in µs, to 0.1 µs. */
function percentiles(latencies: number[]): { p50: number; p99: number } {
  const sorted = [...latencies].sort((x, y) => x - y)
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  const round = (micros: number) => Math.round(micros * 10) / 10
  return { p50: round(at(50)), p99: round(at(99)) }
}

await interleaved(settings.warmup)
const measured = await interleaved(settings.requests)
for (const agent of agents) agent.destroy()
const summary = { requests: settings.requests, results: measured.map(percentiles) }
console.log(JSON.stringify(summary))
