import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { UsageLedger } from '../../src/transition/usage-ledger.ts'
import { TestClock } from '../instance.ts'
import { storeBackends, useFreshStore } from '../stores.ts'
import { DAY, HOUR, startTransitionInstance, T, type TransitionInstance, USER_AGENT } from './support.ts'

const key = { kind: 'api_key' as const, id: 'key-1' }
const client = { kind: 'client' as const, id: 'c'.repeat(32) }
const origin = (n: number) => ({ remoteAddress: `10.0.0.${n}`, userAgent: `agent/${n}` })
const silent = { warn: () => {} }

for (const backend of storeBackends) {
  describe(`usage ledger on ${backend.name}`, { skip: backend.skip }, () => {
    const t = useFreshStore(backend)

    it('counts per principal × resource × action × hour, and writes nothing until flush()', async () => {
      const { store } = t()
      const clock = new TestClock(T)
      const ledger = new UsageLedger({ store, clock, logger: silent })
      ledger.record(key, 'invoices', 'index', origin(1))
      ledger.record(key, 'invoices', 'index', origin(1))
      ledger.record(client, 'invoices', 'index', origin(2))
      clock.advance(HOUR)
      ledger.record(key, 'invoices', 'index', origin(1))
      ledger.record(key, 'suppliers', 'update', origin(1))
      assert.deepEqual(await store.listUsage(0), [])
      assert.deepEqual(await store.listPrincipalUse(), [])

      await ledger.flush()
      const rows = (await store.listUsage(0)).map((r) => [
        r.principalKind,
        r.resource,
        r.action,
        r.start,
        r.calls,
      ])
      assert.deepEqual(rows.sort(), [
        ['api_key', 'invoices', 'index', T, 2],
        ['api_key', 'invoices', 'index', T + HOUR, 1],
        ['api_key', 'suppliers', 'update', T + HOUR, 1],
        ['client', 'invoices', 'index', T, 1],
      ])
      await ledger.flush()
      assert.equal(
        (await store.listUsage(0)).reduce((sum, r) => sum + r.calls, 0),
        5,
        'a flush writes once',
      )
    })

    it('keeps the first use and the latest last use, with its address and user agent', async () => {
      const { store } = t()
      const clock = new TestClock(T)
      const ledger = new UsageLedger({ store, clock, logger: silent })
      ledger.record(key, 'invoices', 'index', origin(1))
      clock.advance(5000)
      ledger.record(key, 'invoices', 'show', origin(2))
      await ledger.flush()
      clock.advance(DAY)
      ledger.record(key, 'invoices', 'show', { remoteAddress: '10.0.0.3', userAgent: 'x'.repeat(300) })
      await ledger.close()
      assert.deepEqual(await store.listPrincipalUse(), [
        {
          principalKind: 'api_key',
          principalId: 'key-1',
          firstAt: T,
          lastAt: T + 5000 + DAY,
          lastRemoteAddress: '10.0.0.3',
          lastUserAgent: 'x'.repeat(255),
        },
      ])
    })

    it('rolls hours older than the retention up into days, and keeps the recent hours', async () => {
      const { store } = t()
      const clock = new TestClock(T)
      const ledger = new UsageLedger({ store, clock, logger: silent, retentionDays: 2 })
      ledger.record(key, 'invoices', 'index', origin(1))
      clock.advance(HOUR)
      ledger.record(key, 'invoices', 'index', origin(1))
      await ledger.flush()
      clock.advance(3 * DAY)
      ledger.record(key, 'invoices', 'index', origin(1))
      await ledger.flush()
      await ledger.rollUp()
      const rows = (await store.listUsage(0)).map((r) => [r.period, r.start, r.calls])
      assert.deepEqual(rows.sort(), [
        ['day', T - 12 * HOUR, 2],
        ['hour', T + HOUR + 3 * DAY, 1],
      ])
    })
  })
}

for (const backend of storeBackends) {
  describe(`usage ledger in the core API on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TransitionInstance
    before(async () => {
      t = await startTransitionInstance(backend)
    })
    after(() => t.close())

    it('counts each authorized call by resource and action, with address and user agent, on flush', async () => {
      const { id, headers } = await t.createKey('Supplier sync')
      await t.calls(2, 'GET', '/api/suppliers?limit=1', headers)
      await t.calls(1, 'PUT', '/api/suppliers/2', headers)
      const store = t.testStore.store
      assert.deepEqual(await store.listUsage(0, { kind: 'api_key', id }), [])
      await t.flush()
      const rows = (await store.listUsage(0, { kind: 'api_key', id })).map((r) => [
        r.resource,
        r.action,
        r.calls,
      ])
      assert.deepEqual(rows.sort(), [
        ['suppliers', 'index', 2],
        ['suppliers', 'update', 1],
      ])
      const use = (await store.listPrincipalUse()).find((u) => u.principalId === id)
      assert.deepEqual(use, {
        principalKind: 'api_key',
        principalId: id,
        firstAt: T,
        lastAt: T,
        lastRemoteAddress: '127.0.0.1',
        lastUserAgent: USER_AGENT,
      })
    })

    it('does not count a call that was refused (403)', async () => {
      const { id, headers } = await t.createKey('Invoices only', ['invoices#index'])
      assert.equal((await t.call('GET', '/api/suppliers', headers)).statusCode, 403)
      await t.flush()
      assert.deepEqual(await t.testStore.store.listUsage(0, { kind: 'api_key', id }), [])
    })
  })

  describe(`usage ledger turned off on ${backend.name}`, { skip: backend.skip }, () => {
    it('has no ledger and counts nothing', async () => {
      const t = await startTransitionInstance(backend, { usageLedger: false })
      try {
        assert.equal(t.instance.ledger, undefined)
        const { headers } = await t.createKey('Uncounted')
        await t.calls(1, 'GET', '/api/suppliers?limit=1', headers)
        assert.deepEqual(await t.testStore.store.listUsage(0), [])
        assert.deepEqual(await t.testStore.store.listPrincipalUse(), [])
      } finally {
        await t.close()
      }
    })
  })
}
