/** Oversized bodies are refused with 413, and hostile XML (entity bombs, XXE) with 400, quickly. */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type ApiInstance, startApiInstance } from '../api/engine/support.ts'
import { adminAuth } from '../instance.ts'
import { storeBackends } from '../stores.ts'

const sqlite = storeBackends.find((backend) => backend.name === 'sqlite')
const TWO_MIB = 2 * 1024 * 1024

describe('hostile request bodies', () => {
  let t: ApiInstance
  let auth: Record<string, string>
  before(async () => {
    assert.ok(sqlite)
    t = await startApiInstance(sqlite)
    auth = await t.bearer(['core.invoice.create', 'core.invoice.read'])
  })
  after(() => t.close())

  it('refuses a 2 MiB body on /oauth2/token with 413 in the OAuth error shape', async () => {
    const response = await t.instance.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=client_credentials&pad=${'a'.repeat(TWO_MIB)}`,
    })
    assert.equal(response.statusCode, 413, response.body)
    assert.equal(response.json().error_description, 'the request body is too large')
  })

  it('refuses a 2 MiB JSON body on POST /api/invoices with 413', async () => {
    const response = await t.call('POST', '/api/invoices', auth, {
      body: JSON.stringify({ 'invoice-number': 'x'.repeat(TWO_MIB) }),
    })
    assert.equal(response.statusCode, 413, response.body)
  })

  it('refuses a 2 MiB XML body on POST /api/invoices with 413', async () => {
    const response = await t.call('POST', '/api/invoices', auth, {
      body: `<invoice-header><description>${'x'.repeat(TWO_MIB)}</description></invoice-header>`,
      contentType: 'application/xml',
    })
    assert.equal(response.statusCode, 413, response.body)
  })

  it('refuses a 2 MiB admin JSON body with 413 problem details', async () => {
    const response = await t.instance.app.inject({
      method: 'POST',
      url: '/admin/v1/oauth2/clients',
      headers: { authorization: adminAuth, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(TWO_MIB) }),
    })
    assert.equal(response.statusCode, 413, response.body)
    assert.equal(response.json().detail, 'the request body is too large')
  })

  const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<invoice-header><invoice-number>&lol9;</invoice-number></invoice-header>`
  const xxe = `<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<invoice-header><invoice-number>&xxe;</invoice-number><invoice-date>2026-11-20</invoice-date><supplier><id>1</id></supplier></invoice-header>`
  // Undeclared entities without a DTD, nested deep: still no expansion and no stack overflow.
  const deep = `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`

  for (const [name, body] of [
    ['an entity-expansion bomb', billionLaughs],
    ['an XXE external entity', xxe],
    ['100 000 nested elements', deep],
  ] as const) {
    it(`refuses ${name} on POST /api/invoices with 400 within a second`, async () => {
      const started = performance.now()
      const response = await t.call('POST', '/api/invoices', auth, { body, contentType: 'application/xml' })
      const ms = Math.round(performance.now() - started)
      assert.equal(response.statusCode, 400, response.body)
      assert.doesNotMatch(response.body, /root:|lollol/)
      assert.ok(ms < 1000, `answered in ${ms} ms`)
    })
  }
})
