import { type KeyObject, randomUUID } from 'node:crypto'
import type { Clock } from '../contract/clock.ts'
import { ConflictError, NotFoundError, ValidationError } from '../contract/errors.ts'
import { type ApiKeyRecord, hasExpired, utcDate } from '../contract/records.ts'
import { keyedHash, pepperKey, randomHex } from '../crypto/secrets.ts'
import { type ApiKeyChanges, type Store, StoreConflictError } from '../store/store.ts'
import { Cache } from '../sync/cache.ts'

export interface ApiKeyServiceOptions {
  store: Store
  clock: Clock
  pepper: string
  /** How long a key read by `authenticate` is trusted before it is read again (default 400 ms, so that a change made on another node applies here within a second). */
  cacheTtlMs?: number
  /**
   * The same while the store pushes changes (`pushChanges(true)`, PostgreSQL LISTEN/NOTIFY): a change
   * then drops the key at once (`forget`), and this is only the fallback (default 5 s).
   */
  pushedCacheTtlMs?: number
  /** `resource#action` pairs that exist, to check permissions against (from the resource catalogue). */
  knownPermissions: ReadonlySet<string>
}

export interface ApiKeyInput {
  name: string
  description?: string | null | undefined
  contactFirstName?: string | null | undefined
  contactLastName?: string | null | undefined
  contactLogin: string
  contactEmail: string
  /** `YYYY-MM-DD`; the key stops working at 00:00 UTC that day. */
  expiresOn?: string | null | undefined
  /** `resource#action` pairs; none or null: every resource and action. */
  permissions?: string[] | null | undefined
}

export type ApiKeyAuthentication =
  | { ok: true; key: ApiKeyRecord }
  | { ok: false; reason: 'unknown key' | 'revoked' | 'expired' }

const KEY = /^[0-9A-Za-z]{40}$/

/** The most keys (and unknown keys) held in memory. */
const MAX_CACHED = 10_000

/** Legacy API keys (`X-COUPA-API-KEY`): 40 characters, shown once, stored only as a keyed hash. */
export class ApiKeyService {
  readonly #options: ApiKeyServiceOptions
  /** Keys by keyed hash of the presented key; `null`: no such key (so guesses cost no query). */
  readonly #cache: Cache<string, ApiKeyRecord | null>
  /** The pepper imported once: an HMAC with a string key imports it again on every call. */
  readonly #pepperKey: KeyObject
  /**
   * The keyed hash of keys presented before that named a stored key, so that an integration's every
   * call does not compute the HMAC again (its cost was 9 % of an API-key GET). Only keys that exist
   * enter it, so guesses cannot fill it; it holds what this process already holds while it serves
   * the call, as the verified-token cache holds bearer tokens. At most MAX_CACHED, then it starts
   * again.
   */
  readonly #hashes = new Map<string, string>()

  constructor(options: ApiKeyServiceOptions) {
    this.#options = options
    this.#pepperKey = pepperKey(options.pepper)
    const { clock, cacheTtlMs = 400, pushedCacheTtlMs = 5000 } = options
    this.#cache = new Cache({ clock, ttlMs: cacheTtlMs, pushedTtlMs: pushedCacheTtlMs, max: MAX_CACHED })
  }

  /**
   * Drops a key (by id) from the cache, and every cached "no such key": it was created or changed
   * through another node (the store's change feed), so the next request reads it again.
   */
  forget(id: string): void {
    this.#cache.forgetWhere((key) => key === null || key.id === id)
  }

  /** Drops every cached key (the change feed reconnected and may have missed changes). */
  forgetAll(): void {
    this.#cache.forgetAll()
  }

  /** Whether the store pushes changes: the cached keys are then trusted for `pushedCacheTtlMs`. */
  pushChanges(pushed: boolean): void {
    this.#cache.pushChanges(pushed)
  }

  /**
   * Creates a key; the returned key is the only copy that will ever exist. `createdAt` backdates it
   * (the demo's legacy keys); default now.
   */
  async create(
    input: ApiKeyInput,
    { createdAt }: { createdAt?: number } = {},
  ): Promise<{ record: ApiKeyRecord; key: string }> {
    const { store, clock, pepper } = this.#options
    const permissions = input.permissions?.length ? this.#checkPermissions(input.permissions) : null
    if (input.expiresOn && input.expiresOn <= utcDate(clock.now())) {
      throw ValidationError.field('expires_on', 'must be a date after today (YYYY-MM-DD)')
    }
    const key = randomHex(20)
    const now = createdAt ?? clock.now()
    const record: ApiKeyRecord = {
      id: randomUUID(),
      name: input.name,
      description: input.description ?? null,
      contactFirstName: input.contactFirstName ?? null,
      contactLastName: input.contactLastName ?? null,
      contactLogin: input.contactLogin,
      // Email addresses are compared without case: A@example.com is a@example.com.
      contactEmail: input.contactEmail.toLowerCase(),
      keyHash: keyedHash(pepper, key),
      expiresOn: input.expiresOn ?? null,
      permissions,
      revokedAt: null,
      replacementClientId: null,
      deprecationAt: null,
      sunsetAt: null,
      createdAt: now,
      updatedAt: now,
    }
    try {
      await store.insertApiKey(record)
    } catch (error) {
      if (error instanceof StoreConflictError && error.field === 'contact_login') {
        throw new ConflictError('contact_login', 'Contact Login has already been taken')
      }
      if (error instanceof StoreConflictError && error.field === 'contact_email') {
        throw new ConflictError('contact_email', 'Contact Email has already been taken')
      }
      throw error
    }
    return { record, key }
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.#options.store.listApiKeys()
  }

  async get(id: string): Promise<ApiKeyRecord> {
    const record = /^[0-9a-f-]{36}$/.test(id) ? await this.#options.store.getApiKey(id) : undefined
    if (!record) throw new NotFoundError(`no API key with id ${JSON.stringify(id)}`)
    return record
  }

  /** Revokes a key: it stops working on the next request, on every node within a second. */
  async revoke(id: string): Promise<ApiKeyRecord> {
    const current = await this.get(id)
    if (current.revokedAt !== null) return current
    return this.#write(current.id, { revokedAt: this.#options.clock.now() })
  }

  /** Links the key to the OAuth client (its client_id) that replaces it; null unlinks. */
  async setReplacement(id: string, clientId: string | null): Promise<ApiKeyRecord> {
    const current = await this.get(id)
    return this.#write(current.id, { replacementClientId: clientId })
  }

  /** Sets this key's deprecation and sunset dates; null falls back to the instance's. */
  async setSignals(
    id: string,
    signals: { deprecationAt: number | null; sunsetAt: number | null },
  ): Promise<ApiKeyRecord> {
    const current = await this.get(id)
    return this.#write(current.id, signals)
  }

  async #write(id: string, changes: Omit<ApiKeyChanges, 'updatedAt'>): Promise<ApiKeyRecord> {
    const now = this.#options.clock.now()
    const record = await this.#options.store.updateApiKey(id, { ...changes, updatedAt: now })
    if (!record) throw new NotFoundError(`no API key with id ${JSON.stringify(id)}`)
    // A read that began before this write must neither be joined nor put back what it read.
    this.forget(record.id)
    // This node sees the change at once; the others when the store's change feed tells them, or
    // when their cached copy expires.
    this.#cache.set(record.keyHash, record)
    return record
  }

  /** Checks a presented key: it must exist, not be revoked and not have expired. */
  /**
   * The key presented, when it was seen before and its record is cached and valid now: what
   * `authenticate` answers, without a promise (a GET then needs no turn of the event loop).
   * Undefined: ask `authenticate`.
   */
  knownKey(presented: string): ApiKeyRecord | undefined {
    const hash = this.#hashes.get(presented)
    if (hash === undefined) return undefined
    const key = this.#cache.get(hash)
    if (!key || key.revokedAt !== null || hasExpired(key, this.#options.clock.now())) return undefined
    return key
  }

  async authenticate(presented: string): Promise<ApiKeyAuthentication> {
    if (!KEY.test(presented)) return { ok: false, reason: 'unknown key' }
    const { clock, store } = this.#options
    // The lookup is by keyed hash: equality of 256-bit digests, nothing to compare in constant time.
    const hash = this.#hashes.get(presented) ?? keyedHash(this.#pepperKey, presented)
    const key = await this.#cache.read(hash, async (h) => (await store.getApiKeyByHash(h)) ?? null)
    const now = clock.now()
    if (!key) return { ok: false, reason: 'unknown key' }
    if (!this.#hashes.has(presented)) {
      if (this.#hashes.size >= MAX_CACHED) this.#hashes.clear()
      this.#hashes.set(presented, hash)
    }
    if (key.revokedAt !== null) return { ok: false, reason: 'revoked' }
    if (hasExpired(key, now)) return { ok: false, reason: 'expired' }
    return { ok: true, key }
  }

  #checkPermissions(permissions: string[]): string[] {
    const unknown = permissions.filter((p) => !this.#options.knownPermissions.has(p))
    if (unknown.length > 0) {
      throw ValidationError.field(
        'permissions',
        `unknown permission ${unknown.join(', ')}; use resource#action, such as invoices#index or invoices#void`,
      )
    }
    return [...new Set(permissions)]
  }
}
