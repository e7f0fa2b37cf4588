import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { client, conflict, T0 } from '../../test/records.ts'
import { type StoreBackend, type TestStore, useFreshStore } from '../../test/stores.ts'

/** OAuth clients: insert, read by id and client_id, list, unique fields, update. */
export function oauthClientsSuite(backend: StoreBackend): void {
  describe('OAuth clients', () => {
    const t = useFreshStore(backend)

    it('reads back every field of an inserted client by id, by client_id and in the list', async () => {
      const { store } = t()
      const stored = client(1, {
        previousSecretHash: 'b'.repeat(64),
        previousSecretExpiresAt: T0 + 86_400_000,
        tokensRevokedAt: T0 + 60_000,
      })
      await store.insertClient(stored)
      assert.deepEqual(await store.getClient(stored.id), stored)
      assert.deepEqual(await store.getClientByClientId(stored.clientId), stored)
      assert.deepEqual(await store.listClients(), [stored])
    })

    it('keeps nulls as null, false as false and the order of the scopes', async () => {
      const { store } = t()
      const stored = client(1, {
        contactFirstName: null,
        contactLastName: null,
        contactEmail: null,
        active: false,
        scopes: ['openid', 'core.supplier.read', 'core.invoice.approval.write', 'core.common.read'],
      })
      await store.insertClient(stored)
      assert.deepEqual(await store.getClient(stored.id), stored)
    })

    it('returns times as numbers, not strings', async () => {
      const { store } = t()
      const times = { previousSecretHash: 'b'.repeat(64), previousSecretExpiresAt: T0, tokensRevokedAt: T0 }
      await store.insertClient(client(1, times))
      const got = await store.getClient('client-1')
      for (const field of ['createdAt', 'updatedAt', 'previousSecretExpiresAt', 'tokensRevokedAt'] as const) {
        assert.equal(typeof got?.[field], 'number', field)
      }
    })

    it('answers undefined for an unknown id or client_id, and lists nothing when empty', async () => {
      const { store } = t()
      assert.equal(await store.getClient('nope'), undefined)
      assert.equal(await store.getClientByClientId('nope'), undefined)
      assert.deepEqual(await store.listClients(), [])
    })

    it('lists clients in the order they were created', async () => {
      const { store } = t()
      for (const n of [3, 1, 2]) await store.insertClient(client(n))
      assert.deepEqual(
        (await store.listClients()).map((c) => c.id),
        ['client-1', 'client-2', 'client-3'],
      )
    })

    for (const field of ['login', 'client_id', 'id'] as const) {
      it(`refuses a second client with the same ${field} with StoreConflictError('${field}')`, async () => {
        const { store } = t()
        await store.insertClient(client(1))
        const copy = client(2, { [fieldOf[field]]: client(1)[fieldOf[field]] })
        await assert.rejects(store.insertClient(copy), conflict(field))
        assert.deepEqual(await store.listClients(), [client(1)])
      })
    }

    updates(t)
  })
}

const fieldOf = { login: 'login', client_id: 'clientId', id: 'id' } as const

function updates(t: () => TestStore): void {
  describe('updateClient()', () => {
    it('changes only the given fields and resolves to the updated client', async () => {
      const { store } = t()
      await store.insertClient(client(1))
      await store.insertClient(client(2))
      const updated = await store.updateClient('client-1', { name: 'Renamed', updatedAt: T0 + 500 })
      const expected = { ...client(1), name: 'Renamed', updatedAt: T0 + 500 }
      assert.deepEqual(updated, expected)
      assert.deepEqual(await store.getClient('client-1'), expected)
      assert.deepEqual(await store.getClient('client-2'), client(2))
    })

    it('writes every changeable field, nulls, booleans and scopes included', async () => {
      const { store } = t()
      await store.insertClient(client(1))
      const changes = {
        name: 'Payments',
        scopes: ['core.invoice.write', 'core.invoice.read'],
        contactFirstName: null,
        contactLastName: 'Hopper',
        contactEmail: null,
        active: false,
        secretHash: 'c'.repeat(64),
        previousSecretHash: client(1).secretHash,
        previousSecretExpiresAt: T0 + 1_000,
        updatedAt: T0 + 2_000,
        tokensRevokedAt: T0 + 1_500,
      }
      assert.deepEqual(await store.updateClient('client-1', changes), { ...client(1), ...changes })
      const back = {
        previousSecretHash: null,
        previousSecretExpiresAt: null,
        active: true,
        updatedAt: T0 + 3_000,
      }
      assert.deepEqual(await store.updateClient('client-1', back), { ...client(1), ...changes, ...back })
    })

    it('leaves a field given as undefined as it is', async () => {
      const { store } = t()
      await store.insertClient(client(1))
      const updated = await store.updateClient('client-1', {
        name: undefined,
        contactFirstName: undefined,
        updatedAt: T0 + 500,
      })
      assert.deepEqual(updated, { ...client(1), updatedAt: T0 + 500 })
    })

    it('resolves to undefined for an unknown id and creates nothing', async () => {
      const { store } = t()
      assert.equal(await store.updateClient('nope', { name: 'x', updatedAt: T0 }), undefined)
      assert.deepEqual(await store.listClients(), [])
    })
  })
}
