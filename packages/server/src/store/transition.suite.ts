import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { apiKey, T0 } from '../../test/records.ts'
import { type StoreBackend, useFreshStore } from '../../test/stores.ts'
import type { HourlyUsage, PrincipalUseRecord, UsageRecord } from '../contract/records.ts'

const HOUR = 3_600_000
const DAY = 86_400_000

/** The transition tables: usage, first/last uses, audit log, brownouts, settings, key signals. */
export function transitionSuite(backend: StoreBackend): void {
  describe('transition', () => {
    const t = useFreshStore(backend)

    it('addUsage() adds to the stored counts, and sums repeats within one batch', async () => {
      const { store } = t()
      await store.addUsage([count('k1', 'invoices', 'index', T0, 2), count('k1', 'invoices', 'show', T0, 1)])
      await store.addUsage([count('k1', 'invoices', 'index', T0, 3), count('k1', 'invoices', 'index', T0, 4)])
      await store.addUsage([])
      assert.deepEqual(sorted(await store.listUsage(T0)), [
        hour('k1', 'invoices', 'index', T0, 9),
        hour('k1', 'invoices', 'show', T0, 1),
      ])
    })

    it('listUsage(since) returns the hours and days that end after `since`, of one principal if asked', async () => {
      const { store } = t()
      await store.addUsage([
        count('k1', 'suppliers', 'index', T0 - HOUR, 1),
        count('k1', 'suppliers', 'index', T0, 2),
        { ...count('c1', 'suppliers', 'index', T0, 5), principalKind: 'client' },
      ])
      assert.deepEqual(sorted(await store.listUsage(T0 + 1)), [
        hour('k1', 'suppliers', 'index', T0, 2),
        { ...hour('c1', 'suppliers', 'index', T0, 5), principalKind: 'client' },
      ])
      assert.deepEqual(sorted(await store.listUsage(T0 - HOUR, { kind: 'api_key', id: 'k1' })), [
        hour('k1', 'suppliers', 'index', T0 - HOUR, 1),
        hour('k1', 'suppliers', 'index', T0, 2),
      ])
      assert.deepEqual(await store.listUsage(T0 + HOUR), [])
    })

    it('rollUpUsage() moves old hours into their days, adds to days already there, and drops old days', async () => {
      const { store } = t()
      const day = T0 - 40 * DAY
      await store.addUsage([
        count('k1', 'invoices', 'index', day + HOUR, 2),
        count('k1', 'invoices', 'index', day + 5 * HOUR, 3),
        count('k1', 'invoices', 'index', T0, 7),
      ])
      await store.rollUpUsage({ hoursBefore: T0 - 35 * DAY, daysBefore: T0 - 365 * DAY })
      await store.addUsage([count('k1', 'invoices', 'index', day + 6 * HOUR, 1)])
      await Promise.all([
        store.rollUpUsage({ hoursBefore: T0 - 35 * DAY, daysBefore: T0 - 365 * DAY }),
        store.rollUpUsage({ hoursBefore: T0 - 35 * DAY, daysBefore: T0 - 365 * DAY }),
      ])
      const all = sorted(await store.listUsage(0))
      assert.deepEqual(all, [
        { ...hour('k1', 'invoices', 'index', day, 6), period: 'day' },
        hour('k1', 'invoices', 'index', T0, 7),
      ])
      await store.rollUpUsage({ hoursBefore: T0 - 35 * DAY, daysBefore: T0 - 30 * DAY })
      assert.deepEqual(await store.listUsage(0), [hour('k1', 'invoices', 'index', T0, 7)])
    })

    it('upsertPrincipalUse() keeps the earliest first use and the latest last use with its address', async () => {
      const { store } = t()
      await store.upsertPrincipalUse([use('k1', T0 + 10, T0 + 20, 'a')])
      await store.upsertPrincipalUse([use('k1', T0 + 5, T0 + 15, 'older'), use('k2', T0, T0, 'b')])
      await store.upsertPrincipalUse([use('k1', T0 + 30, T0 + 40, 'c'), use('k1', T0 + 31, T0 + 35, 'd')])
      assert.deepEqual(await store.listPrincipalUse(), [
        use('k1', T0 + 5, T0 + 40, 'c'),
        use('k2', T0, T0, 'b'),
      ])
    })

    it('lists audit entries in the order they were written, newest last', async () => {
      const { store } = t()
      const entry = (subjectId: string, forced: boolean) => ({
        at: T0,
        actor: 'admin',
        action: 'api_key.revoke',
        subjectId,
        subjectName: forced ? null : `Key ${subjectId}`,
        forced,
        via: forced ? ('api_keys' as const) : ('transition' as const),
      })
      await store.insertAuditEntries([entry('z', false), entry('a', true)])
      // null: an entry of the kind written before migration 7, when the path was not recorded.
      const older = { ...entry('m', false), via: null }
      await store.insertAuditEntries([older])
      const entries = await store.listAuditEntries()
      assert.deepEqual(
        entries.map(({ seq: _, ...e }) => e),
        [entry('z', false), entry('a', true), older],
      )
      assert.ok(entries.every((e, i) => i === 0 || e.seq > (entries[i - 1]?.seq ?? 0)))
    })

    it('replaceBrownouts() replaces the whole list; listBrownouts() orders by start', async () => {
      const { store } = t()
      const b = (id: string, startsAt: number, apiKeyId: string | null = null) => ({
        id,
        startsAt,
        endsAt: startsAt + HOUR,
        apiKeyId,
      })
      await store.replaceBrownouts([b('late', T0 + DAY), b('early', T0, 'k1')])
      assert.deepEqual(await store.listBrownouts(), [b('early', T0, 'k1'), b('late', T0 + DAY)])
      await store.replaceBrownouts([b('only', T0 + 2 * DAY)])
      assert.deepEqual(await store.listBrownouts(), [b('only', T0 + 2 * DAY)])
      await store.replaceBrownouts([])
      assert.deepEqual(await store.listBrownouts(), [])
    })

    it('setSetting() stores and replaces a value; getSetting() reads it, undefined when none', async () => {
      const { store } = t()
      assert.equal(await store.getSetting('transition'), undefined)
      await store.setSetting('transition', '{"a":1}')
      await store.setSetting('transition', '{"a":2}')
      assert.equal(await store.getSetting('transition'), '{"a":2}')
      assert.equal(await store.getOrInitSetting('transition', 'ignored'), '{"a":2}')
    })

    it("keeps an API key's replacement client and signal dates, and updates them", async () => {
      const { store } = t()
      const key = apiKey()
      await store.insertApiKey(key)
      assert.deepEqual(await store.getApiKey(key.id), key)
      const changes = { replacementClientId: 'f'.repeat(32), deprecationAt: T0 + DAY, sunsetAt: T0 + 9 * DAY }
      const updated = await store.updateApiKey(key.id, { ...changes, updatedAt: T0 + 1 })
      assert.deepEqual(updated, { ...key, ...changes, updatedAt: T0 + 1 })
      const back = { replacementClientId: null, deprecationAt: null, sunsetAt: null, updatedAt: T0 + 2 }
      assert.deepEqual(await store.updateApiKey(key.id, back), { ...key, ...back })
    })
  })
}

function count(id: string, resource: string, action: string, at: number, calls: number): HourlyUsage {
  return { principalKind: 'api_key', principalId: id, resource, action, hour: at, calls }
}

function hour(id: string, resource: string, action: string, start: number, calls: number): UsageRecord {
  return { principalKind: 'api_key', principalId: id, resource, action, period: 'hour', start, calls }
}

function use(id: string, firstAt: number, lastAt: number, from: string): PrincipalUseRecord {
  return {
    principalKind: 'api_key',
    principalId: id,
    firstAt,
    lastAt,
    lastRemoteAddress: `10.0.0.${from.length}`,
    lastUserAgent: `agent ${from}`,
  }
}

function sorted(rows: UsageRecord[]): UsageRecord[] {
  const key = (r: UsageRecord) => [r.principalKind, r.principalId, r.resource, r.action, r.start].join(' ')
  return [...rows].sort((a, b) => key(a).localeCompare(key(b)))
}
