import { type KeyObject, randomUUID } from 'node:crypto'
import { allScopeNames, findScope } from '../catalogue/index.ts'
import type { Clock } from '../contract/clock.ts'
import { ConflictError, NotFoundError, ValidationError } from '../contract/errors.ts'
import type { OAuthClientRecord } from '../contract/records.ts'
import { digestsEqual, keyedDigest, keyedHash, pepperKey, randomHex } from '../crypto/secrets.ts'
import { type OAuthClientChanges, type Store, StoreConflictError } from '../store/store.ts'
import { Cache } from '../sync/cache.ts'

export interface ClientServiceOptions {
  store: Store
  clock: Clock
  /** Instance pepper for the keyed hash of secrets. */
  pepper: string
  /** How long a client read by `authenticate` is trusted before it is read again (default 400 ms, so that a change made on another node applies here within a second). */
  cacheTtlMs?: number
  /**
   * The same while the store pushes changes (`pushChanges(true)`, PostgreSQL LISTEN/NOTIFY): a change
   * then drops the client at once (`forget`), and this is only the fallback (default 5 s).
   */
  pushedCacheTtlMs?: number
}

export interface ClientInput {
  name: string
  grantType: string
  /** Scope names, or 'all' for every scope of the catalogue. */
  scopes: string[] | 'all'
  login: string
  contactFirstName?: string | null | undefined
  contactLastName?: string | null | undefined
  contactEmail?: string | null | undefined
}

export type ClientUpdate = Partial<
  Pick<ClientInput, 'name' | 'scopes' | 'contactFirstName' | 'contactLastName' | 'contactEmail'>
>

export type AuthenticationResult =
  | { ok: true; client: OAuthClientRecord }
  | { ok: false; reason: 'unknown client' | 'wrong secret' | 'client deactivated' }

const CLIENT_ID = /^[0-9a-f]{32}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const MAX_CACHED = 10_000

export const MAX_SECRET_GRACE_SECONDS = 30 * 24 * 3600
export const DEFAULT_SECRET_GRACE_SECONDS = 24 * 3600

/** The OAuth client registry: secrets, rotation, activation, scopes. */
export class ClientService {
  readonly #store: Store
  readonly #clock: Clock
  readonly #pepper: KeyObject
  /** Clients by client_id, as the hot paths read them; an unknown client_id is not cached. */
  readonly #cache: Cache<string, OAuthClientRecord | undefined>
  // Compared against when the client is unknown, so that the answer takes the same time.
  readonly #decoyDigest: Buffer
  /** The stored secret hashes of a client record as bytes, decoded once per record read. */
  readonly #digests = new WeakMap<OAuthClientRecord, { current: Buffer; previous: Buffer | undefined }>()
  /**
   * By client record, the bytes of the secret last presented that matched its current hash, so that
   * an integration's every token request is checked by one constant-time comparison instead of an
   * HMAC (4 µs, 5 % of the token endpoint's event-loop time). Only a secret that matched enters it,
   * so guesses cannot; it lives as long as the cached record (a read of the store, a rotation or a
   * deactivation makes a new record, and the entry goes with the old one): it holds what this
   * process already holds while it answers the request, as the API-key and verified-token caches do.
   */
  readonly #verified = new WeakMap<OAuthClientRecord, Buffer>()

  constructor({ store, clock, pepper, cacheTtlMs = 400, pushedCacheTtlMs = 5000 }: ClientServiceOptions) {
    this.#store = store
    this.#clock = clock
    this.#pepper = pepperKey(pepper)
    this.#cache = new Cache({ clock, ttlMs: cacheTtlMs, pushedTtlMs: pushedCacheTtlMs, max: MAX_CACHED })
    this.#decoyDigest = keyedDigest(this.#pepper, randomHex(32))
  }

  /**
   * Creates a client; the returned secret is the only copy that will ever exist. `createdAt`
   * backdates it (the demo's transition clients); default now.
   */
  async create(
    input: ClientInput,
    { createdAt }: { createdAt?: number } = {},
  ): Promise<{ client: OAuthClientRecord; secret: string }> {
    if (input.grantType !== 'client_credentials') {
      throw ValidationError.field(
        'grant_type',
        `only client_credentials is supported (got ${JSON.stringify(input.grantType)})`,
      )
    }
    const scopes = checkScopes(input.scopes)
    const now = createdAt ?? this.#clock.now()
    const secret = randomHex(32)
    const client: OAuthClientRecord = {
      id: randomUUID(),
      clientId: randomHex(16),
      name: input.name,
      grantType: 'client_credentials',
      scopes,
      login: input.login,
      contactFirstName: input.contactFirstName ?? null,
      contactLastName: input.contactLastName ?? null,
      contactEmail: input.contactEmail ?? null,
      active: true,
      secretHash: keyedHash(this.#pepper, secret),
      previousSecretHash: null,
      previousSecretExpiresAt: null,
      createdAt: now,
      updatedAt: now,
      tokensRevokedAt: null,
    }
    try {
      await this.#store.insertClient(client)
    } catch (error) {
      if (error instanceof StoreConflictError && error.field === 'login') {
        throw new ConflictError('login', 'Login has already been taken')
      }
      throw error
    }
    this.#cache.set(client.clientId, client)
    return { client, secret }
  }

  list(): Promise<OAuthClientRecord[]> {
    return this.#store.listClients()
  }

  /** Finds a client by its internal id or by its client_id (Identifier). */
  async get(idOrClientId: string): Promise<OAuthClientRecord> {
    const client = UUID.test(idOrClientId)
      ? await this.#store.getClient(idOrClientId)
      : CLIENT_ID.test(idOrClientId)
        ? await this.#store.getClientByClientId(idOrClientId)
        : undefined
    if (!client)
      throw new NotFoundError(`no OAuth client with id or client_id ${JSON.stringify(idOrClientId)}`)
    return client
  }

  async update(idOrClientId: string, update: ClientUpdate): Promise<OAuthClientRecord> {
    const { id } = await this.get(idOrClientId)
    return this.#write(id, {
      ...(update.name !== undefined && { name: update.name }),
      ...(update.scopes !== undefined && { scopes: checkScopes(update.scopes) }),
      ...(update.contactFirstName !== undefined && { contactFirstName: update.contactFirstName }),
      ...(update.contactLastName !== undefined && { contactLastName: update.contactLastName }),
      ...(update.contactEmail !== undefined && { contactEmail: update.contactEmail }),
    })
  }

  /** Activates or deactivates a client; deactivating cuts off every token it has, for good. */
  async setActive(idOrClientId: string, active: boolean): Promise<OAuthClientRecord> {
    const current = await this.get(idOrClientId)
    return this.#write(current.id, active ? { active } : { active, tokensRevokedAt: this.#cutOff(current) })
  }

  /** Cuts off every token issued to the client so far; the client stays as it is and gets new ones. */
  async revokeTokens(idOrClientId: string): Promise<OAuthClientRecord> {
    const current = await this.get(idOrClientId)
    return this.#write(current.id, { tokensRevokedAt: this.#cutOff(current) })
  }

  /**
   * Issues a new secret. The previous one keeps working for `graceSeconds` (0 ends it now), so
   * integrations can be switched over without downtime. `revokeTokens` also cuts off every token
   * issued so far (with either secret).
   */
  async rotateSecret(
    idOrClientId: string,
    graceSeconds = DEFAULT_SECRET_GRACE_SECONDS,
    { revokeTokens = false }: { revokeTokens?: boolean | undefined } = {},
  ): Promise<{ client: OAuthClientRecord; secret: string }> {
    if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_SECRET_GRACE_SECONDS) {
      throw ValidationError.field(
        'grace_period_seconds',
        `must be a whole number of seconds from 0 to ${MAX_SECRET_GRACE_SECONDS} (30 days)`,
      )
    }
    const current = await this.get(idOrClientId)
    const secret = randomHex(32)
    const client = await this.#write(current.id, {
      secretHash: keyedHash(this.#pepper, secret),
      previousSecretHash: graceSeconds > 0 ? current.secretHash : null,
      previousSecretExpiresAt: graceSeconds > 0 ? this.#clock.now() + graceSeconds * 1000 : null,
      ...(revokeTokens && { tokensRevokedAt: this.#cutOff(current) }),
    })
    return { client, secret }
  }

  /**
   * The new cut-off of a client's tokens: now, and always after the one it has. A token issued on a
   * record with a cut-off counts as issued a millisecond after it (AccessTokens.issue), so a cut-off
   * that did not move on (a clock behind, the same millisecond) would spare the tokens issued since.
   */
  #cutOff(client: OAuthClientRecord): number {
    const previous = client.tokensRevokedAt
    return previous === null ? this.#clock.now() : Math.max(this.#clock.now(), previous + 1)
  }

  /**
   * Checks a client_id and secret. Reads the client from a short-lived cache (the hot path of the
   * token endpoint) and compares the secret with the current and, within its grace period, the
   * previous secret, always both and in constant time.
   */
  async authenticate(clientId: string, secret: string): Promise<AuthenticationResult> {
    const verified = this.#matchesVerified(this.#cache.get(clientId), secret)
    if (verified) return { ok: true, client: verified }
    const presented = keyedDigest(this.#pepper, secret)
    const client = await this.#lookup(clientId)
    const stored = client && this.#storedDigests(client)
    const previousValid = (client?.previousSecretExpiresAt ?? 0) > this.#clock.now()
    const matchesCurrent = digestsEqual(presented, stored?.current ?? this.#decoyDigest)
    const matchesPrevious = digestsEqual(presented, (previousValid && stored?.previous) || this.#decoyDigest)
    if (!client) return { ok: false, reason: 'unknown client' }
    if (!(matchesCurrent || matchesPrevious)) return { ok: false, reason: 'wrong secret' }
    if (!client.active) return { ok: false, reason: 'client deactivated' }
    if (matchesCurrent) this.#verified.set(client, Buffer.from(secret, 'utf8'))
    return { ok: true, client }
  }

  /**
   * The cached, active client when `secret` is the one its current hash already matched (compared
   * in constant time; a secret of another length is simply another secret), else undefined: the
   * full check runs then.
   */
  #matchesVerified(client: OAuthClientRecord | undefined, secret: string): OAuthClientRecord | undefined {
    if (!client?.active) return undefined
    const verified = this.#verified.get(client)
    if (verified === undefined) return undefined
    return digestsEqual(Buffer.from(secret, 'utf8'), verified) ? client : undefined
  }

  #storedDigests(client: OAuthClientRecord): { current: Buffer; previous: Buffer | undefined } {
    let digests = this.#digests.get(client)
    if (!digests) {
      const previous = client.previousSecretHash
      digests = {
        current: Buffer.from(client.secretHash, 'hex'),
        previous: previous == null ? undefined : Buffer.from(previous, 'hex'),
      }
      this.#digests.set(client, digests)
    }
    return digests
  }

  /** The client as the hot paths see it (read again at most every `cacheTtlMs`), or undefined. */
  lookup(clientId: string): Promise<OAuthClientRecord | undefined> {
    return this.#lookup(clientId)
  }

  /**
   * The client when the cache holds it now (what `lookup` would answer without a promise), or
   * undefined: then ask `lookup`.
   */
  cached(clientId: string): OAuthClientRecord | undefined {
    return this.#cache.get(clientId)
  }

  /** Drops a client (by client_id): it changed through another node (sync/ tells), so it is read again. */
  forget(clientId: string): void {
    this.#cache.forget(clientId)
  }

  /** Drops every cached client (the change feed reconnected and may have missed changes). */
  forgetAll(): void {
    this.#cache.forgetAll()
  }

  /** Whether the store pushes changes: the cached clients are then trusted for `pushedCacheTtlMs`. */
  pushChanges(pushed: boolean): void {
    this.#cache.pushChanges(pushed)
  }

  #lookup(clientId: string): Promise<OAuthClientRecord | undefined> {
    // Anything but 32 hex digits cannot be a client: no need to ask the store.
    if (!CLIENT_ID.test(clientId)) return Promise.resolve(undefined)
    return this.#cache.read(clientId, (id) => this.#store.getClientByClientId(id))
  }

  async #write(id: string, changes: Omit<OAuthClientChanges, 'updatedAt'>): Promise<OAuthClientRecord> {
    const client = await this.#store.updateClient(id, { ...changes, updatedAt: this.#clock.now() })
    if (!client) throw new NotFoundError(`no OAuth client with id ${JSON.stringify(id)}`)
    // A read that began before this write must neither be joined nor put back what it read.
    this.#cache.forget(client.clientId)
    this.#cache.set(client.clientId, client)
    return client
  }
}

/** Checks scope names against the catalogue; 'all' is every scope. Keeps order, drops repeats. */
function checkScopes(scopes: string[] | 'all'): string[] {
  if (scopes === 'all') return [...allScopeNames]
  const unique = [...new Set(scopes)]
  if (unique.length === 0) throw ValidationError.field('scopes', 'choose at least one scope')
  const unknown = unique.filter((name) => !findScope(name))
  if (unknown.length > 0) {
    throw ValidationError.field(
      'scopes',
      `unknown scope ${unknown.join(', ')}; GET /admin/v1/scopes lists them`,
    )
  }
  return unique
}
