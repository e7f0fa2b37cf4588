import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { COUNTED_SINCE_SETTING } from '../../src/transition/snapshot.ts'
import { storeBackends } from '../stores.ts'
import { DAY, HOUR, SECOND, startTransitionInstance, T, type TransitionInstance } from './support.ts'

const iso = (ms: number) => new Date(ms).toISOString()

for (const backend of storeBackends) {
  describe(`GET /admin/v1/transition/status on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TransitionInstance
    before(async () => {
      t = await startTransitionInstance(backend)
      const put = await t.admin('PUT', '/transition/settings', { quiet_period_seconds: 5 })
      assert.equal(put.statusCode, 200, put.body)
    })
    after(() => t.close())

    const statusOf = async (id: string) => {
      const body = (await t.report('status')) as {
        quiet_period_seconds: number
        keys: Array<{ api_key_id: string }>
      }
      assert.equal(body.quiet_period_seconds, 5)
      const entry = body.keys.find((k) => k.api_key_id === id)
      assert.ok(entry, `no status for ${id}`)
      return entry as Record<string, unknown>
    }

    it('walks in_use → migrating → ready_to_revoke → revoked with the quiet period', async () => {
      const key = await t.createKey('Invoice export')
      await t.calls(1, 'GET', '/api/invoices?limit=1', key.headers)
      await t.flush()
      const start = t.clock.now()
      assert.deepEqual(await statusOf(key.id), {
        api_key_id: key.id,
        api_key_name: 'Invoice export',
        state: 'in_use',
        replacement_client_id: null,
        replacement_client_name: null,
        first_oauth_call_at: null,
        last_key_call_at: iso(start),
        ready_at: null,
        reason: 'the key is used and no OAuth client replaces it yet',
      })

      const client = await t.createOAuthClient('Invoice export (OAuth)', ['core.invoice.read'])
      const link = await t.admin('PUT', `/api-keys/${key.id}/replacement`, { client_id: client.client_id })
      assert.equal(link.json().replacement_client_id, client.client_id)
      const linked = await statusOf(key.id)
      assert.equal(linked.state, 'in_use')
      assert.equal(linked.replacement_client_name, 'Invoice export (OAuth)')
      assert.equal(linked.reason, 'the replacement client has made no call yet')

      t.clock.advance(SECOND)
      await t.calls(1, 'GET', '/api/invoices?limit=1', client.headers)
      t.clock.advance(SECOND)
      await t.calls(1, 'GET', '/api/invoices?limit=1', key.headers)
      await t.flush()
      const migrating = await statusOf(key.id)
      assert.equal(migrating.state, 'migrating')
      assert.equal(migrating.first_oauth_call_at, iso(start + SECOND))
      assert.equal(migrating.last_key_call_at, iso(start + 2 * SECOND))
      assert.equal(migrating.reason, "calls with the key after the client's first call")

      t.clock.advance(5 * SECOND - 1)
      assert.equal((await statusOf(key.id)).state, 'migrating')
      t.clock.advance(1)
      const ready = await statusOf(key.id)
      assert.equal(ready.state, 'ready_to_revoke')
      assert.equal(ready.ready_at, iso(start + 7 * SECOND))
      assert.equal(
        ready.reason,
        "no call with the key for the quiet period (5 s) after the client's first call",
      )

      const revoke = await t.admin('POST', '/transition/revoke', { api_key_ids: [key.id] })
      assert.equal(revoke.json().results[0].revoked, true)
      const revoked = await statusOf(key.id)
      assert.equal(revoked.state, 'revoked')
      assert.equal(revoked.reason, `revoked at ${iso(start + 7 * SECOND)}`)
    })

    it('is migrating, not ready, while the key is quiet but the quiet period has not passed', async () => {
      const key = await t.createKey('Quiet key')
      await t.calls(1, 'GET', '/api/suppliers?limit=1', key.headers)
      const client = await t.createOAuthClient('Quiet client', ['core.supplier.read'])
      await t.admin('PUT', `/api-keys/${key.id}/replacement`, { client_id: client.client_id })
      t.clock.advance(SECOND)
      await t.calls(1, 'GET', '/api/suppliers?limit=1', client.headers)
      await t.flush()
      const first = t.clock.now()
      const status = await statusOf(key.id)
      assert.equal(status.state, 'migrating')
      assert.equal(
        status.reason,
        `no call with the key since the client's first call; ready after the quiet period, at ${iso(first + 5 * SECOND)}`,
      )
      t.clock.advance(5 * SECOND)
      assert.equal((await statusOf(key.id)).ready_at, iso(first + 5 * SECOND))
    })

    it('makes a key ready_to_revoke 30 days after its last call', async () => {
      const key = await t.createKey('Gone quiet')
      await t.calls(1, 'GET', '/api/suppliers?limit=1', key.headers)
      const last = t.clock.now()
      t.clock.time = last + 30 * DAY - 1
      assert.equal((await statusOf(key.id)).state, 'in_use')
      t.clock.time = last + 30 * DAY
      const unused = await statusOf(key.id)
      assert.equal(unused.state, 'ready_to_revoke')
      assert.equal(unused.ready_at, iso(last + 30 * DAY))
      assert.equal(unused.reason, 'no call with the key for 30 days')
    })

    it('makes a key never called since it was made, while counting was on, ready_to_revoke at once', async () => {
      const key = await t.createKey('Never called')
      const status = await statusOf(key.id)
      assert.equal(status.state, 'ready_to_revoke')
      assert.equal(status.ready_at, iso(t.clock.now()))
      assert.equal(status.reason, 'no call with the key since it was made')
    })

    it('keeps a key made before counting began in_use until counting has covered 30 days', async () => {
      const key = await t.createKey('Legacy')
      const began = t.clock.now() + HOUR
      await t.testStore.store.setSetting(COUNTED_SINCE_SETTING, String(began))
      try {
        t.clock.time = began + 30 * DAY - 1
        const waiting = await statusOf(key.id)
        assert.equal(waiting.state, 'in_use')
        assert.equal(
          waiting.reason,
          `no call counted since ${iso(began)}, when counting began; unused at ${iso(began + 30 * DAY)}`,
        )
        t.clock.time = began + 30 * DAY
        const ready = await statusOf(key.id)
        assert.equal(ready.state, 'ready_to_revoke')
        assert.equal(ready.reason, 'no call with the key for 30 days')
      } finally {
        await t.testStore.store.setSetting(COUNTED_SINCE_SETTING, String(T))
      }
    })
  })
}
