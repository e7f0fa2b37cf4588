import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { freePort, type RunningAgent, startAgent, waitFor } from './support/agent.ts'
import { type ServedInstance, serve } from './support/serve.ts'

const ADMIN_PASSWORD = 'e2e agent admin password'
const admin = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` }

/**
 * Steps 4 and 5 of the guide with real processes: a Keyshift instance, and a `keyshift agent` in
 * front of it serving two integrations, one still on its API key. The first is flipped to OAuth
 * by editing one line of the agent's file while requests run, and none of them fails.
 */
describe('keyshift agent in front of a real instance', () => {
  let instance: ServedInstance
  let agent: RunningAgent
  let agentUrl: string
  let dir: string
  let config: (syncAuth: 'api_key' | 'oauth') => string
  const secrets = { sync: randomBytes(16).toString('hex'), export: randomBytes(16).toString('hex') }

  const through = (integration: 'supplier-sync' | 'invoice-export', path: string, init: RequestInit = {}) =>
    fetch(`${agentUrl}/${integration}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${integration === 'supplier-sync' ? secrets.sync : secrets.export}`,
        accept: 'application/json',
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
    })
  const lastChange = async (id: number) => {
    const response = await fetch(`${instance.url}/admin/v1/integration-history/suppliers/${id}`, {
      headers: admin,
    })
    const { entries } = (await response.json()) as { entries: Array<{ via: string }> }
    return entries.at(-1)?.via
  }

  before(async () => {
    // The loops below run far above Coupa's 25 requests per second: this test is about the flip.
    instance = await serve(['--demo', '--api-rate-limit', 'off'], {
      env: { KEYSHIFT_ADMIN_PASSWORD: ADMIN_PASSWORD },
    })
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${instance.url}/admin/v1${path}`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      assert.equal(response.status, 201, await response.clone().text())
      return (await response.json()) as Record<string, string>
    }
    const client = await post('/oauth2/clients', {
      name: 'ERP',
      scopes: ['core.invoice.read', 'core.supplier.read', 'core.supplier.write'],
      login: 'erp',
    })
    const key = await post('/api-keys', {
      name: 'Supplier sync',
      contact_login: 'sync',
      contact_email: 'sync@example.com',
    })

    dir = await mkdtemp(join(tmpdir(), 'keyshift-agent-e2e-'))
    const port = await freePort()
    agentUrl = `http://127.0.0.1:${port}`
    config = (syncAuth) => `listen: 127.0.0.1:${port}
state_dir: ${join(dir, 'state')}
instances:
  local:
    url: ${instance.url}
    clients:
      erp:
        client_id: \${ERP_CLIENT_ID}
        client_secret: \${ERP_CLIENT_SECRET}
        scopes: core.invoice.read core.supplier.read core.supplier.write
integrations:
  supplier-sync:
    instance: local
    auth: ${syncAuth}
    client: erp
    api_key: \${SYNC_API_KEY}
    local_secret: \${SYNC_LOCAL_SECRET}
  invoice-export:
    instance: local
    auth: oauth
    client: erp
    local_secret: \${EXPORT_LOCAL_SECRET}
`
    await writeFile(join(dir, 'keyshift.yaml'), config('api_key'))
    agent = await startAgent(join(dir, 'keyshift.yaml'), agentUrl, {
      ERP_CLIENT_ID: client.client_id,
      ERP_CLIENT_SECRET: client.client_secret,
      SYNC_API_KEY: key.key,
      SYNC_LOCAL_SECRET: secrets.sync,
      EXPORT_LOCAL_SECRET: secrets.export,
    })
  })

  after(async () => {
    await agent?.stop()
    await instance?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('serves both integrations through the proxy: one with its API key, one with a token', async () => {
    const invoices = await through('invoice-export', '/api/invoices?status=approved&limit=2')
    assert.equal(invoices.status, 200)
    assert.equal(((await invoices.json()) as unknown[]).length, 2)
    const change = await through('supplier-sync', '/api/suppliers/1', {
      method: 'PUT',
      body: '{"po-email":"a@example.com"}',
    })
    assert.equal(change.status, 200, await change.text())
    assert.equal(await lastChange(1), 'api_key')
  })

  it('refuses an integration that does not prove itself with its local secret', async () => {
    const response = await fetch(`${agentUrl}/invoice-export/api/invoices/1`)
    assert.equal(response.status, 401)
  })

  it('flips supplier-sync from its API key to OAuth by one line of the file, with no failed call', async () => {
    let running = true
    const statuses: number[] = []
    const loop = async () => {
      while (running) {
        const response = await through('supplier-sync', '/api/suppliers?limit=5')
        await response.arrayBuffer()
        statuses.push(response.status)
      }
    }
    const loops = [loop(), loop(), loop()]
    await new Promise((resolve) => setTimeout(resolve, 300))
    await writeFile(join(dir, 'keyshift.yaml'), config('oauth'))
    try {
      await waitFor(
        async () => {
          const change = await through('supplier-sync', '/api/suppliers/2', {
            method: 'PUT',
            body: '{"po-email":"b@example.com"}',
          })
          statuses.push(change.status)
          return (await lastChange(2)) === 'oauth_client'
        },
        () => agent.output(),
      )
      await new Promise((resolve) => setTimeout(resolve, 300))
    } finally {
      running = false
      await Promise.all(loops)
    }
    assert.ok(statuses.length > 20, `only ${statuses.length} calls ran`)
    assert.deepEqual(
      statuses.filter((status) => status !== 200),
      [],
    )
  })
})
