import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type FakeInstance, startFakeInstance } from './fake-instance.ts'
import { agentYaml, bearer, call, ENV, type RunningAgent, startAgent } from './helpers.ts'

describe('keyshift agent: GET /v1/tokens/<integration>', () => {
  let instance: FakeInstance
  let running: RunningAgent
  before(async () => {
    instance = await startFakeInstance({
      clients: {
        [ENV.ERP_CLIENT_ID]: ENV.ERP_CLIENT_SECRET,
        'suppliers-client': 'not the configured secret',
      },
      apiKeys: [],
    })
    running = await startAgent(agentYaml({ instanceUrl: instance.url, exportAuth: 'oauth' }))
  })
  after(async () => {
    await running.close()
    await instance.close()
  })

  it('hands out the client’s token with expires_in', async () => {
    const answer = await call(`${running.url}/v1/tokens/invoice-export`, {
      headers: bearer(ENV.EXPORT_LOCAL_SECRET),
    })
    assert.equal(answer.status, 200, answer.text)
    assert.equal(answer.headers.get('cache-control'), 'no-store')
    assert.match(answer.body.access_token as string, /^tok-\d+$/)
    assert.equal(answer.body.token_type, 'bearer')
    assert.ok((answer.body.expires_in as number) > 86_390 && (answer.body.expires_in as number) <= 86_399)
    const again = await call(`${running.url}/v1/tokens/invoice-export`, {
      headers: bearer(ENV.EXPORT_LOCAL_SECRET),
    })
    assert.equal(again.body.access_token, answer.body.access_token, 'served from memory')
    assert.equal(instance.tokenRequests.filter((entry) => entry.clientId === ENV.ERP_CLIENT_ID).length, 1)
  })

  it('requires the local secret', async () => {
    const answer = await call(`${running.url}/v1/tokens/invoice-export`, {
      headers: bearer(ENV.SUPPLIERS_LOCAL_SECRET),
    })
    assert.equal(answer.status, 401)
    assert.equal(answer.body.code, 'KS_AGENT_UNAUTHORIZED')
  })

  it('answers 503 KS_AGENT_TOKEN_UNAVAILABLE with the token error when the client is refused', async () => {
    const answer = await call(`${running.url}/v1/tokens/suppliers`, {
      headers: bearer(ENV.SUPPLIERS_LOCAL_SECRET),
    })
    assert.equal(answer.status, 503)
    assert.equal(answer.body.code, 'KS_AGENT_TOKEN_UNAVAILABLE')
    assert.equal(answer.body.token_error, 'KS_TOKEN_INVALID_CLIENT')
    assert.match(answer.body.message as string, /^no access token for client production\/suppliers: /)
    assert.ok(!answer.text.includes(ENV.SUPPLIER_CLIENT_SECRET))
  })
})

describe('keyshift agent: /v1/tokens for an integration still on api_key', () => {
  it('answers 409 KS_AGENT_NOT_OAUTH', async () => {
    const instance = await startFakeInstance({ clients: {}, apiKeys: [] })
    const running = await startAgent(agentYaml({ instanceUrl: instance.url, exportAuth: 'api_key' }))
    try {
      const answer = await call(`${running.url}/v1/tokens/invoice-export`, {
        headers: bearer(ENV.EXPORT_LOCAL_SECRET),
      })
      assert.equal(answer.status, 409)
      assert.deepEqual(answer.body, {
        code: 'KS_AGENT_NOT_OAUTH',
        message:
          'integration invoice-export uses auth: api_key; it has no OAuth token until its configuration says auth: oauth',
      })
    } finally {
      await running.close()
      await instance.close()
    }
  })
})
