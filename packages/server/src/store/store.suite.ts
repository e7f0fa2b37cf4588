/**
 * The behaviour every Store backend must have, as one suite that each backend runs
 * (`store.test.ts`). Each test gets a fresh, empty store from `test/stores.ts`.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { admin, client, conflict, revoked, signingKey, T0 } from '../../test/records.ts'
import { type StoreBackend, useFreshStore } from '../../test/stores.ts'
import { oauthClientsSuite } from './clients.suite.ts'
import { customFieldsSuite } from './custom-fields.suite.ts'
import { durabilitySuite } from './durability.suite.ts'
import { nestedSuite } from './nested.suite.ts'
import { createPostgresStore } from './postgres.ts'
import { recordsSuite } from './records.suite.ts'
import { transitionSuite } from './transition.suite.ts'

/** Registers the shared Store suite for one backend. */
export function storeSuite(backend: StoreBackend): void {
  describe(`Store on ${backend.name}`, { skip: backend.skip }, () => {
    migrations(backend)
    settings(backend)
    oauthClientsSuite(backend)
    signingKeys(backend)
    revokedTokens(backend)
    adminUsers(backend)
    adminSessions(backend)
    recordsSuite(backend)
    transitionSuite(backend)
    customFieldsSuite(backend)
    durabilitySuite(backend)
    nestedSuite(backend)
  })
}

function migrations(backend: StoreBackend): void {
  describe('migrate()', () => {
    const t = useFreshStore(backend, { migrate: false })

    it('creates the schema, and a second migrate() changes nothing', async () => {
      const { store } = t()
      await store.migrate()
      await store.insertClient(client(1))
      await store.migrate()
      assert.deepEqual(await store.listClients(), [client(1)])
    })

    it('lets two migrate() calls of one store run at once', async () => {
      const { store } = t()
      await Promise.all([store.migrate(), store.migrate()])
      assert.equal(await store.countAdminUsers(), 0)
    })

    const postgres = backend.name === 'postgres'
    const severalNodes = { skip: postgres ? false : 'only PostgreSQL is shared by several nodes' }
    it('lets several nodes migrate the same database at once', severalNodes, async () => {
      const { store, databaseUrl = '' } = t()
      const others = [1, 2, 3].map(() => createPostgresStore({ databaseUrl }))
      try {
        await Promise.all([store, ...others].map((s) => s.migrate()))
        assert.equal(await store.countAdminUsers(), 0)
      } finally {
        await Promise.all(others.map((s) => s.close()))
      }
    })

    const pool = { skip: postgres ? false : 'only PostgreSQL has a connection pool' }
    it('migrates through a pool of a single connection', pool, async () => {
      const { databaseUrl = '' } = t()
      const store = createPostgresStore({ databaseUrl, maxConnections: 1 })
      try {
        await store.migrate()
        assert.equal(await store.countAdminUsers(), 0)
      } finally {
        await store.close()
      }
    })
  })
}

function settings(backend: StoreBackend): void {
  describe('getOrInitSetting()', () => {
    const t = useFreshStore(backend)

    it('stores the value of a new key and returns it', async () => {
      assert.equal(await t().store.getOrInitSetting('pepper', 'first'), 'first')
    })

    it('keeps the first value: a later call gets it back and its own value is ignored', async () => {
      const { store } = t()
      await store.getOrInitSetting('pepper', 'first')
      assert.equal(await store.getOrInitSetting('pepper', 'second'), 'first')
      assert.equal(await store.getOrInitSetting('other', 'third'), 'third')
    })

    it('gives every concurrent caller the same winning value', async () => {
      const { store } = t()
      const values = ['a', 'b', 'c', 'd', 'e']
      const results = await Promise.all(values.map((v) => store.getOrInitSetting('issuer-key', v)))
      assert.equal(new Set(results).size, 1)
      assert.ok(values.includes(results[0] ?? ''))
    })
  })
}

function signingKeys(backend: StoreBackend): void {
  describe('signing keys', () => {
    const t = useFreshStore(backend)

    it('lists inserted keys, their JWKs intact, oldest first', async () => {
      const { store } = t()
      await store.insertSigningKey(signingKey('k2', T0 + 2))
      await store.insertSigningKey(signingKey('k1', T0 + 1, T0 + 10))
      assert.deepEqual(await store.listSigningKeys(), [
        signingKey('k1', T0 + 1, T0 + 10),
        signingKey('k2', T0 + 2),
      ])
    })

    it('retireSigningKeys(exceptKid, at) retires every key in use but that one, and no key twice', async () => {
      const { store } = t()
      await store.insertSigningKey(signingKey('old', T0 + 1, T0 + 5))
      await store.insertSigningKey(signingKey('k1', T0 + 2))
      await store.insertSigningKey(signingKey('k2', T0 + 3))
      await store.insertSigningKey(signingKey('current', T0 + 4))
      await store.retireSigningKeys('current', T0 + 100)
      assert.deepEqual(await store.listSigningKeys(), [
        signingKey('old', T0 + 1, T0 + 5),
        signingKey('k1', T0 + 2, T0 + 100),
        signingKey('k2', T0 + 3, T0 + 100),
        signingKey('current', T0 + 4),
      ])
    })

    it("updateSigningKeyPrivateJwk(kid, jwk) replaces only that key's private part; false for an unknown kid", async () => {
      const { store } = t()
      await store.insertSigningKey(signingKey('k1', T0 + 1))
      await store.insertSigningKey(signingKey('k2', T0 + 2, T0 + 9))
      const sealed = { ...signingKey('k2', T0).privateJwk, d: 'ks1.sealed' }
      assert.equal(await store.updateSigningKeyPrivateJwk('k2', sealed), true)
      assert.equal(await store.updateSigningKeyPrivateJwk('nope', sealed), false)
      assert.deepEqual(await store.listSigningKeys(), [
        signingKey('k1', T0 + 1),
        { ...signingKey('k2', T0 + 2, T0 + 9), privateJwk: sealed },
      ])
    })

    it("refuses a second key with the same kid with StoreConflictError('kid')", async () => {
      const { store } = t()
      await store.insertSigningKey(signingKey('k1', T0))
      await assert.rejects(store.insertSigningKey(signingKey('k1', T0 + 1)), conflict('kid'))
    })
  })
}

function revokedTokens(backend: StoreBackend): void {
  describe('revoked tokens', () => {
    const t = useFreshStore(backend)

    it('lists the revocations whose token has not expired at `now`', async () => {
      const { store } = t()
      for (const r of [revoked('a', T0 + 10), revoked('b', T0 + 20), revoked('c', T0 + 30)]) {
        await store.insertRevokedToken(r)
      }
      assert.deepEqual(await store.listRevokedTokens(T0), [
        revoked('a', T0 + 10),
        revoked('b', T0 + 20),
        revoked('c', T0 + 30),
      ])
      // A token is expired from its expiry time on.
      assert.deepEqual(await store.listRevokedTokens(T0 + 20), [revoked('c', T0 + 30)])
    })

    it('ignores a second revocation of the same jti and keeps the first', async () => {
      const { store } = t()
      await store.insertRevokedToken(revoked('a', T0 + 10))
      await store.insertRevokedToken({ ...revoked('a', T0 + 99), revokedAt: T0 + 5 })
      assert.deepEqual(await store.listRevokedTokens(T0), [revoked('a', T0 + 10)])
    })

    it('deleteExpiredRevocations(now) deletes the expired ones and counts them', async () => {
      const { store } = t()
      for (const r of [revoked('a', T0 + 10), revoked('b', T0 + 20), revoked('c', T0 + 30)]) {
        await store.insertRevokedToken(r)
      }
      assert.equal(await store.deleteExpiredRevocations(T0 + 20), 2)
      assert.equal(await store.deleteExpiredRevocations(T0 + 20), 0)
      assert.deepEqual(await store.listRevokedTokens(0), [revoked('c', T0 + 30)])
    })
  })
}

function adminUsers(backend: StoreBackend): void {
  describe('admin users', () => {
    const t = useFreshStore(backend)

    it('reads back an inserted admin user and counts the users', async () => {
      const { store } = t()
      assert.equal(await store.countAdminUsers(), 0)
      await store.insertAdminUser(admin('ada'))
      await store.insertAdminUser(admin('grace'))
      assert.deepEqual(await store.getAdminUser('ada'), admin('ada'))
      assert.equal(await store.countAdminUsers(), 2)
    })

    it('answers undefined for an unknown username', async () => {
      assert.equal(await t().store.getAdminUser('nobody'), undefined)
    })

    it("refuses a second user with the same username with StoreConflictError('username')", async () => {
      const { store } = t()
      await store.insertAdminUser(admin('ada'))
      await assert.rejects(
        store.insertAdminUser({ ...admin('ada'), passwordHash: 'other' }),
        conflict('username'),
      )
      assert.deepEqual(await store.getAdminUser('ada'), admin('ada'))
    })
  })
}

function adminSessions(backend: StoreBackend): void {
  describe('admin sessions', () => {
    const t = useFreshStore(backend)
    const session = (idHash: string, expiresAt: number) => ({
      idHash,
      username: 'ada',
      createdAt: T0,
      lastSeenAt: T0,
      expiresAt,
    })

    it('reads back an inserted session; an unknown one is undefined', async () => {
      const { store } = t()
      await store.insertAdminSession(session('h1', T0 + 1000))
      assert.deepEqual(await store.getAdminSession('h1'), session('h1', T0 + 1000))
      assert.equal(await store.getAdminSession('h2'), undefined)
    })

    it('touch records the last use, and answers false for a session that is gone', async () => {
      const { store } = t()
      await store.insertAdminSession(session('h1', T0 + 1000))
      assert.equal(await store.touchAdminSession('h1', T0 + 500), true)
      assert.equal((await store.getAdminSession('h1'))?.lastSeenAt, T0 + 500)
      await store.deleteAdminSession('h1')
      assert.equal(await store.getAdminSession('h1'), undefined)
      assert.equal(await store.touchAdminSession('h1', T0 + 600), false)
    })

    it('deleteExpiredAdminSessions(now) deletes the expired ones and counts them', async () => {
      const { store } = t()
      for (const [id, at] of [
        ['a', T0 + 10],
        ['b', T0 + 20],
        ['c', T0 + 30],
      ] as const) {
        await store.insertAdminSession(session(id, at))
      }
      assert.equal(await store.deleteExpiredAdminSessions(T0 + 20), 2)
      assert.equal(await store.deleteExpiredAdminSessions(T0 + 20), 0)
      assert.deepEqual(await store.getAdminSession('c'), session('c', T0 + 30))
    })
  })
}
