/**
 * The SQL of record queries does not depend on the length of a list (issue 13, finding 1): a
 * cache of prepared statements keyed by SQL text then holds one statement per query shape, not one
 * per length a client sends.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { selectRecords, selectRecordsById } from './sql-rows.ts'
import type { RecordQuery, Store } from './store.ts'

const dialects: ReadonlyArray<Store['kind']> = ['sqlite', 'postgres']
const lengths = Array.from({ length: 300 }, (_, i) => i + 1)
const list = (n: number) => Array.from({ length: n }, (_, i) => i + 1)

function byList(op: 'in' | 'not in', n: number): RecordQuery {
  return {
    conditions: [{ column: 'id', op, value: list(n) }],
    orderBy: 'id',
    dir: 'asc',
    offset: 0,
    limit: 1,
  }
}

for (const dialect of dialects) {
  describe(`record queries on ${dialect}`, () => {
    for (const op of ['in', 'not in'] as const) {
      it(`give one SQL text for \`${op}\` lists of 1 to 300 items, the list as one parameter`, () => {
        const statements = lengths.map((n) => selectRecords('*', 'invoices', byList(op, n), dialect))
        assert.equal(new Set(statements.map(([sql]) => sql)).size, 1)
        const [, params] = statements[299] ?? []
        assert.equal(params?.length, 4, 'resource, the list, limit and offset')
      })
    }

    it('read records by one SQL text for 1 to 300 ids, the ids as one parameter', () => {
      const statements = lengths.map((n) => selectRecordsById('invoices', list(n), dialect))
      assert.equal(new Set(statements.map(([sql]) => sql)).size, 1)
      assert.equal(statements[299]?.[1].length, 2, 'resource and the ids')
    })
  })
}

describe('a list parameter', () => {
  it('is a JSON array on SQLite and an array on PostgreSQL; a boolean is bound as 1', () => {
    const query: RecordQuery = {
      conditions: [{ column: 'exported', op: 'in', value: true }],
      orderBy: 'id',
      dir: 'asc',
      offset: 0,
      limit: 1,
    }
    assert.deepEqual(selectRecords('id', 'invoices', query, 'sqlite')[1], ['invoices', '[1]', 1, 0])
    assert.deepEqual(selectRecords('id', 'invoices', query, 'postgres')[1], ['invoices', [1], 1, 0])
  })
})
