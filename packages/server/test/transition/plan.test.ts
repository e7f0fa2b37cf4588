import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { uniqueLogin } from '../../src/transition/plan.ts'
import { COUNTED_SINCE_SETTING } from '../../src/transition/snapshot.ts'
import { storeBackends } from '../stores.ts'
import { DAY, HOUR, startTransitionInstance, T, type TransitionInstance } from './support.ts'

type PlanEntry = Record<string, unknown>

const COUNTED_SINCE = T + 31 * DAY - HOUR
const iso = (ms: number) => new Date(ms).toISOString()

for (const backend of storeBackends) {
  describe(`GET /admin/v1/transition/plan on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TransitionInstance
    const ids: Record<string, string> = {}
    let plan: { generated_at: string; keys: PlanEntry[] }
    const entry = (name: string) => plan.keys.find((k) => k.api_key_id === ids[name])
    const loginOf = (name: string) => (entry(name)?.client as { login: string } | null | undefined)?.login

    // At T: "Old report" is called once, "Legacy" never. Counting is set to have begun an hour
    // before the others are made, 31 days later: "Legacy" predates it, "Fresh" does not.
    before(async () => {
      t = await startTransitionInstance(backend)
      const old = await t.createKey('Old report')
      ids['Old report'] = old.id
      await t.calls(1, 'GET', '/api/suppliers?limit=1', old.headers)
      ids.Legacy = (await t.createKey('Legacy')).id
      t.clock.advance(31 * DAY)
      await t.testStore.store.setSetting(COUNTED_SINCE_SETTING, String(COUNTED_SINCE))
      await t.createClient({ name: 'Existing', login: 'supplier-sync' })
      const supplier = await t.createKey('Supplier sync')
      const twin = await t.createKey('Supplier sync')
      const invoice = await t.createKey('Invoice voider')
      const linked = await t.createKey('Linked')
      const revoked = await t.createKey('Revoked')
      const fresh = await t.createKey('Fresh')
      Object.assign(ids, {
        'Supplier sync': supplier.id,
        twin: twin.id,
        'Invoice voider': invoice.id,
        Linked: linked.id,
        Revoked: revoked.id,
        Fresh: fresh.id,
      })
      await t.calls(3, 'GET', '/api/suppliers?limit=1', supplier.headers)
      await t.calls(1, 'PUT', '/api/suppliers/2', supplier.headers)
      await t.calls(1, 'GET', '/api/suppliers/1', twin.headers)
      await t.calls(2, 'GET', '/api/invoices?limit=1', invoice.headers)
      await t.calls(1, 'PUT', '/api/invoices/1/void', invoice.headers)
      await t.calls(1, 'GET', '/api/invoices?limit=1', linked.headers)
      await t.calls(1, 'GET', '/api/invoices?limit=1', revoked.headers)
      const client = await t.createOAuthClient('Linked client', ['core.invoice.read'])
      assert.equal(
        (await t.admin('PUT', `/api-keys/${linked.id}/replacement`, { client_id: client.client_id }))
          .statusCode,
        200,
      )
      const revoke = await t.admin('POST', `/api-keys/${revoked.id}/revoke`, { force: true })
      assert.equal(revoke.statusCode, 200, revoke.body)
      await t.flush()
      plan = (await t.report('plan')) as typeof plan
    })
    after(() => t.close())

    it('gives a key that only touched master data the scopes of exactly its actions, phase 1', () => {
      const login = loginOf('Supplier sync') ?? ''
      assert.match(login, /^supplier-sync-[23]$/)
      assert.deepEqual(entry('Supplier sync'), {
        api_key_id: ids['Supplier sync'],
        api_key_name: 'Supplier sync',
        action: 'replace',
        phase: 1,
        scopes: ['core.supplier.read', 'core.supplier.write'],
        client: { name: 'Supplier sync', login },
        reason:
          "used suppliers#index, suppliers#update in the last 30 days; the client supplier-sync has the key's name but not core.supplier.read, core.supplier.write",
      })
    })

    it('gives a key that touched transactional data phase 2, with the scope of its custom action', () => {
      const voider = entry('Invoice voider')
      assert.equal(voider?.action, 'replace')
      assert.equal(voider?.phase, 2)
      assert.deepEqual(voider?.scopes, ['core.invoice.delete', 'core.invoice.read'])
      assert.deepEqual(voider?.client, { name: 'Invoice voider', login: 'invoice-voider' })
      assert.equal(voider?.reason, 'used invoices#index, invoices#void in the last 30 days')
    })

    it('makes logins unique among existing clients and within the plan', () => {
      const logins = [loginOf('Supplier sync'), loginOf('twin')]
      assert.deepEqual(logins.sort(), ['supplier-sync-2', 'supplier-sync-3'])
      assert.deepEqual(entry('twin')?.scopes, ['core.supplier.read'])
    })

    it('revokes a key with no call in 30 days, leaves revoked keys out and skips linked ones', () => {
      assert.deepEqual(entry('Old report'), {
        api_key_id: ids['Old report'],
        api_key_name: 'Old report',
        action: 'revoke',
        phase: null,
        scopes: [],
        client: null,
        reason: 'no call in the last 30 days',
      })
      assert.equal(entry('Revoked'), undefined)
      const linked = entry('Linked')
      assert.equal(linked?.action, 'skip')
      assert.equal(linked?.client, null)
      assert.match(String(linked?.reason), /^already linked to the OAuth client [0-9a-f]{32}$/)
    })

    it('revokes a key never called since it was made, while counting was on', () => {
      assert.equal(entry('Fresh')?.action, 'revoke')
      assert.equal(entry('Fresh')?.reason, 'no call in the last 30 days')
    })

    it('skips a key made before counting began until counting has covered 30 days', () => {
      assert.deepEqual(entry('Legacy'), {
        api_key_id: ids.Legacy,
        api_key_name: 'Legacy',
        action: 'skip',
        phase: null,
        scopes: [],
        client: null,
        reason: `no call counted since ${iso(COUNTED_SINCE)}, when counting began; unused at ${iso(COUNTED_SINCE + 30 * DAY)}`,
      })
    })
  })
}

describe('plan logins', () => {
  it('derives a lowercase, dashed login from the name, unique among those taken', () => {
    const taken = new Set(['invoice-export'])
    assert.equal(uniqueLogin('Invoice Export', taken), 'invoice-export-2')
    assert.equal(uniqueLogin('  Café / ERP (nightly)  ', taken), 'cafe-erp-nightly')
    assert.equal(uniqueLogin('Invoice export', taken), 'invoice-export-3')
    assert.equal(uniqueLogin('***', taken), 'integration')
  })
})
