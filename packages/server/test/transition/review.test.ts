import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { storeBackends } from '../stores.ts'
import { DAY, HOUR, startTransitionInstance, T, type TransitionInstance, USER_AGENT } from './support.ts'

const iso = (ms: number) => new Date(ms).toISOString()

for (const backend of storeBackends) {
  describe(`GET /admin/v1/transition/review on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TransitionInstance
    const keys: Record<string, { id: string; headers: Record<string, string> }> = {}

    // Calls at T, T+20 days and T+25 days; the review is read at T+25.5 days.
    before(async () => {
      t = await startTransitionInstance(backend)
      for (const name of ['Invoice export', 'Supplier sync', 'Mixed', 'Old report']) {
        keys[name] = await t.createKey(name)
      }
      const { headers: invoice } = keys['Invoice export'] ?? {}
      const { headers: supplier } = keys['Supplier sync'] ?? {}
      const { headers: mixed } = keys.Mixed ?? {}
      if (!invoice || !supplier || !mixed) throw new Error('keys not created')
      await t.calls(5, 'GET', '/api/invoices?limit=1', invoice)
      await t.calls(1, 'GET', '/api/suppliers?limit=1', mixed)
      t.clock.advance(20 * DAY)
      await t.calls(3, 'GET', '/api/invoices/1', invoice)
      await t.calls(2, 'PUT', '/api/suppliers/2', supplier)
      t.clock.advance(5 * DAY)
      await t.calls(2, 'GET', '/api/invoices?limit=1', invoice)
      await t.calls(1, 'GET', '/api/currencies?limit=1', mixed)
      await t.calls(1, 'GET', '/api/purchase_orders?limit=1', mixed)
      t.clock.advance(12 * HOUR)
      await t.flush()
    })
    after(() => t.close())

    const review = async () => {
      const body = (await t.report('review')) as {
        generated_at: string
        api_keys: Array<Record<string, unknown>>
      }
      return { ...body, byName: new Map(body.api_keys.map((k) => [k.name, k])) }
    }

    it('shows every key with its contact, last use, calls of 1, 7 and 30 days and what it touched', async () => {
      const { generated_at, api_keys, byName } = await review()
      assert.equal(generated_at, iso(T + 25 * DAY + 12 * HOUR))
      assert.deepEqual(api_keys.map((k) => k.name).sort(), [
        'Invoice export',
        'Mixed',
        'Old report',
        'Supplier sync',
      ])
      const entry = byName.get('Invoice export') ?? {}
      assert.deepEqual(entry, {
        id: keys['Invoice export']?.id,
        name: 'Invoice export',
        description: null,
        contact_first_name: null,
        contact_last_name: null,
        contact_login: entry.contact_login,
        contact_email: entry.contact_email,
        created_at: iso(T),
        expires_on: null,
        state: 'active',
        last_used_at: iso(T + 25 * DAY),
        last_used_from: '127.0.0.1',
        last_user_agent: USER_AGENT,
        calls: { last_1d: 2, last_7d: 5, last_30d: 10 },
        usage: [
          { resource: 'invoices', action: 'index', calls_30d: 7 },
          { resource: 'invoices', action: 'show', calls_30d: 3 },
        ],
        category: 'transactional',
      })
      assert.deepEqual(byName.get('Supplier sync')?.calls, { last_1d: 0, last_7d: 2, last_30d: 2 })
    })

    it('sorts usage by calls, most first, and names the category of what the key touched', async () => {
      const { byName } = await review()
      assert.equal(byName.get('Supplier sync')?.category, 'master_data')
      assert.deepEqual(byName.get('Mixed')?.usage, [
        { resource: 'currencies', action: 'index', calls_30d: 1 },
        { resource: 'purchase_orders', action: 'index', calls_30d: 1 },
        { resource: 'suppliers', action: 'index', calls_30d: 1 },
      ])
      assert.equal(byName.get('Mixed')?.category, 'both')
    })

    it('calls a key with no call in 30 days unused', async () => {
      const { byName } = await review()
      const old = byName.get('Old report') ?? {}
      assert.equal(old.category, 'unused')
      assert.deepEqual(old.calls, { last_1d: 0, last_7d: 0, last_30d: 0 })
      assert.deepEqual(old.usage, [])
      assert.equal(old.last_used_at, null)
      assert.equal(old.last_used_from, null)

      t.clock.advance(30 * DAY)
      const later = await review()
      for (const name of ['Invoice export', 'Supplier sync', 'Mixed']) {
        assert.equal(later.byName.get(name)?.category, 'unused', name)
      }
      assert.equal(later.byName.get('Invoice export')?.last_used_at, iso(T + 25 * DAY))
    })
  })
}
