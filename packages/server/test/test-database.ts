/**
 * Throwaway PostgreSQL databases for the tests and the benchmark, on the server named by
 * KEYSHIFT_TEST_DATABASE_URL (a role allowed to CREATE DATABASE; `scripts/dev-postgres.sh` sets one
 * up). Without that variable the PostgreSQL tests are skipped, except under CI, where they fail.
 * Used by the store suites (stores.ts), the end-to-end tests (e2e/) and `npm run bench`.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export const SKIPPED_POSTGRES =
  'PostgreSQL suite skipped: set KEYSHIFT_TEST_DATABASE_URL=postgres://user:pass@127.0.0.1:5432/postgres to run it (.ci/run does)'

/** The administrative connection of the tests, or undefined. */
export const testDatabaseAdminUrl: string | undefined = process.env.KEYSHIFT_TEST_DATABASE_URL || undefined

const ci = !['', '0', 'false', undefined].includes(process.env.CI)

/**
 * Why the PostgreSQL tests are skipped, or false. Under CI a missing server is a failure, not a
 * reason to skip: createTestDatabase() then throws the message.
 */
export const postgresSkip: string | false = testDatabaseAdminUrl || ci ? false : SKIPPED_POSTGRES

export interface TestDatabase {
  databaseUrl: string
  /** Drops the database, closing whatever connections are left on it. */
  drop(): Promise<void>
}

/** Creates `<prefix>_<16 hex digits>` on the server of `adminUrl` (default: the tests' one). */
export async function createTestDatabase(
  prefix: string,
  adminUrl: string | undefined = testDatabaseAdminUrl,
): Promise<TestDatabase> {
  if (!adminUrl) throw new Error(`${SKIPPED_POSTGRES}; under CI this is a failure, not a skip`)
  const database = `${prefix}_${randomBytes(8).toString('hex')}`
  await administer(adminUrl, `CREATE DATABASE ${database}`)
  const url = new URL(adminUrl)
  url.pathname = `/${database}`
  return { databaseUrl: url.toString(), drop: () => dropDatabase(adminUrl, database) }
}

/**
 * DROP DATABASE … WITH (FORCE) terminates the sessions left on the database, but not one that a
 * stopped node left half-open (its socket destroyed during the start-up handshake, before the
 * session had a role): PostgreSQL then refuses with 42501 until that backend has gone, which takes
 * a moment. So: try again for a few seconds.
 */
async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await administer(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    } catch (error) {
      if ((error as { code?: string }).code !== '42501' || attempt >= 25) throw error
      await new Promise((done) => setTimeout(done, 200))
    }
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
