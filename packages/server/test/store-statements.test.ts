/**
 * Bounded memory under any query shape (issue 13, finding 1). `GET /api/invoices?id[in]=1,…,N`
 * with a new N each time made a new SQL text, and the SQLite driver kept every statement it had
 * prepared: 800 lengths, 274 MiB that never came back. Now a list is one parameter, so its length
 * does not change the SQL, and the driver keeps at most STATEMENT_CACHE_SIZE statements.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { pageVersions } from '../src/store/sql-rows.ts'
import { SqlStore } from '../src/store/sql-store.ts'
import { STATEMENT_CACHE_SIZE, sqliteDriver } from '../src/store/sqlite.ts'
import { type ApiInstance, startApiInstance } from './api/engine/support.ts'
import type { StoreBackend } from './stores.ts'

/** A SQLite store in memory that notes the SQL of every statement it prepares. */
async function countedStore() {
  const db = new Database(':memory:')
  const prepared: string[] = []
  const prepare = db.prepare.bind(db)
  db.prepare = ((sql: string) => {
    prepared.push(sql)
    return prepare(sql)
  }) as typeof db.prepare
  const driver = sqliteDriver(db)
  const store = new SqlStore(driver)
  await store.migrate()
  prepared.length = 0
  return { driver, store, prepared }
}

const list = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i)
const lengths = list(300)
const times = (prepared: string[], sql: string) => prepared.filter((s) => s === sql).length

describe('prepared statements of the SQLite store', () => {
  it('one per query shape, whatever the length of its lists', async () => {
    const { driver, store, prepared } = await countedStore()
    const keptByMigrate = driver.cachedStatementCount
    try {
      for (const n of lengths) {
        const page = { orderBy: 'id', dir: 'asc', offset: 0, limit: 1 } as const
        await store.queryRecords('invoices', {
          ...page,
          conditions: [{ column: 'id', op: 'in', value: list(n) }],
        })
        const statuses = list(n).map(String)
        await store.queryRecordVersions('invoices', {
          ...page,
          conditions: [{ column: 'status', op: 'not in', value: statuses }],
        })
        await store.getRecords('invoices', list(n))
      }
      assert.equal(new Set(prepared).size, 3, `${new Set(prepared).size} different statements prepared`)
      assert.equal(driver.cachedStatementCount, keptByMigrate + 3)
    } finally {
      await store.close()
    }
  })

  it(`at most ${STATEMENT_CACHE_SIZE} are kept, the least recently used going first`, async () => {
    const { driver, store, prepared } = await countedStore()
    try {
      const hot = 'SELECT 0 AS n'
      for (const i of list(2 * STATEMENT_CACHE_SIZE)) {
        await driver.all(hot)
        await driver.all(`SELECT ${i} AS n`)
      }
      assert.equal(driver.cachedStatementCount, STATEMENT_CACHE_SIZE)
      assert.equal(times(prepared, hot), 1, 'a statement in use all along stays')
      // Long gone: prepared again, and it answers as before.
      assert.deepEqual(await driver.all('SELECT 1 AS n'), [{ n: 1 }])
      assert.equal(times(prepared, 'SELECT 1 AS n'), 2)
    } finally {
      await store.close()
    }
  })
})

describe('GET /api/invoices?id[in]=… with lists of every length (SQLite)', () => {
  let counted: Awaited<ReturnType<typeof countedStore>>
  const backend: StoreBackend = {
    name: 'sqlite',
    skip: false,
    async create() {
      counted = await countedStore()
      return { store: counted.store, destroy: () => counted.store.close() }
    },
  }
  let t: ApiInstance
  let auth: Record<string, string>
  before(async () => {
    t = await startApiInstance(backend)
    auth = await t.bearer(['core.invoice.read'])
  })
  after(() => t.close())

  it('prepares the same few statements for 300 lengths of id[in] and id[not_in]', async () => {
    counted.prepared.length = 0
    for (const n of lengths) {
      for (const op of ['in', 'not_in']) {
        const response = await t.call('GET', `/api/invoices?id[${op}]=${list(n, 1000)}&limit=1`, auth)
        assert.equal(response.statusCode, 200, response.body)
      }
    }
    const statements = new Set(counted.prepared).size
    assert.ok(statements <= 10, `${statements} different statements prepared`)
    assert.ok(counted.driver.cachedStatementCount <= STATEMENT_CACHE_SIZE)
  })

  it('answers id[in] and id[not_in] with the records they name', async () => {
    const found = await t.call('GET', '/api/invoices?id[in]=3,1,2,99999&order_by=id', auth)
    assert.deepEqual(
      found.json().map((r: { id: number }) => r.id),
      [1, 2, 3],
    )
    const others = await t.call('GET', `/api/invoices?id[not_in]=${list(5)}&order_by=id&limit=2`, auth)
    assert.deepEqual(
      others.json().map((r: { id: number }) => r.id),
      [6, 7],
    )
  })
})

describe('pageVersions', () => {
  const page = (orderBy: 'id' | 'updated_at', dir: 'asc' | 'desc') => ({
    conditions: [],
    orderBy,
    dir,
    offset: 0,
    limit: 50,
  })
  it("reads the aggregated text of a page, and sorts it when the database did not keep the page's order", () => {
    const text = '3 2026-01-01T00:00:03.000Z 1 2026-01-01T00:00:09.000Z 2 2026-01-01T00:00:03.000Z'
    const ids = (orderBy: 'id' | 'updated_at', dir: 'asc' | 'desc') =>
      pageVersions(text, page(orderBy, dir)).map((v) => v.id)
    assert.deepEqual(ids('id', 'asc'), [1, 2, 3])
    assert.deepEqual(ids('id', 'desc'), [3, 2, 1])
    assert.deepEqual(ids('updated_at', 'asc'), [2, 3, 1])
    assert.deepEqual(ids('updated_at', 'desc'), [1, 3, 2])
    assert.deepEqual(pageVersions('7 2026-01-01T00:00:00.000Z', page('id', 'asc')), [
      { id: 7, updatedAt: '2026-01-01T00:00:00.000Z' },
    ])
    assert.deepEqual(pageVersions(null, page('id', 'asc')), [])
  })
})
