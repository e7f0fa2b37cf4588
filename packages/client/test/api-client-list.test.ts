import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { createApiClient } from '../src/index.ts'
import { BASE_URL, createFakeApi, invoices } from './helpers/fake-api.ts'
import { createHarness, type Harness } from './helpers/manager.ts'

let harness: Harness | undefined
afterEach(async () => {
  await harness?.tokens.close()
  harness = undefined
})

function setup(responder?: Parameters<typeof createFakeApi>[0], accept: 'json' | 'xml' = 'json') {
  harness = createHarness()
  const api = createFakeApi(responder)
  const { clock, tokens, endpoint } = harness
  const coupa = createApiClient({ baseUrl: BASE_URL, tokens, fetch: api.fetch, clock, accept })
  return { api, coupa, clock, tokens, endpoint }
}

describe('API client: list()', () => {
  it('pages with offset and limit=50 until a short page', async () => {
    const { api, coupa } = setup((request) => {
      const offset = Number(request.url.searchParams.get('offset'))
      return Response.json(invoices(offset + 1, offset < 100 ? 50 : 7))
    })
    const ids: number[] = []
    for await (const invoice of coupa.list<{ id: number }>('invoices', { status: 'approved' }))
      ids.push(invoice.id)
    assert.equal(ids.length, 107)
    assert.deepEqual(ids.slice(-2), [106, 107])
    assert.deepEqual(
      api.requests.map((r) => r.url.search),
      [
        '?status=approved&offset=0&limit=50',
        '?status=approved&offset=50&limit=50',
        '?status=approved&offset=100&limit=50',
      ],
    )
  })

  it('stops after an empty first page, and always asks for JSON', async () => {
    harness = createHarness()
    const api = createFakeApi(() => Response.json([]))
    const coupa = createApiClient({
      baseUrl: BASE_URL,
      tokens: harness.tokens,
      fetch: api.fetch,
      accept: 'xml',
    })
    for await (const _ of coupa.list('suppliers')) assert.fail('no records')
    assert.equal(api.requests.length, 1)
    assert.equal(api.requests[0]?.headers.get('accept'), 'application/json')
  })

  it('throws KS_API_RESPONSE_INVALID when a page is not an array', async () => {
    const { coupa } = setup(() => Response.json({ id: 1 }))
    await assert.rejects(coupa.list('invoices').next(), { code: 'KS_API_RESPONSE_INVALID' })
  })
})
