/**
 * A fresh, empty store per test, on each backend. Every suite that needs a store runs on both:
 *
 *   for (const backend of storeBackends) {
 *     describe(`clients on ${backend.name}`, { skip: backend.skip }, () => { … })
 *   }
 *
 * SQLite gets a new temporary folder; PostgreSQL a new database (test-database.ts: without
 * KEYSHIFT_TEST_DATABASE_URL the PostgreSQL suites are skipped, except under CI, where they fail).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach } from 'node:test'
import { createPostgresStore } from '../src/store/postgres.ts'
import { createSqliteStore } from '../src/store/sqlite.ts'
import type { Store } from '../src/store/store.ts'
import { createTestDatabase, postgresSkip } from './test-database.ts'

export interface TestStore {
  store: Store
  /** The PostgreSQL database of this store. */
  databaseUrl?: string
  /** The SQLite data folder of this store. */
  dataDir?: string
  /** Closes the store and deletes its folder or database. */
  destroy(): Promise<void>
}

export interface TestStoreOptions {
  /** Apply the migrations before returning (default true); false leaves an empty database. */
  migrate?: boolean
}

export interface StoreBackend {
  name: Store['kind']
  /** Why this backend's tests are skipped, or false. */
  skip: string | false
  create(options?: TestStoreOptions): Promise<TestStore>
}

const sqlite: StoreBackend = {
  name: 'sqlite',
  skip: false,
  async create({ migrate = true } = {}) {
    const dataDir = await mkdtemp(join(tmpdir(), 'keyshift-test-'))
    const store = createSqliteStore({ dataDir })
    const destroy = async () => {
      await store.close().catch(() => {})
      await rm(dataDir, { recursive: true, force: true })
    }
    await migrateOrDestroy(store, migrate, destroy)
    return { store, dataDir, destroy }
  },
}

const postgres: StoreBackend = {
  name: 'postgres',
  skip: postgresSkip,
  async create({ migrate = true } = {}) {
    const database = await createTestDatabase('ks_test')
    const store = createPostgresStore({ databaseUrl: database.databaseUrl })
    const destroy = async () => {
      await store.close().catch(() => {})
      await database.drop()
    }
    await migrateOrDestroy(store, migrate, destroy)
    return { store, databaseUrl: database.databaseUrl, destroy }
  },
}

async function migrateOrDestroy(store: Store, migrate: boolean, destroy: () => Promise<void>) {
  if (!migrate) return
  try {
    await store.migrate()
  } catch (error) {
    await destroy()
    throw error
  }
}

export const storeBackends: StoreBackend[] = [sqlite, postgres]

/**
 * A new store for each test of the enclosing describe, destroyed after it:
 *   const t = useFreshStore(backend)
 *   it('…', async () => { const { store } = t() … })
 */
export function useFreshStore(backend: StoreBackend, options?: TestStoreOptions): () => TestStore {
  let current: TestStore | undefined
  beforeEach(async () => {
    current = await backend.create(options)
  })
  afterEach(async () => {
    await current?.destroy()
    current = undefined
  })
  return () => {
    if (!current) throw new Error('the test store was not created')
    return current
  }
}
