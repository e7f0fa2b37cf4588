import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { storeBackends } from '../stores.ts'
import { assertProblem, DAY, startTransitionInstance, T, type TransitionInstance } from './support.ts'

const NOW = T + 31 * DAY
const iso = (ms: number) => new Date(ms).toISOString()

for (const backend of storeBackends) {
  describe(`POST /admin/v1/transition/revoke on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TransitionInstance
    // `unused` is never called: ready 30 days after counting began. `busy` is called in the last 7 days.
    let unused: string
    let busy: { id: string; headers: Record<string, string> }
    before(async () => {
      t = await startTransitionInstance(backend)
      await t.instance.adminUsers.create('grace', 'another long password')
    })
    after(() => t.close())
    beforeEach(async () => {
      t.clock.time = T
      unused = (await t.createKey('Old report')).id
      t.clock.time = NOW - 3 * DAY
      busy = await t.createKey('Invoice export')
      await t.calls(4, 'GET', '/api/invoices?limit=1', busy.headers)
      await t.calls(1, 'GET', '/api/invoices/1', busy.headers)
      t.clock.time = NOW
      await t.flush()
    })

    const revoke = (body: unknown) => t.admin('POST', '/transition/revoke', body)
    const stateOf = async (id: string) => (await t.admin('GET', `/api-keys/${id}`)).json().state
    const audit = async () =>
      ((await t.report('audit')) as { entries: Array<Record<string, unknown>> }).entries

    it('lists, in a dry run, the calls of the last 7 days each key would have failed, and revokes nothing', async () => {
      const before = (await audit()).length
      const response = await revoke({ api_key_ids: [unused, busy.id], dry_run: true })
      assert.equal(response.statusCode, 200, response.body)
      assert.deepEqual(response.json(), {
        dry_run: true,
        results: [
          {
            api_key_id: unused,
            api_key_name: 'Old report',
            state: 'ready_to_revoke',
            revoked: false,
            refused: null,
            calls_7d: 0,
            usage_7d: [],
            counted_from: 'last_7_days',
            counted_since: iso(NOW - 7 * DAY),
          },
          {
            api_key_id: busy.id,
            api_key_name: 'Invoice export',
            state: 'in_use',
            revoked: false,
            refused: 'in_use: the key is used and no OAuth client replaces it yet',
            calls_7d: 5,
            usage_7d: [
              { resource: 'invoices', action: 'index', calls_7d: 4 },
              { resource: 'invoices', action: 'show', calls_7d: 1 },
            ],
            counted_from: 'last_7_days',
            counted_since: iso(NOW - 7 * DAY),
          },
        ],
      })
      assert.equal(await stateOf(unused), 'active')
      assert.equal((await audit()).length, before)
    })

    it('revokes a ready key, refuses one that is not, and records the revoke in the audit log', async () => {
      const response = await revoke({ api_key_ids: [unused, busy.id] })
      const [ready, inUse] = response.json().results
      assert.equal(ready.revoked, true)
      assert.equal(ready.refused, null)
      assert.equal(inUse.revoked, false)
      assert.match(inUse.refused, /^in_use: /)
      assert.equal(await stateOf(unused), 'revoked')
      assert.equal(await stateOf(busy.id), 'active')
      assert.deepEqual((await audit()).at(-1), {
        at: iso(NOW),
        actor: 'admin',
        action: 'api_key.revoke',
        subject_id: unused,
        subject_name: 'Old report',
        forced: false,
        via: 'transition',
      })
    })

    it('revokes a key that is not ready with force, and the audit log says it was forced', async () => {
      const response = await t.instance.app.inject({
        method: 'POST',
        url: '/admin/v1/transition/revoke',
        headers: { authorization: `Basic ${Buffer.from('grace:another long password').toString('base64')}` },
        payload: { api_key_ids: [busy.id], force: true },
      })
      assert.equal(response.json().results[0].revoked, true)
      assert.equal(await stateOf(busy.id), 'revoked')
      const entry = (await audit()).at(-1)
      assert.equal(entry?.actor, 'grace')
      assert.equal(entry?.subject_id, busy.id)
      assert.equal(entry?.forced, true)
      assert.equal(entry?.via, 'transition')
    })

    it('revokes every ready key with all_ready, and only those', async () => {
      const response = await revoke({ all_ready: true })
      const results = response.json().results as Array<{
        api_key_id: string
        state: string
        revoked: boolean
      }>
      assert.ok(results.length >= 1)
      assert.ok(results.every((r) => r.state === 'ready_to_revoke' && r.revoked))
      assert.ok(results.some((r) => r.api_key_id === unused))
      assert.ok(!results.some((r) => r.api_key_id === busy.id))
      assert.equal(await stateOf(busy.id), 'active')
      assert.deepEqual((await revoke({ all_ready: true })).json(), { dry_run: false, results: [] })
    })

    it('refuses an already revoked key, and answers 404 for an unknown one before revoking anything', async () => {
      await revoke({ api_key_ids: [unused] })
      const again = (await revoke({ api_key_ids: [unused], force: true })).json().results[0]
      assert.equal(again.revoked, false)
      assert.equal(again.refused, `revoked: already revoked at ${iso(NOW)}`)
      const unknown = '00000000-0000-4000-8000-000000000000'
      const body = assertProblem(await revoke({ api_key_ids: [busy.id, unknown], force: true }), 404)
      assert.equal(body.detail, `no API key with id "${unknown}"`)
      assert.equal(await stateOf(busy.id), 'active')
    })

    it('names the field of a wrong body', async () => {
      assertProblem(await revoke({}), 400, { api_key_ids: ['send either api_key_ids or "all_ready": true'] })
      assertProblem(await revoke({ api_key_ids: [unused], all_ready: true }), 400, {
        api_key_ids: ['send either api_key_ids or "all_ready": true'],
      })
      assertProblem(await revoke({ api_key_ids: [unused], dry_run: 'yes' }), 400, {
        dry_run: ['must be true or false'],
      })
    })
  })
}
