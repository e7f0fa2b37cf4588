import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type {
  ObservedPlan,
  ObservedReview,
  ObservedStatus,
} from '../packages/cli/src/transition/observed/reports.ts'
import { freePort, keyshift, type RunningAgent, startAgent, waitFor } from './support/agent.ts'
import { type ServedInstance, serve } from './support/serve.ts'

const ADMIN_PASSWORD = 'e2e coupa stand-in admin password'
const adminHeaders = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` }

/**
 * A real Coupa instance as the CLI sees it: the token endpoint and the core API, and no Keyshift
 * admin API (`/admin/…` answers 404, as Coupa does). The test itself plays Coupa's admin, who
 * makes keys and clients in Coupa's Setup pages: it calls the instance's admin API directly.
 */
async function coupaStandIn(target: string): Promise<{ url: string; server: Server }> {
  const upstream = new URL(target)
  const server = createServer(function forward(req, res) {
    const path = req.url ?? '/'
    if (!path.startsWith('/api/') && !path.startsWith('/oauth2/token')) {
      res
        .writeHead(404, { 'content-type': 'text/html' })
        .end('<h1>The page you were looking for does not exist</h1>')
      return
    }
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    out.on('error', () => res.destroy())
    req.pipe(out)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

type Name = 'supplier-sync' | 'user-sync' | 'invoice-export' | 'supplier-cron'

/**
 * Issue 14's must-show: a Keyshift instance standing in for a real Coupa (its admin API out of the
 * CLI's reach), a real agent with three integrations on API keys; review and plan from what the
 * agent saw, one integration moved to OAuth, status says its key is ready to revoke after a short
 * quiet period, and verify reports a call made with that key after the move.
 */
describe('the transition against a Coupa instance, from the agent usage', () => {
  let instance: ServedInstance
  let coupa: { url: string; server: Server }
  let agent: RunningAgent | undefined
  let dir: string
  let configFile: string
  let agentUrl: string
  const keys: Record<string, string> = {}
  const local: Record<Name, string> = {
    'supplier-sync': randomBytes(16).toString('hex'),
    'user-sync': randomBytes(16).toString('hex'),
    'invoice-export': randomBytes(16).toString('hex'),
    'supplier-cron': randomBytes(16).toString('hex'),
  }
  const env: Record<string, string> = {}

  const call = async (name: Name, method: string, path: string, body?: string) => {
    const response = await fetch(`${agentUrl}/${name}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${local[name]}`,
        accept: 'application/json',
        ...(body && { 'content-type': 'application/json' }),
      },
      ...(body && { body }),
    })
    await response.arrayBuffer()
    assert.equal(response.status, 200, `${name} ${method} ${path}`)
  }
  const cli = (args: string[]) => keyshift(['transition', ...args, '--config', configFile])
  const json = async <T>(args: string[]) => {
    const result = await cli([...args, '--json'])
    return { ...result, answer: JSON.parse(result.stdout || '{}').coupa as T }
  }
  const statusOf = async (name: Name) => {
    const { answer } = await json<ObservedStatus>(['status', '--quiet-period', '2s'])
    return answer.integrations.find((entry) => entry.integration === name)
  }

  /** The agent's file: `flipped` integrations on OAuth; `cron` adds a job still on supplier-sync's key. */
  const config = (port: number, flipped: boolean, cron: boolean) => `listen: 127.0.0.1:${port}
state_dir: ./state
instances:
  coupa:
    url: ${coupa.url}
    clients:${flipped ? `\n      supplier-sync:\n        client_id: \${SYNC_CLIENT_ID}\n        client_secret: \${SYNC_CLIENT_SECRET}\n        scopes: core.supplier.read core.supplier.write` : ' {}'}
integrations:
  supplier-sync:
    instance: coupa
    auth: ${flipped ? 'oauth\n    client: supplier-sync' : `api_key\n    api_key: \${SYNC_API_KEY}`}
    local_secret: \${SYNC_LOCAL}
  user-sync:
    instance: coupa
    auth: api_key
    api_key: \${USERS_API_KEY}
    local_secret: \${USERS_LOCAL}
  invoice-export:
    instance: coupa
    auth: api_key
    api_key: \${EXPORT_API_KEY}
    local_secret: \${EXPORT_LOCAL}
${cron ? `  supplier-cron:\n    instance: coupa\n    auth: api_key\n    api_key: \${SYNC_API_KEY}\n    local_secret: \${CRON_LOCAL}\n` : ''}`

  before(async () => {
    instance = await serve(['--demo', '--api-rate-limit', 'off'], {
      env: { KEYSHIFT_ADMIN_PASSWORD: ADMIN_PASSWORD },
    })
    coupa = await coupaStandIn(instance.url)
    for (const [variable, name] of [
      ['SYNC_API_KEY', 'Supplier sync'],
      ['USERS_API_KEY', 'User sync'],
      ['EXPORT_API_KEY', 'Invoice export'],
    ] as const) {
      const response = await fetch(`${instance.url}/admin/v1/api-keys`, {
        method: 'POST',
        headers: { ...adminHeaders, 'content-type': 'application/json' },
        body: JSON.stringify({
          name,
          contact_login: variable.toLowerCase(),
          contact_email: `${variable.toLowerCase()}@example.com`,
        }),
      })
      assert.equal(response.status, 201, await response.clone().text())
      keys[variable] = ((await response.json()) as { key: string }).key
    }
    Object.assign(env, keys, {
      SYNC_LOCAL: local['supplier-sync'],
      USERS_LOCAL: local['user-sync'],
      EXPORT_LOCAL: local['invoice-export'],
      CRON_LOCAL: local['supplier-cron'],
    })
    dir = await mkdtemp(join(tmpdir(), 'keyshift-coupa-e2e-'))
    configFile = join(dir, 'keyshift.yaml')
    const port = await freePort()
    agentUrl = `http://127.0.0.1:${port}`
    await writeFile(configFile, config(port, false, false))
    agent = await startAgent(configFile, agentUrl, env)
    ;(agent as RunningAgent & { port: number }).port = port

    await call('supplier-sync', 'GET', '/api/suppliers?limit=5')
    await call('supplier-sync', 'PUT', '/api/suppliers/1', '{"po-email":"sync@example.com"}')
    await call('user-sync', 'GET', '/api/users?limit=5')
    await call('user-sync', 'GET', '/api/departments/1')
    await call('invoice-export', 'GET', '/api/invoices?status=approved&limit=5')
    await call('invoice-export', 'GET', '/api/invoices/1')
    await call('invoice-export', 'GET', '/api/suppliers/1')
  })

  after(async () => {
    await agent?.stop()
    await new Promise((done) => coupa?.server.close(done))
    await instance?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('stands in for Coupa: the admin API the old commands needed is not there', async () => {
    const old = await keyshift(['transition', 'review', '--url', coupa.url], {
      KEYSHIFT_ADMIN_PASSWORD: ADMIN_PASSWORD,
    })
    assert.notEqual(old.code, 0)
    assert.match(old.stderr, /KS_ADMIN_NOT_FOUND/)
  })

  it('review: per integration, the calls the agent saw by auth mode, and what they touched', async () => {
    const { code, answer, stderr } = await json<ObservedReview>(['review'])
    assert.equal(code, 0, stderr)
    assert.equal(answer.source, 'agent')
    const byName = Object.fromEntries(answer.integrations.map((entry) => [entry.integration, entry]))
    assert.equal(byName['supplier-sync']?.calls.api_key.last_1d, 2)
    assert.equal(byName['supplier-sync']?.calls.oauth.last_1d, 0)
    assert.equal(byName['supplier-sync']?.category, 'master_data')
    assert.equal(byName['user-sync']?.category, 'master_data')
    assert.equal(byName['invoice-export']?.category, 'both')
    assert.deepEqual(byName['invoice-export']?.usage.map((u) => `${u.resource}#${u.action}`).sort(), [
      'invoices#index',
      'invoices#show',
      'suppliers#show',
    ])
    const text = await cli(['review'])
    assert.match(text.stdout, /== coupa \(/)
    assert.match(text.stdout, /supplier-sync\s+api_key/)
  })

  it('plan: the least-privilege scopes of each integration, its phase, and what to do in Coupa', async () => {
    const { code, answer, stderr } = await json<ObservedPlan>(['plan'])
    assert.equal(code, 0, stderr)
    const plan = Object.fromEntries(answer.integrations.map((entry) => [entry.integration, entry]))
    assert.deepEqual(plan['supplier-sync']?.scopes, ['core.supplier.read', 'core.supplier.write'])
    assert.equal(plan['supplier-sync']?.phase, 1)
    assert.deepEqual(plan['user-sync']?.scopes, ['core.common.read', 'core.user.read'])
    assert.equal(plan['user-sync']?.phase, 1)
    assert.deepEqual(plan['invoice-export']?.scopes, ['core.invoice.read', 'core.supplier.read'])
    assert.equal(plan['invoice-export']?.phase, 2)
    assert.ok(Object.values(plan).every((entry) => entry.action === 'create_client'))
    const text = (await cli(['plan'])).stdout
    assert.match(text, /Setup → OAuth2\/OpenID Connect Clients → Create/)
    assert.match(text, /Grant type: Client Credentials/)
    assert.match(text, /Tick these scopes: core\.supplier\.read, core\.supplier\.write/)
    assert.match(text, /COUPA_SUPPLIER_SYNC_CLIENT_SECRET=<Secret>/)
    assert.match(text, /auth: oauth\n\s+client: supplier-sync/)
  })

  it('status: supplier-sync moved to OAuth is ready to revoke after the quiet period; verify reports a key call after the move', async () => {
    // Coupa's admin makes the client the plan asked for (Setup → OAuth2/OpenID Connect Clients).
    const made = await fetch(`${instance.url}/admin/v1/oauth2/clients`, {
      method: 'POST',
      headers: { ...adminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'supplier-sync',
        login: 'supplier-sync',
        scopes: ['core.supplier.read', 'core.supplier.write'],
      }),
    })
    assert.equal(made.status, 201, await made.clone().text())
    const client = (await made.json()) as { client_id: string; client_secret: string }
    env.SYNC_CLIENT_ID = client.client_id
    env.SYNC_CLIENT_SECRET = client.client_secret
    // The flip: the configuration's one-line change, and the agent restarted with the new secret.
    const port = (agent as RunningAgent & { port: number }).port
    await agent?.stop()
    await writeFile(configFile, config(port, true, false))
    agent = await startAgent(configFile, agentUrl, env)
    ;(agent as RunningAgent & { port: number }).port = port
    await call('supplier-sync', 'GET', '/api/suppliers?limit=5')

    assert.equal((await statusOf('supplier-sync'))?.state, 'oauth')
    await waitFor(
      async () => (await statusOf('supplier-sync'))?.state === 'ready_to_revoke',
      () => agent?.output() ?? '',
    )
    const text = (await cli(['status', '--quiet-period', '2s'])).stdout
    assert.match(text, /supplier-sync\s+ready_to_revoke/)
    assert.match(text, /user-sync\s+api_key/)
    assert.match(text, /Setup → API Keys/)
    const clean = await cli(['verify'])
    assert.equal(clean.code, 0, clean.stderr)

    // A forgotten job still calls with supplier-sync's key.
    await writeFile(configFile, config(port, true, true))
    await waitFor(
      async () =>
        (
          await fetch(`${agentUrl}/supplier-cron/api/suppliers/2`, {
            headers: { authorization: `Bearer ${local['supplier-cron']}`, accept: 'application/json' },
          })
        ).status === 200,
      () => agent?.output() ?? '',
    )
    const verify = await cli(['verify'])
    assert.equal(verify.code, 1)
    assert.match(verify.stderr, /KS_TRANSITION_REGRESSION/)
    assert.match(verify.stdout, /supplier-cron\s+GET \/api\/suppliers\/2\s+200/)
    const sync = await statusOf('supplier-sync')
    assert.equal(sync?.state, 'oauth')
    assert.match(sync?.reason ?? '', /supplier-cron/)
  })

  it('reads the state_dir when the agent is not running', async () => {
    await agent?.stop()
    agent = undefined
    const { code, answer, stderr } = await json<ObservedReview>(['review'])
    assert.equal(code, 0, stderr)
    assert.equal(answer.source, 'state_dir')
    const sync = answer.integrations.find((entry) => entry.integration === 'supplier-sync')
    assert.ok((sync?.calls.oauth.last_1d ?? 0) >= 1)
  })
})
