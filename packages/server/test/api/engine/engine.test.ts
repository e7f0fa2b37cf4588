import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { storeBackends } from '../../stores.ts'
import { type ApiInstance, startApiInstance } from './support.ts'

const ALL_INVOICE = ['core.invoice.read', 'core.invoice.create', 'core.invoice.write', 'core.invoice.delete']

for (const backend of storeBackends) {
  for (const via of ['bearer token', 'API key'] as const) {
    describe(`core API with a ${via} on ${backend.name}`, { skip: backend.skip }, () => {
      let t: ApiInstance
      let auth: Record<string, string>
      const get = (url: string, accept = 'application/json') => t.call('GET', url, auth, { accept })
      const json = async (url: string) => {
        const response = await get(url)
        assert.equal(response.statusCode, 200, response.body)
        return response.json()
      }

      before(async () => {
        t = await startApiInstance(backend)
        auth =
          via === 'bearer token'
            ? await t.bearer([...ALL_INVOICE, 'core.supplier.read'])
            : await t.apiKey(null)
      })
      after(() => t.close())

      describe('representation', () => {
        it('answers JSON with dashed keys, amounts as strings and nested objects', async () => {
          const invoice = await json('/api/invoices/1')
          assert.equal(invoice.id, 1)
          assert.equal(typeof invoice['invoice-number'], 'string')
          assert.match(invoice['total-with-taxes'], /^\d+\.\d{2}$/)
          assert.deepEqual(Object.keys(invoice.supplier).sort(), ['id', 'name', 'number'])
          assert.ok(Array.isArray(invoice['invoice-lines']))
        })

        it('answers XML when Accept is absent or */*, with typed elements', async () => {
          for (const accept of ['', '*/*', 'application/xml']) {
            const response = await t.instance.app.inject({
              url: '/api/invoices/1',
              headers: { ...auth, ...(accept && { accept }) },
            })
            assert.equal(response.statusCode, 200)
            assert.match(String(response.headers['content-type']), /^application\/xml/)
            assert.match(
              response.body,
              /^<\?xml version="1.0" encoding="UTF-8"\?><invoice-header><id type="integer">1<\/id>/,
            )
          }
        })

        it('lists as a JSON array and as <invoice-headers type="array">', async () => {
          assert.equal((await json('/api/invoices?limit=3')).length, 3)
          const xml = await get('/api/invoices?limit=2', 'application/xml')
          assert.match(xml.body, /<invoice-headers type="array"><invoice-header>/)
        })
      })

      describe('query language', () => {
        it('pages with offset (0-based) and limit (at most 50)', async () => {
          const first = await json('/api/invoices?limit=5')
          const next = await json('/api/invoices?limit=5&offset=4')
          assert.equal(next[0].id, first[4].id)
          assert.equal((await json('/api/invoices?limit=500')).length, 50)
          assert.equal((await json('/api/invoices')).length, 50)
        })

        it('filters on indexed and other attributes, through references, with operators', async () => {
          const approved = await json('/api/invoices?status=approved')
          assert.ok(approved.length > 0 && approved.every((i: { status: string }) => i.status === 'approved'))
          const some = await json('/api/invoices?status[in]=voided,disputed&exported=false')
          assert.ok(
            some.every(
              (i: { status: string; exported: boolean }) =>
                ['voided', 'disputed'].includes(i.status) && !i.exported,
            ),
          )
          const sample = (await json('/api/invoices/7')).supplier.name as string
          const bySupplier = await json(`/api/invoices?supplier[name]=${encodeURIComponent(sample)}`)
          assert.ok(
            bySupplier.length > 0 &&
              bySupplier.every((i: { supplier: { name: string } }) => i.supplier.name === sample),
          )
          const word = sample.split(' ')[0]?.toLowerCase() ?? ''
          const contains = await json(
            `/api/invoices?supplier[name][contains]=${encodeURIComponent(word)}&limit=5`,
          )
          assert.ok(
            contains.every((i: { supplier: { name: string } }) =>
              i.supplier.name.toLowerCase().includes(word),
            ),
          )
          const since = await json(
            '/api/invoices?updated-at[gt]=2026-01-01&order_by=updated_at&dir=desc&limit=10',
          )
          const times = since.map((i: { 'updated-at': string }) => i['updated-at'])
          assert.deepEqual(times, [...times].sort().reverse())
          assert.ok(times.every((time: string) => time > '2026-01-01'))
          const ids = await json('/api/invoices?id[gt_or_eq]=10&id[lt]=13')
          assert.deepEqual(
            ids.map((i: { id: number }) => i.id),
            [10, 11, 12],
          )
        })

        it('answers return_object=limited with ids and fields=[…] with the projection', async () => {
          assert.deepEqual(await json('/api/invoices?limit=2&return_object=limited'), [{ id: 1 }, { id: 2 }])
          const projected = await json('/api/invoices/1?fields=["id","invoice_number",{"supplier":["name"]}]')
          assert.deepEqual(Object.keys(projected).sort(), ['id', 'invoice-number', 'supplier'])
          assert.deepEqual(Object.keys(projected.supplier), ['name'])
        })

        it('refuses an unknown attribute or operator with a 400 that names it', async () => {
          const unknown = await get('/api/invoices?colour=red')
          assert.equal(unknown.statusCode, 400)
          assert.match(unknown.json().errors['invoice-header'][0], /colour/)
          const operator = await get('/api/invoices?status[like]=x')
          assert.equal(operator.statusCode, 400)
          assert.match(operator.json().errors['invoice-header'][0], /like/)
        })

        it('answers an empty search with [] in JSON and 404 "No results match your search criteria." in XML', async () => {
          assert.deepEqual(await json('/api/invoices?invoice-number=does-not-exist'), [])
          const xml = await get('/api/invoices?invoice-number=does-not-exist', 'application/xml')
          assert.equal(xml.statusCode, 404)
          assert.equal(
            xml.body,
            '<?xml version="1.0" encoding="UTF-8"?><errors><error>No results match your search criteria.</error></errors>',
          )
        })
      })

      describe('writes', () => {
        it('creates an invoice (201) in draft with computed totals, from JSON and from XML', async () => {
          const body = {
            'invoice-number': `INV-${via}-1`,
            'invoice-date': '2026-11-20T00:00:00Z',
            supplier: { id: 1 },
            currency: { code: 'USD' },
            'invoice-lines': [{ description: 'Chairs', price: '100.50', quantity: 2 }],
          }
          const created = await t.call('POST', '/api/invoices', auth, { body: JSON.stringify(body) })
          assert.equal(created.statusCode, 201, created.body)
          const invoice = created.json()
          assert.equal(invoice.status, 'draft')
          assert.equal(invoice['gross-total'], '201.00')
          assert.equal(invoice['invoice-lines'][0].total, '201.00')
          assert.equal(invoice.currency.code, 'USD')

          const xml = `<invoice-header><invoice-number>INV-${via}-2</invoice-number><invoice-date>2026-11-21T00:00:00Z</invoice-date><supplier><id>2</id></supplier><invoice-lines><invoice-line><description>Desk</description><price>10</price></invoice-line></invoice-lines></invoice-header>`
          const fromXml = await t.call('POST', '/api/invoices', auth, {
            body: xml,
            contentType: 'application/xml',
            accept: 'application/xml',
          })
          assert.equal(fromXml.statusCode, 201, fromXml.body)
          assert.match(fromXml.body, /<status>draft<\/status>/)
        })

        it("refuses a create without required fields, in Coupa's error shape", async () => {
          const response = await t.call('POST', '/api/invoices', auth, { body: '{"invoice-number":"x"}' })
          assert.equal(response.statusCode, 400)
          assert.deepEqual(response.json(), {
            errors: { 'invoice-header': ["Invoice Date can't be blank", "Supplier can't be blank"] },
          })
        })

        it('follows the state machine: void from draft, not again; 400 with a Coupa error', async () => {
          const created = (
            await t.call('POST', '/api/invoices', auth, {
              body: JSON.stringify({
                'invoice-number': `V-${via}`,
                'invoice-date': '2026-11-01',
                supplier: { id: 3 },
              }),
            })
          ).json()
          const voided = await t.call('PUT', `/api/invoices/${created.id}/void`, auth)
          assert.equal(voided.statusCode, 200, voided.body)
          assert.equal(voided.json().status, 'voided')
          const again = await t.call('PUT', `/api/invoices/${created.id}/void`, auth)
          assert.equal(again.statusCode, 400)
          assert.match(again.json().errors['invoice-header'][0], /cannot be voided while voided/)
        })

        it("keeps the reason a dispute's body gives, which an update may not change", async () => {
          const [approved] = await json('/api/invoices?status=approved&limit=1')
          const body = JSON.stringify({ 'dispute-reason': 'Quantity does not match the receipt' })
          const disputed = await t.call('PUT', `/api/invoices/${approved.id}/dispute`, auth, { body })
          assert.equal(disputed.statusCode, 200, disputed.body)
          assert.equal(disputed.json().status, 'disputed')
          assert.equal(disputed.json()['dispute-reason'], 'Quantity does not match the receipt')
          assert.equal(
            (await json(`/api/invoices/${approved.id}`))['dispute-reason'],
            'Quantity does not match the receipt',
          )
          const update = JSON.stringify({ 'dispute-reason': 'changed by an update' })
          const refused = await t.call('PUT', `/api/invoices/${approved.id}`, auth, { body: update })
          assert.equal(refused.statusCode, 400)
          assert.deepEqual(refused.json(), {
            errors: { 'invoice-header': ['dispute-reason is read-only: use PUT /api/invoices/:id/dispute'] },
          })
          assert.equal(
            (await json(`/api/invoices/${approved.id}`))['dispute-reason'],
            'Quantity does not match the receipt',
          )
        })

        it('marks a record exported with PUT ?exported=true, then exported=false no longer finds it', async () => {
          const [first] = await json('/api/invoices?exported=false&limit=1')
          const marked = await t.call('PUT', `/api/invoices/${first.id}?exported=true`, auth, { body: '{}' })
          assert.equal(marked.statusCode, 200)
          assert.equal(marked.json().exported, true)
          assert.ok(marked.json()['last-exported-at'])
          const still = await json(`/api/invoices?exported=false&id=${first.id}`)
          assert.deepEqual(still, [])
        })

        it('records who changed a record in its integration history', async () => {
          const [draft] = await json('/api/invoices?status=draft&limit=1')
          await t.call('PUT', `/api/invoices/${draft.id}`, auth, { body: '{"tax-amount":"1.00"}' })
          const history = await t.admin('GET', `/integration-history/invoices/${draft.id}`)
          assert.equal(history.statusCode, 200, history.body)
          const last = history.json().entries.at(-1)
          assert.equal(last.action, 'update')
          assert.equal(last.via, via === 'bearer token' ? 'oauth_client' : 'api_key')
        })

        it('answers DELETE with 405', async () => {
          const response = await t.call('DELETE', '/api/invoices/1', auth)
          assert.equal(response.statusCode, 405)
          assert.equal(response.headers.allow, 'GET, PUT')
        })

        it('refuses XML with a DTD (XXE, entity expansion) with 400', async () => {
          const xxe =
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><invoice-header><invoice-number>&e;</invoice-number></invoice-header>'
          const response = await t.call('POST', '/api/invoices', auth, {
            body: xxe,
            contentType: 'application/xml',
          })
          assert.equal(response.statusCode, 400)
          assert.doesNotMatch(response.body, /root:/)
        })
      })
    })
  }
}
