import { SealedSecretError, type SealedSecrets } from './crypto/sealed-secrets.ts'
import { randomHex } from './crypto/secrets.ts'
import { sealedKeyName } from './oauth/signing-keys.ts'
import type { Store } from './store/store.ts'

const PEPPER_SETTING = 'secret_pepper'

/** One secret the store holds: where it is, what is stored, and how to write it back. */
interface StoredSecret {
  name: string
  stored: string
  write(value: string): Promise<unknown>
}

/**
 * At start, before the instance reads its secrets: opens every secret the store holds (the pepper,
 * made on the first start, and each signing key's private part), failing with a SealedSecretError
 * before anything is written when one does not open; then writes back each one not stored as
 * `secrets` now would store it (sealed with KEYSHIFT_SECRETS_KEY, or in clear without it), and reads
 * them all again to check that no node started with another key meanwhile. A start that dies
 * half-way leaves every value readable with the same settings, and the next start finishes.
 * Resolves to the pepper and the names of the values rewritten.
 */
export async function sealSecretsAtRest(
  store: Store,
  secrets: SealedSecrets,
): Promise<{ pepper: string; rewritten: string[] }> {
  await store.getOrInitSetting(PEPPER_SETTING, secrets.seal(randomHex(32), PEPPER_SETTING))
  const before = await storedSecrets(store)
  const opened = before.map((secret) => ({ ...secret, plaintext: secrets.open(secret.stored, secret.name) }))
  const stale = opened.filter((secret) => !secrets.isCurrent(secret.stored))
  for (const secret of stale) await secret.write(secrets.seal(secret.plaintext, secret.name))
  if (stale.length > 0) {
    const foreign = (await storedSecrets(store)).filter((secret) => !secrets.isCurrent(secret.stored))
    if (foreign.length > 0) {
      throw new SealedSecretError(
        `${foreign.map((s) => s.name).join(', ')} changed while this node encrypted it: another node is starting with a different KEYSHIFT_SECRETS_KEY; give every node the same key and start again`,
      )
    }
  }
  const pepper = opened.find((secret) => secret.name === PEPPER_SETTING)?.plaintext
  if (pepper === undefined) throw new Error('the pepper is missing from the store')
  return { pepper, rewritten: stale.map((secret) => secret.name) }
}

async function storedSecrets(store: Store): Promise<StoredSecret[]> {
  const pepper = await store.getSetting(PEPPER_SETTING)
  const keys = await store.listSigningKeys()
  return [
    ...(pepper === undefined
      ? []
      : [
          {
            name: PEPPER_SETTING,
            stored: pepper,
            write: (value: string) => store.setSetting(PEPPER_SETTING, value),
          },
        ]),
    ...keys.map((key) => ({
      name: sealedKeyName(key.kid),
      stored: String(key.privateJwk.d),
      write: (value: string) => store.updateSigningKeyPrivateJwk(key.kid, { ...key.privateJwk, d: value }),
    })),
  ]
}
