/**
 * A bounded soak of one instance on loopback:
 * `npm run soak -- --seconds N [--url URL | --database-url URL] [--workers W]`.
 *
 * Without --url it starts its own `keyshift serve --demo --api-rate-limit off` on a temporary data
 * folder (and kills it at the end); with --database-url (an empty PostgreSQL database on loopback)
 * that instance uses PostgreSQL. It creates an OAuth client and an API key through the admin API
 * (with --url, the admin password comes from KEYSHIFT_ADMIN_PASSWORD), then for N seconds a few
 * workers drive a mix of token requests, reads, filtered lists, updates and introspection. It
 * samples the server's resident memory every 5 s (own child only) and prints requests, errors by
 * status, p50/p99 latency per kind and whether memory stopped growing. Exits 1 on any error.
 *
 * `--abuse` (scripts/soak-abuse.ts): while a well-behaved client runs, an attacker on another
 * loopback address runs the abuses of issue 13 in turn; needs its own instance (no --url).
 */
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { runAbuse } from './soak-abuse.ts'
import { percentile, rssKiB, startInstance, type Target } from './soak-support.ts'

const SAMPLE_MS = 5000
const REQUEST_TIMEOUT_MS = 10_000
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

interface Credentials {
  clientId: string
  clientSecret: string
  key: string
  token: string
}
type Kind = (typeof MIX)[number][0]
type Call = (c: Credentials) => Promise<Response>

function options() {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string' },
      url: { type: 'string' },
      workers: { type: 'string', default: '4' },
      'database-url': { type: 'string' },
      abuse: { type: 'boolean', default: false },
    },
  })
  const seconds = Number(values.seconds)
  const workers = Number(values.workers)
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400) {
    throw new Error('--seconds must be a whole number of seconds from 1 to 86400, e.g. --seconds 60')
  }
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new Error('--workers must be 1 to 64')
  if (values.url && !LOOPBACK.has(new URL(values.url).hostname)) {
    throw new Error(`--url must be a loopback address (127.0.0.1, localhost, [::1]), not ${values.url}`)
  }
  const databaseUrl = values['database-url']
  if (databaseUrl && values.url)
    throw new Error('--database-url is for the instance the soak starts; not with --url')
  if (databaseUrl && !LOOPBACK.has(new URL(databaseUrl).hostname)) {
    throw new Error('--database-url must name a loopback host (127.0.0.1, localhost, [::1])')
  }
  if (values.abuse && values.url) throw new Error('--abuse starts its own instance: leave out --url')
  return { seconds, workers, url: values.url?.replace(/\/$/, ''), databaseUrl, abuse: values.abuse }
}

async function credentials(target: Target): Promise<Credentials> {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${target.url}/admin/v1${path}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`admin:${target.adminPassword}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    })
    if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`)
    return (await response.json()) as Record<string, string>
  }
  const suffix = randomBytes(4).toString('hex')
  const client = await post('/oauth2/clients', {
    name: `Soak ${suffix}`,
    grant_type: 'client_credentials',
    scopes: ['core.invoice.read', 'core.supplier.read', 'core.supplier.write'],
    login: `soak-${suffix}`,
  })
  const apiKey = await post('/api-keys', {
    name: `Soak ${suffix}`,
    contact_login: `soak-${suffix}`,
    contact_email: `soak-${suffix}@example.com`,
  })
  const c = {
    clientId: client.client_id ?? '',
    clientSecret: client.client_secret ?? '',
    key: apiKey.key ?? '',
  }
  const response = await tokenPost(target.url)({ ...c, token: '' })
  if (response.status !== 200) throw new Error(`first token request: ${response.status}`)
  return { ...c, token: ((await response.json()) as { access_token: string }).access_token }
}

const form = (url: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  })
const tokenPost =
  (url: string): Call =>
  (c) =>
    form(`${url}/oauth2/token`, {
      grant_type: 'client_credentials',
      client_id: c.clientId,
      client_secret: c.clientSecret,
    })
const basic = (c: Credentials) =>
  `Basic ${Buffer.from(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.clientSecret)}`).toString('base64')}`
const api = (url: string, path: string, c: Credentials, by: 'bearer' | 'key', init: RequestInit = {}) =>
  fetch(`${url}/api${path}`, {
    ...init,
    headers: {
      accept: 'application/json',
      ...(by === 'bearer' ? { authorization: `Bearer ${c.token}` } : { 'x-coupa-api-key': c.key }),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  })
const id = () => 1 + Math.floor(Math.random() * 100)

/** The kinds of request and their weights: mostly reads, a few tokens, an occasional update. */
const MIX = [
  ['token_post', 5],
  ['token_basic', 5],
  ['invoice_bearer', 30],
  ['invoice_key', 20],
  ['list_filtered', 25],
  ['introspect', 10],
  ['put_update', 5],
] as const
const TOTAL_WEIGHT = MIX.reduce((sum, [, weight]) => sum + weight, 0)

function calls(url: string): Record<Kind, Call> {
  return {
    token_post: tokenPost(url),
    token_basic: (c) =>
      form(`${url}/oauth2/token`, { grant_type: 'client_credentials' }, { authorization: basic(c) }),
    invoice_bearer: (c) => api(url, `/invoices/${id()}`, c, 'bearer'),
    invoice_key: (c) => api(url, `/invoices/${id()}`, c, 'key'),
    list_filtered: (c) =>
      api(
        url,
        '/invoices?status=approved&limit=10&order_by=id&dir=desc',
        c,
        Math.random() < 0.5 ? 'bearer' : 'key',
      ),
    introspect: (c) =>
      form(`${url}/oauth2/introspect`, {
        token: c.token,
        client_id: c.clientId,
        client_secret: c.clientSecret,
      }),
    put_update: (c) =>
      api(url, `/suppliers/${id()}`, c, 'bearer', {
        method: 'PUT',
        body: JSON.stringify({ 'po-email': `soak-${Date.now()}@example.com` }),
      }),
  }
}

function pick(): Kind {
  let roll = Math.random() * TOTAL_WEIGHT
  for (const [kind, weight] of MIX) {
    roll -= weight
    if (roll < 0) return kind
  }
  return 'invoice_bearer'
}

interface Results {
  latencies: Map<Kind, number[]>
  errors: Map<string, number>
}

async function worker(url: string, c: Credentials, deadline: number, results: Results): Promise<void> {
  const table = calls(url)
  while (performance.now() < deadline) {
    const kind = pick()
    const started = performance.now()
    let status: number | string
    try {
      const response = await table[kind](c)
      status = response.status
      const body = await response.text()
      // A fresh token from time to time, so introspection and reads see more than one.
      if (kind === 'token_post' && status === 200)
        c.token = (JSON.parse(body) as { access_token: string }).access_token
    } catch (error) {
      status = (error as Error).name
    }
    const latencies = results.latencies.get(kind) ?? []
    latencies.push(performance.now() - started)
    results.latencies.set(kind, latencies)
    if (status !== 200)
      results.errors.set(`${kind} ${status}`, (results.errors.get(`${kind} ${status}`) ?? 0) + 1)
  }
}

/** Least-squares slope in KiB per second of samples [seconds, KiB]. */
function slope(samples: Array<[number, number]>): number {
  const n = samples.length
  const mx = samples.reduce((s, [x]) => s + x, 0) / n
  const my = samples.reduce((s, [, y]) => s + y, 0) / n
  const sxy = samples.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0)
  const sxx = samples.reduce((s, [x]) => s + (x - mx) ** 2, 0)
  return sxx === 0 ? 0 : sxy / sxx
}

/** The samples over time, six to a line: all of them in a short run, about 24 evenly spaced in a long one. */
function rssOverTime(samples: Array<[number, number]>): string[] {
  const step = Math.max(1, Math.round(samples.length / 24))
  const picked = samples.filter((_, i) => i % step === 0 || i === samples.length - 1)
  const cells = picked.map(([s, kib]) => `${Math.round(s)}s ${(kib / 1024).toFixed(1)}`)
  const lines: string[] = []
  for (let i = 0; i < cells.length; i += 6) lines.push(`  rss MiB at ${cells.slice(i, i + 6).join(', ')}`)
  return lines
}

function memoryReport(samples: Array<[number, number]>): string[] {
  if (samples.length === 0) return ['memory: not sampled (only the soak’s own child is sampled; no --url)']
  const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`
  const values = samples.map(([, kib]) => kib)
  const lines = [
    `rss: first ${mib(values[0] ?? 0)}, last ${mib(values.at(-1) ?? 0)}, max ${mib(Math.max(...values))} (${samples.length} samples, every ${SAMPLE_MS / 1000} s)`,
    ...rssOverTime(samples),
  ]
  const third = Math.floor(samples.length / 3)
  if (third < 2) return [...lines, 'memory trend: too few samples (run 30 s or more)']
  const first = slope(samples.slice(0, third))
  const last = slope(samples.slice(-third))
  // Noise floor: a few KiB per second is the allocator breathing, not a leak.
  const stopped = last <= 16 || last <= first / 2
  return [
    ...lines,
    `memory trend: first third ${first.toFixed(1)} KiB/s, last third ${last.toFixed(1)} KiB/s: ${stopped ? 'stopped growing' : 'STILL GROWING'}`,
  ]
}

function report(seconds: number, results: Results, samples: Array<[number, number]>): string[] {
  const total = [...results.latencies.values()].reduce((sum, list) => sum + list.length, 0)
  const errorCount = [...results.errors.values()].reduce((sum, n) => sum + n, 0)
  const lines = [
    `requests: ${total} in ${seconds} s (${(total / seconds).toFixed(0)}/s), errors: ${errorCount}`,
  ]
  for (const [what, count] of [...results.errors].sort()) lines.push(`  error ${what}: ${count}`)
  lines.push('latency (ms)      count     p50     p99')
  for (const [kind] of MIX) {
    const sorted = [...(results.latencies.get(kind) ?? [])].sort((x, y) => x - y)
    const cell = (p: number) => percentile(sorted, p).toFixed(1).padStart(8)
    lines.push(`  ${kind.padEnd(15)} ${String(sorted.length).padStart(6)}${cell(50)}${cell(99)}`)
  }
  return [...lines, ...memoryReport(samples)]
}

async function soak(): Promise<number> {
  const { seconds, workers, url, databaseUrl, abuse } = options()
  if (abuse) return runAbuse({ seconds, databaseUrl })
  const adminPassword = process.env.KEYSHIFT_ADMIN_PASSWORD ?? ''
  if (url && !adminPassword) throw new Error('with --url, set KEYSHIFT_ADMIN_PASSWORD to the admin password')
  const target: Target = url
    ? { url, adminPassword, stop: async () => {} }
    : await startInstance({ databaseUrl })
  const stopOnSignal = () => void target.stop().finally(() => process.exit(130))
  process.once('SIGINT', stopOnSignal)
  try {
    console.log(`soak: ${target.url}, ${workers} workers, ${seconds} s`)
    const c = await credentials(target)
    const results: Results = { latencies: new Map(), errors: new Map() }
    const samples: Array<[number, number]> = []
    const pid = target.child?.pid
    const started = performance.now()
    const sample = async () => {
      const kib = pid === undefined ? undefined : await rssKiB(pid)
      if (kib !== undefined) samples.push([(performance.now() - started) / 1000, kib])
    }
    await sample()
    const sampler = setInterval(sample, SAMPLE_MS)
    const deadline = started + seconds * 1000
    await Promise.all(Array.from({ length: workers }, () => worker(target.url, { ...c }, deadline, results)))
    clearInterval(sampler)
    await sample()
    for (const line of report(seconds, results, samples)) console.log(line)
    return results.errors.size > 0 ? 1 : 0
  } finally {
    process.off('SIGINT', stopOnSignal)
    await target.stop()
  }
}

soak().then(
  (code) => {
    process.exitCode = code
  },
  (error: Error) => {
    console.error(`soak: ${error.message}`)
    process.exitCode = 1
  },
)
