// The benchmark targets, in the order they run. Each starts its server in its own process, or
// (`probe`) measures without a server in a process of its own. `prepare` (data generation) runs
// before the machine's load is read and the server starts; `optIn` targets run only when named in
// --only or with --scale.
import { randomBytes } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { runLoad } from '../autocannon.ts'
import {
  type Child,
  freePort,
  HOST,
  isJwt,
  parseJson,
  type RunningTarget,
  startChild,
  stopWithLog,
  waitForOk,
} from '../helpers.ts'
import { type Timings, timeGetToken, timeListScale } from '../timings.ts'
import { AGENT_INVOICES, startAgentProxy } from './agent.ts'
import { type ApiFormat, type ApiProbe, startApi } from './api.ts'
import { timeColdStart } from './cold-start.ts'
import { invoiceData } from './invoices.ts'
import { startKeyshift } from './keyshift.ts'
import { postgresSkipReason, startBearerGetOnPostgres, startTokenOnPostgres } from './postgres.ts'

interface TargetBase {
  prepare?: () => Promise<unknown>
  /** What `prepare` does, for the progress line. */
  preparing?: string
  optIn?: boolean
  /** Why the target cannot run here (printed instead of its numbers), or undefined. */
  skip?: () => string | undefined
  /**
   * The target its goal compares it with: after its own load, both run at once and are loaded in
   * turns, so that the machine's drift between two loads run minutes apart (±10–20 % on a shared
   * host) does not enter the ratio (bench/run.ts, measureInTurns).
   */
  inTurnsWith?: string
  /** More servers loaded in the same turns, to compare with but not read by the goal. */
  referencesInTurns?: readonly string[]
}

/** A server loaded with autocannon. */
export interface ServerTarget extends TargetBase {
  start: () => Promise<RunningTarget>
}

/** A measurement without a server or load, e.g. a microbenchmark in a child process. */
export interface ProbeTarget extends TargetBase {
  probe: () => Promise<Timings>
}

export type Target = ServerTarget | ProbeTarget

export const TARGETS = {
  bare: { start: () => startBare('bare') },
  // The ceiling of a token endpoint that signs with node:crypto: bare node:http plus one ES256 signature.
  'bare-es256': { start: () => startBare('bare-es256') },
  // bare-es256 with Fastify around it: what the framework adds, in the same turns as the goal's pair.
  'fastify-es256': { start: () => startBare('fastify-es256'), optIn: true },
  keyshift: { start: startKeyshift, inTurnsWith: 'bare-es256', referencesInTurns: ['fastify-es256'] },
  // The same on PostgreSQL with two nodes, loaded together (bench/targets/postgres.ts).
  'keyshift-pg-2-nodes': { start: startTokenOnPostgres, skip: postgresSkipReason },
  'oidc-provider': { start: startOidcProvider },
  'api-get-bearer': apiTarget('api-get-bearer', 100_000, 'get-bearer'),
  'api-get-bearer-xml': apiTarget('api-get-bearer-xml', 100_000, 'get-bearer', { format: 'xml' }),
  'api-get-bearer-pg-2-nodes': { start: startBearerGetOnPostgres, skip: postgresSkipReason },
  'api-get-key': { ...apiTarget('api-get-key', 100_000, 'get-key'), inTurnsWith: 'api-get-bearer' },
  // The same with the usage ledger off: the ledger's cost is the difference.
  'api-get-key-no-ledger': {
    ...apiTarget('api-get-key-no-ledger', 100_000, 'get-key', { extraArgs: ['--usage-ledger', 'off'] }),
    inTurnsWith: 'api-get-key',
  },
  'api-list': apiTarget('api-list', 100_000, 'list'),
  'api-list-xml': apiTarget('api-list-xml', 100_000, 'list', { format: 'xml' }),
  'api-list-10k': apiTarget('api-list-10k', 10_000, 'list'),
  'get-token': { probe: async () => ({ getToken: await timeGetToken(1e6, 5) }) },
  'agent-proxy': { ...invoiceSet(AGENT_INVOICES), start: startAgentProxy },
  // From process start to the first token: the compiled bin against the sources through tsx.
  'cold-start': { probe: async () => ({ coldStart: await timeColdStart(5) }) },
  // Its timings take the page on 1 000 000 and on 10 000 invoices in turns (listAtScale).
  'api-list-1m': { ...invoiceSet(1_000_000), start: listAtScale, optIn: true },
} satisfies Record<string, Target>

export type TargetName = keyof typeof TARGETS

function apiTarget(
  name: string,
  invoices: number,
  probe: ApiProbe,
  options: { format?: ApiFormat; extraArgs?: string[] } = {},
): ServerTarget {
  return { ...invoiceSet(invoices), start: () => startApi(name, invoices, probe, options) }
}

/**
 * The list on 1 000 000 invoices, loaded as api-list is; its timings start a second server on the
 * 10 000 invoices of api-list-10k and time the same page on both by sequential GETs in turns, so
 * that what the store's size adds to a page is not hidden by the drift between two loads.
 */
async function listAtScale(): Promise<RunningTarget> {
  const large = await startApi('api-list-1m', 1_000_000, 'list')
  return {
    ...large,
    timings: async () => {
      const small = await startApi('api-list-1m-beside-10k', 10_000, 'list')
      try {
        // The large server is warm from its load; the small one gets the same warm-up first.
        await runLoad('api-list-1m-beside-10k-warmup', { ...small, connections: 32, duration: 3 })
        return {
          listScale: await timeListScale(
            { url: small.url, headers: small.headers, invoices: 10_000 },
            { url: large.url, headers: large.headers, invoices: 1_000_000 },
          ),
        }
      } finally {
        await small.stop()
      }
    },
  }
}

/**
 * A server answering the response recorded in `responseFile`: node:http alone
 * (bench/targets/bare-same-bytes.ts) or Fastify alone (fastify-same-bytes.ts), ready to be loaded
 * with the target's request.
 */
export async function startSameBytes(
  responseFile: string,
  server: 'bare-same-bytes' | 'fastify-same-bytes',
): Promise<{ url: string; child: Child }> {
  const { base, child } = await startScript(server, '/', { RESPONSE: responseFile })
  return { url: `${base}/`, child }
}

/** Generates the data set of `invoices` invoices before the target starts. */
function invoiceSet(invoices: number): TargetBase {
  return { prepare: () => invoiceData(invoices), preparing: `${invoices.toLocaleString('en-US')} invoices` }
}

/** Starts bench/targets/<file>.ts with tsx and waits until GET `readyPath` answers 200. */
async function startScript(file: string, readyPath: string, env: Record<string, string>) {
  const port = await freePort()
  const base = `http://${HOST}:${port}`
  const child = startChild(file, ['--import', 'tsx', join('bench', 'targets', `${file}.ts`)], {
    ...env,
    PORT: String(port),
  })
  await waitForOk(`${base}${readyPath}`, child).catch((err) => stopWithLog(child, err))
  return { base, child }
}

/**
 * A bare node:http server (bench/targets/<file>.ts) answering a token-shaped JSON body to any POST.
 * bare-es256 (and fastify-es256, the same in a Fastify app) signs a real ES256 token for each, on
 * the thread pool `keyshift serve` runs with
 * (packages/cli/bin/keyshift.cjs: CPUs − 1, at least 1).
 */
async function startBare(file: 'bare' | 'bare-es256' | 'fastify-es256'): Promise<RunningTarget> {
  const signs = file !== 'bare'
  const pool = String(Math.max(1, availableParallelism() - 1))
  const { base, child } = await startScript(file, '/', signs ? { UV_THREADPOOL_SIZE: pool } : {})
  return {
    url: `${base}/token`,
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
    check: (status, text) => {
      if (status !== 200) throw new Error(`${file} server answered ${status}`)
      const json = parseJson(text, `${file} response`)
      if (signs && !isJwt(json.access_token))
        throw new Error(`access_token is not a JWT: ${text.slice(0, 300)}`)
    },
    stop: child.stop,
    logTail: child.logTail,
  }
}

async function startOidcProvider(): Promise<RunningTarget> {
  const clientId = 'bench'
  const clientSecret = randomBytes(32).toString('hex')
  const { base, child } = await startScript('oidc-provider', '/.well-known/openid-configuration', {
    NODE_ENV: 'production',
    OIDC_CLIENT_ID: clientId,
    OIDC_CLIENT_SECRET: clientSecret,
  })
  const body = new URLSearchParams({
    client_id: clientId,
    client_secret: clientSecret,
    grant_type: 'client_credentials',
    scope: 'api:read',
  }).toString()
  return {
    url: `${base}/token`,
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
    check: (status, text) => {
      if (status !== 200)
        throw new Error(`oidc-provider token endpoint answered ${status}: ${text.slice(0, 300)}`)
      const json = parseJson(text, 'oidc-provider token response')
      if (!isJwt(json.access_token)) throw new Error(`access_token is not a JWT: ${text.slice(0, 300)}`)
    },
    stop: child.stop,
    logTail: child.logTail,
  }
}
