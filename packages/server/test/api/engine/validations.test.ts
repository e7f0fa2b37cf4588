/**
 * Coupa's validations (coupa-api-facts §4.5, §6): unique logins and emails, required fields in
 * Coupa's words, a user's defaults; and no silent drops: every field of a body changes the record
 * or is refused by name.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { storeBackends } from '../../stores.ts'
import { type ApiInstance, startApiInstance } from './support.ts'

for (const backend of storeBackends) {
  describe(`Coupa's validations on ${backend.name}`, { skip: backend.skip }, () => {
    let t: ApiInstance
    let auth: Record<string, string>
    const send = (method: 'POST' | 'PUT', url: string, body: unknown, accept = 'application/json') =>
      t.call(method, url, auth, { body: typeof body === 'string' ? body : JSON.stringify(body), accept })
    const get = async (url: string) => {
      const response = await t.call('GET', url, auth)
      assert.equal(response.statusCode, 200, response.body)
      return response.json()
    }
    const user = (login: string, extra: Record<string, unknown> = {}) => ({
      login,
      email: `${login}@example.com`,
      firstname: 'Ada',
      lastname: 'Lovelace',
      ...extra,
    })

    before(async () => {
      t = await startApiInstance(backend)
      auth = await t.apiKey(null)
    })
    after(() => t.close())

    describe('users', () => {
      it('refuses a taken login and email, case-insensitively, in JSON and XML', async () => {
        assert.equal((await send('POST', '/api/users', user('grace'))).statusCode, 201)
        const again = await send('POST', '/api/users', user('Grace', { email: 'GRACE@example.com' }))
        assert.equal(again.statusCode, 400)
        assert.deepEqual(again.json(), {
          errors: { user: ['Login has already been taken', 'Email has already been taken'] },
        })
        const xml = await send('POST', '/api/users', user('grace'), 'application/xml')
        assert.equal(xml.statusCode, 400)
        assert.equal(
          xml.body,
          '<?xml version="1.0" encoding="UTF-8"?><errors><error>Login has already been taken</error><error>Email has already been taken</error></errors>',
        )
        const other = await send('POST', '/api/users', user('grace2', { email: 'grace@example.com' }))
        assert.deepEqual(other.json(), { errors: { user: ['Email has already been taken'] } })
      })

      it('refuses an update to a login another user has, and accepts a user keeping its own', async () => {
        const first = (await send('POST', '/api/users', user('alan'))).json()
        const second = (await send('POST', '/api/users', user('alonzo'))).json()
        const taken = await send('PUT', `/api/users/${second.id}`, { login: 'ALAN' })
        assert.equal(taken.statusCode, 400)
        assert.deepEqual(taken.json(), { errors: { user: ['Login has already been taken'] } })
        const same = await send('PUT', `/api/users/${first.id}`, { login: 'alan', email: 'alan@example.com' })
        assert.equal(same.statusCode, 200, same.body)
      })

      it('creates one user of ten sent at once with the same login', async () => {
        const answers = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            send('POST', '/api/users', user('race', { email: `r${i}@x.org` })),
          ),
        )
        assert.deepEqual(
          answers.map((a) => a.statusCode).sort(),
          [201, 400, 400, 400, 400, 400, 400, 400, 400, 400],
        )
        assert.equal((await get('/api/users?login=race')).length, 1)
      })

      it("words blank required fields as Coupa does: First Name can't be blank", async () => {
        const response = await send('POST', '/api/users', { login: 'nobody', firstname: '  ' })
        assert.equal(response.statusCode, 400)
        assert.deepEqual(response.json(), {
          errors: { user: ["Email can't be blank", "First Name can't be blank", "Last Name can't be blank"] },
        })
        const created = (await send('POST', '/api/users', user('blanked'))).json()
        const blanked = await send('PUT', `/api/users/${created.id}`, { lastname: '' })
        assert.deepEqual(blanked.json(), { errors: { user: ["Last Name can't be blank"] } })
      })

      it('makes a user active and its fullname from the names, kept in sync on update', async () => {
        const created = (await send('POST', '/api/users', user('ada'))).json()
        assert.equal(created.active, true)
        assert.equal(created.fullname, 'Ada Lovelace')
        const inactive = (await send('POST', '/api/users', user('idle', { active: false }))).json()
        assert.equal(inactive.active, false)
        const renamed = await send('PUT', `/api/users/${created.id}`, { lastname: 'King' })
        assert.equal(renamed.json().fullname, 'Ada King')
        const refused = await send('PUT', `/api/users/${created.id}`, { fullname: 'Someone Else' })
        assert.equal(refused.statusCode, 400)
        assert.deepEqual(refused.json(), {
          errors: { user: ['fullname is read-only: it is firstname and lastname joined'] },
        })
      })
    })

    describe('no silent drops', () => {
      it('takes back a record as it was read, JSON and XML: read-only values that change nothing', async () => {
        const invoice = await get('/api/invoices/3')
        const json = await send('PUT', '/api/invoices/3', { ...invoice, 'invoice-number': 'RT-1' })
        assert.equal(json.statusCode, 200, json.body)
        assert.equal(json.json()['invoice-number'], 'RT-1')
        assert.deepEqual(
          json.json()['invoice-lines'].map((line: { id: number }) => line.id),
          invoice['invoice-lines'].map((line: { id: number }) => line.id),
        )
        const xml = await t.call('GET', '/api/users/2', auth, { accept: 'application/xml' })
        const back = await t.call('PUT', '/api/users/2', auth, {
          body: xml.body,
          contentType: 'application/xml',
          accept: 'application/xml',
        })
        assert.equal(back.statusCode, 200, back.body)
      })

      it('refuses a read-only value that differs, naming the field and the action that moves it', async () => {
        const [draft] = await get('/api/invoices?status=draft&limit=1')
        const cases: Array<[Record<string, unknown>, string]> = [
          [{ status: 'voided' }, 'status is read-only: use PUT /api/invoices/:id/void'],
          [
            { status: 'new' },
            'status is read-only: it moves with PUT /api/invoices/:id/submit, PUT /api/invoices/:id/void, PUT /api/invoices/:id/abandon, PUT /api/invoices/:id/dispute, PUT /api/invoices/:id/withdraw_dispute, PUT /api/invoices/:id/add_approver, PUT /api/invoices/:id/bypass_approvals',
          ],
          [{ 'total-with-taxes': '1.00' }, 'total-with-taxes is read-only'],
          [{ 'created-at': '2001-01-01T00:00:00Z' }, 'created-at is read-only'],
          [{ id: draft.id + 1 }, 'id is read-only'],
        ]
        for (const [body, message] of cases) {
          const response = await send('PUT', `/api/invoices/${draft.id}`, body)
          assert.equal(response.statusCode, 400, JSON.stringify(body))
          assert.deepEqual(response.json(), { errors: { 'invoice-header': [message] } })
        }
        const xml = await t.call('PUT', `/api/invoices/${draft.id}`, auth, {
          body: '<invoice-header><status>voided</status></invoice-header>',
          contentType: 'application/xml',
          accept: 'application/xml',
        })
        assert.equal(
          xml.body,
          '<?xml version="1.0" encoding="UTF-8"?><errors><error>status is read-only: use PUT /api/invoices/:id/void</error></errors>',
        )
      })

      it('names the line: its id must be one of the record, its read-only values unchanged', async () => {
        const invoice = await get('/api/invoices/4')
        const [line] = invoice['invoice-lines']
        const unknown = await send('PUT', '/api/invoices/4', { 'invoice-lines': [{ ...line, id: 999 }] })
        assert.deepEqual(unknown.json(), {
          errors: {
            'invoice-header': [
              'invoice-lines[0].id 999 is not a line of this record; leave id out for a new line',
            ],
          },
        })
        const total = await send('PUT', '/api/invoices/4', { 'invoice-lines': [{ ...line, total: '0.01' }] })
        assert.deepEqual(total.json(), {
          errors: { 'invoice-header': ['invoice-lines[0].total is read-only'] },
        })
        const { id: _id, total: _total, ...fresh } = line
        const added = await send('PUT', '/api/invoices/4', { 'invoice-lines': [line, fresh] })
        assert.equal(added.statusCode, 200, added.body)
        const ids = added.json()['invoice-lines'].map((l: { id: number }) => l.id)
        const highest = Math.max(...invoice['invoice-lines'].map((l: { id: number }) => l.id))
        assert.deepEqual(ids, [line.id, highest + 1])
      })

      it('refuses read-only values on create, but for id and the timestamps of a copied record', async () => {
        const body = {
          'invoice-number': 'RO-1',
          'invoice-date': '2026-11-01',
          supplier: { id: 2 },
          id: 77,
          'created-at': '2020-01-01T00:00:00Z',
          'updated-at': '2020-01-01T00:00:00Z',
          status: null,
        }
        const created = await send('POST', '/api/invoices', body)
        assert.equal(created.statusCode, 201, created.body)
        assert.notEqual(created.json().id, 77)
        const refused = await send('POST', '/api/invoices', { ...body, status: 'approved', paid: false })
        assert.equal(refused.statusCode, 400)
        assert.deepEqual(refused.json(), {
          errors: {
            'invoice-header': [
              'status is read-only: use PUT /api/invoices/:id/bypass_approvals',
              'paid is read-only',
            ],
          },
        })
      })

      it("takes only an action's writes in its body; other fields only as they are", async () => {
        const [approved] = await get('/api/invoices?status=approved&limit=1')
        const refused = await send('PUT', `/api/invoices/${approved.id}/dispute`, {
          'dispute-reason': 'wrong',
          'invoice-number': 'CHANGED',
        })
        assert.equal(refused.statusCode, 400)
        assert.deepEqual(refused.json(), {
          errors: {
            'invoice-header': ['invoice-number is not changed by dispute: its body takes dispute-reason'],
          },
        })
        const disputed = await send('PUT', `/api/invoices/${approved.id}/dispute`, {
          ...approved,
          status: 'disputed',
          'dispute-reason': 'wrong',
        })
        assert.equal(disputed.statusCode, 200, disputed.body)
        assert.equal(disputed.json()['dispute-reason'], 'wrong')
      })
    })
  })
}
