import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { storeBackends } from '../stores.ts'
import { assertProblem, HOUR, startTransitionInstance, T, type TransitionInstance } from './support.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const iso = (ms: number) => new Date(ms).toISOString()

for (const backend of storeBackends) {
  describe(`/admin/v1/transition/settings on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TransitionInstance
    let keyId: string
    before(async () => {
      t = await startTransitionInstance(backend)
      keyId = (await t.createKey('Invoice export')).id
    })
    after(() => t.close())

    const put = (body: unknown) => t.admin('PUT', '/transition/settings', body)

    it('has the documented defaults', async () => {
      assert.deepEqual(await t.report('settings'), {
        quiet_period_seconds: 604_800,
        deprecation_at: null,
        sunset_at: null,
        documentation_url: null,
        brownouts: [],
      })
    })

    it('replaces the fields a PUT names, keeps the others, and reads back what was written', async () => {
      const first = await put({
        quiet_period_seconds: 3,
        deprecation_at: '2026-12-01T00:00:00Z',
        sunset_at: '2027-01-31T01:00:00+01:00',
        documentation_url: 'https://keyshift.example.com/docs/transition',
        brownouts: [
          { starts_at: iso(T + 2 * HOUR), ends_at: iso(T + 3 * HOUR), api_key_id: keyId },
          { starts_at: iso(T + HOUR), ends_at: iso(T + 2 * HOUR) },
        ],
      })
      assert.equal(first.statusCode, 200, first.body)
      const written = first.json()
      assert.match(written.brownouts[0].id, UUID)
      assert.deepEqual(written, {
        quiet_period_seconds: 3,
        deprecation_at: '2026-12-01T00:00:00.000Z',
        sunset_at: '2027-01-31T00:00:00.000Z',
        documentation_url: 'https://keyshift.example.com/docs/transition',
        brownouts: [
          {
            id: written.brownouts[0].id,
            starts_at: iso(T + HOUR),
            ends_at: iso(T + 2 * HOUR),
            api_key_id: null,
          },
          {
            id: written.brownouts[1].id,
            starts_at: iso(T + 2 * HOUR),
            ends_at: iso(T + 3 * HOUR),
            api_key_id: keyId,
          },
        ],
      })
      assert.deepEqual(await t.report('settings'), written)

      const second = await put({ quiet_period_seconds: 10 })
      assert.deepEqual(second.json(), { ...written, quiet_period_seconds: 10 })
      // What GET answered may be sent back as it is.
      assert.equal((await put(await t.report('settings'))).statusCode, 200)
      const cleared = await put({
        deprecation_at: null,
        sunset_at: null,
        documentation_url: null,
        brownouts: [],
      })
      assert.deepEqual(cleared.json(), {
        quiet_period_seconds: 10,
        deprecation_at: null,
        sunset_at: null,
        documentation_url: null,
        brownouts: [],
      })
    })

    it('answers 400 problem+json naming each wrong field, and changes nothing', async () => {
      const before = await t.report('settings')
      const seconds = 'must be a whole number of seconds from 1 to 31536000'
      assertProblem(await put({ quiet_period_seconds: 0 }), 400, { quiet_period_seconds: [seconds] })
      assertProblem(await put({ quiet_period_seconds: 1.5 }), 400, { quiet_period_seconds: [seconds] })
      assertProblem(await put({ deprecation_at: 'next week' }), 400, {
        deprecation_at: ['must be an ISO 8601 time such as 2026-12-01T00:00:00Z'],
      })
      assertProblem(await put({ documentation_url: 'ftp://example.com/x' }), 400, {
        documentation_url: ['must be an http(s) URL such as https://example.com/docs/transition'],
      })
      assertProblem(await put({ colour: 'red' }), 400, { colour: ['unknown field'] })
      assertProblem(
        await put({ deprecation_at: '2027-02-01T00:00:00Z', sunset_at: '2027-01-01T00:00:00Z' }),
        400,
        {
          sunset_at: ['must not be before deprecation_at'],
        },
      )
      const brownout = { starts_at: iso(T + HOUR), ends_at: iso(T) }
      assertProblem(await put({ brownouts: [brownout] }), 400, {
        'brownouts.0.ends_at': ['must be after starts_at'],
      })
      const unknownKey = { starts_at: iso(T), ends_at: iso(T + HOUR), api_key_id: 'nope' }
      assertProblem(await put({ brownouts: [unknownKey] }), 400, {
        'brownouts.0.api_key_id': ['is not the id of an API key'],
      })
      assert.deepEqual(await t.report('settings'), before)
    })

    it('checks the dates a key overrides, and answers 404 for an unknown key', async () => {
      await put({ deprecation_at: '2027-01-01T00:00:00Z' })
      assertProblem(
        await t.admin('PUT', `/api-keys/${keyId}/signals`, { sunset_at: '2026-12-31T00:00:00Z' }),
        400,
        {
          sunset_at: ['must not be before deprecation_at'],
        },
      )
      assertProblem(await t.admin('PUT', `/api-keys/${keyId}/signals`, { deprecation_at: 'soon' }), 400, {
        deprecation_at: ['must be an ISO 8601 time such as 2026-12-01T00:00:00Z'],
      })
      const unknown = '00000000-0000-4000-8000-000000000000'
      assertProblem(await t.admin('PUT', `/api-keys/${unknown}/signals`, { sunset_at: null }), 404)
      await put({ deprecation_at: null })
    })
  })

  describe(`PUT /admin/v1/api-keys/:id/replacement on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TransitionInstance
    before(async () => {
      t = await startTransitionInstance(backend)
    })
    after(() => t.close())

    it('links the key to a client by client_id and unlinks it with null, answering the key view', async () => {
      const { id } = await t.createKey('Invoice export')
      const client = await t.createOAuthClient('Invoice export', ['core.invoice.read'])
      const linked = await t.admin('PUT', `/api-keys/${id}/replacement`, { client_id: client.client_id })
      assert.equal(linked.statusCode, 200, linked.body)
      assert.equal(linked.json().id, id)
      assert.equal(linked.json().replacement_client_id, client.client_id)
      assert.equal((await t.admin('GET', `/api-keys/${id}`)).json().replacement_client_id, client.client_id)
      const unlinked = await t.admin('PUT', `/api-keys/${id}/replacement`, { client_id: null })
      assert.equal(unlinked.json().replacement_client_id, null)
    })

    it('answers 404 for an unknown key or client, and 400 without client_id', async () => {
      const { id } = await t.createKey('Other')
      const unknownKey = '00000000-0000-4000-8000-000000000000'
      assertProblem(await t.admin('PUT', `/api-keys/${unknownKey}/replacement`, { client_id: null }), 404)
      assertProblem(await t.admin('PUT', `/api-keys/${id}/replacement`, { client_id: 'f'.repeat(32) }), 404)
      assertProblem(await t.admin('PUT', `/api-keys/${id}/replacement`, {}), 400, {
        client_id: ['is required (null unlinks)'],
      })
    })
  })
}
