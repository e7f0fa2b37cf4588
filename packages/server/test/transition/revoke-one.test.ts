/**
 * `POST /admin/v1/api-keys/:id/revoke` applies the rule of `POST /admin/v1/transition/revoke`: a
 * key that is not ready_to_revoke is refused with 409 unless `{"force": true}`, and the audit log
 * says which endpoint revoked it.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { storeBackends } from '../stores.ts'
import { assertProblem, DAY, startTransitionInstance, T, type TransitionInstance } from './support.ts'

const NOW = T + 31 * DAY
const iso = (ms: number) => new Date(ms).toISOString()

for (const backend of storeBackends) {
  describe(`POST /admin/v1/api-keys/:id/revoke on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TransitionInstance
    // `unused` is never called: ready 30 days after counting began. `busy` is called in the last 7 days.
    let unused: string
    let busy: { id: string; headers: Record<string, string> }
    before(async () => {
      t = await startTransitionInstance(backend)
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

    const revokeOne = (id: string, body?: unknown) => t.admin('POST', `/api-keys/${id}/revoke`, body)
    const stateOf = async (id: string) => (await t.admin('GET', `/api-keys/${id}`)).json().state
    const lastAudit = async () =>
      ((await t.report('audit')) as { entries: Array<Record<string, unknown>> }).entries.at(-1)

    it('refuses a key in use with 409: its state, why, the calls that would fail and what to do', async () => {
      const response = await revokeOne(busy.id)
      assertProblem(response, 409)
      assert.deepEqual(response.json(), {
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        detail:
          'API key "Invoice export" is not ready to revoke: in_use (the key is used and no OAuth client replaces it yet). ' +
          '5 calls with it in the last 7 days (invoices#index 4, invoices#show 1); calls like these fail once it is revoked. ' +
          'Send {"force": true} to revoke it anyway.',
        api_key_id: busy.id,
        api_key_name: 'Invoice export',
        state: 'in_use',
        reason: 'the key is used and no OAuth client replaces it yet',
        calls_7d: 5,
        usage_7d: [
          { resource: 'invoices', action: 'index', calls_7d: 4 },
          { resource: 'invoices', action: 'show', calls_7d: 1 },
        ],
        counted_from: 'last_7_days',
        counted_since: iso(NOW - 7 * DAY),
      })
      assert.equal(await stateOf(busy.id), 'active')
      assert.notEqual((await lastAudit())?.subject_id, busy.id)
    })

    it('revokes it with {"force": true}: 200, and the audit log says forced, via api_keys', async () => {
      const response = await revokeOne(busy.id, { force: true })
      assert.equal(response.statusCode, 200, response.body)
      assert.equal(response.json().state, 'revoked')
      assert.deepEqual(await lastAudit(), {
        at: iso(NOW),
        actor: 'admin',
        action: 'api_key.revoke',
        subject_id: busy.id,
        subject_name: 'Invoice export',
        forced: true,
        via: 'api_keys',
      })
    })

    it('revokes a ready key without a body, not forced', async () => {
      const response = await revokeOne(unused)
      assert.equal(response.statusCode, 200, response.body)
      assert.equal(await stateOf(unused), 'revoked')
      const entry = await lastAudit()
      assert.equal(entry?.subject_id, unused)
      assert.equal(entry?.forced, false)
      assert.equal(entry?.via, 'api_keys')
    })

    it('answers 200 for a key already revoked, without a second audit entry', async () => {
      await revokeOne(busy.id, { force: true })
      const count = ((await t.report('audit')) as { entries: unknown[] }).entries.length
      const again = await revokeOne(busy.id)
      assert.equal(again.statusCode, 200, again.body)
      assert.equal(again.json().state, 'revoked')
      assert.equal(((await t.report('audit')) as { entries: unknown[] }).entries.length, count)
    })

    it('names the field of a wrong body, and answers 404 for an unknown key', async () => {
      assertProblem(await revokeOne(busy.id, { force: 'yes' }), 400, { force: ['must be true or false'] })
      assertProblem(await revokeOne(busy.id, { forced: true }), 400, { forced: ['unknown field'] })
      const unknown = '00000000-0000-4000-8000-000000000000'
      const body = assertProblem(await revokeOne(unknown, { force: true }), 404)
      assert.equal(body.detail, `no API key with id "${unknown}"`)
      assert.equal(await stateOf(busy.id), 'active')
    })
  })
}
