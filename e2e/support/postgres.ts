/**
 * A fresh PostgreSQL database for an end-to-end test, on the server named by
 * KEYSHIFT_TEST_DATABASE_URL (a role allowed to CREATE DATABASE; `scripts/dev-postgres.sh` sets one
 * up), as packages/server/test/stores.ts does for the store suites. Without that variable the test
 * is skipped, except under CI, where it fails.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export const SKIPPED_POSTGRES =
  'PostgreSQL suite skipped: set KEYSHIFT_TEST_DATABASE_URL=postgres://user:pass@127.0.0.1:5432/postgres to run it (.ci/run does)'

const adminUrl = process.env.KEYSHIFT_TEST_DATABASE_URL || undefined
const ci = !['', '0', 'false', undefined].includes(process.env.CI)

/** Why the PostgreSQL end-to-end tests are skipped, or false (under CI they never are). */
export const postgresSkip: string | false = adminUrl || ci ? false : SKIPPED_POSTGRES

export interface TestDatabase {
  databaseUrl: string
  /** Drops the database, closing whatever connections are left on it. */
  drop(): Promise<void>
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (!adminUrl) throw new Error(`${SKIPPED_POSTGRES}; under CI this is a failure, not a skip`)
  const database = `ks_e2e_${randomBytes(8).toString('hex')}`
  await administer(adminUrl, `CREATE DATABASE ${database}`)
  const url = new URL(adminUrl)
  url.pathname = `/${database}`
  return {
    databaseUrl: url.toString(),
    drop: () => dropDatabase(adminUrl, database),
  }
}

/**
 * DROP DATABASE … WITH (FORCE) terminates the sessions left on the database, but not one that a
 * stopped node left half-open (its socket destroyed during the start-up handshake, before the
 * session had a role): PostgreSQL then refuses with 42501 until that backend has gone, which takes
 * a moment. So: try again for a few seconds.
 */
async function dropDatabase(url: string, database: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await administer(url, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    } catch (error) {
      if ((error as { code?: string }).code !== '42501' || attempt >= 25) throw error
      await new Promise((done) => setTimeout(done, 200))
    }
  }
}

/** Runs one statement on the administrative connection (CREATE/DROP DATABASE take no parameters). */
async function administer(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}
