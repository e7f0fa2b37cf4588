/**
 * The instance is down for longer than a refresh window: the token manager of `@keyshift/client`
 * and a real `keyshift agent` keep handing out the token they hold while its refresh fails, give
 * clear errors once it is no longer valid, and get a new token by themselves when the instance is
 * back, without being restarted.
 *
 * The instance runs in this process (build() on an embedded store) with 24-second tokens, so that
 * the refresh (at 5/6 of the lifetime, 20 s, for both: the agent refreshes at 20 hours or 5/6 of a
 * shorter lifetime) and the hard expiry (a tenth before the end, 21.6 s) come while it is down. It
 * is stopped (its port refuses connections) and started again on the same port and data folder.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createTokenManager, type TokenManager } from '@keyshift/client'
import { build, type Instance } from '../packages/server/src/app.ts'
import { openStore } from '../packages/server/src/store/open.ts'
import type { Store } from '../packages/server/src/store/store.ts'
import { freePort, type RunningAgent, startAgent, waitFor } from './support/agent.ts'

const LIFETIME_S = 24
/** When both refresh (5/6 of the lifetime) and stop handing the token out (a tenth before its end). */
const REFRESH_AT_MS = (LIFETIME_S * 1000 * 5) / 6
const HARD_EXPIRY_MS = LIFETIME_S * 1000 * 0.9
const SAMPLE_MS = 100
/** After the instance returns, a new token must come within the retry backoff of both. */
const RECOVERY_LIMIT_MS = 40_000
const LOCAL_SECRET = 'outage-e2e-local-secret-0123456789'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Sample {
  /** ms since the token was received. */
  at: number
  /** The token handed out, or the error: a TokenError code, or the agent's status and code. */
  token?: string
  error?: string
}

describe('an instance outage longer than a refresh window', { timeout: 180_000 }, () => {
  let dataDir: string
  let agentDir: string
  let port: number
  let store: Store | undefined
  let instance: Instance | undefined
  let client: { clientId: string; secret: string }
  let manager: TokenManager
  let agent: RunningAgent
  let agentUrl: string
  const events: Array<{ at: number; event: string; code?: string }> = []

  /** Opens the store in the data folder, builds the instance and listens on `port` (the same each time). */
  async function startInstance(): Promise<void> {
    store = await openStore({ dataDir })
    instance = await build({
      store,
      issuer: `http://127.0.0.1:${port}`,
      tokenLifetimeSeconds: LIFETIME_S,
      apiRateLimit: false,
      usageLedger: false,
    })
    await instance.app.listen({ port, host: '127.0.0.1' })
  }
  async function stopInstance(): Promise<void> {
    await instance?.close()
    await store?.close()
    instance = undefined
    store = undefined
  }

  const fromManager = async (): Promise<Omit<Sample, 'at'>> => {
    try {
      return { token: await manager.getToken() }
    } catch (error) {
      return { error: (error as { code?: string }).code ?? String(error) }
    }
  }
  const fromAgent = async (): Promise<Omit<Sample, 'at'>> => {
    const response = await fetch(`${agentUrl}/v1/tokens/export`, {
      headers: { authorization: `Bearer ${LOCAL_SECRET}` },
      signal: AbortSignal.timeout(5000),
    })
    const body = (await response.json()) as { access_token?: string; code?: string; token_error?: string }
    if (response.status === 200 && body.access_token) return { token: body.access_token }
    return { error: `${response.status} ${body.code} ${body.token_error}` }
  }
  const agentHealth = async () => {
    const response = await fetch(`${agentUrl}/healthz`, { signal: AbortSignal.timeout(5000) })
    const body = (await response.json()) as { instances: { local: { erp: { state: string } } } }
    return `${response.status} ${body.instances.local.erp.state}`
  }

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'keyshift-outage-'))
    agentDir = await mkdtemp(join(tmpdir(), 'keyshift-outage-agent-'))
    port = await freePort()
    await startInstance()
    assert.ok(instance)
    const created = await instance.clients.create({
      name: 'Outage',
      grantType: 'client_credentials',
      scopes: ['core.invoice.read'],
      login: 'outage',
    })
    client = { clientId: created.client.clientId, secret: created.secret }

    manager = createTokenManager({
      tokenUrl: `http://127.0.0.1:${port}/oauth2/token`,
      clientId: client.clientId,
      clientSecret: client.secret,
      scope: 'core.invoice.read',
    })
    const agentPort = await freePort()
    agentUrl = `http://127.0.0.1:${agentPort}`
    await writeFile(
      join(agentDir, 'keyshift.yaml'),
      `listen: 127.0.0.1:${agentPort}
state_dir: ${join(agentDir, 'state')}
instances:
  local:
    url: http://127.0.0.1:${port}
    clients:
      erp:
        client_id: \${OUTAGE_CLIENT_ID}
        client_secret: \${OUTAGE_CLIENT_SECRET}
        scopes: core.invoice.read
integrations:
  export:
    instance: local
    auth: oauth
    client: erp
    local_secret: \${OUTAGE_LOCAL_SECRET}
`,
    )
    agent = await startAgent(join(agentDir, 'keyshift.yaml'), agentUrl, {
      OUTAGE_CLIENT_ID: client.clientId,
      OUTAGE_CLIENT_SECRET: client.secret,
      OUTAGE_LOCAL_SECRET: LOCAL_SECRET,
      LOG_LEVEL: 'info',
    })
  })

  after(async () => {
    await manager?.close()
    await agent?.stop()
    await stopInstance()
    await rm(dataDir, { recursive: true, force: true })
    await rm(agentDir, { recursive: true, force: true })
  })

  it('serves the held token until it expires, then clear errors, then a new token without a restart', async (t) => {
    // Both get their token now, close together: the agent is asked first, the manager right after.
    await waitFor(
      async () => (await fromAgent()).token !== undefined,
      () => agent.output(),
    )
    const agentToken = (await fromAgent()).token ?? ''
    const started = performance.now()
    const managerToken = await manager.getToken()
    const at = () => Math.round(performance.now() - started)
    for (const event of ['refresh_failed', 'stale', 'token'] as const) {
      manager.on(event, (payload) =>
        events.push({ at: at(), event, code: (payload as { code?: string }).code }),
      )
    }
    const apiCall = (token: string) =>
      fetch(`http://127.0.0.1:${port}/api/invoices?limit=1`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      }).then((response) => response.status)
    assert.equal(await apiCall(managerToken), 200)

    await stopInstance()
    const downAt = at()
    t.diagnostic(`instance stopped ${downAt} ms after the tokens were received`)

    // Sample both until they have given errors for a while after the hard expiry.
    const managerSamples: Sample[] = []
    const agentSamples: Sample[] = []
    const health: Array<{ at: number; health: string }> = []
    while (at() < HARD_EXPIRY_MS + 2500) {
      managerSamples.push({ at: at(), ...(await fromManager()) })
      agentSamples.push({ at: at(), ...(await fromAgent()) })
      health.push({ at: at(), health: await agentHealth() })
      await sleep(SAMPLE_MS)
    }
    await startInstance()
    const upAt = at()
    t.diagnostic(`instance started again ${upAt} ms after the tokens were received`)

    // Back: both get a new token by themselves (the manager is the same object, the agent the same process).
    let managerNew: string | undefined
    let agentNew: string | undefined
    while ((managerNew === undefined || agentNew === undefined) && at() - upAt < RECOVERY_LIMIT_MS) {
      const fromM = await fromManager()
      if (fromM.token && fromM.token !== managerToken) managerNew ??= fromM.token
      managerSamples.push({ at: at(), ...fromM })
      const fromA = await fromAgent()
      if (fromA.token && fromA.token !== agentToken) agentNew ??= fromA.token
      agentSamples.push({ at: at(), ...fromA })
      await sleep(SAMPLE_MS)
    }

    const describeRuns = (samples: Sample[], first: string) => {
      const runs: string[] = []
      let last = ''
      for (const s of samples) {
        const what = s.token === first ? 'old token' : s.token ? 'NEW token' : `error ${s.error}`
        if (what !== last) runs.push(`${s.at} ms: ${what}`)
        last = what
      }
      return runs.join('; ')
    }
    t.diagnostic(`manager: ${describeRuns(managerSamples, managerToken)}`)
    t.diagnostic(`agent: ${describeRuns(agentSamples, agentToken)}`)
    t.diagnostic(
      `manager events: ${events.map((e) => `${e.at} ms ${e.event}${e.code ? ` ${e.code}` : ''}`).join('; ')}`,
    )
    const healthRuns: string[] = []
    for (const h of health)
      if (healthRuns.at(-1)?.endsWith(h.health) !== true) healthRuns.push(`${h.at} ms: ${h.health}`)
    t.diagnostic(`agent /healthz: ${healthRuns.join('; ')}`)

    // The manager, whose token arrived at 0: until the hard expiry (a margin for timers either
    // side) the held token and nothing else, also after its refresh came due and failed; after it,
    // an error that says why, never the expired token.
    const managerDown = managerSamples.filter((s) => s.at < upAt)
    const beforeExpiry = managerDown.filter((s) => s.at < HARD_EXPIRY_MS - 300)
    for (const s of beforeExpiry) assert.equal(s.token, managerToken, `manager at ${s.at} ms: ${s.error}`)
    assert.ok(
      beforeExpiry.some((s) => s.at > REFRESH_AT_MS + 300),
      'manager: no sample between the refresh and the hard expiry',
    )
    const afterExpiry = managerDown.filter((s) => s.at > HARD_EXPIRY_MS + 300)
    assert.ok(afterExpiry.length > 5, 'manager: too few samples after the hard expiry')
    for (const s of afterExpiry) assert.equal(s.error, 'KS_TOKEN_EXPIRED', `manager at ${s.at} ms`)
    assert.ok(
      events.some((e) => e.event === 'refresh_failed' && e.at >= REFRESH_AT_MS - 500 && e.at < upAt),
      'manager: no failed refresh during the outage',
    )
    assert.ok(
      events.some((e) => e.event === 'stale' && e.at < HARD_EXPIRY_MS),
      'manager: no stale event while its refresh failed',
    )

    // The agent got its token while it started, up to a second or two before the manager: its
    // phases are told by its /healthz, sampled with each call.
    const agentDown = agentSamples.filter((s) => s.at < upAt)
    const firstError = agentDown.findIndex((s) => s.token === undefined)
    assert.ok(firstError > 0, 'agent: no error while the instance was down')
    const served = agentDown.slice(0, firstError)
    const failed = agentDown.slice(firstError)
    for (const s of served) assert.equal(s.token, agentToken, `agent at ${s.at} ms`)
    assert.ok(
      (served.at(-1)?.at ?? 0) > HARD_EXPIRY_MS - 3000,
      `agent: stopped handing out its token at ${served.at(-1)?.at} ms`,
    )
    assert.ok(failed.length > 5, 'agent: too few samples after the hard expiry')
    for (const s of failed) {
      assert.equal(s.error, '503 KS_AGENT_TOKEN_UNAVAILABLE KS_TOKEN_EXPIRED', `agent at ${s.at} ms`)
    }
    const staleAt = health.filter((h) => h.health === '200 stale').map((h) => h.at)
    assert.ok(staleAt.length > 0, 'the agent never reported its token stale')
    assert.ok(
      staleAt.every((at) => served.some((s) => s.at <= at) && at < (failed[0]?.at ?? 0)),
      'the agent reported a stale token while it handed out none',
    )
    assert.ok(
      health.some((h) => /^503 (failing|pending)$/.test(h.health)),
      'the agent never reported that it has no token',
    )

    assert.ok(
      managerNew,
      `the manager got no new token within ${RECOVERY_LIMIT_MS} ms of the instance's return`,
    )
    assert.ok(agentNew, `the agent got no new token within ${RECOVERY_LIMIT_MS} ms of the instance's return`)
    const recovered = (samples: Sample[], token: string) =>
      (samples.find((s) => s.token === token)?.at ?? 0) - upAt
    t.diagnostic(
      `new token ${recovered(managerSamples, managerNew)} ms (manager) and ${recovered(agentSamples, agentNew)} ms (agent) after the instance returned`,
    )
    assert.equal(await apiCall(managerNew), 200)
    const proxied = await fetch(`${agentUrl}/export/api/invoices?limit=1`, {
      headers: { authorization: `Bearer ${LOCAL_SECRET}`, accept: 'application/json' },
    })
    assert.equal(proxied.status, 200, await proxied.text())
    assert.equal(agent.process.exitCode, null, 'the agent exited')
    assert.match(await agentHealth(), /^200 fresh$/)
  })
})
