import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type FakeInstance, startFakeInstance } from './fake-instance.ts'
import {
  agentYaml,
  bearer,
  call,
  ENV,
  NEVER_LOGGED,
  type RunningAgent,
  startAgent,
  waitFor,
} from './helpers.ts'

describe('keyshift agent: GET /healthz', () => {
  let instance: FakeInstance
  let running: RunningAgent
  before(async () => {
    instance = await startFakeInstance({
      clients: { [ENV.ERP_CLIENT_ID]: ENV.ERP_CLIENT_SECRET, 'suppliers-client': ENV.SUPPLIER_CLIENT_SECRET },
      apiKeys: [ENV.EXPORT_API_KEY],
    })
    running = await startAgent(agentYaml({ instanceUrl: instance.url, exportAuth: 'oauth' }))
  })
  after(async () => {
    await running.close()
    await instance.close()
  })

  it('answers 200 with every client fresh once their tokens arrived (asked for at start)', async () => {
    await waitFor(async () => (await call(`${running.url}/healthz`)).status === 200)
    const answer = await call(`${running.url}/healthz`)
    assert.equal(answer.body.status, 'ok')
    const production = (answer.body.instances as Record<string, Record<string, Record<string, unknown>>>)
      .production
    assert.deepEqual(Object.keys(production ?? {}).sort(), ['erp', 'suppliers'])
    assert.equal(production?.erp?.state, 'fresh')
    assert.equal(production?.erp?.refresh_failures, 0)
    assert.ok((production?.erp?.expires_in as number) > 86_000)
    assert.equal(
      instance.tokenRequests.length,
      2,
      'one token request per client, before any integration asked',
    )
    assert.equal(typeof (answer.body.config as Record<string, unknown>).loaded_at, 'string')
  })

  it('answers 405 to anything but GET', async () => {
    const answer = await call(`${running.url}/healthz`, { method: 'POST' })
    assert.equal(answer.status, 405)
    assert.equal(answer.body.code, 'KS_AGENT_METHOD_NOT_ALLOWED')
  })
})

describe('keyshift agent: GET /healthz with a client the token endpoint refuses', () => {
  it('answers 503 naming the failing client', async () => {
    const instance = await startFakeInstance({
      clients: { [ENV.ERP_CLIENT_ID]: ENV.ERP_CLIENT_SECRET },
      apiKeys: [],
    })
    const running = await startAgent(agentYaml({ instanceUrl: instance.url, exportAuth: 'oauth' }))
    try {
      await waitFor(async () => {
        const body = (await call(`${running.url}/healthz`)).body as {
          instances?: { production?: { suppliers?: { state?: string } } }
        }
        return body.instances?.production?.suppliers?.state === 'failing'
      })
      const answer = await call(`${running.url}/healthz`)
      assert.equal(answer.status, 503)
      assert.equal(answer.body.status, 'unavailable')
      const production = (answer.body.instances as Record<string, Record<string, Record<string, unknown>>>)
        .production
      assert.equal(production?.erp?.state, 'fresh')
      assert.ok((production?.erp?.expires_in as number) >= 86_390)
      assert.deepEqual(production?.suppliers, { state: 'failing', refresh_failures: 1 })
    } finally {
      await running.close()
      await instance.close()
    }
  })
})

describe('keyshift agent: GET /metrics', () => {
  let instance: FakeInstance
  let running: RunningAgent
  before(async () => {
    instance = await startFakeInstance({
      clients: { [ENV.ERP_CLIENT_ID]: ENV.ERP_CLIENT_SECRET },
      apiKeys: [ENV.EXPORT_API_KEY],
    })
    running = await startAgent(agentYaml({ instanceUrl: instance.url, exportAuth: 'api_key' }))
    await call(`${running.url}/invoice-export/api/invoices`, { headers: bearer(ENV.EXPORT_LOCAL_SECRET) })
    await call(`${running.url}/invoice-export/api/invoices`, { headers: bearer(ENV.EXPORT_LOCAL_SECRET) })
    await call(`${running.url}/invoice-export/api/invoices`, { headers: bearer('wrong-secret-0123456789') })
    await call(`${running.url}/suppliers/api/suppliers`, { headers: bearer(ENV.SUPPLIERS_LOCAL_SECRET) })
    await waitFor(() =>
      running.logs.some(
        (line) => line.includes('"client":"suppliers"') && line.includes('token request failed'),
      ),
    )
  })
  after(async () => {
    await running.close()
    await instance.close()
  })

  it('serves Prometheus text with token, request, latency and failure series', async () => {
    const answer = await call(`${running.url}/metrics`)
    assert.equal(answer.status, 200)
    assert.equal(answer.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8')
    const text = answer.text
    assert.match(text, /^# TYPE keyshift_agent_token_age_seconds gauge$/m)
    assert.match(
      text,
      /^keyshift_agent_token_age_seconds\{instance="production",client="erp"\} \d+(\.\d+)?$/m,
    )
    assert.match(
      text,
      /^keyshift_agent_token_expires_in_seconds\{instance="production",client="erp"\} 8639\d(\.\d+)?$/m,
    )
    assert.match(text, /^keyshift_agent_token_usable\{instance="production",client="erp"\} 1$/m)
    assert.match(text, /^keyshift_agent_token_usable\{instance="production",client="suppliers"\} 0$/m)
    assert.match(
      text,
      /^keyshift_agent_token_refresh_failures_total\{instance="production",client="suppliers",code="KS_TOKEN_INVALID_CLIENT"\} [12]$/m,
    )
    assert.match(
      text,
      /^keyshift_agent_proxied_requests_total\{integration="invoice-export",auth="api_key",status_class="2xx"\} 2$/m,
    )
    assert.match(
      text,
      /^keyshift_agent_proxied_requests_total\{integration="suppliers",auth="oauth",status_class="5xx"\} 1$/m,
    )
    assert.match(text, /^keyshift_agent_local_auth_failures_total\{integration="invoice-export"\} 1$/m)
    assert.match(text, /^# TYPE keyshift_agent_upstream_latency_seconds histogram$/m)
    assert.match(
      text,
      /^keyshift_agent_upstream_latency_seconds_bucket\{integration="invoice-export",le="\+Inf"\} 2$/m,
    )
    assert.match(text, /^keyshift_agent_upstream_latency_seconds_count\{integration="invoice-export"\} 2$/m)
    assert.match(
      text,
      /^keyshift_agent_integration_info\{integration="invoice-export",instance="production",auth="api_key"\} 1$/m,
    )
  })

  it('never logs a secret, an API key or a token; tokens appear as fingerprints', () => {
    const logs = running.logs.join('')
    for (const secret of NEVER_LOGGED)
      assert.ok(!logs.includes(secret), `the log holds ${secret.slice(0, 6)}…`)
    assert.match(logs, /"fingerprint":"[0-9a-f]{8}"/)
  })
})
