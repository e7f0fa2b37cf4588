import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { runAgent } from '../../src/agent/main.ts'
import { type FakeInstance, startFakeInstance } from './fake-instance.ts'
import { agentYaml, bearer, call, ENV, NEVER_LOGGED, startAgent, waitFor } from './helpers.ts'

function fakeInstance(): Promise<FakeInstance> {
  return startFakeInstance({
    clients: {
      [ENV.ERP_CLIENT_ID]: ENV.ERP_CLIENT_SECRET,
      'suppliers-client': ENV.SUPPLIER_CLIENT_SECRET,
      crm: ENV.ERP_CLIENT_SECRET,
    },
    apiKeys: [ENV.EXPORT_API_KEY],
  })
}

describe('keyshift agent: flipping an integration by editing the file', () => {
  it('moves invoice-export from api_key to oauth while requests run, none failing', {
    timeout: 20_000,
  }, async () => {
    const instance = await fakeInstance()
    const running = await startAgent(agentYaml({ instanceUrl: instance.url, exportAuth: 'api_key' }), {
      watch: { debounceMs: 50, pollMs: 100 },
    })
    const statuses: number[] = []
    const flipped = () => instance.apiCalls.filter((entry) => entry.auth.startsWith('bearer:')).length >= 40
    async function worker(id: number): Promise<void> {
      for (let i = 0; !flipped(); i++) {
        const answer = await call(`${running.url}/invoice-export/api/invoices?worker=${id}&i=${i}`, {
          headers: bearer(ENV.EXPORT_LOCAL_SECRET),
        })
        statuses.push(answer.status)
      }
    }
    try {
      const workers = [1, 2, 3, 4].map(worker)
      await waitFor(() => instance.apiCalls.length >= 40)
      await writeFile(running.configPath, agentYaml({ instanceUrl: instance.url, exportAuth: 'oauth' }))
      await Promise.all(workers)
      assert.ok(statuses.length >= 80)
      assert.deepEqual(new Set(statuses), new Set([200]), 'no request failed during the flip')
      const kinds = instance.apiCalls.map((entry) => entry.auth.split(':')[0])
      assert.equal(kinds[0], 'api_key')
      assert.equal(kinds.at(-1), 'bearer')
      const afterFirstBearer = kinds.slice(kinds.indexOf('bearer'))
      assert.ok(
        afterFirstBearer.filter((kind) => kind === 'api_key').length <= 4,
        'only requests already in flight',
      )
      const erpTokens = instance.tokenRequests.filter((entry) => entry.clientId === ENV.ERP_CLIENT_ID)
      assert.equal(erpTokens.length, 1, 'the unchanged client kept its token manager and its token')
      assert.ok(running.logs.some((line) => line.includes('invoice-export: api_key → oauth')))
    } finally {
      await running.close()
      await instance.close()
    }
  })

  it('keeps the running configuration when the new one is invalid, and says why', {
    timeout: 10_000,
  }, async () => {
    const instance = await fakeInstance()
    const running = await startAgent(agentYaml({ instanceUrl: instance.url, exportAuth: 'api_key' }))
    try {
      const broken = agentYaml({ instanceUrl: instance.url, exportAuth: 'oauth' }).replace(
        `\${SUPPLIER_CLIENT_SECRET}`,
        ENV.SUPPLIER_CLIENT_SECRET,
      )
      await writeFile(running.configPath, broken)
      assert.equal(await running.agent.reload('test'), false)
      const answer = await call(`${running.url}/invoice-export/api/invoices`, {
        headers: bearer(ENV.EXPORT_LOCAL_SECRET),
      })
      assert.equal(answer.status, 200)
      assert.equal(
        instance.apiCalls.at(-1)?.auth,
        `api_key:${ENV.EXPORT_API_KEY}`,
        'still on the old configuration',
      )
      const health = await call(`${running.url}/healthz`)
      const lastError = (health.body.config as Record<string, Record<string, unknown>>).last_reload_error
      assert.match(lastError?.message as string, /^the configuration .*keyshift\.yaml has 1 problem$/)
      assert.deepEqual(lastError?.details, [
        `instances.production.clients.suppliers.client_secret: an inline secret is refused: put it in an environment variable and write \${PRODUCTION_SUPPLIERS_CLIENT_SECRET}`,
      ])
      assert.ok(running.logs.some((line) => line.includes('keeping the running configuration')))
      for (const secret of NEVER_LOGGED) assert.ok(!running.logs.join('').includes(secret))
      await writeFile(running.configPath, agentYaml({ instanceUrl: instance.url, exportAuth: 'oauth' }))
      assert.equal(await running.agent.reload('test'), true)
      const healed = (await call(`${running.url}/healthz`)).body.config as Record<string, unknown>
      assert.equal(healed.last_reload_error, undefined, 'a good reload clears the error')
      await call(`${running.url}/invoice-export/api/invoices`, { headers: bearer(ENV.EXPORT_LOCAL_SECRET) })
      assert.match(instance.apiCalls.at(-1)?.auth ?? '', /^bearer:/)
    } finally {
      await running.close()
      await instance.close()
    }
  })
})

describe('keyshift agent: runAgent and signals', () => {
  it('reloads on SIGHUP (closing removed clients, opening new ones) and stops on SIGTERM', {
    timeout: 10_000,
  }, async () => {
    const instance = await fakeInstance()
    const dir = await mkdtemp(join(tmpdir(), 'keyshift-agent-'))
    const configPath = join(dir, 'keyshift.yaml')
    await writeFile(configPath, agentYaml({ instanceUrl: instance.url, exportAuth: 'oauth' }))
    const signals = new EventEmitter()
    const logs: string[] = []
    let url = ''
    const stopped = runAgent({
      configPath,
      env: ENV,
      log: (line) => logs.push(line),
      print: () => {},
      signals,
      onListening: (_agent, address) => {
        url = address
      },
    })
    try {
      await waitFor(async () => url !== '' && (await call(`${url}/healthz`)).status === 200)
      const crm = `      crm:\n        client_id: crm\n        client_secret: \${ERP_CLIENT_SECRET}\n`
      const suppliersClient = `      suppliers:\n        client_id: suppliers-client\n        client_secret: \${SUPPLIER_CLIENT_SECRET}\n        scopes: core.supplier.read\n        auth: client_secret_basic\n`
      const suppliersIntegration = `  suppliers:\n    instance: production\n    auth: oauth\n    client: suppliers\n    local_secret: \${SUPPLIERS_LOCAL_SECRET}\n`
      const before = agentYaml({ instanceUrl: instance.url, exportAuth: 'oauth' })
      const next = before.replace(suppliersClient, crm).replace(suppliersIntegration, '')
      assert.equal(
        next.length,
        before.length - suppliersClient.length - suppliersIntegration.length + crm.length,
      )
      await writeFile(configPath, next)
      signals.emit('SIGHUP')
      await waitFor(async () => {
        const body = (await call(`${url}/healthz`)).body as {
          instances?: { production?: Record<string, { state: string }> }
        }
        return body.instances?.production?.crm?.state === 'fresh'
      })
      const health = await call(`${url}/healthz`)
      assert.deepEqual(
        Object.keys((health.body.instances as Record<string, object>).production ?? {}).sort(),
        ['crm', 'erp'],
      )
      const suppliers = await call(`${url}/suppliers/api/suppliers`, {
        headers: bearer(ENV.SUPPLIERS_LOCAL_SECRET),
      })
      assert.equal(suppliers.status, 404, 'the removed integration is gone')
      assert.equal(instance.tokenRequests.filter((entry) => entry.clientId === ENV.ERP_CLIENT_ID).length, 1)
    } finally {
      signals.emit('SIGTERM')
      await stopped
      await rm(dir, { recursive: true, force: true })
      await instance.close()
    }
    assert.ok(logs.some((line) => line.includes('"msg":"keyshift agent stopping"')))
    assert.equal(signals.listenerCount('SIGHUP'), 0)
  })
})
