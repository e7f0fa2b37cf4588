import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testDay } from '../instance.ts'
import { storeBackends } from '../stores.ts'
import { DAY, startTransitionInstance, type TransitionInstance } from './support.ts'

for (const backend of storeBackends) {
  describe(`GET /admin/v1/transition/usage on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TransitionInstance
    before(async () => {
      t = await startTransitionInstance(backend)
    })
    after(() => t.close())

    it('counts API-key calls and OAuth calls per UTC day of the last 30 days, oldest first', async () => {
      const key = await t.createKey('Invoice export')
      await t.calls(2, 'GET', '/api/invoices?limit=1', key.headers)
      t.clock.advance(DAY)
      const client = await t.createOAuthClient('Invoice export', ['core.invoice.read'])
      await t.calls(3, 'GET', '/api/invoices?limit=1', client.headers)
      await t.calls(1, 'GET', '/api/invoices?limit=1', key.headers)
      await t.flush()
      const { days } = (await t.report('usage')) as { days: Array<Record<string, unknown>> }
      assert.equal(days.length, 30)
      assert.deepEqual(days[0], { day: testDay(-28), api_key_calls: 0, oauth_calls: 0 })
      assert.deepEqual(days.slice(-2), [
        { day: testDay(0), api_key_calls: 2, oauth_calls: 0 },
        { day: testDay(1), api_key_calls: 1, oauth_calls: 3 },
      ])
      assert.equal(
        days.slice(0, -2).every((d) => d.api_key_calls === 0 && d.oauth_calls === 0),
        true,
      )
    })

    it('starts with an empty audit log', async () => {
      assert.deepEqual(await t.report('audit'), { entries: [] })
    })
  })
}
