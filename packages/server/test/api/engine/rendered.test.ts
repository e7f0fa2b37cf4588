import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { storeBackends } from '../../stores.ts'
import { type ApiInstance, startApiInstance } from './support.ts'

const [sqlite] = storeBackends

describe('records served from the rendered-records cache', () => {
  let t: ApiInstance
  let auth: Record<string, string>
  before(async () => {
    t = await startApiInstance(sqlite as NonNullable<typeof sqlite>)
    auth = await t.bearer(['core.invoice.read', 'core.invoice.write'])
  })
  after(() => t.close())

  for (const accept of ['application/json', 'application/xml']) {
    it(`answers a page exactly as the uncached path renders it (${accept})`, async () => {
      // created_at is not an indexed column: that filter takes the path that reads and renders every record.
      const cachedPath = await t.call('GET', '/api/invoices?limit=7&offset=3', auth, { accept })
      const renderedPath = await t.call(
        'GET',
        '/api/invoices?limit=7&offset=3&created_at[gt]=2000-01-01',
        auth,
        { accept },
      )
      assert.equal(cachedPath.statusCode, 200)
      assert.equal(cachedPath.body, renderedPath.body)
      assert.equal(cachedPath.headers['content-type'], renderedPath.headers['content-type'])
      const again = await t.call('GET', '/api/invoices?limit=7&offset=3', auth, { accept })
      assert.equal(again.body, cachedPath.body)
    })

    it(`shows a record as its list entry shows it (${accept})`, async () => {
      const one = await t.call('GET', '/api/invoices/4', auth, { accept })
      const list = await t.call('GET', '/api/invoices?id=4', auth, { accept })
      if (accept === 'application/json') assert.equal(`[${one.body}]`, list.body)
      else assert.ok(list.body.includes(one.body.replace('<?xml version="1.0" encoding="UTF-8"?>', '')))
    })
  }

  it('shows a change made through this node at once', async () => {
    const before = (await t.call('GET', '/api/invoices/5', auth)).json()
    t.clock.advance(1000)
    const changed = await t.call('PUT', '/api/invoices/5', auth, { body: '{"tax-amount":"3.21"}' })
    assert.equal(changed.statusCode, 200, changed.body)
    const after = (await t.call('GET', '/api/invoices/5', auth)).json()
    assert.equal(after['tax-amount'], '3.21')
    assert.notEqual(after['updated-at'], before['updated-at'])
    const listed = (await t.call('GET', '/api/invoices?id=5', auth)).json()
    assert.equal(listed[0]['tax-amount'], '3.21')
  })
})
