import assert from 'node:assert/strict'
import { after, afterEach, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { build } from '../../src/app.ts'
import { ISSUER } from '../instance.ts'
import { storeBackends } from '../stores.ts'
import { HOUR, startTransitionInstance, T, type TransitionInstance } from './support.ts'

const DOCS = 'https://keyshift.example.com/docs/transition'
const SIGNALS = {
  deprecation_at: '2026-12-01T00:00:00Z',
  sunset_at: '2027-01-31T00:00:00Z',
  documentation_url: DOCS,
}
const OFF = { deprecation_at: null, sunset_at: null, documentation_url: null, brownouts: [] }
/** The end of the brownouts below: one hour after the TestClock's start. */
const BROWNOUT_ENDS = new Date(T + HOUR).toISOString()

for (const backend of storeBackends) {
  describe(`deprecation signals and brownouts of API-key calls on ${backend.name}`, {
    skip: backend.skip,
  }, () => {
    let t: TransitionInstance
    let key: { id: string; headers: Record<string, string> }
    let other: { id: string; headers: Record<string, string> }
    let bearer: Record<string, string>
    before(async () => {
      t = await startTransitionInstance(backend)
      key = await t.createKey('Invoice export')
      other = await t.createKey('Other')
      bearer = (await t.createOAuthClient('OAuth', ['core.invoice.read'])).headers
    })
    after(() => t.close())
    afterEach(async () => {
      t.clock.time = T
      assert.equal((await t.admin('PUT', '/transition/settings', OFF)).statusCode, 200)
      await t.admin('PUT', `/api-keys/${key.id}/signals`, { deprecation_at: null, sunset_at: null })
    })

    const settings = async (body: unknown) => {
      const response = await t.admin('PUT', '/transition/settings', body)
      assert.equal(response.statusCode, 200, response.body)
    }
    const get = (headers: Record<string, string>, accept = 'application/json') =>
      t.call('GET', '/api/invoices/1', { ...headers, accept })

    it('sends no signal while no date or documentation URL is set', async () => {
      const response = await get(key.headers)
      assert.equal(response.statusCode, 200)
      for (const name of ['deprecation', 'sunset', 'link'])
        assert.equal(response.headers[name], undefined, name)
    })

    it('sends Deprecation (RFC 9745), Sunset (RFC 8594) and the deprecation Link to API-key calls only', async () => {
      await settings(SIGNALS)
      const response = await get(key.headers)
      assert.equal(response.statusCode, 200)
      assert.equal(response.headers.deprecation, `@${Date.parse('2026-12-01T00:00:00Z') / 1000}`)
      assert.equal(response.headers.deprecation, '@1796083200')
      assert.equal(response.headers.sunset, 'Sun, 31 Jan 2027 00:00:00 GMT')
      assert.equal(response.headers.link, `<${DOCS}>; rel="deprecation"; type="text/html"`)
      const oauth = await get(bearer)
      assert.equal(oauth.statusCode, 200)
      for (const name of ['deprecation', 'sunset', 'link']) assert.equal(oauth.headers[name], undefined, name)
    })

    it("lets a key's own dates override the instance's, and null fall back to them", async () => {
      await settings(SIGNALS)
      const put = await t.admin('PUT', `/api-keys/${key.id}/signals`, {
        deprecation_at: '2026-11-30T00:00:00Z',
        sunset_at: '2027-03-01T00:00:00+01:00',
      })
      assert.equal(put.statusCode, 200, put.body)
      assert.equal(put.json().deprecation_at, '2026-11-30T00:00:00.000Z')
      assert.equal(put.json().sunset_at, '2027-02-28T23:00:00.000Z')
      const own = await get(key.headers)
      assert.equal(own.headers.deprecation, '@1795996800')
      assert.equal(own.headers.sunset, 'Sun, 28 Feb 2027 23:00:00 GMT')
      assert.equal((await get(other.headers)).headers.deprecation, '@1796083200')
      await t.admin('PUT', `/api-keys/${key.id}/signals`, { sunset_at: null })
      assert.equal((await get(key.headers)).headers.sunset, 'Sun, 31 Jan 2027 00:00:00 GMT')
      assert.equal((await get(key.headers)).headers.deprecation, '@1795996800')
    })

    it('refuses API-key calls during a brownout with 401 and api_key_brownout, in JSON and XML', async () => {
      await settings({
        ...SIGNALS,
        brownouts: [
          {
            starts_at: new Date(T - 60_000).toISOString(),
            ends_at: BROWNOUT_ENDS,
            api_key_id: null,
          },
        ],
      })
      const message = `API keys are switched off for a brownout until ${BROWNOUT_ENDS}; move to OAuth 2.0: ${DOCS}`
      const json = await get(key.headers)
      assert.equal(json.statusCode, 401)
      assert.equal(json.headers['content-type'], 'application/json; charset=utf-8')
      assert.equal(json.headers['www-authenticate'], `Bearer realm="${ISSUER}"`)
      assert.equal(json.body, JSON.stringify({ errors: { api_key_brownout: [message] } }))
      assert.equal(json.headers.deprecation, '@1796083200')
      const xml = await get(key.headers, 'application/xml')
      assert.equal(xml.statusCode, 401)
      assert.match(String(xml.headers['content-type']), /^application\/xml/)
      assert.equal(
        xml.body,
        `<?xml version="1.0" encoding="UTF-8"?><errors><error>${message}</error></errors>`,
      )
      assert.equal((await get(bearer)).statusCode, 200, 'OAuth calls go on')

      t.clock.time = Date.parse(BROWNOUT_ENDS)
      assert.equal((await get(key.headers)).statusCode, 200, 'the brownout has ended')
    })

    it("refuses only that key's calls during a brownout for one key, with the token endpoint when no URL is set", async () => {
      await settings({
        brownouts: [
          {
            starts_at: new Date(T).toISOString(),
            ends_at: BROWNOUT_ENDS,
            api_key_id: key.id,
          },
        ],
      })
      const refused = await get(key.headers)
      assert.equal(refused.statusCode, 401)
      assert.deepEqual(refused.json(), {
        errors: {
          api_key_brownout: [
            `API keys are switched off for a brownout until ${BROWNOUT_ENDS}; move to OAuth 2.0: ${ISSUER}/oauth2/token`,
          ],
        },
      })
      assert.equal((await get(other.headers)).statusCode, 200)
      t.clock.time = T - 1
      assert.equal((await get(key.headers)).statusCode, 200, 'the brownout has not begun')
    })

    it('reaches another node sharing the store within a sync tick', async () => {
      const node = await build({
        store: t.testStore.store,
        issuer: ISSUER,
        clock: t.clock,
        syncIntervalMs: 50,
        apiRateLimit: false,
      })
      try {
        const call = () =>
          node.app.inject({
            method: 'GET',
            url: '/api/invoices/1',
            headers: { ...key.headers, accept: 'application/json' },
          })
        assert.equal((await call()).statusCode, 200)
        await settings({
          brownouts: [{ starts_at: new Date(T).toISOString(), ends_at: new Date(T + HOUR).toISOString() }],
        })
        await sleep(300)
        assert.equal((await call()).statusCode, 401)
      } finally {
        await node.close()
      }
    })
  })
}
