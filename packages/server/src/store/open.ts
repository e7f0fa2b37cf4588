import { createPostgresStore } from './postgres.ts'
import { createSqliteStore } from './sqlite.ts'
import type { Store } from './store.ts'

export interface OpenStoreOptions {
  /** PostgreSQL URL; when absent the embedded SQLite store in `dataDir` is used. */
  databaseUrl?: string | undefined
  dataDir: string
}

/** Opens the configured store and brings its schema up to date. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const store = options.databaseUrl
    ? createPostgresStore({ databaseUrl: options.databaseUrl })
    : createSqliteStore({ dataDir: options.dataDir })
  try {
    await store.migrate()
  } catch (error) {
    await store.close().catch(() => {})
    throw error
  }
  return store
}
