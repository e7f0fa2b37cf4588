/**
 * Reference data and timestamps: every ISO 4217 currency with its precision, exchange rates between
 * any two; every datetime the API writes as Coupa does, `2016-11-08T11:28:50+02:00` (coupa-api-facts
 * §6), in the instance's time zone, and filters that take the forms of §4.1 "Dates".
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { storeBackends } from '../../stores.ts'
import { type ApiInstance, startApiInstance } from './support.ts'

/** A datetime written with seconds and an offset, nothing else. */
const COUPA_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/

for (const backend of storeBackends) {
  describe(`reference data and timestamps on ${backend.name}`, { skip: backend.skip }, () => {
    let t: ApiInstance
    let auth: Record<string, string>
    const get = async (url: string, accept = 'application/json') => {
      const response = await t.call('GET', url, auth, { accept })
      assert.equal(response.statusCode, 200, response.body)
      return response
    }
    const post = (url: string, body: unknown) => t.call('POST', url, auth, { body: JSON.stringify(body) })

    before(async () => {
      t = await startApiInstance(backend)
      auth = await t.apiKey(null)
    })
    after(() => t.close())

    it('has every ISO 4217 currency, with its decimals, USD first', async () => {
      const [usd] = (await get('/api/currencies?limit=1')).json()
      assert.deepEqual([usd.id, usd.code, usd.decimals, usd.active], [1, 'USD', 2, true])
      for (const [code, decimals] of [
        ['IDR', 0],
        ['JPY', 0],
        ['KWD', 3],
        ['CHF', 2],
      ] as const) {
        const [currency] = (await get(`/api/currencies?code=${code}`)).json()
        assert.equal(currency?.decimals, decimals, code)
      }
      const active = (await get('/api/currencies?active=true')).json()
      assert.deepEqual(active.map((c: { code: string }) => c.code).sort(), [
        'CAD',
        'EUR',
        'GBP',
        'JPY',
        'USD',
      ])
    })

    it('creates exchange rates between any two currencies, by code', async () => {
      for (const [from, to] of [
        ['USD', 'IDR'],
        ['JPY', 'KWD'],
      ]) {
        const response = await post('/api/exchange_rates', {
          'from-currency': { code: from },
          'to-currency': { code: to },
          rate: '15500.5',
          'rate-date': '2026-11-01',
        })
        assert.equal(response.statusCode, 201, response.body)
        assert.equal(response.json()['from-currency'].code, from)
        assert.equal(response.json()['to-currency'].code, to)
        assert.equal(response.json()['rate-date'], '2026-11-01T00:00:00+00:00')
      }
      const unknown = await post('/api/exchange_rates', {
        'from-currency': { code: 'USD' },
        'to-currency': { code: 'XYZ' },
        rate: '1',
        'rate-date': '2026-11-01',
      })
      assert.deepEqual(unknown.json(), {
        errors: { 'exchange-rate': ['To Currency {"code":"XYZ"} does not exist'] },
      })
    })

    it('writes every datetime with seconds and +00:00: demo and created records, JSON and XML', async () => {
      const created = await post('/api/users', {
        login: 'stamp',
        email: 'stamp@example.com',
        firstname: 'Time',
        lastname: 'Stamp',
      })
      assert.equal(created.json()['created-at'], '2026-11-27T12:00:00+00:00')
      assert.equal(created.json()['updated-at'], '2026-11-27T12:00:00+00:00')
      for (const url of [
        '/api/invoices/1',
        '/api/invoices?limit=5',
        '/api/exchange_rates?limit=5',
        '/api/users?limit=5',
      ]) {
        const json = (await get(url)).body
        const datetimes = [...json.matchAll(/"(?:[a-z-]+-(?:at|date))":"([^"]+)"/g)].map((m) => m[1])
        assert.ok(datetimes.length > 0, url)
        for (const value of datetimes) assert.match(String(value), COUPA_DATETIME, url)
        const xml = (await get(url, 'application/xml')).body
        const typed = [...xml.matchAll(/type="datetime">([^<]+)</g)].map((m) => m[1])
        assert.ok(typed.length > 0, url)
        for (const value of typed) assert.match(String(value), COUPA_DATETIME, url)
      }
    })

    it('filters datetimes given with %2B, with a + that arrived as a space, with Z or as a date', async () => {
      const ids = async (query: string) =>
        (await get(`/api/users?${query}&order_by=id&dir=desc&limit=5`))
          .json()
          .map((u: { id: number }) => u.id)
      const expected = await ids('updated-at[gt_or_eq]=2026-11-27T12:00:00Z')
      assert.ok(expected.length > 0)
      for (const value of [
        '2026-11-27T13:00:00%2B01:00',
        '2026-11-27T13:00:00+01:00',
        '2026-11-27T05:00:00-0700',
      ]) {
        assert.deepEqual(await ids(`updated-at[gt_or_eq]=${value}`), expected, value)
      }
      assert.deepEqual(await ids('updated-at[gt]=2026-11-27T12:00:00%2B00:00'), [])
      assert.ok((await ids('updated_at[lt]=2026-11-27')).length > 0)
    })
  })

  describe(`datetimes in the instance's time zone on ${backend.name}`, { skip: backend.skip }, () => {
    let t: ApiInstance
    let auth: Record<string, string>

    before(async () => {
      t = await startApiInstance(backend, { timeZone: 'Europe/Berlin' })
      auth = await t.apiKey(null)
    })
    after(() => t.close())

    it('writes the offset of the zone, and a filter takes back what it wrote', async () => {
      const created = await t.call('POST', '/api/users', auth, {
        body: JSON.stringify({ login: 'zoned', email: 'z@example.com', firstname: 'Z', lastname: 'Oned' }),
      })
      const stamp = created.json()['updated-at']
      assert.equal(stamp, '2026-11-27T13:00:00+01:00')
      const found = await t.call(
        'GET',
        `/api/users?updated-at[gt_or_eq]=${encodeURIComponent(stamp)}`,
        auth,
        {
          accept: 'application/json',
        },
      )
      assert.deepEqual(
        found.json().map((u: { login: string }) => u.login),
        ['zoned'],
      )
      const xml = await t.call('GET', `/api/users/${created.json().id}`, auth, { accept: 'application/xml' })
      assert.match(xml.body, /<created-at type="datetime">2026-11-27T13:00:00\+01:00<\/created-at>/)
    })
  })
}
