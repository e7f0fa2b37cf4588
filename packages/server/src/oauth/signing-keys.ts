import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto'
import type { Clock } from '../clock.ts'
import { SealedSecrets } from '../crypto/sealed-secrets.ts'
import type { SigningKeyRecord, Store } from '../store/store.ts'

export interface SigningKey {
  kid: string
  privateKey: KeyObject
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

  /** Loads the keys from the store, creating the first one on a new instance. */
  async load(): Promise<void> {
    let records = await this.#store.listSigningKeys()
    if (records.length === 0) {
      await this.#store.insertSigningKey(newKeyRecord(this.#clock.now(), this.#secrets))
      records = await this.#store.listSigningKeys()
    }
    // Keep the parsed keys that did not change: load() also runs when another node announces a
    // rotation, and on every tick of the fallback poll.
    const known = new Map(this.#keys.map((key) => [key.kid, key]))
    this.#keys = records.map((record) => {
      const key = known.get(record.kid)
      return key && key.retiredAt === record.retiredAt ? key : toSigningKey(record, this.#secrets)
    })
  }

  /**
   * Stores every key's private part as the configured secrets key would now: sealed with the current
   * key, or in clear without one. Run at start only, so that nodes configured differently during a
   * change of keys do not undo each other's work. Resolves to how many keys were rewritten.
   */
  async sealAtRest(): Promise<number> {
    let rewritten = 0
    for (const record of await this.#store.listSigningKeys()) {
      const d = String(record.privateJwk.d)
      if (this.#secrets.isCurrent(d)) continue
      const name = sealedName(record.kid)
      const privateJwk = { ...record.privateJwk, d: this.#secrets.seal(this.#secrets.open(d, name), name) }
      if (await this.#store.updateSigningKeyPrivateJwk(record.kid, privateJwk)) rewritten += 1
    }
    return rewritten
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

  /** The key that signs new tokens: the newest one not retired. */
  get current(): SigningKey {
    const active = this.#keys.filter((key) => key.retiredAt === null)
    const key = active.at(-1) ?? this.#keys.at(-1)
    if (!key) throw new Error('signing keys are not loaded: call load() first')
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
function sealedName(kid: string): string {
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
    privateJwk: { ...privateJwk, d: secrets.seal(String(privateJwk.d), sealedName(kid)) },
    publicJwk,
    createdAt: now,
    retiredAt: null,
  }
}

function toSigningKey(record: SigningKeyRecord, secrets: SealedSecrets): SigningKey {
  const d = secrets.open(String(record.privateJwk.d), sealedName(record.kid))
  return {
    kid: record.kid,
    privateKey: createPrivateKey({ key: { ...record.privateJwk, d }, format: 'jwk' }),
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
}

/** JWK thumbprint of an EC public key. https://www.rfc-editor.org/rfc/rfc7638#section-3.2 */
function thumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })
  return createHash('sha256').update(canonical).digest('base64url')
}
