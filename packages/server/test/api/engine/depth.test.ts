/**
 * Record depth (issue 15): account segments and types, invoice tax lines, charges, addresses and
 * authors, supplier fields and status, contracts, supplier items and a supplier's remit-to
 * addresses (coupa-api-facts §6, §2.2, §4.3), in JSON and XML, on both stores.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { storeBackends } from '../../stores.ts'
import { type ApiInstance, startApiInstance } from './support.ts'

const XML = 'application/xml'
const SCOPES = [
  'core.accounting.read',
  'core.common.read',
  'core.common.write',
  'core.contract.read',
  'core.contract.write',
  'core.invoice.read',
  'core.invoice.create',
  'core.invoice.write',
  'core.item.read',
  'core.item.write',
  'core.supplier.read',
  'core.supplier.write',
  'core.user.write',
]

for (const backend of storeBackends) {
  describe(`record depth on ${backend.name}`, { skip: backend.skip }, () => {
    let t: ApiInstance
    let auth: Record<string, string>
    const login = `integration-${backend.name}`
    const json = async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, status = 200) => {
      const response = await t.call(
        method,
        url,
        auth,
        body === undefined ? {} : { body: JSON.stringify(body) },
      )
      assert.equal(response.statusCode, status, response.body)
      return response.json()
    }
    const xml = async (method: 'GET' | 'POST' | 'PUT', url: string, body?: string, status = 200) => {
      const options = { accept: XML, ...(body !== undefined && { body, contentType: XML }) }
      const response = await t.call(method, url, auth, options)
      assert.equal(response.statusCode, status, response.body)
      return response.body
    }

    before(async () => {
      t = await startApiInstance(backend)
      // An OAuth client whose Login is a user of the instance: the integration user (facts §6).
      const { client } = await t.instance.clients.create({
        name: `depth ${backend.name}`,
        grantType: 'client_credentials',
        scopes: SCOPES,
        login,
      })
      const { token } = await t.instance.tokens.issue(client.clientId, SCOPES.join(' '))
      auth = { authorization: `Bearer ${token}` }
    })
    after(() => t.close())

    describe('suppliers', () => {
      it("accepts Coupa's own create example unchanged", async () => {
        const body =
          '<supplier><name>CDW</name><po-method>prompt</po-method><account-number>2323</account-number><duns/><tax-id/>' +
          '<invoice-matching-level>3-way</invoice-matching-level><payment-term><code>Net 30</code></payment-term></supplier>'
        const answer = await xml('POST', '/api/suppliers', body, 201)
        assert.match(answer, /<name>CDW<\/name>/)
        assert.match(answer, /<po-method>prompt<\/po-method>/)
        assert.match(answer, /<account-number>2323<\/account-number>/)
        assert.match(answer, /<invoice-matching-level>3-way<\/invoice-matching-level>/)
        assert.match(answer, /<payment-term><id type="integer">\d+<\/id><code>Net 30<\/code><\/payment-term>/)
        // "Supplier Create - Draft and Basic" (MIRROR 0081): created without a status, a draft.
        assert.match(answer, /<status>draft<\/status>/)
      })

      it('deactivates with PUT <supplier><status>inactive</status></supplier>, and changes status in JSON', async () => {
        const { id } = await json(
          'POST',
          '/api/suppliers',
          { name: 'Status Test Ltd', 'po-method': 'buy_online' },
          201,
        )
        const deactivated = await xml(
          'PUT',
          `/api/suppliers/${id}`,
          '<supplier><status>inactive</status></supplier>',
        )
        assert.match(deactivated, /<status>inactive<\/status>/)
        assert.equal((await json('GET', `/api/suppliers/${id}`)).status, 'inactive')
        assert.equal((await json('PUT', `/api/suppliers/${id}`, { status: 'active' })).status, 'active')
        const refused = await t.call('PUT', `/api/suppliers/${id}`, auth, { body: '{"status":"deleted"}' })
        assert.equal(refused.statusCode, 400)
        assert.deepEqual(refused.json(), {
          errors: { supplier: ['status must be one of active, inactive, draft'] },
        })
      })

      it('keeps a status given on create, and starts as a draft otherwise', async () => {
        assert.equal(
          (await json('POST', '/api/suppliers', { name: 'Draft Co', status: 'draft' }, 201)).status,
          'draft',
        )
        assert.equal((await json('POST', '/api/suppliers', { name: 'Plain Co' }, 201)).status, 'draft')
      })
    })

    describe('accounts and line accounts', () => {
      it('shows segment-1 … segment-20 (empty ones null) and the account type', async () => {
        const account = await json('GET', '/api/accounts/1')
        for (let n = 1; n <= 20; n++) assert.ok(`segment-${n}` in account, `segment-${n}`)
        assert.equal(typeof account['segment-1'], 'string')
        assert.equal(account['segment-20'], null)
        assert.match(account['account-type'].name, /Chart of Accounts$/)
        const body = await xml('GET', '/api/accounts/1')
        assert.match(body, /<segment-1>[^<]+<\/segment-1>/)
        assert.match(body, /<segment-4 nil="true"\/>/)
        assert.match(body, /<account-type><id type="integer">\d+<\/id><name>[^<]+<\/name><\/account-type>/)
      })

      it("shows a line's account with its segments and account type, so account/segment-1 is there", async () => {
        type Line = { account: Record<string, unknown> | null }
        const invoices: Array<{ 'invoice-lines': Line[] }> = await json('GET', '/api/invoices?limit=20')
        const line = invoices.flatMap((i) => i['invoice-lines']).find((l) => l.account !== null)
        assert.ok(line?.account, 'a demo invoice line with an account')
        const account = await json('GET', `/api/accounts/${line.account.id}`)
        assert.equal(line.account['segment-1'], account['segment-1'])
        assert.equal(line.account.code, account.code)
        assert.deepEqual(line.account['account-type'], account['account-type'])
      })

      it('projects a line account down to segment-1 and account-type with fields=[…]', async () => {
        const fields = encodeURIComponent(
          '["id",{"invoice_lines":[{"account":["segment_1",{"account_type":["name"]}]}]}]',
        )
        type Line = { account: Record<string, { name: string }> | null }
        const invoices: Array<{ 'invoice-lines': Line[] }> = await json(
          'GET',
          `/api/invoices?limit=20&fields=${fields}`,
        )
        for (const invoice of invoices) assert.deepEqual(Object.keys(invoice), ['id', 'invoice-lines'])
        const line = invoices.flatMap((i) => i['invoice-lines']).find((l) => l.account !== null)
        assert.ok(line?.account, 'a demo invoice line with an account')
        assert.deepEqual(Object.keys(line.account), ['segment-1', 'account-type'])
        assert.match(line.account['account-type']?.name ?? '', /Chart of Accounts$/)
      })
    })

    describe('invoices', () => {
      const invoice = (extra: Record<string, unknown> = {}) => ({
        'invoice-number': `DEPTH-${Math.random().toString(36).slice(2, 8)}`,
        'invoice-date': '2025-11-01T00:00:00Z',
        supplier: { id: 1 },
        'tax-amount': '8.00',
        'invoice-lines': [
          {
            description: 'Toner',
            price: '50.00',
            quantity: 2,
            account: { id: 1 },
            'account-allocations': [
              { account: { id: 1 }, amount: '60.00', pct: '60.00' },
              { account: { id: 2 }, amount: '40.00', pct: '40.00' },
            ],
          },
        ],
        'tax-lines': [{ amount: '8.00', rate: '8.00', description: 'Sales tax', 'tax-code': { id: 1 } }],
        'invoice-charges': [{ type: 'InvoiceShippingCharge', total: '12.50', description: 'Freight' }],
        'bill-to-address': { id: 1 },
        'remit-to-address': { id: 1 },
        ...extra,
      })

      it('takes tax lines, charges, allocations and addresses, and shows them back', async () => {
        const created = await json('POST', '/api/invoices', invoice(), 201)
        // Decimals come back as the engine normalizes them ("8.00" → "8").
        assert.equal(Number(created['tax-lines'][0].amount), 8)
        assert.equal(created['tax-lines'][0]['tax-code'].id, 1)
        assert.equal(typeof created['tax-lines'][0]['tax-code'].code, 'string')
        assert.equal(created['invoice-charges'][0].type, 'InvoiceShippingCharge')
        assert.equal(Number(created['invoice-charges'][0].total), 12.5)
        const allocations = created['invoice-lines'][0]['account-allocations']
        assert.deepEqual(
          allocations.map((a: { amount: string; account: { id: number } }) => [
            a.account.id,
            Number(a.amount),
          ]),
          [
            [1, 60],
            [2, 40],
          ],
        )
        assert.equal(typeof created['bill-to-address'].street1, 'string')
        assert.equal(typeof created['bill-to-address'].country.code, 'string')
        assert.equal(typeof created['remit-to-address']['remit-to-code'], 'string')
        assert.equal(created['is-credit-note'], false)
      })

      it('derives is-credit-note from document-type and never takes it from the client', async () => {
        const credit = await json(
          'POST',
          '/api/invoices',
          invoice({
            'document-type': 'Credit Note',
            'original-invoice-number': 'INV-1',
            'original-invoice-date': '2025-10-01T00:00:00Z',
          }),
          201,
        )
        assert.equal(credit['is-credit-note'], true)
        assert.equal(credit['original-invoice-number'], 'INV-1')
        // No silent drop: a client that sends it is told it cannot set it.
        const refused = await json('POST', '/api/invoices', invoice({ 'is-credit-note': true }), 400)
        assert.deepEqual(refused, { errors: { 'invoice-header': ['is-credit-note is read-only'] } })
      })

      it('sets created-by and updated-by to the user whose login is the caller’s, read-only', async () => {
        const user = await json(
          'POST',
          '/api/users',
          { login, email: `${login}@example.com`, firstname: 'Integration', lastname: 'User' },
          201,
        )
        const refused = await json('POST', '/api/invoices', invoice({ 'created-by': { id: 1 } }), 400)
        assert.deepEqual(refused, { errors: { 'invoice-header': ['created-by is read-only'] } })
        const created = await json('POST', '/api/invoices', invoice({}), 201)
        assert.deepEqual(created['created-by'], { id: user.id, login })
        assert.deepEqual(created['updated-by'], { id: user.id, login })
        const body = await xml('GET', `/api/invoices/${created.id}`)
        assert.match(
          body,
          new RegExp(`<created-by><id type="integer">${user.id}</id><login>${login}</login></created-by>`),
        )
      })

      it('reads the same depth from an XML body', async () => {
        const body =
          '<invoice-header><invoice-number>DEPTH-XML</invoice-number><invoice-date>2025-11-02T00:00:00Z</invoice-date>' +
          '<supplier><id>1</id></supplier><invoice-lines type="array"><invoice-line><description>Paper</description>' +
          '<price>10.00</price><quantity>3</quantity><account-allocations type="array"><account-allocation>' +
          '<account><id>1</id></account><amount>30.00</amount><pct>100</pct></account-allocation></account-allocations>' +
          '</invoice-line></invoice-lines><tax-lines type="array"><tax-line><amount>2.40</amount><rate>8.00</rate>' +
          '</tax-line></tax-lines><invoice-charges type="array"><invoice-charge><type>InvoiceMiscCharge</type>' +
          '<total>1.00</total></invoice-charge></invoice-charges><bill-to-address><id>1</id></bill-to-address>' +
          '</invoice-header>'
        const answer = await xml('POST', '/api/invoices', body, 201)
        assert.match(
          answer,
          /<tax-lines type="array"><tax-line><id type="integer">1<\/id><amount type="decimal">2.4<\/amount>/,
        )
        assert.match(answer, /<account-allocations type="array"><account-allocation>/)
        assert.match(
          answer,
          /<invoice-charges type="array"><invoice-charge>.*<type>InvoiceMiscCharge<\/type>/,
        )
        assert.match(answer, /<bill-to-address><id type="integer">1<\/id>/)
      })
    })

    describe('addresses, contracts and supplier items', () => {
      it('creates an address naming its country by code, and shows <country><code>', async () => {
        const body =
          '<address><name>Dock 4</name><street1>250 Sycamore Avenue</street1><city>Redwood City</city>' +
          '<country><code>US</code></country></address>'
        const answer = await xml('POST', '/api/addresses', body, 201)
        assert.match(answer, /<country><id type="integer">\d+<\/id><code>US<\/code><\/country>/)
      })

      it('creates a draft contract, publishes it, and prices a supplier item under it', async () => {
        const contract = await json(
          'POST',
          '/api/contracts',
          {
            name: 'Office supplies 2026',
            number: `CTR-T-${backend.name}`,
            supplier: { id: 1 },
            'start-date': '2026-01-01T00:00:00Z',
            'maximum-value': '100000.00',
          },
          201,
        )
        assert.equal(contract.status, 'draft')
        assert.equal((await json('PUT', `/api/contracts/${contract.id}/publish`)).status, 'published')
        assert.match(
          await xml('GET', `/api/contracts/${contract.id}`),
          /^<\?xml[^>]*><contract><id type="integer">/,
        )
        const item = await json(
          'POST',
          '/api/supplier_items',
          {
            item: { id: 1 },
            supplier: { id: 1 },
            price: '9.99',
            'supplier-part-num': 'P-1',
            contract: { id: contract.id },
          },
          201,
        )
        assert.deepEqual(item.contract, {
          id: contract.id,
          number: contract.number,
          name: 'Office supplies 2026',
        })
        assert.equal(Number(item.price), 9.99)
      })

      it('grants contracts to core.contract.* and supplier items to core.item.*', async () => {
        const supplierOnly = await t.bearer(['core.supplier.read'])
        for (const url of ['/api/contracts', '/api/supplier_items', '/api/account_types']) {
          assert.equal((await t.call('GET', url, supplierOnly)).statusCode, 403, url)
        }
        const itemRead = await t.bearer(['core.item.read'])
        assert.equal((await t.call('GET', '/api/supplier_items', itemRead)).statusCode, 200)
        const body = JSON.stringify({ item: { id: 1 }, supplier: { id: 1 }, price: '1.00' })
        assert.equal((await t.call('POST', '/api/supplier_items', itemRead, { body })).statusCode, 403)
      })
    })

    describe('/api/suppliers/:id/addresses (facts §4.3)', () => {
      it("lists only the supplier's remit-to addresses, in JSON and XML", async () => {
        const list = await json('GET', '/api/suppliers/2/addresses')
        assert.ok(list.length > 0)
        for (const address of list) assert.equal(address.supplier.id, 2)
        assert.match(
          await xml('GET', '/api/suppliers/2/addresses'),
          /<remit-to-addresses type="array"><remit-to-address>/,
        )
      })

      it('creates and updates an address of the supplier of the path', async () => {
        const created = await json(
          'POST',
          '/api/suppliers/3/addresses',
          { 'remit-to-code': 'RT-NEW', street1: '1 Lockbox Way', city: 'Austin', country: { code: 'US' } },
          201,
        )
        assert.equal(created.supplier.id, 3)
        const updated = await xml(
          'PUT',
          `/api/suppliers/3/addresses/${created.id}`,
          '<remit-to-address><city>Dallas</city><supplier><id>4</id></supplier></remit-to-address>',
        )
        assert.match(updated, /<city>Dallas<\/city>/)
        assert.match(updated, /<supplier><id type="integer">3<\/id>/)
        const shown = await json('GET', `/api/suppliers/3/addresses/${created.id}`)
        assert.equal(shown.city, 'Dallas')
      })

      it("answers 404 for another supplier's address and for an unknown supplier", async () => {
        const [address] = await json('GET', '/api/suppliers/2/addresses')
        const other = await t.call('GET', `/api/suppliers/3/addresses/${address.id}`, auth)
        assert.equal(other.statusCode, 404)
        assert.equal((await t.call('GET', '/api/suppliers/99999/addresses', auth)).statusCode, 404)
      })

      it('reads with core.supplier.read and writes with core.supplier.write only', async () => {
        const reader = await t.bearer(['core.supplier.read'])
        assert.equal((await t.call('GET', '/api/suppliers/2/addresses', reader)).statusCode, 200)
        const body = JSON.stringify({ street1: 'x', city: 'y', country: { code: 'US' } })
        assert.equal((await t.call('POST', '/api/suppliers/2/addresses', reader, { body })).statusCode, 403)
        const invoiceOnly = await t.bearer(['core.invoice.read'])
        assert.equal((await t.call('GET', '/api/suppliers/2/addresses', invoiceOnly)).statusCode, 403)
      })
    })
  })
}
