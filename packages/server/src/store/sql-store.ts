import type { JsonWebKey } from 'node:crypto'
import type {
  AdminSessionRecord,
  AdminUserRecord,
  ApiKeyRecord,
  AuditEntryInput,
  AuditEntryRecord,
  BrownoutRecord,
  CustomFieldRecord,
  HourlyUsage,
  OAuthClientRecord,
  PrincipalKind,
  PrincipalUseRecord,
  RevokedTokenRecord,
  SigningKeyRecord,
  UsageRecord,
} from '../contract/records.ts'
import { migrations } from './migrations.ts'
import type { NestedQuery, NestedRecord } from './nested-store.ts'
import type { SqlDriver } from './sql-driver.ts'
import * as nested from './sql-nested.ts'
import {
  nullableNumber,
  pageVersions,
  selectRecords,
  selectRecordsById,
  selectVersions,
  toStoredRecord,
} from './sql-rows.ts'
import {
  adminSessionTable,
  adminUserTable,
  apiKeyTable,
  clientTable,
  customFieldTable,
  SqlTable,
} from './sql-table.ts'
import * as transition from './sql-transition.ts'
import type {
  ApiKeyChanges,
  CustomFieldChanges,
  OAuthClientChanges,
  RecordQuery,
  RecordVersion,
  Store,
  StoredRecord,
} from './store.ts'

/** The one implementation of Store; the backends differ only in their SqlDriver. */
export class SqlStore implements Store {
  readonly kind: Store['kind']
  readonly #clients: SqlTable<OAuthClientRecord>
  readonly #apiKeys: SqlTable<ApiKeyRecord>
  readonly #adminUsers: SqlTable<AdminUserRecord>
  readonly #adminSessions: SqlTable<AdminSessionRecord>
  readonly #customFields: SqlTable<CustomFieldRecord>

  constructor(private readonly db: SqlDriver) {
    this.kind = db.kind
    this.#clients = new SqlTable(db, clientTable)
    this.#apiKeys = new SqlTable(db, apiKeyTable)
    this.#adminUsers = new SqlTable(db, adminUserTable)
    this.#adminSessions = new SqlTable(db, adminSessionTable)
    this.#customFields = new SqlTable(db, customFieldTable)
  }

  async migrate(): Promise<void> {
    await this.db.withMigrationLock(async (db) => {
      await db.run(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
      )
      const applied = new Set(
        (await db.all('SELECT version FROM schema_migrations')).map((r) => Number(r.version)),
      )
      for (const migration of migrations) {
        if (applied.has(migration.version)) continue
        await db.batch([
          ...migration.statements.map((sql) => ({ sql })),
          ...(this.kind === 'postgres' ? (migration.postgresOnly ?? []) : []).map((sql) => ({ sql })),
          {
            sql: 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
            params: [migration.version, migration.name, Date.now()],
          },
        ])
      }
    })
  }

  close(): Promise<void> {
    return this.db.close()
  }

  async getOrInitSetting(key: string, value: string): Promise<string> {
    await this.db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [
      key,
      value,
    ])
    const [row] = await this.db.all('SELECT value FROM settings WHERE key = ?', [key])
    return String(row?.value)
  }

  async getSetting(key: string): Promise<string | undefined> {
    const [row] = await this.db.all('SELECT value FROM settings WHERE key = ?', [key])
    return row === undefined ? undefined : String(row.value)
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.db.run(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    )
  }

  addUsage(counts: readonly HourlyUsage[]): Promise<void> {
    return transition.addUsage(this.db, counts)
  }

  upsertPrincipalUse(uses: readonly PrincipalUseRecord[]): Promise<void> {
    return transition.upsertPrincipalUse(this.db, uses)
  }

  listUsage(since: number, principal?: { kind: PrincipalKind; id: string }): Promise<UsageRecord[]> {
    return transition.listUsage(this.db, since, principal)
  }

  rollUpUsage(options: { hoursBefore: number; daysBefore: number }): Promise<void> {
    return transition.rollUpUsage(this.db, options)
  }

  listPrincipalUse(): Promise<PrincipalUseRecord[]> {
    return transition.listPrincipalUse(this.db)
  }

  async insertAuditEntries(entries: readonly AuditEntryInput[]): Promise<void> {
    if (entries.length === 0) return
    // The audit log's numbers come from the same sequences as record ids, under a name no resource has.
    const first = await this.reserveRecordIds('$audit_log', entries.length)
    await transition.insertAuditEntries(this.db, entries, first)
  }

  listAuditEntries(): Promise<AuditEntryRecord[]> {
    return transition.listAuditEntries(this.db)
  }

  replaceBrownouts(brownouts: readonly BrownoutRecord[]): Promise<void> {
    return transition.replaceBrownouts(this.db, brownouts)
  }

  listBrownouts(): Promise<BrownoutRecord[]> {
    return transition.listBrownouts(this.db)
  }

  // The clients and the API keys: one table each (sql-table.ts).
  readonly insertClient = (client: OAuthClientRecord) => this.#clients.insert(client)
  readonly getClient = (id: string) => this.#clients.one('id', id)
  readonly getClientByClientId = (clientId: string) => this.#clients.one('client_id', clientId)
  readonly listClients = () => this.#clients.all()
  readonly updateClient = (id: string, changes: OAuthClientChanges) => this.#clients.update(id, changes)
  readonly insertApiKey = (key: ApiKeyRecord) => this.#apiKeys.insert(key)
  readonly getApiKey = (id: string) => this.#apiKeys.one('id', id)
  readonly getApiKeyByHash = (keyHash: string) => this.#apiKeys.one('key_hash', keyHash)
  readonly listApiKeys = () => this.#apiKeys.all()
  readonly updateApiKey = (id: string, changes: ApiKeyChanges) => this.#apiKeys.update(id, changes)
  readonly insertCustomField = (field: CustomFieldRecord) => this.#customFields.insert(field)
  readonly listCustomFields = () => this.#customFields.all()
  readonly updateCustomField = (id: string, changes: CustomFieldChanges) =>
    this.#customFields.update(id, changes)

  async insertSigningKey(k: SigningKeyRecord): Promise<void> {
    await this.db.run(
      'INSERT INTO signing_keys (kid, alg, private_jwk, public_jwk, created_at, retired_at) VALUES (?, ?, ?, ?, ?, ?)',
      [k.kid, k.alg, JSON.stringify(k.privateJwk), JSON.stringify(k.publicJwk), k.createdAt, k.retiredAt],
    )
  }

  async listSigningKeys(): Promise<SigningKeyRecord[]> {
    const rows = await this.db.all('SELECT * FROM signing_keys ORDER BY created_at, kid')
    return rows.map((r) => ({
      kid: String(r.kid),
      alg: 'ES256',
      privateJwk: JSON.parse(String(r.private_jwk)),
      publicJwk: JSON.parse(String(r.public_jwk)),
      createdAt: Number(r.created_at),
      retiredAt: nullableNumber(r.retired_at),
    }))
  }

  async updateSigningKeyPrivateJwk(kid: string, privateJwk: JsonWebKey): Promise<boolean> {
    const changed = await this.db.run('UPDATE signing_keys SET private_jwk = ? WHERE kid = ?', [
      JSON.stringify(privateJwk),
      kid,
    ])
    return changed > 0
  }

  async retireSigningKeys(exceptKid: string, at: number): Promise<void> {
    await this.db.run('UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL AND kid <> ?', [
      at,
      exceptKid,
    ])
  }

  async insertRevokedToken(t: RevokedTokenRecord): Promise<void> {
    await this.db.run(
      'INSERT INTO revoked_tokens (jti, client_id, expires_at, revoked_at) VALUES (?, ?, ?, ?) ON CONFLICT (jti) DO NOTHING',
      [t.jti, t.clientId, t.expiresAt, t.revokedAt],
    )
  }

  async listRevokedTokens(now: number): Promise<RevokedTokenRecord[]> {
    const rows = await this.db.all('SELECT * FROM revoked_tokens WHERE expires_at > ? ORDER BY revoked_at', [
      now,
    ])
    return rows.map((r) => ({
      jti: String(r.jti),
      clientId: String(r.client_id),
      expiresAt: Number(r.expires_at),
      revokedAt: Number(r.revoked_at),
    }))
  }

  deleteExpiredRevocations(now: number): Promise<number> {
    return this.db.run('DELETE FROM revoked_tokens WHERE expires_at <= ?', [now])
  }

  async reserveRecordIds(resource: string, count: number): Promise<number> {
    await this.db.run(
      'INSERT INTO api_sequences (resource, last_id) VALUES (?, 0) ON CONFLICT (resource) DO NOTHING',
      [resource],
    )
    // One statement, so that two nodes never get the same ids.
    const [row] = await this.db.all(
      'UPDATE api_sequences SET last_id = last_id + ? WHERE resource = ? RETURNING last_id',
      [count, resource],
    )
    return Number(row?.last_id) - count + 1
  }

  async insertRecords(resource: string, records: StoredRecord[]): Promise<void> {
    // Multi-row INSERTs of 200 rows: one statement per row made bulk loads ten times slower on PostgreSQL.
    // Their SQL differs with the number of rows: at most 200 texts, whatever is inserted (a list in
    // a query is one parameter instead, sql-rows.ts). batch() keeps no prepared statement (sqlite.ts).
    const statements = []
    for (let start = 0; start < records.length; start += 200) {
      const chunk = records.slice(start, start + 200)
      statements.push({
        sql: `INSERT INTO api_records (resource, id, status, exported, updated_at, data) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
        params: chunk.flatMap((r) => [
          resource,
          r.id,
          r.status,
          r.exported === null ? null : Number(r.exported),
          r.updatedAt,
          r.data,
        ]),
      })
    }
    await this.db.batch(statements)
  }

  async updateRecord(resource: string, r: StoredRecord): Promise<boolean> {
    const changed = await this.db.run(
      'UPDATE api_records SET status = ?, exported = ?, updated_at = ?, data = ? WHERE resource = ? AND id = ?',
      [r.status, r.exported === null ? null : Number(r.exported), r.updatedAt, r.data, resource, r.id],
    )
    return changed > 0
  }

  async getRecords(resource: string, ids: readonly number[]): Promise<StoredRecord[]> {
    if (ids.length === 0) return []
    return (await this.db.all(...selectRecordsById(resource, ids, this.kind))).map(toStoredRecord)
  }

  async queryRecords(resource: string, query: RecordQuery): Promise<StoredRecord[]> {
    return (await this.db.all(...selectRecords('*', resource, query, this.kind))).map(toStoredRecord)
  }

  async queryRecordVersions(resource: string, query: RecordQuery): Promise<RecordVersion[]> {
    const [row] = await this.db.all(...selectVersions(resource, query, this.kind))
    return pageVersions(row?.page, query)
  }

  insertNestedRecord(record: NestedRecord): Promise<void> {
    return nested.insertNestedRecord(this.db, record)
  }

  listNestedRecords(query: NestedQuery): Promise<NestedRecord[]> {
    return nested.listNestedRecords(this.db, query)
  }

  getNestedRecord(kind: string, parent: { resource: string; id: number }, id: number) {
    return nested.getNestedRecord(this.db, kind, parent, id)
  }

  readonly insertAdminUser = (user: AdminUserRecord) => this.#adminUsers.insert(user)
  readonly getAdminUser = (username: string) => this.#adminUsers.one('username', username)

  async countAdminUsers(): Promise<number> {
    const [row] = await this.db.all('SELECT COUNT(*) AS n FROM admin_users')
    return Number(row?.n ?? 0)
  }

  readonly insertAdminSession = (session: AdminSessionRecord) => this.#adminSessions.insert(session)
  readonly getAdminSession = (idHash: string) => this.#adminSessions.one('id_hash', idHash)

  async touchAdminSession(idHash: string, at: number): Promise<boolean> {
    return (
      (await this.db.run('UPDATE admin_sessions SET last_seen_at = ? WHERE id_hash = ?', [at, idHash])) > 0
    )
  }

  async deleteAdminSession(idHash: string): Promise<void> {
    await this.db.run('DELETE FROM admin_sessions WHERE id_hash = ?', [idHash])
  }

  async deleteExpiredAdminSessions(now: number): Promise<number> {
    return this.db.run('DELETE FROM admin_sessions WHERE expires_at <= ?', [now])
  }
}
