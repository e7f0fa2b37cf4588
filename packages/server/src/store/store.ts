import type { JsonWebKey } from 'node:crypto'
import type {
  AdminSessionRecord,
  AdminUserRecord,
  ApiKeyRecord,
  CustomFieldRecord,
  OAuthClientRecord,
  RevokedTokenRecord,
  SigningKeyRecord,
} from '../contract/records.ts'
import type { NestedRecordStore } from './nested-store.ts'
import type { TransitionStore } from './transition-store.ts'

/**
 * The storage contract of an instance. Every backend (embedded SQLite, PostgreSQL) implements it
 * and passes the same shared suite (`store.suite.ts`). Times are epoch milliseconds.
 * A method that resolves has made its write durable: callers may acknowledge it.
 */
export interface Store extends TransitionStore, NestedRecordStore {
  readonly kind: 'sqlite' | 'postgres'
  /** Applies every pending migration; safe to call from several nodes at once. */
  migrate(): Promise<void>
  close(): Promise<void>

  /** Returns the stored value of `key`, storing `value` first when there is none (first writer wins). */
  getOrInitSetting(key: string, value: string): Promise<string>

  insertClient(client: OAuthClientRecord): Promise<void>
  getClient(id: string): Promise<OAuthClientRecord | undefined>
  getClientByClientId(clientId: string): Promise<OAuthClientRecord | undefined>
  listClients(): Promise<OAuthClientRecord[]>
  /** Writes the changed fields; resolves to the updated record, or undefined when there is none. */
  updateClient(id: string, changes: OAuthClientChanges): Promise<OAuthClientRecord | undefined>

  insertSigningKey(key: SigningKeyRecord): Promise<void>
  listSigningKeys(): Promise<SigningKeyRecord[]>
  /** Marks every key still in use as retired at `at`, except `exceptKid`. */
  retireSigningKeys(exceptKid: string, at: number): Promise<void>
  /** Replaces the stored private part of a key (sealed or opened at rest); false when there is no such key. */
  updateSigningKeyPrivateJwk(kid: string, privateJwk: JsonWebKey): Promise<boolean>

  insertRevokedToken(token: RevokedTokenRecord): Promise<void>
  /** Revocations whose token has not expired at `now`. */
  listRevokedTokens(now: number): Promise<RevokedTokenRecord[]>
  deleteExpiredRevocations(now: number): Promise<number>

  insertApiKey(key: ApiKeyRecord): Promise<void>
  getApiKey(id: string): Promise<ApiKeyRecord | undefined>
  getApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | undefined>
  listApiKeys(): Promise<ApiKeyRecord[]>
  updateApiKey(id: string, changes: ApiKeyChanges): Promise<ApiKeyRecord | undefined>

  /** Reserves `count` new ids of a resource; resolves to the first of them. Safe across nodes. */
  reserveRecordIds(resource: string, count: number): Promise<number>
  /** Inserts records atomically (all or none). */
  insertRecords(resource: string, records: StoredRecord[]): Promise<void>
  /** Replaces a record; resolves false when there is none with that id. */
  updateRecord(resource: string, record: StoredRecord): Promise<boolean>
  getRecords(resource: string, ids: readonly number[]): Promise<StoredRecord[]>
  /** Records matching every condition, in order; conditions only on the indexed columns. */
  queryRecords(resource: string, query: RecordQuery): Promise<StoredRecord[]>
  /** The same selection, only ids and update times: answered from the index alone. */
  queryRecordVersions(resource: string, query: RecordQuery): Promise<RecordVersion[]>

  /** Adds a custom field; StoreConflictError('name') when its resource has one of that name. */
  insertCustomField(field: CustomFieldRecord): Promise<void>
  /** Every custom field, active or not, oldest first. */
  listCustomFields(): Promise<CustomFieldRecord[]>
  /** Writes the changed fields; resolves to the updated field, or undefined when there is none. */
  updateCustomField(id: string, changes: CustomFieldChanges): Promise<CustomFieldRecord | undefined>

  insertAdminUser(user: AdminUserRecord): Promise<void>
  getAdminUser(username: string): Promise<AdminUserRecord | undefined>
  countAdminUsers(): Promise<number>

  insertAdminSession(session: AdminSessionRecord): Promise<void>
  getAdminSession(idHash: string): Promise<AdminSessionRecord | undefined>
  /** Records that the session was used at `at`; resolves false when there is no such session. */
  touchAdminSession(idHash: string, at: number): Promise<boolean>
  deleteAdminSession(idHash: string): Promise<void>
  /** Deletes the sessions that expired at `now` (absolute expiry) and counts them. */
  deleteExpiredAdminSessions(now: number): Promise<number>

  /**
   * Changes committed through any node of this database, pushed to every node at once (PostgreSQL
   * LISTEN/NOTIFY, store/postgres-changes.ts), so caches need not wait for the poll. Absent where
   * there is one node (the embedded store).
   */
  readonly changes?: import('./changes.ts').ChangeFeed
}

/** The fields an update may change; `updatedAt` is always set. */
export type OAuthClientChanges = Pick<OAuthClientRecord, 'updatedAt'> &
  Partial<
    Pick<
      OAuthClientRecord,
      | 'name'
      | 'scopes'
      | 'contactFirstName'
      | 'contactLastName'
      | 'contactEmail'
      | 'active'
      | 'secretHash'
      | 'previousSecretHash'
      | 'previousSecretExpiresAt'
      | 'tokensRevokedAt'
    >
  >

export type ApiKeyChanges = Pick<ApiKeyRecord, 'updatedAt'> &
  Partial<
    Pick<
      ApiKeyRecord,
      | 'revokedAt'
      | 'expiresOn'
      | 'name'
      | 'description'
      | 'replacementClientId'
      | 'deprecationAt'
      | 'sunsetAt'
    >
  >

/** What may change in a custom field; `updatedAt` is always set. */
export type CustomFieldChanges = Pick<CustomFieldRecord, 'updatedAt'> &
  Partial<Pick<CustomFieldRecord, 'label' | 'values' | 'required' | 'active'>>

/** A core API record as stored: the indexed columns and the whole record as JSON. */
export interface StoredRecord {
  id: number
  status: string | null
  exported: boolean | null
  /** ISO 8601 UTC (`toISOString()`), so that text order is time order. */
  updatedAt: string
  data: string
}

export interface RecordVersion {
  id: number
  updatedAt: string
}

export type RecordColumn = 'id' | 'status' | 'exported' | 'updated_at'

export interface RecordCondition {
  column: RecordColumn
  op: '=' | '<>' | '>' | '<' | '>=' | '<=' | 'in' | 'not in' | 'is null' | 'is not null'
  value?: string | number | boolean | ReadonlyArray<string | number>
}

export interface RecordQuery {
  conditions: readonly RecordCondition[]
  orderBy: 'id' | 'updated_at'
  dir: 'asc' | 'desc'
  offset: number
  limit: number
}

/** A unique constraint refused the write; `field` names the column. */
export class StoreConflictError extends Error {
  constructor(readonly field: string) {
    super(`${field} is already taken`)
    this.name = 'StoreConflictError'
  }
}

/** The store could not be reached or failed; the request cannot be served now. */
export class StoreUnavailableError extends Error {
  constructor(options: { cause: unknown }) {
    super('the store is unavailable', options)
    this.name = 'StoreUnavailableError'
  }
}
