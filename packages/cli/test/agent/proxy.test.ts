import assert from 'node:assert/strict'
import { request } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { closedPort } from '../helpers.ts'
import { type FakeInstance, startFakeInstance } from './fake-instance.ts'
import { agentYaml, bearer, call, ENV, type RunningAgent, rawStatus, startAgent } from './helpers.ts'

describe('keyshift agent: the credential-adding proxy', () => {
  let instance: FakeInstance
  let running: RunningAgent
  before(async () => {
    instance = await startFakeInstance({
      clients: { [ENV.ERP_CLIENT_ID]: ENV.ERP_CLIENT_SECRET, 'suppliers-client': ENV.SUPPLIER_CLIENT_SECRET },
      apiKeys: [ENV.EXPORT_API_KEY],
    })
    const down = `  down:\n    url: http://127.0.0.1:${await closedPort()}\n`
    const downExport = `  down-export:\n    instance: down\n    auth: api_key\n    api_key: \${EXPORT_API_KEY}\n    local_secret: \${DOWN_LOCAL_SECRET}\n`
    const yaml = agentYaml({
      instanceUrl: instance.url,
      exportAuth: 'api_key',
      moreInstances: down,
      moreIntegrations: downExport,
    })
    running = await startAgent(yaml)
  })
  after(async () => {
    await running.close()
    await instance.close()
  })
  const last = () => instance.apiCalls.at(-1)

  it('adds Authorization: Bearer <token> for an integration on auth: oauth', async () => {
    const answer = await call(`${running.url}/suppliers/api/suppliers?name=Acme&limit=5`, {
      headers: { ...bearer(ENV.SUPPLIERS_LOCAL_SECRET), accept: 'application/json' },
    })
    assert.equal(answer.status, 200, answer.text)
    assert.match(last()?.auth ?? '', /^bearer:tok-\d+$/)
    assert.equal(last()?.url, '/api/suppliers?name=Acme&limit=5')
    assert.equal(last()?.headers.accept, 'application/json')
    assert.equal(last()?.headers['x-coupa-api-key'], undefined)
    const token = instance.tokenRequests.find((entry) => entry.clientId === 'suppliers-client')
    assert.equal(token?.via, 'basic', 'the client authenticates as configured (client_secret_basic)')
  })

  it('adds X-COUPA-API-KEY for an integration on auth: api_key, and drops its own credentials', async () => {
    const answer = await call(`${running.url}/invoice-export/api/invoices/12`, {
      method: 'PUT',
      headers: {
        'x-keyshift-agent-secret': ENV.EXPORT_LOCAL_SECRET,
        authorization: 'Bearer something-else',
        cookie: 'session=1',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ 'invoice-number': 'INV-12' }),
    })
    assert.equal(answer.status, 200, answer.text)
    assert.deepEqual(answer.body, {
      method: 'PUT',
      url: '/api/invoices/12',
      auth: `api_key:${ENV.EXPORT_API_KEY}`,
      body_bytes: 27,
    })
    assert.equal(last()?.headers.authorization, undefined)
    assert.equal(last()?.headers['x-keyshift-agent-secret'], undefined)
    assert.equal(last()?.headers.cookie, undefined)
    assert.equal(last()?.headers['content-type'], 'application/json')
  })

  it('requires the integration’s own local secret: 401 JSON when missing or wrong', async () => {
    const calls = instance.apiCalls.length
    const missing = await call(`${running.url}/invoice-export/api/invoices`)
    assert.equal(missing.status, 401)
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="keyshift-agent"')
    assert.equal(missing.headers.get('x-keyshift-agent-error'), 'KS_AGENT_UNAUTHORIZED')
    assert.deepEqual(missing.body, {
      code: 'KS_AGENT_UNAUTHORIZED',
      message:
        'integration invoice-export: no local secret; send Authorization: Bearer <local_secret> or X-Keyshift-Agent-Secret',
    })
    const other = await call(`${running.url}/invoice-export/api/invoices`, {
      headers: bearer(ENV.SUPPLIERS_LOCAL_SECRET),
    })
    assert.deepEqual(other.body, {
      code: 'KS_AGENT_UNAUTHORIZED',
      message: 'integration invoice-export: wrong local secret',
    })
    assert.equal(instance.apiCalls.length, calls, 'nothing reached the instance')
  })

  it('answers 404 for an unknown integration or a path outside /api/', async () => {
    const unknown = await call(`${running.url}/payroll/api/invoices`, {
      headers: bearer(ENV.EXPORT_LOCAL_SECRET),
    })
    assert.equal(unknown.status, 404)
    assert.deepEqual(unknown.body, {
      code: 'KS_AGENT_UNKNOWN_INTEGRATION',
      message: "no integration named payroll in the agent's configuration",
    })
    const paths = [
      '/invoice-export/oauth2/clients',
      '/invoice-export/api/../oauth2/clients',
      '/invoice-export/api/%2e%2e/admin/v1/scopes',
      '/invoice-export/api%2F..%2Foauth2',
    ]
    for (const path of paths) {
      const status = await rawStatus(running.url, path, bearer(ENV.EXPORT_LOCAL_SECRET))
      assert.equal(status, 404, path)
    }
    assert.ok(instance.apiCalls.every((entry) => entry.url.startsWith('/api')))
  })

  it('drops hop-by-hop headers both ways, and those the Connection header names', async () => {
    instance.intercept = (req, res) => {
      if (req.url !== '/api/hop') return false
      res.writeHead(200, {
        connection: 'x-upstream-hop',
        'x-upstream-hop': '1',
        'x-end-to-end': '1',
        'x-twice': ['a', 'b'],
      })
      res.end(JSON.stringify(req.headers))
      return true
    }
    const seen = await new Promise<{
      received: Record<string, string>
      headers: Record<string, unknown>
      raw: string[]
    }>((resolve, reject) => {
      const outgoing = request(`${running.url}/invoice-export/api/hop`, {
        headers: {
          ...bearer(ENV.EXPORT_LOCAL_SECRET),
          connection: 'keep-alive, x-client-hop',
          'x-client-hop': '1',
          'keep-alive': 'timeout=5',
          te: 'trailers',
          'proxy-authorization': 'Basic eDp5',
          'x-request-id': 'r-1',
        },
      })
      outgoing.on('response', (res) => {
        let text = ''
        res.on('data', (chunk) => {
          text += chunk
        })
        res.on('end', () =>
          resolve({ received: JSON.parse(text), headers: res.headers, raw: res.rawHeaders }),
        )
      })
      outgoing.on('error', reject)
      outgoing.end()
    })
    instance.intercept = undefined
    for (const name of ['x-client-hop', 'keep-alive', 'te', 'proxy-authorization', 'authorization']) {
      assert.equal(seen.received[name], undefined, name)
    }
    assert.equal(seen.received['x-request-id'], 'r-1')
    assert.equal(seen.received['x-coupa-api-key'], ENV.EXPORT_API_KEY)
    assert.equal(seen.headers['x-upstream-hop'], undefined)
    assert.equal(seen.headers['x-end-to-end'], '1')
    // A header the instance sent twice reaches the client twice, as it was sent.
    assert.deepEqual(
      seen.raw.filter((_, at) => seen.raw[at - 1] === 'x-twice'),
      ['a', 'b'],
    )
  })

  it('answers 502 KS_AGENT_UPSTREAM_UNAVAILABLE when the instance cannot be reached', async () => {
    const answer = await call(`${running.url}/down-export/api/invoices`, {
      headers: bearer(ENV.DOWN_LOCAL_SECRET),
    })
    assert.equal(answer.status, 502)
    assert.equal(answer.body.code, 'KS_AGENT_UPSTREAM_UNAVAILABLE')
    assert.match(
      answer.body.message as string,
      /^instance down \(http:\/\/127\.0\.0\.1:\d+\) is unreachable \(ECONNREFUSED\)$/,
    )
  })
})
