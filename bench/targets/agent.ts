// The agent proxy: `keyshift serve --api-rate-limit off` on generated invoices, and `keyshift agent`
// in front of it with one integration `bench` on `auth: oauth`. Loaded with
// GET /bench/api/invoices/:id; its timings compare the same GET sent directly to the instance, with
// the agent's own token, to the one through the agent.
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  benchDir,
  type Child,
  freePort,
  HOST,
  parseJson,
  type RunningTarget,
  request,
  startChild,
  stopWithLog,
  waitForOk,
} from '../helpers.ts'
import { type Endpoint, timeProxyLatency } from '../timings.ts'
import { checkRecord, existingInvoiceId, SERVE_ARGS } from './api.ts'
import { invoiceData } from './invoices.ts'
import { CLI, createApiKey, createOAuthClient, launchKeyshift, type OAuthClient } from './keyshift-server.ts'

/** The size of the store behind the agent (the data set of api-list-10k, generated once a run). */
export const AGENT_INVOICES = 10_000
const INTEGRATION = 'bench'
const LOGIN = 'bench-agent-proxy'

interface RunningAgent {
  child: Child
  base: string
  /** The integration's local secret. */
  secret: string
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
    const agent = await startAgent(base, client, apiKey)
    try {
      const local = { Authorization: `Bearer ${agent.secret}`, Accept: 'application/json' }
      const direct = { Authorization: `Bearer ${await agentToken(agent)}`, Accept: 'application/json' }
      const path = `/api/invoices/${await existingInvoiceId(base, direct)}`
      const viaAgent: Endpoint = { url: `${agent.base}/${INTEGRATION}${path}`, headers: local }
      return {
        ...viaAgent,
        method: 'GET',
        check: checkRecord,
        companion: agent.child,
        timings: async () => ({
          proxyLatency: await timeProxyLatency({ url: `${base}${path}`, headers: direct }, viaAgent),
        }),
      }
    } catch (err) {
      return stopWithLog(agent.child, err)
    }
  })
}

/** Writes the agent's configuration into the run's temp dir, starts it and waits for /healthz. */
async function startAgent(instance: string, client: OAuthClient, apiKey: string): Promise<RunningAgent> {
  const port = await freePort()
  const dir = join(benchDir(), 'agent')
  mkdirSync(dir, { recursive: true })
  const config = join(dir, 'keyshift.yaml')
  writeFileSync(config, agentConfig(port, instance), { mode: 0o600 })
  const secret = randomBytes(32).toString('hex')
  const child = startChild('agent', [CLI, 'agent', '--config', config, '--log-level', 'warn'], {
    BENCH_CLIENT_ID: client.client_id,
    BENCH_CLIENT_SECRET: client.client_secret,
    BENCH_API_KEY: apiKey,
    BENCH_LOCAL_SECRET: secret,
  })
  const base = `http://${HOST}:${port}`
  // 200 once the client holds a token.
  await waitForOk(`${base}/healthz`, child).catch((err) => stopWithLog(child, err))
  return { child, base, secret }
}

/** keyshift.yaml: one instance with one client, one integration on OAuth; secrets from the env. */
function agentConfig(port: number, instance: string): string {
  return `listen: ${HOST}:${port}
state_dir: ./state
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
