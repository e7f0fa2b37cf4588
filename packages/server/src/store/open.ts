import type { Store } from './store.ts'

export interface OpenStoreOptions {
  /** PostgreSQL URL; when absent the embedded SQLite store in `dataDir` is used. */
  databaseUrl?: string | undefined
  dataDir: string
}

/**
 * Opens the configured store and brings its schema up to date. Each backend's driver is loaded
 * only when it is the one configured (`pg` or `better-sqlite3`): a start loads one, not both.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const store = options.databaseUrl
    ? (await import('./postgres.ts')).createPostgresStore({ databaseUrl: options.databaseUrl })
    : (await import('./sqlite.ts')).createSqliteStore({ dataDir: options.dataDir })
  try {
    await store.migrate()
  } catch (error) {
    await store.close().catch(() => {})
    throw error
  }
  return store
}
