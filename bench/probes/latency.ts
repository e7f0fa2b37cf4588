// Probe: precise latency of sequential GETs to two URLs, e.g. the instance directly (a) and the same
// call through the agent (b). One request at a time on a keep-alive connection per URL, timed with
// process.hrtime.bigint(); a and b alternate in small blocks (a first, then b first) so that drift
// of the machine or the JIT falls on both alike. Prints the p50 and p99 of each, in µs, as one
// JSON line: {"requests":2000,"a":{"p50":…,"p99":…},"b":{…}}.
// Run: PROBE='{"a":{"url":…,"headers":{…}},"b":{…},"requests":2000,"warmup":200,"block":10}'
//      node --import tsx bench/probes/latency.ts
import { Agent, get } from 'node:http'

interface Endpoint {
  url: string
  headers: Record<string, string>
}

interface ProbeSettings {
  a: Endpoint
  b: Endpoint
  /** Measured requests to each URL. */
  requests: number
  /** Requests to each URL before measuring. */
  warmup: number
  /** Requests in a row to one URL before switching to the other. */
  block: number
}

const settings = JSON.parse(process.env.PROBE ?? '') as ProbeSettings
/** One keep-alive connection per URL, kept from the warm-up to the end. */
const agents = {
  a: new Agent({ keepAlive: true, maxSockets: 1 }),
  b: new Agent({ keepAlive: true, maxSockets: 1 }),
}

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
async function interleaved(count: number): Promise<{ a: number[]; b: number[] }> {
  const out = { a: [] as number[], b: [] as number[] }
  for (let done = 0, round = 0; done < count; round++) {
    const size = Math.min(settings.block, count - done)
    const order = round % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const)
    for (const key of order) {
      for (let i = 0; i < size; i++) out[key].push(await timedGet(settings[key], agents[key]))
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
agents.a.destroy()
agents.b.destroy()
const summary = { requests: settings.requests, a: percentiles(measured.a), b: percentiles(measured.b) }
console.log(JSON.stringify(summary))
