/**
 * Caches whose values a client sizes are bounded by weight as well as by number (issue 13,
 * finding 1): rendered records and referenced records may each be as long as a request body.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RecordRepository } from '../api/records.ts'
import { RenderedRecords } from '../api/rendered-records.ts'
import type { ResourceDefinition } from '../catalogue/index.ts'
import type { Store, StoredRecord } from '../store/store.ts'
import { Cache } from './cache.ts'

const clock = { now: () => 0 }
const cacheOfChars = () =>
  new Cache<string, string>({ clock, ttlMs: 1000, max: 100, maxWeight: 10, weigh: (v) => v.length })

describe('Cache with maxWeight', () => {
  it('drops the oldest entries until a new one fits', () => {
    const cache = cacheOfChars()
    cache.set('a', 'aaaa')
    cache.set('b', 'bbbb')
    cache.set('c', 'ccc')
    assert.deepEqual([cache.get('a'), cache.get('b'), cache.get('c')], [undefined, 'bbbb', 'ccc'])
    assert.equal(cache.weight, 7)
  })

  it('keeps no value heavier than maxWeight alone, nor the one it replaces', () => {
    const cache = cacheOfChars()
    cache.set('a', 'a')
    cache.set('a', 'a'.repeat(11))
    assert.equal(cache.get('a'), undefined)
    assert.deepEqual([cache.size, cache.weight], [0, 0])
  })

  it('counts a replaced value once, and makes it the newest', () => {
    const cache = cacheOfChars()
    cache.set('a', 'aaaa')
    cache.set('b', 'bbbb')
    cache.set('a', 'aa')
    cache.set('c', 'cccccc')
    assert.deepEqual([cache.get('a'), cache.get('b'), cache.get('c')], ['aa', undefined, 'cccccc'])
    assert.equal(cache.weight, 8)
  })

  it('gives the weight back on forget, forgetWhere, expiry and forgetAll', () => {
    let time = 0
    const cache = new Cache<string, string>({
      clock: { now: () => time },
      ttlMs: 1000,
      max: 100,
      maxWeight: 100,
      weigh: (v) => v.length,
    })
    for (const key of ['a', 'bb', 'ccc', 'dddd']) cache.set(key, key)
    cache.forget('a')
    cache.forgetWhere((value) => value === 'bb')
    assert.equal(cache.weight, 7)
    time = 1000
    assert.equal(cache.get('ccc'), undefined)
    assert.equal(cache.weight, 4)
    cache.forgetAll()
    assert.deepEqual([cache.size, cache.weight], [0, 0])
  })
})

describe('RenderedRecords', () => {
  it('holds at most maxBytes bytes of rendered records, the oldest going first', () => {
    const rendered = new RenderedRecords({ clock, maxBytes: 10 })
    rendered.set('invoices', 1, 'json', 'at', Buffer.from('x'.repeat(6)))
    rendered.set('invoices', 2, 'json', 'at', Buffer.from('y'.repeat(6)))
    assert.equal(rendered.get('invoices', 1, 'json'), undefined)
    assert.deepEqual(rendered.get('invoices', 2, 'json'), Buffer.from('y'.repeat(6)))
  })
})

describe('RecordRepository, referenced records', () => {
  it('keeps at most 32 Mi characters of them, the oldest going first', async () => {
    const MI = 1024 * 1024
    const reads: number[][] = []
    const supplier = (id: number): StoredRecord => ({
      id,
      status: null,
      exported: null,
      updatedAt: 'at',
      data: JSON.stringify({ id, name: 'x'.repeat(MI) }),
    })
    const store = {
      async getRecords(_resource: string, ids: readonly number[]) {
        reads.push([...ids])
        return ids.map(supplier)
      },
    } as unknown as Store
    const repository = new RecordRepository({ store, clock })
    const invoices = {
      name: 'invoices',
      fields: [{ kind: 'reference', name: 'supplier', resource: 'suppliers', fields: ['id'] }],
    } as unknown as ResourceDefinition
    const ids = Array.from({ length: 40 }, (_, i) => i + 1)
    const records = ids.map((id) => ({ id, supplier: { id } }))
    await repository.expand(invoices, records)
    const expanded = await repository.expand(invoices, records)
    assert.deepEqual(
      expanded.map((r) => r.supplier),
      ids.map((id) => ({ id })),
    )
    // Each weighs a little over 1 Mi characters: 31 fit, the first 9 were dropped and are read again.
    assert.deepEqual(reads, [ids, ids.slice(0, 9)])
  })
})
