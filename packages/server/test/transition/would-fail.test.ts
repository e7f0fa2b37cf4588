/**
 * What a revoke counts as the calls that would fail (transition/would-fail.ts): once the key's
 * replacement client has called, only the key's calls since its first call; else the last 7 days.
 * The ledger keeps hours: the hour of the client's first call counts whole, unless the key's last
 * call came before that first call.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { storeBackends } from '../stores.ts'
import { DAY, HOUR, startTransitionInstance, T, type TransitionInstance } from './support.ts'

const MINUTE = 60_000
// On the hour (T is 12:00 UTC): the client's first call below comes 20 minutes into an hour.
const NOW = T + 31 * DAY
const FIRST_OAUTH_CALL = NOW - DAY + 20 * MINUTE
const iso = (ms: number) => new Date(ms).toISOString()

interface Result {
  state: string
  calls_7d: number
  usage_7d: Array<{ resource: string; action: string; calls_7d: number }>
  counted_from: string
  counted_since: string
}

for (const backend of storeBackends) {
  describe(`the calls a revoke would fail, on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TransitionInstance
    beforeEach(async () => {
      t = await startTransitionInstance(backend)
    })
    afterEach(() => t.close())

    /** A key called 3 times two days ago and once at 12:05 the day before NOW, then linked to a new client. */
    async function linkedKey(name: string) {
      const key = await t.createKey(name)
      t.clock.time = NOW - 2 * DAY
      await t.calls(3, 'GET', '/api/suppliers?limit=1', key.headers)
      t.clock.time = FIRST_OAUTH_CALL - 15 * MINUTE
      await t.calls(1, 'GET', '/api/suppliers?limit=1', key.headers)
      const client = await t.createOAuthClient(`${name} client`, ['core.supplier.read'])
      const link = await t.admin('PUT', `/api-keys/${key.id}/replacement`, { client_id: client.client_id })
      assert.equal(link.statusCode, 200, link.body)
      return { key, client }
    }

    async function dryRun(id: string): Promise<Result> {
      t.clock.time = NOW
      await t.flush()
      const response = await t.admin('POST', '/transition/revoke', { api_key_ids: [id], dry_run: true })
      assert.equal(response.statusCode, 200, response.body)
      return response.json().results[0]
    }

    it("counts only the key's calls since its client's first call; that call's hour counts whole", async () => {
      t.clock.time = T
      const { key, client } = await linkedKey('Supplier sync')
      t.clock.time = FIRST_OAUTH_CALL
      await t.calls(1, 'GET', '/api/suppliers?limit=1', client.headers)
      t.clock.time = FIRST_OAUTH_CALL + 20 * MINUTE
      await t.calls(2, 'GET', '/api/suppliers/1', key.headers)
      const result = await dryRun(key.id)
      // Not the 3 calls of two days ago; the call at 12:05 is in the hour of the first call (12:20).
      const { state, calls_7d, usage_7d, counted_from, counted_since } = result
      assert.deepEqual(
        { state, calls_7d, usage_7d, counted_from, counted_since },
        {
          state: 'migrating',
          calls_7d: 3,
          usage_7d: [
            { resource: 'suppliers', action: 'show', calls_7d: 2 },
            { resource: 'suppliers', action: 'index', calls_7d: 1 },
          ],
          counted_from: 'client_first_call',
          counted_since: iso(FIRST_OAUTH_CALL),
        },
      )
    })

    it("counts nothing when the key's last call came before the client's first, even in its hour", async () => {
      t.clock.time = T
      const { key, client } = await linkedKey('Expense sync')
      t.clock.time = FIRST_OAUTH_CALL
      await t.calls(1, 'GET', '/api/suppliers?limit=1', client.headers)
      const result = await dryRun(key.id)
      assert.equal(result.state, 'migrating')
      assert.equal(result.calls_7d, 0)
      assert.deepEqual(result.usage_7d, [])
      assert.equal(result.counted_from, 'client_first_call')
      assert.equal(result.counted_since, iso(FIRST_OAUTH_CALL))
    })

    it('counts the last 7 days with no client, or a client that has not called yet', async () => {
      t.clock.time = T
      const lonely = await t.createKey('No client')
      t.clock.time = NOW - 2 * DAY
      await t.calls(2, 'GET', '/api/suppliers?limit=1', lonely.headers)
      const alone = await dryRun(lonely.id)
      assert.equal(alone.calls_7d, 2)
      assert.equal(alone.counted_from, 'last_7_days')
      assert.equal(alone.counted_since, iso(NOW - 7 * DAY))

      t.clock.time = T
      const { key } = await linkedKey('Silent client')
      const silent = await dryRun(key.id)
      assert.equal(silent.state, 'in_use')
      assert.equal(silent.calls_7d, 4)
      assert.equal(silent.counted_from, 'last_7_days')
    })

    it('counts the last 7 days when the client first called before them', async () => {
      t.clock.time = T
      const key = await t.createKey('Early mover')
      t.clock.time = NOW - 10 * DAY
      const client = await t.createOAuthClient('Early mover client', ['core.supplier.read'])
      await t.calls(1, 'GET', '/api/suppliers?limit=1', client.headers)
      await t.admin('PUT', `/api-keys/${key.id}/replacement`, { client_id: client.client_id })
      t.clock.time = NOW - 2 * DAY - HOUR
      await t.calls(2, 'GET', '/api/suppliers?limit=1', key.headers)
      const result = await dryRun(key.id)
      assert.equal(result.state, 'migrating')
      assert.equal(result.calls_7d, 2)
      assert.equal(result.counted_from, 'last_7_days')
      assert.equal(result.counted_since, iso(NOW - 7 * DAY))
    })
  })
}
