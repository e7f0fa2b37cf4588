import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { apiKey, client, revoked, signingKey, T0 } from '../../test/records.ts'
import { createTestDatabase, postgresSkip, type TestDatabase } from '../../test/test-database.ts'
import type { Change } from './changes.ts'
import { customField } from './custom-fields.suite.ts'
import { createPostgresStore } from './postgres.ts'
import type { Store } from './store.ts'

/**
 * The database announces the changes the nodes keep in memory (migration 5's triggers), on
 * commit only. e2e/multi-node.test.ts shows a second node acting on them.
 */
describe('changes announced by PostgreSQL', { skip: postgresSkip }, () => {
  let database: TestDatabase
  let store: Store
  let unsubscribe: () => void
  const heard: string[] = []
  let listening: Promise<void>
  // The feed's connection does not keep a process alive (a node's server does): this does.
  let keepAlive: NodeJS.Timeout

  before(async () => {
    keepAlive = setInterval(() => {}, 1000)
    database = await createTestDatabase('ks_test')
    store = createPostgresStore({ databaseUrl: database.databaseUrl })
    await store.migrate()
    listening = new Promise((resolve) => {
      unsubscribe =
        store.changes?.subscribe({
          change: (change) => heard.push(describeChange(change)),
          listening: () => resolve(),
          interrupted: () => {},
        }) ?? (() => {})
    })
    await listening
  })

  after(async () => {
    clearInterval(keepAlive)
    unsubscribe()
    await store.close()
    await database.drop()
  })

  /** Waits until `change` has been heard (the notice travels through PostgreSQL). */
  async function hear(change: string): Promise<void> {
    for (let waited = 0; waited < 5000; waited += 10) {
      const at = heard.indexOf(change)
      if (at !== -1) {
        heard.splice(at, 1)
        return
      }
      await new Promise((done) => setTimeout(done, 10))
    }
    assert.fail(`not announced within 5 s: ${change}; heard ${JSON.stringify(heard)}`)
  }

  it('announces every kind of write that nodes keep in memory', async () => {
    const first = client(1)
    await store.insertClient(first)
    await hear(`client:${first.clientId}`)
    await store.updateClient(first.id, { active: false, updatedAt: T0 + 1 })
    await hear(`client:${first.clientId}`)

    const key = apiKey()
    await store.insertApiKey(key)
    await hear(`api_key:${key.id}`)
    await store.updateApiKey(key.id, { revokedAt: T0 + 2, updatedAt: T0 + 2 })
    await hear(`api_key:${key.id}`)

    await store.insertRevokedToken(revoked('jti-1', T0 + 86_400_000))
    await hear('revocations')
    await store.insertSigningKey(signingKey('kid-1', T0))
    await hear('signing_keys')
    await store.retireSigningKeys('kid-2', T0 + 3)
    await hear('signing_keys')
    await store.setSetting('transition.quiet_days', '7')
    await hear('settings')
    await store.replaceBrownouts([{ id: 'b-1', startsAt: T0, endsAt: T0 + 60_000, apiKeyId: null }])
    await hear('settings')
    await store.insertCustomField(customField('cf-1'))
    await hear('settings')
    await store.updateCustomField('cf-1', { active: false, updatedAt: T0 + 4 })
    await hear('settings')
  })

  it('announces a committed write made with plain SQL, and nothing of one rolled back', async () => {
    const [rolledBack, committed] = [client(2), client(3)]
    await store.insertClient(rolledBack)
    await store.insertClient(committed)
    await hear(`client:${rolledBack.clientId}`)
    await hear(`client:${committed.clientId}`)

    const sql = new pg.Client({ connectionString: database.databaseUrl })
    await sql.connect()
    try {
      await sql.query('BEGIN')
      await sql.query('UPDATE oauth_clients SET active = 0 WHERE id = $1', [rolledBack.id])
      await sql.query('ROLLBACK')
      await sql.query('UPDATE oauth_clients SET active = 0 WHERE id = $1', [committed.id])
    } finally {
      await sql.end()
    }
    // Notices arrive in commit order: once the later one is here, the rolled-back one never will be.
    await hear(`client:${committed.clientId}`)
    assert.deepEqual(heard, [])
  })
})

function describeChange(change: Change): string {
  if (change.kind === 'client') return `client:${change.clientId}`
  if (change.kind === 'api_key') return `api_key:${change.id}`
  return change.kind
}
