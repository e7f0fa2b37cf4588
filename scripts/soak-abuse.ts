/**
 * `npm run soak -- --abuse --seconds N [--database-url URL]`: can one client within its limits hurt
 * the others (issue 13)? It starts its own `keyshift serve --demo` with the core API's rate limit on.
 * A well-behaved integration on 127.0.0.1 reads invoices 20 times a second and gets a token with its
 * right secret every second; an admin signs in with the right password every 2 s from 127.0.0.3, an
 * address never seen before. Meanwhile an attacker on 127.0.0.2, with a client of its own, runs in
 * turn (N/5 seconds each, after as long a warm-up, which plays each of them for 2 s so that the
 * caches, the scrypt threads and the heap have their working size before memory is compared):
 *   1. query shapes: `id[in]=1,…,k` with a different k each time, at its rate limit;
 *   2. slow searches: `supplier[name][contains]=<no match>`, which reads every invoice, at its limit;
 *   3. a password burst: 60 wrong admin passwords at once, again and again;
 *   4. lockout: wrong secrets for the integration's client id and wrong passwords for `admin`.
 * It prints, per phase, the integration's p50/p99, refusals of the right credentials, the attacker's
 * answers and the server's resident memory, then the goals: memory flat (at the end of every phase
 * ≤ 10 % above the end of the warm-up; the peak, with scrypt's 128 MiB per running check, is shown), the integration's p99 under 50 ms, its right credentials never refused. Exits 1 when
 * a right credential was refused or a read of the integration failed. Loopback only.
 */

import { randomBytes } from 'node:crypto'
import { Agent, request } from 'node:http'
import { percentile, rssKiB, startInstance, type Target } from './soak-support.ts'

const GOOD = '127.0.0.1'
const ATTACKER = '127.0.0.2'
const NEW_ADDRESS = '127.0.0.3'
const PHASES = ['warm-up', 'query shapes', 'slow searches', 'password burst', 'lockout'] as const
type Phase = (typeof PHASES)[number]

interface Answer {
  status: number
  ms: number
  body: string
}

interface PhaseRecord {
  reads: number[]
  readErrors: number
  rightRefused: Map<string, number>
  rightChecks: number
  attacker: Map<string, number>
  rss: number[]
}

const agents = new Map<string, Agent>()
/** One HTTP request from `from` (a loopback address), timed; the body read in full. */
function call(
  target: string,
  from: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  let agent = agents.get(from)
  if (!agent) {
    agent = new Agent({ keepAlive: true, localAddress: from, maxSockets: 128 })
    agents.set(from, agent)
  }
  const started = performance.now()
  return new Promise((resolve) => {
    const req = request(target, {
      method: init.method ?? 'GET',
      headers: init.headers,
      agent,
      timeout: 30_000,
    })
    req.on('response', (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => {
        body += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body }))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started, body: '' }))
    req.end(init.body)
  })
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(user)}:${encodeURIComponent(password)}`).toString('base64')}`
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' }

async function makeClient(target: Target, login: string): Promise<{ clientId: string; secret: string }> {
  const answer = await call(`${target.url}/admin/v1/oauth2/clients`, GOOD, {
    method: 'POST',
    headers: { authorization: basic('admin', target.adminPassword), 'content-type': 'application/json' },
    body: JSON.stringify({
      name: login,
      grant_type: 'client_credentials',
      scopes: ['core.invoice.read'],
      login,
    }),
  })
  if (answer.status !== 201) throw new Error(`create client ${login}: ${answer.status} ${answer.body}`)
  const body = JSON.parse(answer.body) as { client_id: string; client_secret: string }
  return { clientId: body.client_id, secret: body.client_secret }
}

async function token(target: Target, from: string, clientId: string, secret: string): Promise<Answer> {
  return call(`${target.url}/oauth2/token`, from, {
    method: 'POST',
    headers: formHeaders,
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: secret,
      scope: 'core.invoice.read',
    }).toString(),
  })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/** Runs `step` every `everyMs` until `until()` is false, without waiting for answers (open loop). */
async function paced(everyMs: number, until: () => boolean, step: () => Promise<unknown>): Promise<void> {
  const running = new Set<Promise<unknown>>()
  for (let next = performance.now(); until(); next += everyMs) {
    const p = step().finally(() => running.delete(p))
    running.add(p)
    await sleep(Math.max(0, next + everyMs - performance.now()))
  }
  await Promise.all(running)
}

export async function runAbuse({
  seconds,
  databaseUrl,
}: {
  seconds: number
  databaseUrl?: string | undefined
}): Promise<number> {
  if (seconds < 25) throw new Error('--abuse needs --seconds 25 or more (five phases of at least 5 s)')
  const target = await startInstance({ databaseUrl, rateLimit: true })
  try {
    const pid = target.child?.pid
    const good = await makeClient(target, `well-behaved-${randomBytes(3).toString('hex')}`)
    const attacker = await makeClient(target, `attacker-${randomBytes(3).toString('hex')}`)
    const goodToken = JSON.parse((await token(target, GOOD, good.clientId, good.secret)).body).access_token
    const badToken = JSON.parse(
      (await token(target, ATTACKER, attacker.clientId, attacker.secret)).body,
    ).access_token
    const phaseMs = (seconds * 1000) / PHASES.length
    const records = new Map<Phase, PhaseRecord>()
    let phase: Phase = 'warm-up'
    let done = false
    const current = () => {
      let r = records.get(phase)
      if (!r) {
        r = {
          reads: [],
          readErrors: 0,
          rightRefused: new Map(),
          rightChecks: 0,
          attacker: new Map(),
          rss: [],
        }
        records.set(phase, r)
      }
      return r
    }
    const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)
    const running = () => !done
    console.log(`soak --abuse: ${target.url}, ${PHASES.length} phases of ${(phaseMs / 1000).toFixed(0)} s`)

    const wellBehaved = [
      paced(50, running, async () => {
        const id = 1 + Math.floor(Math.random() * 100)
        const answer = await call(`${target.url}/api/invoices/${id}`, GOOD, {
          headers: { authorization: `Bearer ${goodToken}`, accept: 'application/json' },
        })
        const r = current()
        r.reads.push(answer.ms)
        if (answer.status !== 200) r.readErrors++
      }),
      paced(1000, running, async () => {
        const answer = await token(target, GOOD, good.clientId, good.secret)
        const r = current()
        r.rightChecks++
        if (answer.status !== 200) count(r.rightRefused, `client secret ${answer.status}`)
      }),
      paced(2000, running, async () => {
        const answer = await call(`${target.url}/admin/v1/oauth2/clients`, NEW_ADDRESS, {
          headers: { authorization: basic('admin', target.adminPassword) },
        })
        const r = current()
        r.rightChecks++
        if (answer.status !== 200) count(r.rightRefused, `admin password ${answer.status}`)
      }),
      paced(1000, running, async () => {
        const kib = pid === undefined ? undefined : await rssKiB(pid)
        if (kib !== undefined) current().rss.push(kib)
      }),
    ]

    const attack = (answer: Answer) => count(current().attacker, String(answer.status))
    const wrongAdmin = () =>
      call(`${target.url}/admin/v1/oauth2/clients`, ATTACKER, {
        headers: { authorization: basic('admin', randomBytes(12).toString('hex')) },
      }).then(attack)
    const attacks: Record<Exclude<Phase, 'warm-up'>, (until: () => boolean) => Promise<void>> = {
      'query shapes': (until) => {
        let k = 1
        return paced(40, until, async () => {
          const ids = Array.from({ length: k++ }, (_, i) => i + 1).join(',')
          attack(
            await call(`${target.url}/api/invoices?id[in]=${ids}&limit=1`, ATTACKER, {
              headers: { authorization: `Bearer ${badToken}`, accept: 'application/json' },
            }),
          )
        })
      },
      'slow searches': (until) =>
        paced(40, until, async () =>
          attack(
            await call(
              `${target.url}/api/invoices?supplier[name][contains]=${randomBytes(6).toString('hex')}&limit=50`,
              ATTACKER,
              { headers: { authorization: `Bearer ${badToken}`, accept: 'application/json' } },
            ),
          ),
        ),
      'password burst': async (until) => {
        while (until()) await Promise.all(Array.from({ length: 60 }, wrongAdmin))
      },
      lockout: async (until) => {
        const wrongSecret = async () =>
          attack(await token(target, ATTACKER, good.clientId, randomBytes(32).toString('hex')))
        const lane = async () => {
          while (until()) await Promise.all([wrongSecret(), wrongAdmin()])
        }
        await Promise.all(Array.from({ length: 8 }, lane))
      },
    }

    // Each phase has its full time, even when the one before overran (a burst answered slowly).
    for (const name of PHASES) {
      phase = name
      const end = performance.now() + phaseMs
      if (name !== 'warm-up') await attacks[name](() => performance.now() < end)
      else {
        for (const attack of Object.values(attacks)) {
          const warmed = performance.now() + 2000
          await attack(() => performance.now() < warmed)
        }
      }
      await sleep(Math.max(0, end - performance.now()))
    }
    done = true
    await Promise.all(wellBehaved)
    return report(records)
  } finally {
    for (const agent of agents.values()) agent.destroy()
    await target.stop()
  }
}

function report(records: Map<Phase, PhaseRecord>): number {
  const mib = (kib: number | undefined) => (kib === undefined ? '—' : `${(kib / 1024).toFixed(1)}`)
  console.log(
    'phase            reads  p50 ms  p99 ms  read errors  right credentials refused  attacker answers                 rss MiB (start, peak, end)',
  )
  let worstP99 = 0
  let refused = 0
  let readErrors = 0
  for (const name of PHASES) {
    const r = records.get(name)
    if (!r) continue
    const sorted = [...r.reads].sort((x, y) => x - y)
    const p99 = percentile(sorted, 99)
    worstP99 = Math.max(worstP99, p99)
    const refusedHere = [...r.rightRefused.values()].reduce((s, n) => s + n, 0)
    refused += refusedHere
    readErrors += r.readErrors
    const attackerAnswers =
      [...r.attacker]
        .sort()
        .map(([status, n]) => `${status}×${n}`)
        .join(' ') || '—'
    console.log(
      `${name.padEnd(15)} ${String(sorted.length).padStart(6)} ${percentile(sorted, 50).toFixed(1).padStart(7)} ${p99.toFixed(1).padStart(7)} ${String(r.readErrors).padStart(12)} ${`${refusedHere} of ${r.rightChecks}`.padStart(26)}  ${attackerAnswers.padEnd(32)} ${mib(r.rss[0])}, ${mib(Math.max(...r.rss))}, ${mib(r.rss.at(-1))}`,
    )
    for (const [what, n] of r.rightRefused) console.log(`  refused: ${what} ×${n}`)
  }
  const baseline = records.get('warm-up')?.rss.at(-1)
  const ends = PHASES.slice(1).flatMap((name) => records.get(name)?.rss.at(-1) ?? [])
  const peak = Math.max(...PHASES.slice(1).flatMap((name) => records.get(name)?.rss ?? []))
  const growth = baseline ? (Math.max(...ends) - baseline) / baseline : Number.NaN
  const goal = (name: string, value: string, pass: boolean) =>
    console.log(`Goal ${name}: ${value}  ${pass ? 'PASS' : 'MISS'}`)
  goal(
    'memory at the end of every phase ≤ 1.10 × end of warm-up',
    `${ends.map((kib) => mib(kib)).join(', ')} MiB: at most ${(1 + growth).toFixed(3)} × ${mib(baseline)} MiB (peak ${mib(peak)} MiB)`,
    growth <= 0.1,
  )
  goal("the integration's p99 < 50 ms in every phase", `worst ${worstP99.toFixed(1)} ms`, worstP99 < 50)
  goal('right credentials never refused', `${refused} refused`, refused === 0)
  goal('reads of the integration never fail', `${readErrors} failed`, readErrors === 0)
  return refused > 0 || readErrors > 0 ? 1 : 0
}
