/**
 * The demo instance (`npm start`) starts with a transition under way (src/demo-transition.ts):
 * four legacy API keys whose 30 days of ledger history put one in each situation of the reports.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { seedDemoClient } from '../../src/demo.ts'
import { seedDemoTransition } from '../../src/demo-transition.ts'
import { startInstance, TEST_NOW, TestClock, type TestInstance } from '../instance.ts'
import { storeBackends } from '../stores.ts'
import { DAY, HOUR } from './support.ts'

type Entry = Record<string, unknown>
const byName = (entries: Entry[], name: string, field = 'api_key_name') =>
  entries.find((e) => e[field] === name)

// At noon, and at 02:30, while the nightly invoice export runs.
const INSTANTS = [TEST_NOW, TEST_NOW + 14 * HOUR + 30 * 60_000]

for (const backend of storeBackends) {
  for (const now of INSTANTS) {
    describe(`a fresh demo instance at ${new Date(now).toISOString()} on ${backend.name}`, {
      skip: backend.skip,
    }, () => {
      let t: TestInstance
      let dataDir: string
      let keysFile: string | undefined
      const clock = new TestClock(now)
      const report = async (path: string) => {
        const response = await t.admin('GET', `/transition/${path}`)
        assert.equal(response.statusCode, 200, response.body)
        return response.json()
      }
      const seed = () => {
        const { clients, apiKeys } = t.instance
        return seedDemoTransition({ store: t.testStore.store, clients, apiKeys, clock, dataDir })
      }

      before(async () => {
        dataDir = await mkdtemp(join(tmpdir(), 'keyshift-demo-'))
        t = await startInstance(backend, { clock })
        await seedDemoClient(t.instance.clients, dataDir)
        keysFile = (await seed()).keysFile
      })
      after(async () => {
        await t.close()
        await rm(dataDir, { recursive: true, force: true })
      })

      it('shows exactly the four states: in use, migrating, ready after the quiet period, unused', async () => {
        const status = await report('status')
        const states = Object.fromEntries(
          (status.keys as Entry[]).map((k) => [
            k.api_key_name,
            [k.state, k.replacement_client_name, k.reason],
          ]),
        )
        assert.deepEqual(states, {
          'Supplier sync': ['in_use', null, 'the key is used and no OAuth client replaces it yet'],
          'Invoice export': [
            'migrating',
            'Invoice export',
            "calls with the key after the client's first call",
          ],
          'Expense report sync': [
            'ready_to_revoke',
            'Expense report sync',
            "no call with the key for the quiet period (604800 s) after the client's first call",
          ],
          'Old report': ['ready_to_revoke', null, 'no call with the key for 30 days'],
        })
      })

      it('reviews 30 days of calls: last use, categories, and a key unused since counting began', async () => {
        const keys = (await report('review')).api_keys as Entry[]
        const review = (name: string) => byName(keys, name, 'name') ?? {}
        assert.equal(review('Supplier sync').category, 'master_data')
        assert.equal(review('Invoice export').category, 'transactional')
        assert.equal(review('Old report').category, 'unused')
        assert.equal(review('Old report').last_used_at, null)
        const supplier = review('Supplier sync') as { calls: { last_30d: number }; last_used_at: string }
        assert.ok(supplier.calls.last_30d > 500, JSON.stringify(supplier.calls))
        assert.ok(Date.parse(supplier.last_used_at) > now - DAY && Date.parse(supplier.last_used_at) <= now)
        const expense = review('Expense report sync') as { calls: { last_7d: number; last_30d: number } }
        assert.equal(expense.calls.last_7d, 0)
        assert.ok(expense.calls.last_30d > 0)
        // Made long ago: legacy keys.
        for (const key of keys) assert.ok(Date.parse(String(key.created_at)) < now - 300 * DAY)
      })

      it('plans a new client for the key in use, skips the linked ones, revokes the unused one', async () => {
        const plan = (await report('plan')).keys as Entry[]
        assert.deepEqual(Object.fromEntries(plan.map((k) => [k.api_key_name, k.action])), {
          'Supplier sync': 'replace',
          'Invoice export': 'skip',
          'Expense report sync': 'skip',
          'Old report': 'revoke',
        })
        assert.deepEqual(byName(plan, 'Supplier sync')?.client, {
          name: 'Supplier sync',
          login: 'supplier-sync',
        })
        assert.deepEqual(byName(plan, 'Supplier sync')?.scopes, ['core.supplier.read', 'core.supplier.write'])
      })

      it("counts the migrating key's calls since its client's first call in a dry run", async () => {
        const status = (await report('status')).keys as Entry[]
        const migrating = byName(status, 'Invoice export')
        const response = await t.admin('POST', '/transition/revoke', {
          api_key_ids: [migrating?.api_key_id],
          dry_run: true,
        })
        const [result] = response.json().results
        assert.equal(result.counted_from, 'client_first_call')
        assert.equal(result.counted_since, migrating?.first_oauth_call_at)
        assert.ok(result.calls_7d > 0)
      })

      it('keeps the keys in a 0600 file of the data folder, and seeds only once', async () => {
        assert.ok(keysFile)
        assert.equal((await stat(keysFile)).mode & 0o777, 0o600)
        const lines = (await readFile(keysFile, 'utf8')).trim().split('\n')
        assert.equal(lines.length, 5)
        for (const line of lines.slice(1)) assert.match(line, /^[A-Za-z ]+=[0-9a-f]{40}$/)
        assert.deepEqual(await seed(), { keysFile })
        assert.equal((await t.admin('GET', '/api-keys')).json().api_keys.length, 4)
      })
    })
  }
}
