import { migrations } from './migrations.ts'
import type {
  AdminUserRecord,
  ApiKeyChanges,
  ApiKeyRecord,
  OAuthClientChanges,
  OAuthClientRecord,
  RecordCondition,
  RecordQuery,
  RecordVersion,
  RevokedTokenRecord,
  SigningKeyRecord,
  Store,
  StoredRecord,
} from './store.ts'

type Row = Record<string, unknown>

/** Portable SQL with `?` placeholders. */
export interface SqlSession {
  all(sql: string, params?: unknown[]): Promise<Row[]>
  run(sql: string, params?: unknown[]): Promise<number>
  /** Runs the statements atomically: all or none. */
  batch(statements: Array<{ sql: string; params?: unknown[] }>): Promise<void>
}

/** What SqlStore needs from a database. */
export interface SqlDriver extends SqlSession {
  readonly kind: Store['kind']
  /**
   * Runs `fn` while no other node or call migrates the same database. `fn` gets the session that
   * holds the lock: a migration needs no second connection, so it cannot wait on its own pool.
   */
  withMigrationLock<T>(fn: (db: SqlSession) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/** The one implementation of Store; the backends differ only in their SqlDriver. */
export class SqlStore implements Store {
  readonly kind: Store['kind']
  constructor(private readonly db: SqlDriver) {
    this.kind = db.kind
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

  async insertClient(c: OAuthClientRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO oauth_clients (id, client_id, name, grant_type, scopes, login, contact_first_name,
        contact_last_name, contact_email, active, secret_hash, previous_secret_hash,
        previous_secret_expires_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        c.id,
        c.clientId,
        c.name,
        c.grantType,
        c.scopes.join(' '),
        c.login,
        c.contactFirstName,
        c.contactLastName,
        c.contactEmail,
        c.active ? 1 : 0,
        c.secretHash,
        c.previousSecretHash,
        c.previousSecretExpiresAt,
        c.createdAt,
        c.updatedAt,
      ],
    )
  }

  async getClient(id: string): Promise<OAuthClientRecord | undefined> {
    const [row] = await this.db.all('SELECT * FROM oauth_clients WHERE id = ?', [id])
    return row && toClient(row)
  }

  async getClientByClientId(clientId: string): Promise<OAuthClientRecord | undefined> {
    const [row] = await this.db.all('SELECT * FROM oauth_clients WHERE client_id = ?', [clientId])
    return row && toClient(row)
  }

  async listClients(): Promise<OAuthClientRecord[]> {
    return (await this.db.all('SELECT * FROM oauth_clients ORDER BY created_at, id')).map(toClient)
  }

  async updateClient(id: string, changes: OAuthClientChanges): Promise<OAuthClientRecord | undefined> {
    const columns: string[] = []
    const params: unknown[] = []
    for (const [field, column] of clientColumns) {
      const value = changes[field]
      // `{ name: undefined }` (an optional field passed along) is not a change: it must not write NULL.
      if (value === undefined) continue
      columns.push(`${column} = ?`)
      params.push(Array.isArray(value) ? value.join(' ') : typeof value === 'boolean' ? Number(value) : value)
    }
    params.push(id)
    await this.db.run(`UPDATE oauth_clients SET ${columns.join(', ')} WHERE id = ?`, params)
    return this.getClient(id)
  }

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

  async insertApiKey(k: ApiKeyRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO api_keys (id, name, description, contact_first_name, contact_last_name, contact_login,
        contact_email, key_hash, expires_on, permissions, revoked_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        k.id,
        k.name,
        k.description,
        k.contactFirstName,
        k.contactLastName,
        k.contactLogin,
        k.contactEmail,
        k.keyHash,
        k.expiresOn,
        k.permissions === null ? null : JSON.stringify(k.permissions),
        k.revokedAt,
        k.createdAt,
        k.updatedAt,
      ],
    )
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    const [row] = await this.db.all('SELECT * FROM api_keys WHERE id = ?', [id])
    return row && toApiKey(row)
  }

  async getApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const [row] = await this.db.all('SELECT * FROM api_keys WHERE key_hash = ?', [keyHash])
    return row && toApiKey(row)
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return (await this.db.all('SELECT * FROM api_keys ORDER BY created_at, id')).map(toApiKey)
  }

  async updateApiKey(id: string, changes: ApiKeyChanges): Promise<ApiKeyRecord | undefined> {
    const columns: string[] = []
    const params: unknown[] = []
    for (const [field, column] of apiKeyColumns) {
      const value = changes[field]
      if (value === undefined) continue
      columns.push(`${column} = ?`)
      params.push(value)
    }
    params.push(id)
    await this.db.run(`UPDATE api_keys SET ${columns.join(', ')} WHERE id = ?`, params)
    return this.getApiKey(id)
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
    const rows = await this.db.all(
      `SELECT * FROM api_records WHERE resource = ? AND id IN (${ids.map(() => '?').join(', ')})`,
      [resource, ...ids],
    )
    return rows.map(toStoredRecord)
  }

  async queryRecords(resource: string, query: RecordQuery): Promise<StoredRecord[]> {
    return (await this.db.all(...selectRecords('*', resource, query))).map(toStoredRecord)
  }

  async queryRecordVersions(resource: string, query: RecordQuery): Promise<RecordVersion[]> {
    const rows = await this.db.all(...selectRecords('id, updated_at', resource, query))
    return rows.map((r) => ({ id: Number(r.id), updatedAt: String(r.updated_at) }))
  }

  async insertAdminUser(u: AdminUserRecord): Promise<void> {
    await this.db.run('INSERT INTO admin_users (username, password_hash, created_at) VALUES (?, ?, ?)', [
      u.username,
      u.passwordHash,
      u.createdAt,
    ])
  }

  async getAdminUser(username: string): Promise<AdminUserRecord | undefined> {
    const [row] = await this.db.all('SELECT * FROM admin_users WHERE username = ?', [username])
    return (
      row && {
        username: String(row.username),
        passwordHash: String(row.password_hash),
        createdAt: Number(row.created_at),
      }
    )
  }

  async countAdminUsers(): Promise<number> {
    const [row] = await this.db.all('SELECT COUNT(*) AS n FROM admin_users')
    return Number(row?.n ?? 0)
  }
}

const clientColumns: Array<[keyof OAuthClientChanges, string]> = [
  ['name', 'name'],
  ['scopes', 'scopes'],
  ['contactFirstName', 'contact_first_name'],
  ['contactLastName', 'contact_last_name'],
  ['contactEmail', 'contact_email'],
  ['active', 'active'],
  ['secretHash', 'secret_hash'],
  ['previousSecretHash', 'previous_secret_hash'],
  ['previousSecretExpiresAt', 'previous_secret_expires_at'],
  ['updatedAt', 'updated_at'],
]

const apiKeyColumns: Array<[keyof ApiKeyChanges, string]> = [
  ['name', 'name'],
  ['description', 'description'],
  ['expiresOn', 'expires_on'],
  ['revokedAt', 'revoked_at'],
  ['updatedAt', 'updated_at'],
]

const recordColumns = new Set(['id', 'status', 'exported', 'updated_at'])
const operators = new Set(['=', '<>', '>', '<', '>=', '<=', 'in', 'not in', 'is null', 'is not null'])

/** One WHERE term; columns and operators come from fixed lists, values always as parameters. */
function conditionSql({ column, op, value }: RecordCondition, params: unknown[]): string {
  if (!recordColumns.has(column) || !operators.has(op))
    throw new Error(`unsupported condition ${column} ${op}`)
  if (op === 'is null' || op === 'is not null') return `${column} ${op.toUpperCase()}`
  const bind = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v)
  if (op === 'in' || op === 'not in') {
    const list = Array.isArray(value) ? value : [value]
    if (list.length === 0) return op === 'in' ? '1 = 0' : '1 = 1'
    params.push(...list.map(bind))
    return `${column} ${op.toUpperCase()} (${list.map(() => '?').join(', ')})`
  }
  params.push(bind(value))
  return `${column} ${op} ?`
}

function selectRecords(columns: string, resource: string, query: RecordQuery): [string, unknown[]] {
  const where = ['resource = ?']
  const params: unknown[] = [resource]
  for (const condition of query.conditions) where.push(conditionSql(condition, params))
  const dir = query.dir === 'desc' ? 'DESC' : 'ASC'
  const order = query.orderBy === 'updated_at' ? `updated_at ${dir}, id ${dir}` : `id ${dir}`
  params.push(query.limit, query.offset)
  return [
    `SELECT ${columns} FROM api_records WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ? OFFSET ?`,
    params,
  ]
}

function toStoredRecord(r: Row): StoredRecord {
  return {
    id: Number(r.id),
    status: nullableString(r.status),
    exported: r.exported === null || r.exported === undefined ? null : Number(r.exported) === 1,
    updatedAt: String(r.updated_at),
    data: String(r.data),
  }
}

function toApiKey(r: Row): ApiKeyRecord {
  return {
    id: String(r.id),
    name: String(r.name),
    description: nullableString(r.description),
    contactFirstName: nullableString(r.contact_first_name),
    contactLastName: nullableString(r.contact_last_name),
    contactLogin: String(r.contact_login),
    contactEmail: String(r.contact_email),
    keyHash: String(r.key_hash),
    expiresOn: nullableString(r.expires_on),
    permissions:
      r.permissions === null || r.permissions === undefined ? null : JSON.parse(String(r.permissions)),
    revokedAt: nullableNumber(r.revoked_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  }
}

function toClient(r: Row): OAuthClientRecord {
  return {
    id: String(r.id),
    clientId: String(r.client_id),
    name: String(r.name),
    grantType: 'client_credentials',
    scopes: String(r.scopes).split(' ').filter(Boolean),
    login: String(r.login),
    contactFirstName: nullableString(r.contact_first_name),
    contactLastName: nullableString(r.contact_last_name),
    contactEmail: nullableString(r.contact_email),
    active: Number(r.active) === 1,
    secretHash: String(r.secret_hash),
    previousSecretHash: nullableString(r.previous_secret_hash),
    previousSecretExpiresAt: nullableNumber(r.previous_secret_expires_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  }
}

const nullableString = (v: unknown): string | null => (v === null || v === undefined ? null : String(v))
const nullableNumber = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))
