// The agent proxy: `keyshift serve --api-rate-limit off` on generated invoices, and `keyshift agent`
// in front of it with one integration `bench` on `auth: oauth`. Loaded with
// GET /bench/api/invoices/:id; its timings compare the same GET sent directly to the instance, with
// the agent's own token, to the one through the agent, and to the one through a second agent that
// has usage counting off (`usage: enabled: false`): the cost of counting is the difference.
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runLoad } from '../autocannon.ts'
import {
  benchDir,
  type Child,
  freePort,
  HOST,
  parseJson,
  profileFlags,
  type RunningTarget,
  request,
  startChild,
  stopWithLog,
  waitForOk,
} from '../helpers.ts'
import {
  combineHalves,
  type Endpoint,
  type ProxyLatency,
  timeProxyLatency,
  timeUsageCount,
} from '../timings.ts'
import { checkRecord, existingInvoiceId, SERVE_ARGS } from './api.ts'
import { invoiceData } from './invoices.ts'
import { CLI, createApiKey, createOAuthClient, launchKeyshift, type OAuthClient } from './keyshift-server.ts'

/** The size of the store behind the agent (the data set of api-list-10k, generated once a run). */
export const AGENT_INVOICES = 10_000
const INTEGRATION = 'bench'
const LOGIN = 'bench-agent-proxy'
/** The warm-up the run gives the loaded target (its defaults), given to the usage-off agent too. */
const OFF_WARMUP = { connections: 32, duration: 3 }

interface RunningAgent {
  child: Child
  base: string
  /** The integration's local secret. */
  secret: string
  /** Rewrites its configuration with usage counting on or off, and waits until it runs with it. */
  setUsage(on: boolean): Promise<void>
}

export async function startAgentProxy(): Promise<RunningTarget> {
  const data = await invoiceData(AGENT_INVOICES)
  return launchKeyshift('agent-proxy', { data, args: SERVE_ARGS }, async function proxyRequest(base) {
    const client = await createOAuthClient(base, {
      name: 'bench-agent',
      login: LOGIN,
      scopes: ['core.invoice.read'],
    })
    // The integration's key from before its flip to OAuth: in the file, not used on `auth: oauth`.
    const apiKey = await createApiKey(base, `${LOGIN}-key`)
    const agent = await startAgent(base, client, apiKey, true)
    const agentOff = await startAgent(base, client, apiKey, false).catch((err) =>
      stopWithLog(agent.child, err),
    )
    const both = bothAgents(agent.child, agentOff.child)
    try {
      const direct = { Authorization: `Bearer ${await agentToken(agent)}`, Accept: 'application/json' }
      const path = `/api/invoices/${await existingInvoiceId(base, direct)}`
      const through = (running: RunningAgent): Endpoint => ({
        url: `${running.base}/${INTEGRATION}${path}`,
        headers: { Authorization: `Bearer ${running.secret}`, Accept: 'application/json' },
      })
      const viaAgent = through(agent)
      return {
        ...viaAgent,
        method: 'GET',
        check: checkRecord,
        companion: both,
        timings: async () => {
          // The run warmed up the loaded agent only: the other one gets the same load first, so
          // that both are timed with their code as optimised.
          await runLoad('agent-usage-off-warmup', { ...through(agentOff), method: 'GET', ...OFF_WARMUP })
          const directly = { url: `${base}${path}`, headers: direct }
          const bare = await startBareProxy(base, direct.Authorization)
          try {
            const viaBare = {
              url: `${bare.base}/${INTEGRATION}${path}`,
              headers: { Accept: 'application/json' },
            }
            await runLoad('bare-proxy-warmup', { ...viaBare, method: 'GET', ...OFF_WARMUP })
            return {
              proxyLatency: await timeUsageOnOff(directly, viaBare, agent, agentOff, through),
              usageCount: await timeUsageCount(),
            }
          } finally {
            await bare.child.stop()
          }
        },
      }
    } catch (err) {
      return stopWithLog(both, err)
    }
  })
}

/**
 * The proxy's latency with usage counting on and off, each half of the requests with the roles of
 * the two agent processes swapped (by reloading their configurations), so that what differs
 * between the processes (where the OS runs them, their heaps) falls on both settings alike.
 */
async function timeUsageOnOff(
  direct: Endpoint,
  bareProxy: Endpoint,
  first: RunningAgent,
  second: RunningAgent,
  through: (running: RunningAgent) => Endpoint,
): Promise<ProxyLatency> {
  const half = 1_000
  const before = await timeProxyLatency(
    direct,
    through(first),
    { viaAgentUsageOff: through(second), viaBareProxy: bareProxy },
    half,
  )
  await Promise.all([first.setUsage(false), second.setUsage(true)])
  const swapped = await timeProxyLatency(
    direct,
    through(second),
    { viaAgentUsageOff: through(first), viaBareProxy: bareProxy },
    half,
  )
  await Promise.all([first.setUsage(true), second.setUsage(false)]) // the load then goes to `first`
  return combineHalves(before, swapped)
}

/** bench/targets/bare-proxy.ts in front of the instance, sending `authorization` upstream. */
async function startBareProxy(
  instance: string,
  authorization: string,
): Promise<{ base: string; child: Child }> {
  const port = await freePort()
  const child = startChild('bare-proxy', ['--import', 'tsx', join('bench', 'targets', 'bare-proxy.ts')], {
    PORT: String(port),
    UPSTREAM: instance,
    AUTHORIZATION: authorization,
    PREFIX: `/${INTEGRATION}`,
  })
  const base = `http://${HOST}:${port}`
  await waitForOk(`${base}/`, child).catch((err) => stopWithLog(child, err))
  return { base, child }
}

/** The two agents as one companion of the server: stopped together, their logs together. */
function bothAgents(on: Child, off: Child): Child {
  return {
    ...on,
    stop: async function stopAgents() {
      await Promise.all([on.stop(), off.stop()])
    },
    logTail: (lines?: number) => `${on.logTail(lines)}\n--- ${off.name} log ---\n${off.logTail(lines)}`,
  }
}

/**
 * Writes an agent's configuration into the run's temp dir (its own folder and state_dir), starts it
 * and waits for /healthz. `usage` false: the agent counts nothing (`usage: enabled: false`).
 */
async function startAgent(
  instance: string,
  client: OAuthClient,
  apiKey: string,
  usage: boolean,
): Promise<RunningAgent> {
  const port = await freePort()
  const name = usage ? 'agent' : 'agent-usage-off'
  const dir = join(benchDir(), name)
  mkdirSync(dir, { recursive: true })
  const config = join(dir, 'keyshift.yaml')
  writeFileSync(config, agentConfig(port, instance, usage), { mode: 0o600 })
  const secret = randomBytes(32).toString('hex')
  const child = startChild(
    name,
    [...profileFlags(name), CLI, 'agent', '--config', config, '--log-level', 'warn'],
    {
      BENCH_CLIENT_ID: client.client_id,
      BENCH_CLIENT_SECRET: client.client_secret,
      BENCH_API_KEY: apiKey,
      BENCH_LOCAL_SECRET: secret,
    },
  )
  const base = `http://${HOST}:${port}`
  // 200 once the client holds a token.
  await waitForOk(`${base}/healthz`, child).catch((err) => stopWithLog(child, err))
  async function setUsage(on: boolean): Promise<void> {
    writeFileSync(config, agentConfig(port, instance, on), { mode: 0o600 })
    child.proc.kill('SIGHUP')
    // /v1/usage answers 200 while counting, 404 KS_AGENT_USAGE_DISABLED while not.
    const deadline = performance.now() + 10_000
    while ((await request(`${base}/v1/usage?since=2100-01-01T00:00:00Z`)).status !== (on ? 200 : 404)) {
      if (performance.now() > deadline) throw new Error(`${name} did not turn usage ${on ? 'on' : 'off'}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  return { child, base, secret, setUsage }
}

/** keyshift.yaml: one instance with one client, one integration on OAuth; secrets from the env. */
function agentConfig(port: number, instance: string, usage: boolean): string {
  return `listen: ${HOST}:${port}
state_dir: ./state
usage:
  enabled: ${usage}
instances:
  keyshift:
    url: ${instance}
    clients:
      bench:
        client_id: \${BENCH_CLIENT_ID}
        client_secret: \${BENCH_CLIENT_SECRET}
        scopes: [core.invoice.read]
integrations:
  ${INTEGRATION}:
    instance: keyshift
    auth: oauth
    client: bench
    api_key: \${BENCH_API_KEY}
    local_secret: \${BENCH_LOCAL_SECRET}
`
}

/** The token the agent holds for the integration, so that the direct call sends the same one. */
async function agentToken(agent: RunningAgent): Promise<string> {
  const res = await request(`${agent.base}/v1/tokens/${INTEGRATION}`, {
    headers: { Authorization: `Bearer ${agent.secret}` },
  })
  if (res.status !== 200)
    throw new Error(`agent token endpoint answered ${res.status}: ${res.body.slice(0, 300)}`)
  const { access_token } = parseJson(res.body, 'agent token response')
  if (typeof access_token !== 'string') throw new Error('agent token response has no access_token')
  return access_token
}
