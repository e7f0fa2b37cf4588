/**
 * A fresh, empty store per test, on each backend. Every suite that needs a store runs on both:
 *
 *   for (const backend of storeBackends) {
 *     describe(`clients on ${backend.name}`, { skip: backend.skip }, () => { … })
 *   }
 *
 * SQLite gets a new temporary folder; PostgreSQL a new database on the server named by
 * KEYSHIFT_TEST_DATABASE_URL (a role allowed to CREATE DATABASE; `scripts/dev-postgres.sh` sets one
 * up). Without that variable the PostgreSQL suites are skipped, except under CI, where they fail.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach } from 'node:test'
import pg from 'pg'
import { createPostgresStore } from '../src/store/postgres.ts'
import { createSqliteStore } from '../src/store/sqlite.ts'
import type { Store } from '../src/store/store.ts'

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

const SKIPPED_POSTGRES =
  'PostgreSQL suite skipped: set KEYSHIFT_TEST_DATABASE_URL=postgres://user:pass@127.0.0.1:5432/postgres to run it (.ci/run does)'

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

function postgresBackend(adminUrl: string | undefined, ci: boolean): StoreBackend {
  return {
    name: 'postgres',
    // Under CI a missing server is a failure, not a reason to skip: create() throws the message.
    skip: adminUrl || ci ? false : SKIPPED_POSTGRES,
    async create({ migrate = true } = {}) {
      if (!adminUrl) throw new Error(`${SKIPPED_POSTGRES}; under CI this is a failure, not a skip`)
      const database = `ks_test_${randomBytes(8).toString('hex')}`
      await administer(adminUrl, `CREATE DATABASE ${database}`)
      const url = new URL(adminUrl)
      url.pathname = `/${database}`
      const databaseUrl = url.toString()
      const store = createPostgresStore({ databaseUrl })
      const destroy = async () => {
        await store.close().catch(() => {})
        await administer(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
      }
      await migrateOrDestroy(store, migrate, destroy)
      return { store, databaseUrl, destroy }
    },
  }
}

/** Runs one statement on the administrative connection (CREATE/DROP DATABASE take no parameters). */
async function administer(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
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

const ci = !['', '0', 'false', undefined].includes(process.env.CI)

export const storeBackends: StoreBackend[] = [
  sqlite,
  postgresBackend(process.env.KEYSHIFT_TEST_DATABASE_URL || undefined, ci),
]

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
