import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { type BuildOptions, build } from '../../src/app.ts'
import { isSealed, SealedSecretError, SealedSecrets } from '../../src/crypto/sealed-secrets.ts'
import { sealedKeyName } from '../../src/oauth/signing-keys.ts'
import type { Store } from '../../src/store/store.ts'
import { type CreatedClient, ISSUER, startInstance, type TestInstance } from '../instance.ts'
import { storeBackends } from '../stores.ts'

const keyA = randomBytes(32)
const keyB = randomBytes(32)

/** What the store holds: every signing key's private part `d`, and the pepper. */
async function atRest(store: Store): Promise<string[]> {
  const keys = await store.listSigningKeys()
  return [...keys.map((k) => String(k.privateJwk.d)), String(await store.getSetting('secret_pepper'))]
}

for (const backend of storeBackends) {
  describe(`secrets at rest (KEYSHIFT_SECRETS_KEY) on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TestInstance
    let client: CreatedClient
    let jwks: unknown

    /** Builds another instance on the same store (a restart), runs `check`, closes it. */
    async function restart(
      secrets: SealedSecrets,
      check: (i: Awaited<ReturnType<typeof build>>) => Promise<void>,
    ) {
      const options: BuildOptions = {
        store: t.testStore.store,
        issuer: ISSUER,
        syncIntervalMs: 60_000,
        secrets,
      }
      const instance = await build(options)
      try {
        await check(instance)
      } finally {
        await instance.close()
      }
    }

    /** The client's secret still gets a token from `instance`, and the JWKS is unchanged. */
    async function stillWorks(instance: Awaited<ReturnType<typeof build>>) {
      const response = await instance.app.inject({
        method: 'POST',
        url: '/oauth2/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: client.client_id,
          client_secret: client.client_secret,
        }).toString(),
      })
      assert.equal(response.statusCode, 200, response.body)
      assert.deepEqual((await instance.app.inject('/oauth2/jwks')).json(), jwks)
    }

    before(async () => {
      // A store that ran without a key: everything in clear, as before this setting existed.
      t = await startInstance(backend)
      client = await t.createClient()
      jwks = (await t.instance.app.inject('/oauth2/jwks')).json()
    })
    after(() => t.close())

    it('without a key, the signing key and the pepper are in clear', async () => {
      const values = await atRest(t.testStore.store)
      assert.equal(values.length, 2)
      assert.ok(values.every((v) => !isSealed(v)))
    })

    it('a start with a key encrypts what was in clear; secrets, tokens and keys keep working', async () => {
      const clear = await atRest(t.testStore.store)
      await restart(new SealedSecrets(keyA), stillWorks)
      const sealed = await atRest(t.testStore.store)
      assert.ok(
        sealed.every((v) => new SealedSecrets(keyA).isCurrent(v) && isSealed(v)),
        sealed.join(),
      )
      for (const value of clear) assert.ok(!sealed.some((s) => s.includes(value)))
    })

    it('a key rotated while sealing is stored sealed too', async () => {
      await restart(new SealedSecrets(keyA), async (instance) => {
        await instance.keys.rotate()
      })
      const values = await atRest(t.testStore.store)
      assert.equal(values.length, 3)
      assert.ok(values.every((v) => new SealedSecrets(keyA).isCurrent(v)))
      jwks = (await t.instance.app.inject('/oauth2/jwks')).json()
      // The running instance learns of the new key on its next sync; a restart reads it now.
      await restart(new SealedSecrets(keyA), async (instance) => {
        jwks = (await instance.app.inject('/oauth2/jwks')).json()
        await stillWorks(instance)
      })
    })

    it('a start without the key, or with another one, fails and says which key is missing; nothing is rewritten', async () => {
      const before = await atRest(t.testStore.store)
      for (const secrets of [SealedSecrets.none, new SealedSecrets(keyB)]) {
        await assert.rejects(
          build({ store: t.testStore.store, issuer: ISSUER, syncIntervalMs: 60_000, secrets }),
          (error: Error) =>
            error instanceof SealedSecretError &&
            /secret_pepper is encrypted at rest with a key that is not configured .*KEYSHIFT_SECRETS_KEY/.test(
              error.message,
            ),
        )
      }
      assert.deepEqual(await atRest(t.testStore.store), before)
    })

    it('changing keys: with the new key and the previous one, everything is sealed again with the new key', async () => {
      await restart(new SealedSecrets(keyB, keyA), stillWorks)
      const values = await atRest(t.testStore.store)
      assert.ok(values.every((v) => new SealedSecrets(keyB).isCurrent(v)))
      await restart(new SealedSecrets(keyB), stillWorks)
      await assert.rejects(
        build({ store: t.testStore.store, issuer: ISSUER, secrets: new SealedSecrets(keyA) }),
        SealedSecretError,
      )
    })

    it('with only the previous key, everything is written back in clear', async () => {
      await restart(new SealedSecrets(undefined, keyB), stillWorks)
      assert.ok((await atRest(t.testStore.store)).every((v) => !isSealed(v)))
      await restart(SealedSecrets.none, stillWorks)
    })
  })

  describe(`secrets at rest: partial, mixed and concurrent states on ${backend.name}`, {
    skip: backend.skip,
  }, () => {
    const sealer = new SealedSecrets(keyA)
    let t: TestInstance
    const startWith = (secrets: SealedSecrets) =>
      build({ store: t.testStore.store, issuer: ISSUER, syncIntervalMs: 60_000, secrets })

    /** Seals one signing key's `d` with `sealer` in the store, as a start that died half-way leaves it. */
    async function sealKeyOnly(kid: string) {
      const record = (await t.testStore.store.listSigningKeys()).find((k) => k.kid === kid)
      assert.ok(record)
      const d = sealer.seal(String(record.privateJwk.d), sealedKeyName(kid))
      await t.testStore.store.updateSigningKeyPrivateJwk(kid, { ...record.privateJwk, d })
    }

    before(async () => {
      t = await startInstance(backend)
    })
    after(() => t.close())

    it('a failed start writes nothing, even when the pepper alone would open; the right key then finishes the job', async () => {
      // A start with keyA died after sealing the signing key, before the pepper.
      const [kid = ''] = (await t.testStore.store.listSigningKeys()).map((k) => k.kid)
      await sealKeyOnly(kid)
      const mixed = await atRest(t.testStore.store)
      await assert.rejects(startWith(new SealedSecrets(keyB)), (error: Error) => {
        assert.ok(error instanceof SealedSecretError)
        assert.match(
          error.message,
          new RegExp(`signing key ${kid} is encrypted at rest with a key that is not configured`),
        )
        return true
      })
      assert.deepEqual(await atRest(t.testStore.store), mixed)
      const instance = await startWith(new SealedSecrets(keyA))
      await instance.close()
      assert.ok((await atRest(t.testStore.store)).every((v) => sealer.isCurrent(v)))
    })

    it("a signing key's sealed part moved to another key does not open there", async () => {
      const instance = await startWith(sealer)
      await instance.keys.rotate()
      await instance.close()
      const [first, second] = await t.testStore.store.listSigningKeys()
      assert.ok(first && second)
      await t.testStore.store.updateSigningKeyPrivateJwk(first.kid, {
        ...first.privateJwk,
        d: second.privateJwk.d,
      })
      await assert.rejects(
        startWith(sealer),
        new RegExp(`signing key ${first.kid} is encrypted at rest but does not decrypt`),
      )
      await t.testStore.store.updateSigningKeyPrivateJwk(first.kid, first.privateJwk)
    })

    it('a running node keeps working when another changes keys and rotates: it verifies the new key and signs with its own', async () => {
      const running = await startWith(sealer)
      try {
        const signingKid = running.keys.current.kid
        const changing = await startWith(new SealedSecrets(keyB, keyA))
        const rotated = await changing.keys.rotate()
        const token = (await changing.tokens.issue('some-client', 'core.invoice.read')).token
        await changing.close()

        const problems = await running.keys.load()
        assert.equal(problems.length, 1)
        assert.match(
          problems[0] ?? '',
          new RegExp(`signing key ${rotated.kid} is encrypted at rest with a key that is not configured`),
        )
        assert.ok(running.keys.published.some((k) => k.kid === rotated.kid))
        assert.equal(running.tokens.verify(token).valid, true)
        assert.equal(running.keys.current.kid, signingKid)
        const issued = await running.tokens.issue('some-client', 'core.invoice.read')
        assert.equal(running.tokens.verify(issued.token).valid, true)
      } finally {
        await running.close()
      }
      // Back to keyA for the next test: keyB opens, keyA seals.
      await (await startWith(new SealedSecrets(keyA, keyB))).close()
    })

    it('with a key set, a signing key found in clear after the start is not used to sign', async () => {
      const running = await startWith(sealer)
      try {
        const [record] = await t.testStore.store.listSigningKeys()
        assert.ok(record)
        const planted = {
          ...record,
          kid: 'planted-in-clear',
          createdAt: record.createdAt + 1_000_000,
          retiredAt: null,
        }
        planted.privateJwk = {
          ...planted.privateJwk,
          d: sealer.open(String(record.privateJwk.d), sealedKeyName(record.kid)),
        }
        await t.testStore.store.insertSigningKey(planted)
        const problems = await running.keys.load()
        assert.deepEqual(problems, [
          'signing key planted-in-clear is stored in clear although KEYSHIFT_SECRETS_KEY is set: restart a node with the key to encrypt it',
        ])
        assert.notEqual(running.keys.current.kid, 'planted-in-clear')
      } finally {
        await running.close()
      }
    })
  })
}
