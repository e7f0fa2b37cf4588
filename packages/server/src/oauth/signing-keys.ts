import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto'
import type { Clock } from '../contract/clock.ts'
import type { SigningKeyRecord } from '../contract/records.ts'
import { isSealed, SealedSecretError, SealedSecrets } from '../crypto/sealed-secrets.ts'
import type { Store } from '../store/store.ts'

export interface SigningKey {
  kid: string
  /** Undefined when this node cannot open the stored private part (KEYSHIFT_SECRETS_KEY): it only verifies. */
  privateKey: KeyObject | undefined
  publicKey: KeyObject
  publicJwk: JsonWebKey
  createdAt: number
  retiredAt: number | null
}

export interface KeySetOptions {
  store: Store
  clock: Clock
  /** A retired key is still published (and accepted) for this long: the lifetime of its last token. */
  tokenLifetimeMs: number
  /** Encrypts the private part of each key at rest (default: none, kept in clear). */
  secrets?: SealedSecrets
}

/**
 * The instance's signing keys (ES256). The newest key signs; retired keys stay published at the
 * JWKS endpoint until the last token they signed has expired, so rotation needs no downtime.
 */
export class KeySet {
  readonly #store: Store
  readonly #clock: Clock
  readonly #tokenLifetimeMs: number
  readonly #secrets: SealedSecrets
  #keys: SigningKey[] = []

  constructor({ store, clock, tokenLifetimeMs, secrets = SealedSecrets.none }: KeySetOptions) {
    this.#store = store
    this.#clock = clock
    this.#tokenLifetimeMs = tokenLifetimeMs
    this.#secrets = secrets
  }

  /**
   * Loads the keys from the store, creating the first one on a new instance. Resolves to why keys
   * are usable for verifying only: their private part does not open with this node's
   * KEYSHIFT_SECRETS_KEY (another node sealed them with a key this one lacks), or lies in clear
   * while a key is set (sealed keys never go back to clear while one is). Such a key is still
   * published and its tokens accepted; the node goes on signing with the newest key it can open.
   */
  async load(): Promise<string[]> {
    let records = await this.#store.listSigningKeys()
    if (records.length === 0) {
      await this.#store.insertSigningKey(newKeyRecord(this.#clock.now(), this.#secrets))
      records = await this.#store.listSigningKeys()
    }
    // Keep the keys already opened: load() also runs when another node announces a rotation, and
    // on every tick of the fallback poll, and a kid (the thumbprint of the public key) always names
    // the same private key, even once another node has sealed it with a key this one lacks. A key
    // this node could not open is tried again.
    const known = new Map(this.#keys.map((key) => [key.kid, key]))
    const problems: string[] = []
    this.#keys = records.map((record) => {
      const key = known.get(record.kid)
      if (key?.privateKey)
        return key.retiredAt === record.retiredAt ? key : { ...key, retiredAt: record.retiredAt }
      const parsed = toSigningKey(record, this.#secrets)
      if (parsed.problem) problems.push(parsed.problem)
      return parsed.key
    })
    return problems
  }

  /** Adds a new signing key and retires the others; tokens they signed stay valid until they expire. */
  async rotate(): Promise<SigningKey> {
    const now = this.#clock.now()
    const record = newKeyRecord(now, this.#secrets)
    await this.#store.insertSigningKey(record)
    await this.#store.retireSigningKeys(record.kid, now)
    await this.load()
    return this.current
  }

  /**
   * The key that signs new tokens: the newest one not retired, or, when this node cannot open it,
   * the newest one it can (its tokens stay valid: every node publishes it until they expire).
   */
  get current(): SigningKey & { privateKey: KeyObject } {
    const usable = this.#keys.filter((key): key is SigningKey & { privateKey: KeyObject } => !!key.privateKey)
    const key = usable.filter((k) => k.retiredAt === null).at(-1) ?? usable.at(-1)
    if (!key)
      throw new Error('no signing key this node can open: load() first, and check KEYSHIFT_SECRETS_KEY')
    return key
  }

  /** Keys whose tokens may still be valid: the active ones and those retired less than a token lifetime ago. */
  get published(): SigningKey[] {
    const now = this.#clock.now()
    return this.#keys.filter((key) => key.retiredAt === null || key.retiredAt + this.#tokenLifetimeMs > now)
  }

  /** All keys with their state, for the admin API. */
  get all(): SigningKey[] {
    return [...this.#keys]
  }

  /** A published key by its `kid`, or undefined. */
  find(kid: string): SigningKey | undefined {
    return this.published.find((key) => key.kid === kid)
  }
}

/** What the private part `d` of a key is sealed for: a sealed `d` opens only as the one of this kid. */
export function sealedKeyName(kid: string): string {
  return `signing key ${kid}`
}

function newKeyRecord(now: number, secrets: SealedSecrets): SigningKeyRecord {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const publicJwk = publicKey.export({ format: 'jwk' })
  const kid = thumbprint(publicJwk)
  const privateJwk = privateKey.export({ format: 'jwk' })
  return {
    kid,
    alg: 'ES256',
    privateJwk: { ...privateJwk, d: secrets.seal(String(privateJwk.d), sealedKeyName(kid)) },
    publicJwk,
    createdAt: now,
    retiredAt: null,
  }
}

/** The key of a record; without its private part, and why, when that cannot be used here. */
function toSigningKey(
  record: SigningKeyRecord,
  secrets: SealedSecrets,
): { key: SigningKey; problem?: string } {
  const key: SigningKey = {
    kid: record.kid,
    privateKey: undefined,
    publicKey: createPublicKey({ key: record.publicJwk, format: 'jwk' }),
    publicJwk: {
      kty: record.publicJwk.kty,
      crv: record.publicJwk.crv,
      x: record.publicJwk.x,
      y: record.publicJwk.y,
    },
    createdAt: record.createdAt,
    retiredAt: record.retiredAt,
  }
  const stored = String(record.privateJwk.d)
  if (secrets.sealing && !isSealed(stored)) {
    const problem = `signing key ${record.kid} is stored in clear although KEYSHIFT_SECRETS_KEY is set: restart a node with the key to encrypt it`
    return { key, problem }
  }
  try {
    const d = secrets.open(stored, sealedKeyName(record.kid))
    return {
      key: { ...key, privateKey: createPrivateKey({ key: { ...record.privateJwk, d }, format: 'jwk' }) },
    }
  } catch (error) {
    if (error instanceof SealedSecretError) return { key, problem: error.message }
    throw error
  }
}

/** JWK thumbprint of an EC public key. https://www.rfc-editor.org/rfc/rfc7638#section-3.2 */
function thumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })
  return createHash('sha256').update(canonical).digest('base64url')
}

/**
 * Logs the signing keys this node can only verify with (sealed with a KEYSHIFT_SECRETS_KEY it
 * lacks), each time that list changes rather than on every reload.
 */
export function unusableKeysReporter(logger: { error(details: object, message: string): void }) {
  let reported = ''
  return function reportUnusableKeys(problems: string[]): void {
    const now = problems.join('\n')
    if (now !== reported && problems.length > 0) {
      logger.error({ problems }, 'signing keys this node cannot sign with (KEYSHIFT_SECRETS_KEY)')
    }
    reported = now
  }
}
